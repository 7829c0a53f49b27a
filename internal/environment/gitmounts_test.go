package environment

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"devenv/internal/engine"
)

// gitTree makes, with the host's git, a main checkout "app" with a linked
// worktree "app-topic" and submodules at "lib" and "vendor/deep" and
// "usr/sys".
func gitTree(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	root, _ := filepath.EvalSymlinks(t.TempDir())
	run := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "protocol.file.allow=always"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+root, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run(root, "init", "-q", "-b", "main", "libsrc")
	run(root+"/libsrc", "commit", "-q", "--allow-empty", "-m", "lib")
	run(root, "init", "-q", "-b", "main", "app")
	run(root+"/app", "commit", "-q", "--allow-empty", "-m", "one")
	run(root+"/app", "worktree", "add", "-q", "-b", "topic", "../app-topic")
	for _, p := range []string{"lib", "vendor/deep", "usr/sys"} {
		run(root+"/app", "submodule", "add", "-q", root+"/libsrc", p)
	}
	return root
}

func mountLines(mounts []engine.Mount, root string) string {
	var b strings.Builder
	for _, m := range mounts {
		mode := "rw"
		if m.ReadOnly {
			mode = "ro"
		}
		fmt.Fprintf(&b, "%s <- %s %s\n", m.Target, m.Source, mode)
	}
	return strings.ReplaceAll(b.String(), root, "$ROOT")
}

func TestGitInside(t *testing.T) {
	root := gitTree(t)
	if err := os.MkdirAll(root+"/plain", 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		dir, workspace, mounts, warning string
	}{
		{"plain", "/workspaces/plain", "", ""},
		// a main checkout without worktrees gets the directory, so
		// worktrees added while it runs are covered
		{"libsrc", "/workspaces/libsrc", "/workspaces/libsrc/.git/worktrees <- $ROOT/libsrc/.git/worktrees ro\n", ""},
		{"app", "/workspaces/app", "/workspaces/app/.git/worktrees <- $ROOT/app/.git/worktrees ro\n", ""},
		{"app-topic", "/workspaces/app-topic", "" +
			"$ROOT/app/.git <- $ROOT/app/.git rw\n" +
			"$ROOT/app/.git/worktrees <- $ROOT/app/.git/worktrees ro\n" +
			"$ROOT/app/.git/worktrees/app-topic <- $ROOT/app/.git/worktrees/app-topic rw\n" +
			"$ROOT/app-topic/.git <- $ROOT/app-topic/.git ro\n", ""},
		{"app/lib", "/workspaces/lib", "/workspaces/.git/modules/lib <- $ROOT/app/.git/modules/lib rw\n", ""},
		{"app/vendor/deep", "/workspaces/deep", "" +
			"/vendor/deep <- $ROOT/app/vendor/deep rw\n" +
			"/.git/modules/vendor/deep <- $ROOT/app/.git/modules/vendor/deep rw\n", ""},
		{"app/usr/sys", "/workspaces/sys", "", "which is the system's"},
	}
	for _, tc := range cases {
		var warnings bytes.Buffer
		mounts, env := gitInside(filepath.Join(root, tc.dir), tc.workspace, &warnings)
		if got := mountLines(mounts, root); got != tc.mounts {
			t.Errorf("%s: mounts\n%s\nwant\n%s", tc.dir, got, tc.mounts)
		}
		if tc.warning == "" && warnings.Len() > 0 || !strings.Contains(warnings.String(), tc.warning) {
			t.Errorf("%s: warnings %q, want %q", tc.dir, warnings.String(), tc.warning)
		}
		if strings.Count(warnings.String(), "\n") > 1 {
			t.Errorf("%s: more than one line of warning: %q", tc.dir, warnings.String())
		}
		if wantEnv := tc.dir != "plain" && tc.warning == ""; wantEnv != (len(env) > 0) {
			t.Errorf("%s: env %q", tc.dir, env)
		}
	}
}

// A git directory mounted under /workspaces is never taken for the
// project's workspace.
func TestWorkspaceIsTheProjectMount(t *testing.T) {
	c := engine.Container{Mounts: []engine.Mount{
		{Source: "/src/app/.git/modules/lib", Target: "/workspaces/.git/modules/lib"},
		{Source: "/src/app/.git/worktrees", Target: "/workspaces/app/.git/worktrees", ReadOnly: true},
		{Source: "/src/app/lib", Target: "/workspaces/lib"},
	}}
	src, dst, ok := workspaceOf(c)
	if !ok || src != "/src/app/lib" || dst != "/workspaces/lib" {
		t.Fatalf("workspaceOf = %q, %q, %t", src, dst, ok)
	}
}
