package completions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posener/complete/v2"

	"devenv/internal/shellquote"
)

var (
	bash  = Quoting{Quote: shellquote.InsertBash, Unquote: shellquote.UnquotePOSIX}
	posix = Quoting{Quote: func(s, _ string) string { return shellquote.EscapePOSIX(s) }, Unquote: shellquote.UnquotePOSIX}
	fish  = Quoting{Quote: func(s, _ string) string { return shellquote.EscapeFish(s) }, Unquote: shellquote.UnquoteFish}
)

// quotingTree is a tree over a directory of hostile names and an engine
// that answers two environments.
func quotingTree(t *testing.T) *Tree {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"$(touch x)", "a b", "it's", "-rf", "~x", "new\nline", "home/src dir"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	t.Setenv("HOME", filepath.Join(dir, "home"))
	return New(apps, Sources{Environments: func() []string { return []string{"devenv-q-a"} }})
}

func checkQuoted(t *testing.T, tree *Tree, q Quoting, line string, want ...string) {
	t.Helper()
	c, line := tree.For(line, q)
	if c == nil {
		t.Fatalf("%q: no completer", line)
	}
	_, rest, _ := strings.Cut(line, " ")
	complete.Test(t, c, rest, want)
}

func TestQuotedCandidates(t *testing.T) {
	tree := quotingTree(t)
	flags := []string{"--all", "--name", "-h"}
	checkQuoted(t, tree, posix, "devenv stop ", append(flags, "devenv-q-a", ".", `\$\(touch\ x\)/`, `a\ b/`, `it\'s/`, "./-rf/", `\~x/`, `new$'\012'line/`, "home/")...)
	checkQuoted(t, tree, fish, "devenv stop ", append(flags, "devenv-q-a", ".", `\$\(touch\ x\)/`, `a\ b/`, `it\'s/`, "./-rf/", `\~x/`, "home/")...)
	// what was typed, quoted any way the shell allows, is read as its text
	for _, typed := range []string{`a\ `, `'a `, `"a b`} {
		checkQuoted(t, tree, posix, "devenv stop "+typed, `a\ b/`)
	}
	// bash inserts a candidate inside the quote the word opened
	checkQuoted(t, tree, bash, "devenv stop 'a", "a b/")
	checkQuoted(t, tree, bash, "devenv stop 'i", `it'\''s/`)
	checkQuoted(t, tree, bash, `devenv stop "$`, `\$(touch x)/`)
	checkQuoted(t, tree, bash, "devenv stop a", `a\ b/`)
	checkQuoted(t, tree, fish, `devenv stop 'it\'`, `it\'s/`)
	checkQuoted(t, tree, posix, `devenv stop \$`, `\$\(touch\ x\)/`)
	// a ~ typed bare stays bare; one typed quoted is a name
	checkQuoted(t, tree, posix, "devenv stop ~/s", `~/src\ dir/`)
	checkQuoted(t, tree, fish, "devenv stop ~/s", `~/src\ dir/`)
	checkQuoted(t, tree, posix, `devenv stop \~`, `\~x/`)
	// flag values too
	checkQuoted(t, tree, posix, "devenv stop --name ", "devenv-q-a")
	checkQuoted(t, tree, posix, "devenv new --force a", `a\ b/`)
}
