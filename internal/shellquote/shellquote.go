// Package shellquote writes text as words of a shell's language, and reads
// back the word a person is typing. One rule per shell: POSIX (sh, bash,
// zsh) and fish. Everything devenv hands a shell as code goes through here.
package shellquote

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// plain are the bytes that mean nothing to a POSIX shell or to fish
// anywhere in a word; every other ASCII byte is quoted.
const plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:,@"

func isPlain(s string) bool {
	return s != "" && strings.Trim(s, plain) == ""
}

// POSIX makes s one literal word for sh, bash or zsh: in single quotes,
// where a quote is written by closing them, escaping it and opening them
// again.
func POSIX(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// POSIXWord is POSIX, but leaves a word of plain characters as it is, for
// text people read (an ssh ProxyCommand line).
func POSIXWord(s string) string {
	if isPlain(s) {
		return s
	}
	return POSIX(s)
}

// Fish makes s one literal word for fish, where \ and ' are escaped inside
// single quotes.
func Fish(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Portable makes s one literal word for sh, bash, zsh and fish alike, for
// a command whose shell is not known (devuser's login shell runs what ssh
// is given): outside single quotes, \' and \\ mean a quote and a backslash
// in all of them; inside them fish reads both as escapes, so they never
// stand inside.
func Portable(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		r := s[i] // bytes: a path need not be UTF-8
		if r == '\'' || r == '\\' {
			if quoted {
				b.WriteByte('\'')
				quoted = false
			}
			b.WriteByte('\\')
			b.WriteByte(r)
			continue
		}
		if !quoted {
			b.WriteByte('\'')
			quoted = true
		}
		b.WriteByte(r)
	}
	if quoted {
		b.WriteByte('\'')
	}
	if b.Len() == 0 {
		return "''"
	}
	return b.String()
}

// EscapePOSIX writes s as one literal word in the style a shell's own
// completion inserts: each character that is not plain behind a backslash
// (so that what is typed so far, "my\ d", stays a prefix of what is
// offered, "my\ dir/"), a control character or a byte that is not UTF-8 as
// $'\ooo'. A leading ~ or = is quoted like any other: bash and zsh expand
// them there.
func EscapePOSIX(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1, unprintable(r):
			b.WriteString("$'")
			for _, c := range []byte(s[i : i+n]) {
				b.WriteString(`\` + strconv.FormatUint(uint64(c)|0o1000, 8)[1:])
			}
			b.WriteString("'")
		case r >= utf8.RuneSelf || strings.ContainsRune(plain, r):
			b.WriteString(s[i : i+n])
		default:
			b.WriteByte('\\')
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// InsertBash writes s as bash's completion is to insert it after word, the
// word being typed: as EscapePOSIX does, unless word left a quote open.
// Then readline keeps that quote, puts the candidate inside and closes the
// quote after it, so the candidate is written as text inside those quotes.
func InsertBash(s, word string) string {
	switch openQuote(word) {
	case '\'':
		return inQuotes(s, "'", func(r rune) string {
			if r == '\'' {
				return `'\''`
			}
			return ""
		})
	case '"':
		return inQuotes(s, `"`, func(r rune) string {
			switch r {
			case '"', '$', '`', '\\':
				return `\` + string(r)
			case '!': // history expansion: \! keeps its backslash in "…"
				return `"'!'"`
			}
			return ""
		})
	}
	return EscapePOSIX(s)
}

// inQuotes writes s for inside the quote q: special gives what a character
// becomes there ("" for itself); control characters and bytes that are not
// UTF-8 close the quote for a $'\ooo' and open it again.
func inQuotes(s, q string, special func(rune) string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1, unprintable(r):
			b.WriteString(q + EscapePOSIX(s[i:i+n]) + q)
		case special(r) != "":
			b.WriteString(special(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// openQuote is the quote that word leaves open, 0 for none, as
// UnquotePOSIX reads it.
func openQuote(word string) byte {
	var open byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case open == 0 && c == '\\':
			i++
		case open == 0 && c == '$' && i+1 < len(word) && word[i+1] == '\'':
			open = '$'
			i++
		case open == 0 && (c == '\'' || c == '"'):
			open = c
		case open == '$' && c == '\\', open == '"' && c == '\\':
			i++
		case open == '$' && c == '\'', open != 0 && c == open:
			open = 0
		}
	}
	if open == '$' {
		return '\''
	}
	return open
}

// unprintable are the characters no terminal line should carry as they are.
func unprintable(r rune) bool {
	return r < ' ' || r == 0x7f || r >= 0x80 && !unicode.IsPrint(r) && r != utf8.RuneError
}

// UnquotePOSIX reads the start of a word as sh, bash or zsh would: the
// text "my\ d", "'my d" or "\"my d" stands for. Quotes left open end with
// the text; nothing is expanded.
func UnquotePOSIX(word string) string {
	var b strings.Builder
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case c == '\\':
			if i+1 < len(word) {
				i++
				b.WriteByte(word[i])
			}
		case c == '\'':
			end := strings.IndexByte(word[i+1:], '\'')
			if end < 0 {
				b.WriteString(word[i+1:])
				return b.String()
			}
			b.WriteString(word[i+1 : i+1+end])
			i += 1 + end
		case c == '$' && i+1 < len(word) && word[i+1] == '\'':
			i = ansiC(&b, word, i+2)
		case c == '"':
			for i++; i < len(word) && word[i] != '"'; i++ {
				if word[i] == '\\' && i+1 < len(word) && strings.IndexByte("$`\"\\\n", word[i+1]) >= 0 {
					i++
				}
				b.WriteByte(word[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ansiC reads a $'…' string from word[i:], the part after $', into b and
// returns the index of its closing quote.
func ansiC(b *strings.Builder, word string, i int) int {
	for ; i < len(word) && word[i] != '\''; i++ {
		if word[i] != '\\' || i+1 == len(word) {
			b.WriteByte(word[i])
			continue
		}
		i++
		switch c := word[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'e', 'E':
			b.WriteByte(0x1b)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n, j := 0, i
			for ; j < len(word) && j < i+3 && '0' <= word[j] && word[j] <= '7'; j++ {
				n = n*8 + int(word[j]-'0')
			}
			b.WriteByte(byte(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return i
}

// EscapeFish writes s as one word for fish's `string unescape`, each
// special character behind a backslash. A word fish cannot take back as
// one completion candidate (a control character: fish splits candidates at
// newlines and reads a tab as the start of a description) is "".
func EscapeFish(s string) string {
	var b strings.Builder
	if !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		switch {
		case unprintable(r):
			return ""
		case r >= utf8.RuneSelf || strings.ContainsRune(plain, r):
			b.WriteRune(r)
		default:
			b.WriteByte('\\')
			b.WriteRune(r)
		}
	}
	return b.String()
}

// UnquoteFish reads the start of a word as fish would: backslashes escape
// the next character, '…' and "…" quote, and quotes left open end with the
// text; nothing is expanded.
func UnquoteFish(word string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case c == '\\' && i+1 < len(word) && (quote == 0 || word[i+1] == '\\' || word[i+1] == quote || quote == '"' && word[i+1] == '$'):
			i++
			b.WriteByte(word[i])
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case c == quote:
			quote = 0
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
