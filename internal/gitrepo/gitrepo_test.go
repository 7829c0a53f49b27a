package gitrepo

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// write creates the files of a tree under root: path → content.
func write(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// repo lays out, by hand, what git makes for a main checkout with a linked
// worktree "feat" and a submodule "sub".
func repo(t testing.TB) string {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write(t, root, map[string]string{
		"main/.git/HEAD":                     "ref: refs/heads/main\n",
		"main/.git/objects/.keep":            "",
		"main/.git/worktrees/feat/HEAD":      "ref: refs/heads/feat\n",
		"main/.git/worktrees/feat/commondir": "../..\n",
		"main/.git/worktrees/feat/gitdir":    root + "/feat/.git\n",
		"feat/.git":                          "gitdir: " + root + "/main/.git/worktrees/feat\n",
		"main/.git/modules/sub/HEAD":         "0123456789abcdef0123456789abcdef01234567\n",
		"main/.git/modules/sub/config":       "[core]\n\tbare = false\n\tworktree = ../../../sub\n",
		"main/sub/.git":                      "gitdir: ../.git/modules/sub\n",
	})
	return root
}

func TestOpen(t *testing.T) {
	root := repo(t)
	cases := []struct {
		dir    string
		want   Checkout
		branch string
	}{
		{"main", Checkout{Kind: Main, Dir: root + "/main", GitDir: root + "/main/.git", CommonDir: root + "/main/.git"}, "main"},
		{"feat", Checkout{Kind: Linked, Dir: root + "/feat", GitDir: root + "/main/.git/worktrees/feat", CommonDir: root + "/main/.git",
			GitDirPointer: root + "/main/.git/worktrees/feat", CommonDirPointer: "../..", BackLinkPointer: root + "/feat/.git"}, "feat"},
		{"main/sub", Checkout{Kind: Module, Dir: root + "/main/sub", GitDir: root + "/main/.git/modules/sub", CommonDir: root + "/main/.git/modules/sub",
			GitDirPointer: "../.git/modules/sub", WorktreePointer: "../../../sub"}, "detached@0123456"},
		{"main/.git/objects", Checkout{Kind: None, Dir: root + "/main/.git/objects"}, ""},
	}
	for _, tc := range cases {
		got, err := Open(filepath.Join(root, tc.dir))
		if err != nil {
			t.Fatalf("%s: %v", tc.dir, err)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.dir, got, tc.want)
		}
		if b := got.Branch(); b != tc.branch {
			t.Errorf("%s: branch %q, want %q", tc.dir, b, tc.branch)
		}
	}
}

// Every .git file that does not lead back to its own checkout is refused:
// an environment can write the .git files of its project, and must not get
// another directory of the host mounted that way.
func TestOpenRefusesWhatDoesNotLinkBack(t *testing.T) {
	root := repo(t)
	write(t, root, map[string]string{
		"elsewhere/HEAD":                       "ref: refs/heads/x\n",
		"secret/HEAD":                          "ref: refs/heads/s\n",
		"secret/config":                        "[core]\n\tbare = false\n",
		"fake/worktrees/w/HEAD":                "ref: refs/heads/w\n",
		"fake/worktrees/w/commondir":           "/" + "\n",
		"fake/worktrees/w/gitdir":              root + "/escape/.git\n",
		"escape/.git":                          "gitdir: " + root + "/fake/worktrees/w\n",
		"nowhere/.git":                         "gitdir: " + root + "/no/such/dir\n",
		"garbage/.git":                         "\x00\x01 hello\n",
		"empty/.git":                           "",
		"notgit/.git":                          "gitdir: " + root + "/elsewhere/..\n",
		"thief/.git":                           "gitdir: " + root + "/main/.git/worktrees/feat\n",
		"modthief/.git":                        "gitdir: " + root + "/secret\n",
		"other/.git":                           "gitdir: " + root + "/main/.git/modules/sub\n",
		"main/.git/worktrees/gone/HEAD":        "ref: refs/heads/gone\n",
		"main/.git/worktrees/gone/commondir":   "../..\n",
		"main/.git/worktrees/gone/gitdir":      root + "/gone-old/.git\n",
		"moved/.git":                           "gitdir: " + root + "/main/.git/worktrees/gone\n",
		"main/.git/worktrees/nolink/HEAD":      "ref: refs/heads/n\n",
		"main/.git/worktrees/nolink/commondir": "../..\n",
		"nolink/.git":                          "gitdir: " + root + "/main/.git/worktrees/nolink\n",
	})
	for _, dir := range []string{"escape", "nowhere", "garbage", "empty", "notgit", "thief", "modthief", "other", "moved", "nolink"} {
		c, err := Open(filepath.Join(root, dir))
		var broken *BrokenError
		if !errors.As(err, &broken) {
			t.Errorf("%s: got %+v, %v; want a BrokenError", dir, c, err)
			continue
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\n\x00") || !strings.HasPrefix(msg, root+"/"+dir+"/.git ") {
			t.Errorf("%s: message %q", dir, msg)
		}
	}
}

