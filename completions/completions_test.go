package completions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posener/complete/v2"

	"devenv/internal/project"
)

// apps stand in for the applet table: flags shaped like the real ones.
var (
	startFlags = []AppFlag{{"port", AnyWord()}, {"name", AnyWord()}}
	apps       = []App{
		{Name: project.Program, Flags: startFlags},
		{Name: "exec", Flags: startFlags},
		{Name: "ssh", Flags: startFlags},
		{Name: "list", Flags: []AppFlag{{"format", OneOf("table", "json")}, {"q", Values{}}}},
		{Name: "stop", Flags: []AppFlag{{"all", Values{}}, {"name", Environments()}}},
		{Name: "build", Flags: []AppFlag{
			{"stage", OneOf("base", "devenv")},
			{"tool", Tools()},
			{"tools", ToolList()},
			{"no-cache", Values{}},
			{"v", Values{}},
		}},
		{Name: "new", Flags: []AppFlag{{"template", Templates()}, {"force", Values{}}}},
		{Name: "init", Flags: []AppFlag{{"prompt", Values{}}}},
		{Name: "help"},
	}
)

var commands = []string{"exec", "ssh", "list", "stop", "build", "new", "init", "help"}

func testTree(t *testing.T) *Tree {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"cmpl/alpha", "cmpl/beta", ".hidden"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return New(apps, Sources{
		Environments: func() []string { return []string{"devenv-cmpl-alpha", "devenv-cmpl-beta"} },
		Tools:        func() []string { return []string{"go", "jq", "node", "nvim"} },
		Templates:    func() []string { return []string{"project", "go"} },
	})
}

// check completes line, which starts with the program's name, and compares
// the candidates with want, in any order.
func check(t *testing.T, tree *Tree, line string, want ...string) {
	t.Helper()
	c, _ := tree.For(line, Quoting{})
	if c == nil {
		t.Fatalf("%q: no completer", line)
	}
	_, rest, _ := strings.Cut(line, " ")
	complete.Test(t, c, rest, want)
}

func TestDevenv(t *testing.T) {
	tree := testTree(t)
	check(t, tree, "devenv ", append([]string{"--port", "--name", "-h", "cmpl/"}, commands...)...)
	check(t, tree, "devenv st", "stop")
	check(t, tree, "devenv cm", "cmpl/alpha/", "cmpl/beta/", "cmpl/")
	check(t, tree, "devenv .h", ".hidden/")
	check(t, tree, "devenv -", "--port", "--name", "-h")
	check(t, tree, "devenv --port 8022 ", "--port", "--name", "-h", "cmpl/")
	check(t, tree, "devenv help ", append([]string{"-h"}, commands...)...)
}

func TestTargets(t *testing.T) {
	tree := testTree(t)
	targets := []string{"devenv-cmpl-alpha", "devenv-cmpl-beta", ".", "cmpl/"}
	check(t, tree, "devenv stop ", append([]string{"--all", "--name", "-h"}, targets...)...)
	check(t, tree, "devenv-stop ", append([]string{"--all", "--name", "-h"}, targets...)...)
	check(t, tree, "/usr/local/bin/devenv-stop devenv-cmpl-alpha ", append([]string{"--all", "--name", "-h"}, targets...)...)
	check(t, tree, "devenv stop devenv-cmpl-a", "devenv-cmpl-alpha")
	check(t, tree, "devenv stop --", "--all", "--name", "--help")
	check(t, tree, "devenv stop --name ", "devenv-cmpl-alpha", "devenv-cmpl-beta")
	check(t, tree, "devenv exec ", append([]string{"--port", "--name", "-h"}, targets...)...)
	check(t, tree, "devenv-exec --name x ", append([]string{"--port", "--name", "-h"}, targets...)...)
	check(t, tree, "devenv-ssh ", append([]string{"--port", "--name", "-h"}, targets...)...)
	check(t, tree, "devenv ssh devenv-cmpl-beta ", "--port", "--name", "-h", "--")
	for _, line := range []string{"devenv exec . -- ", "devenv-ssh x -- ls ", "devenv"} {
		if c, _ := tree.For(line, Quoting{}); c != nil {
			t.Errorf("%q: want no completion after --, got a completer", line)
		}
	}
}

func TestValues(t *testing.T) {
	tree := testTree(t)
	check(t, tree, "devenv list -", "--format", "-q", "-h")
	check(t, tree, "devenv list --format ", "table", "json")
	check(t, tree, "devenv list --format=j", "json")
	check(t, tree, "devenv build --stage ", "base", "devenv")
	check(t, tree, "devenv build --tool ", "go", "jq", "node", "nvim")
	check(t, tree, "devenv build --tool=n", "node", "nvim")
	check(t, tree, "devenv build --tools go,", "go,jq", "go,node", "go,nvim")
	check(t, tree, "devenv build --", "--stage", "--tool", "--tools", "--no-cache", "--help")
	check(t, tree, "devenv new --template ", "project", "go")
	check(t, tree, "devenv new --force c", "cmpl/alpha/", "cmpl/beta/", "cmpl/")
	check(t, tree, "devenv init ", "--prompt", "-h", "bash", "zsh", "fish")
}

func TestWorktree(t *testing.T) {
	tree := New(append(apps, App{Name: "worktree", Flags: []AppFlag{
		{"base", Branches()}, {"path", Directories()}, {"format", OneOf("table", "json")}, {"force", Values{}},
	}}), Sources{
		Branches: func() []string { return []string{"main", "feature/x"} },
	})
	flags := []string{"--base", "--force", "--format", "--path", "-h"}
	check(t, tree, "devenv worktree ", append([]string{"add", "ls", "rm"}, flags...)...)
	check(t, tree, "devenv worktree add ", append([]string{"main", "feature/x"}, flags...)...)
	check(t, tree, "devenv worktree rm f", "feature/x")
	check(t, tree, "devenv worktree add x --base ", "main", "feature/x")
	check(t, tree, "devenv-worktree ls --format ", "table", "json")
}
