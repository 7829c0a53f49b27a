package completions

import "strings"

// line is a command line up to the cursor, split the way complete/v2 splits
// it: on spaces outside quotes and not escaped. The last word is the one
// being typed; it is "" when the line ends in a space.
type line struct {
	words []string // every word but the current one
	cur   string
}

func parseLine(s string) line {
	var (
		words   []string
		word    strings.Builder
		quote   byte
		escaped bool
		inWord  bool
	)
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case escaped:
			escaped = false
		case b == '\\':
			escaped = true
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == ' ':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
			continue
		}
		word.WriteByte(b)
		inWord = true
	}
	return line{words: words, cur: word.String()}
}

// flagName returns the name of a word that is a flag ("--tool=go" → "tool",
// true), the way the flag package reads it.
func flagName(w string) (name string, hasValue, ok bool) {
	if len(w) < 2 || w[0] != '-' || w == "--" {
		return "", false, false
	}
	name = strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-")
	if name == "" || name[0] == '-' || name[0] == '=' {
		return "", false, false
	}
	name, _, hasValue = strings.Cut(name, "=")
	return name, hasValue, true
}