func TestBranchOf(t *testing.T) {
	for head, want := range map[string]string{
		"ref: refs/heads/main":                                             "main",
		"ref: refs/heads/feature/x":                                        "feature/x",
		"ref: refs/remotes/origin/main":                                    "refs/remotes/origin/main",
		"0123456789abcdef0123456789abcdef01234567":                         "detached@0123456",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": "detached@0123456",
		"ref: refs/heads/\x1b[31mred":                                      "",
		"ref: refs/heads/a b":                                              "",
		"ref: ":                                                            "",
		"0123":                                                             "",
		"0123456789ABCDEF0123456789ABCDEF01234567":                         "",
		"": "",
	} {
		if got := branchOf(head); got != want {
			t.Errorf("branchOf(%q) = %q, want %q", head, got, want)
		}
	}
}

// TestOpenRealGit checks the layout assumptions against what the host's
// git really writes.
func TestOpenRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	root, _ := filepath.EvalSymlinks(t.TempDir())
	gitIn := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+root, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_ALLOW_PROTOCOL=file")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	gitIn(root, "init", "-q", "-b", "trunk", "lib")
	gitIn(root+"/lib", "commit", "-q", "--allow-empty", "-m", "lib")
	gitIn(root, "init", "-q", "-b", "trunk", "app")
	gitIn(root+"/app", "commit", "-q", "--allow-empty", "-m", "one")
	gitIn(root+"/app", "worktree", "add", "-q", "-b", "topic/x", "../app-topic-x")
	gitIn(root+"/app", "-c", "protocol.file.allow=always", "submodule", "add", "-q", root+"/lib", "vendor/lib")
	for dir, want := range map[string]struct {
		kind   Kind
		branch string
	}{
		"app":            {Main, "trunk"},
		"app-topic-x":    {Linked, "topic/x"},
		"app/vendor/lib": {Module, "trunk"}, // a fresh submodule add checks out the branch
	} {
		c, err := Open(filepath.Join(root, dir))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if c.Kind != want.kind || !strings.HasPrefix(c.Branch(), want.branch) || c.CommonDir == "" {
			t.Errorf("%s: %+v, branch %q; want kind %d, branch %s…", dir, c, c.Branch(), want.kind, want.branch)
		}
	}
}

// FuzzOpen: whatever a project's .git file and the files it points at
// hold, Open never panics, and anything it accepts links back to the
// checkout and keeps its common directory above its git directory.
func FuzzOpen(f *testing.F) {
	f.Add("gitdir: ../g\n", "../..", "../../../w/.git", "ref: refs/heads/x")
	f.Add("gitdir: /\n", "/", "/", "ref: ")
	f.Add("gitdir: ../g/worktrees/w", "..\x00/..", "../../../w/.git\n\n", "ref: refs/heads/\x1b]0;x\x07")
	f.Add("gitdir:", "", "", "")
	f.Add("gitdir: ../g/worktrees/w\r\n", " ../.. ", "../../../w/.git", "deadbeef")
	f.Fuzz(func(t *testing.T, dotGit, commondir, backLink, head string) {
		root, _ := filepath.EvalSymlinks(t.TempDir())
		write(t, root, map[string]string{
			"g/HEAD":                  "ref: refs/heads/main\n",
			"g/worktrees/w/HEAD":      head,
			"g/worktrees/w/commondir": commondir,
			"g/worktrees/w/gitdir":    backLink,
			"w/.git":                  dotGit,
		})
		c, err := Open(root + "/w")
		if err != nil {
			return
		}
		branch := c.Branch()
		for _, r := range branch {
			if !unicode.IsPrint(r) || unicode.IsSpace(r) {
				t.Fatalf("branch %q", branch)
			}
		}
		switch c.Kind {
		case Linked:
			if !sameFile(resolvePath(c.GitDir, c.BackLinkPointer), root+"/w/.git") {
				t.Fatalf("accepted %+v without a link back", c)
			}
			if filepath.Dir(c.GitDir) != filepath.Join(c.CommonDir, "worktrees") {
				t.Fatalf("accepted %+v with a common dir elsewhere", c)
			}
		case Module:
			if !sameFile(resolvePath(c.GitDir, c.WorktreePointer), root+"/w") {
				t.Fatalf("accepted %+v without core.worktree here", c)
			}
		}
	})
}
