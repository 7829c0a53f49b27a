package shellquote

import (
	"os/exec"
	"strings"
	"testing"
)

// hostile are names a directory or an engine may carry.
var hostile = []string{
	"plain", "my dir", "it's", `say "hi"`, "$(touch pwned)", "`touch pwned`",
	"a;touch pwned", "a&&b", "a|b", "*", "?x", "[ab]", "{a,b}", "new\nline",
	"tab\tbed", "-rf", "~", "~root", "=ls", "#comment", "back\\slash", "!!",
	"%1", "a=b", "日本", "caf\u00e9", "\x01\x7f", "x\xffy", "\u2028", "",
}

// words runs script in the real shell, given by argv, and returns what it
// printed: the words, each after a NUL.
func words(t *testing.T, argv []string, script string) []string {
	t.Helper()
	if _, err := exec.LookPath(argv[0]); err != nil {
		t.Skipf("%s is not installed", argv[0])
	}
	out, err := exec.Command(argv[0], append(argv[1:], script)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s\n%s", argv[0], err, script, out)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// check has the real shell read each quoted word and compares what it
// got with the text.
func check(t *testing.T, argv []string, quote func(string) string, printf string) {
	t.Helper()
	var script strings.Builder
	var want []string
	for _, s := range hostile {
		q := quote(s)
		if q == "" {
			continue
		}
		want = append(want, s)
		script.WriteString(printf + " " + q + "\n")
	}
	got := words(t, argv, script.String())
	if len(got) != len(want) {
		t.Fatalf("%s read %d words, want %d: %q", argv[0], len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s read %q as %q", argv[0], quote(want[i]), got[i])
		}
	}
}

var posixShells = [][]string{{"sh", "-c"}, {"bash", "-c"}, {"zsh", "-f", "-c"}}

func TestPOSIX(t *testing.T) {
	for _, sh := range posixShells {
		check(t, sh, POSIX, `printf '%s\0'`)
		check(t, sh, POSIXWord, `printf '%s\0'`)
	}
}

// Portable words read the same in every shell that can be a login shell.
func TestPortable(t *testing.T) {
	for _, sh := range append(posixShells, []string{"fish", "--no-config", "-c"}) {
		check(t, sh, Portable, `printf '%s\0'`)
	}
	if got := Portable(""); got != "''" {
		t.Errorf("Portable(\"\") = %s", got)
	}
}

// EscapePOSIX is what bash inserts from a completion; interactive shells
// also expand history (!) there, which -c does not: bash -i would.
func TestEscapePOSIX(t *testing.T) {
	for _, sh := range [][]string{{"bash", "-c"}, {"zsh", "-f", "-c"}} {
		check(t, sh, EscapePOSIX, `printf '%s\0'`)
	}
	for _, s := range hostile {
		if got := UnquotePOSIX(EscapePOSIX(s)); got != s {
			t.Errorf("UnquotePOSIX(EscapePOSIX(%q)) = %q", s, got)
		}
		if strings.ContainsAny(EscapePOSIX(s), "\n\t\x00") {
			t.Errorf("EscapePOSIX(%q) = %q: a candidate must be one line", s, EscapePOSIX(s))
		}
	}
	if got := EscapePOSIX("~/x"); got != `\~/x` {
		t.Errorf("a leading ~ is %q, want it quoted", got)
	}
}

// InsertBash after a quote the word opened: readline puts the candidate
// inside that quote and closes it.
func TestInsertBash(t *testing.T) {
	for _, open := range []string{"'", `"`, `$'`} {
		closing := open[len(open)-1:]
		check(t, []string{"bash", "-c"}, func(s string) string {
			if strings.HasPrefix(open, "$") && strings.ContainsAny(s, `\`) {
				return "" // inside $'…' a backslash is an escape: not offered as text
			}
			return open + InsertBash(s, open) + closing
		}, `printf '%s\0'`)
	}
}

func TestFish(t *testing.T) {
	check(t, []string{"fish", "--no-config", "-c"}, Fish, `printf '%s\0'`)
	check(t, []string{"fish", "--no-config", "-c"}, EscapeFish, `printf '%s\0'`)
	// the snippet reads a candidate back with string unescape
	check(t, []string{"fish", "--no-config", "-c"}, func(s string) string {
		if e := EscapeFish(s); e != "" {
			return Fish(e) + ")"
		}
		return ""
	}, `printf '%s\0' (string unescape -- `)
	for _, s := range hostile {
		e := EscapeFish(s)
		if e == "" {
			if !strings.ContainsAny(s, "\n\t\x01\xff\u2028") && s != "" {
				t.Errorf("EscapeFish(%q) drops it", s)
			}
			continue
		}
		if got := UnquoteFish(e); got != s {
			t.Errorf("UnquoteFish(EscapeFish(%q)) = %q", s, got)
		}
	}
}

// The word being typed, as each shell leaves it on the line.
func TestUnquote(t *testing.T) {
	for word, want := range map[string]string{
		`my\ d`: "my d", `'my d`: "my d", `"my d`: "my d", `'it'\''s`: "it's",
		`"a\$b\x"`: `a$b\x`, `$'a\nb'`: "a\nb", `$'\101'`: "A", `~/x`: "~/x", `a\`: "a",
	} {
		if got := UnquotePOSIX(word); got != want {
			t.Errorf("UnquotePOSIX(%q) = %q, want %q", word, got, want)
		}
	}
	for word, want := range map[string]string{
		`my\ d`: "my d", `'my d`: "my d", `"my d`: "my d", `'it\'s'`: "it's",
		`'a\b'`: `a\b`, `"a\$b"`: "a$b",
	} {
		if got := UnquoteFish(word); got != want {
			t.Errorf("UnquoteFish(%q) = %q, want %q", word, got, want)
		}
	}
}
