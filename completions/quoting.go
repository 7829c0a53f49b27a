package completions

import (
	"strings"

	"github.com/posener/complete/v2"
)

// Quoting is how the shell that asks for completion writes words: the one
// being typed arrives quoted as typed, and every candidate goes back quoted
// so that what the shell inserts is that text, never code ("$(…)",
// backticks, ";" in a directory's name). The zero value leaves both as
// they are, for callers that name no shell.
type Quoting struct {
	Quote   func(text string) string // a candidate for the snippet; "" drops it
	Unquote func(word string) string // the text a typed word stands for
}

// retype rewrites the word being typed at the end of line (cur, as typed)
// in the form Quote gives candidates, so that complete/v2, which compares
// candidates with that word character by character, compares like with
// like. A flag's "--name=" stays as it is.
func (q Quoting) retype(line, cur string) string {
	if q.Quote == nil || cur == "" {
		return line
	}
	head, value := "", cur
	if strings.HasPrefix(cur, "-") {
		if i := strings.IndexByte(cur, '='); i >= 0 {
			head, value = cur[:i+1], cur[i+1:]
		}
	}
	return line[:len(line)-len(cur)] + head + q.word(value, q.Unquote(value))
}

// word quotes text, which the person typed as typed. A leading ~ typed bare
// stays bare, for the shell to expand (the directory predictor offers
// "~/src/" after "~/s"); one typed quoted is quoted like any character.
func (q Quoting) word(typed, text string) string {
	if strings.HasPrefix(typed, "~") && strings.HasPrefix(text, "~") {
		return "~" + q.Quote(text[1:])
	}
	return q.Quote(text)
}

// wrap has p predict from the text of the word being typed, keeps the
// candidates that extend it, and quotes them.
func (q Quoting) wrap(p complete.Predictor) complete.Predictor {
	if q.Quote == nil || p == nil {
		return p
	}
	return complete.PredictFunc(func(typed string) []string {
		text := q.Unquote(typed)
		literal := strings.HasPrefix(text, "~") && !strings.HasPrefix(typed, "~")
		if literal {
			// "\~x" is a directory called ~x, not one in the home directory.
			text = "./" + text
		}
		var out []string
		for _, c := range p.Predict(text) {
			if !strings.HasPrefix(c, text) {
				continue
			}
			if literal {
				c = strings.TrimPrefix(c, "./")
			}
			if w := q.word(typed, c); w != "" && w != "~" {
				out = append(out, w)
			}
		}
		return out
	})
}
