package completions

import (
	"encoding/hex"
	"strings"

	"github.com/posener/complete/v2"
)

// Quoting is how the shell that asks for completion writes words: the one
// being typed arrives quoted as typed, and every candidate goes back quoted
// so that what the shell inserts is that text, never code ("$(…)",
// backticks, ";" in a directory's name). The zero value leaves both as
// they are, for callers that name no shell.
type Quoting struct {
	Quote   func(text, typed string) string // a candidate for the snippet, after typed; "" drops it
	Unquote func(word string) string        // the text a typed word stands for
}

// retype hides the word being typed at the end of line (cur, as typed)
// from complete/v2, which would compare candidates with it itself and
// rewrite them to look like it, adding quotes it thinks are open (an
// escaped quote, say). The word goes over hex-encoded instead, so
// complete/v2 matches nothing and passes on what wrap offers as it is. A
// flag's name, and the "--name=" of a value, stay as they are: complete/v2
// completes those.
func (q Quoting) retype(line, cur string) string {
	if q.Quote == nil || cur == "" {
		return line
	}
	head, value := "", cur
	if strings.HasPrefix(cur, "-") {
		i := strings.IndexByte(cur, '=')
		if i < 0 {
			return line
		}
		head, value = cur[:i+1], cur[i+1:]
	}
	return line[:len(line)-len(cur)] + head + hex.EncodeToString([]byte(value))
}

// word quotes text, which the person typed as typed. A leading ~ typed bare
// stays bare, for the shell to expand (the directory predictor offers
// "~/src/" after "~/s"); one typed quoted is quoted like any character.
func (q Quoting) word(typed, text string) string {
	if strings.HasPrefix(typed, "~") && strings.HasPrefix(text, "~") {
		return "~" + q.Quote(text[1:], typed)
	}
	return q.Quote(text, typed)
}

// wrap has p predict from the text of the word being typed (as retype
// sent it), keeps the candidates that extend it, and quotes them.
func (q Quoting) wrap(p complete.Predictor) complete.Predictor {
	if q.Quote == nil || p == nil {
		return p
	}
	return complete.PredictFunc(func(prefix string) []string {
		typed := prefix
		if b, err := hex.DecodeString(prefix); err == nil {
			typed = string(b)
		}
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
