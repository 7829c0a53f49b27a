// Package worktree is the git side of `devenv worktree`: it asks the
// host's git about a repository's worktrees and branches, and adds and
// removes worktrees, always through git itself so that what it does is what
// git would do.
package worktree

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// gitTimeout bounds every git command: they are all local and quick.
const gitTimeout = 30 * time.Second

// Repo is a repository, found from any directory inside it or inside one of
// its worktrees.
type Repo struct {
	Main string // the main checkout's path, as git reports it
	Here string // the directory it was found from: where HEAD and @{-1} mean something
}

// Worktree is one entry of `git worktree list`.
type Worktree struct {
	Path     string
	Branch   string // short name; "" when detached
	Head     string // the commit checked out
	Main     bool   // the repository's main checkout
	Bare     bool
	Prunable bool // its directory is gone
}

// Label is the branch, or detached@<short sha> when there is none.
func (w Worktree) Label() string {
	if w.Branch != "" {
		return w.Branch
	}
	if len(w.Head) >= 7 {
		return "detached@" + w.Head[:7]
	}
	return "detached"
}

// NotInRepoError: the directory is in no git repository.
type NotInRepoError struct{ Dir string }

func (e *NotInRepoError) Error() string {
	return fmt.Sprintf("%s is not in a git repository: run devenv worktree inside a repository or one of its worktrees", e.Dir)
}

// GitError is a git command that failed, with what git said.
type GitError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *GitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), strings.ReplaceAll(msg, "\n", "; "))
}

func (e *GitError) Unwrap() error { return e.Err }

// Find returns the repository that dir is in.
func Find(ctx context.Context, dir string) (Repo, error) {
	r := Repo{Here: dir}
	list, err := r.list(ctx, dir)
	if err != nil {
		var ge *GitError
		if errors.As(err, &ge) && strings.Contains(ge.Stderr, "not a git repository") {
			return Repo{}, &NotInRepoError{Dir: dir}
		}
		return Repo{}, err
	}
	if len(list) == 0 || !list[0].Main {
		return Repo{}, fmt.Errorf("git worktree list in %s named no main checkout", dir)
	}
	r.Main = list[0].Path
	return r, nil
}

// List returns the repository's worktrees, the main checkout first.
func (r Repo) List(ctx context.Context) ([]Worktree, error) { return r.list(ctx, r.Main) }

func (r Repo) list(ctx context.Context, dir string) ([]Worktree, error) {
	out, err := r.git(ctx, dir, "worktree", "list", "--porcelain", "-z")
	if err != nil {
		return nil, err
	}
	return parseList(out), nil
}

// parseList reads `git worktree list --porcelain -z`: NUL-terminated
// attribute lines, records ended by an empty one.
func parseList(out string) []Worktree {
	var list []Worktree
	var cur *Worktree
	for _, field := range strings.Split(out, "\x00") {
		key, value, _ := strings.Cut(field, " ")
		switch key {
		case "":
			cur = nil
		case "worktree":
			list = append(list, Worktree{Path: value, Main: len(list) == 0})
			cur = &list[len(list)-1]
		}
		if cur == nil {
			continue
		}
		switch key {
		case "HEAD":
			cur.Head = value
		case "branch":
			cur.Branch = strings.TrimPrefix(value, "refs/heads/")
		case "bare":
			cur.Bare = true
		case "prunable":
			cur.Prunable = true
		}
	}
	return list
}

// CheckBranchName returns the branch a name means (git expands @{-1}), or
// an error when git would refuse it as a branch name.
func (r Repo) CheckBranchName(ctx context.Context, name string) (string, error) {
	out, err := r.git(ctx, r.Here, "check-ref-format", "--branch", name)
	if err != nil {
		return "", fmt.Errorf("invalid branch name %q: see `git help check-ref-format` for what a branch may be called", name)
	}
	return strings.TrimSpace(out), nil
}

// BranchExists reports whether refs/heads/name exists.
func (r Repo) BranchExists(ctx context.Context, name string) (bool, error) {
	_, err := r.git(ctx, r.Main, "show-ref", "--verify", "--quiet", "refs/heads/"+name)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return false, nil
	}
	return err == nil, err
}

// ErrNoCommit: a ref that names no commit.
var ErrNoCommit = errors.New("names no commit")

// Commit resolves ref (HEAD is the worktree's it was found from) to a commit.
func (r Repo) Commit(ctx context.Context, ref string) (string, error) {
	out, err := r.git(ctx, r.Here, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%s %w", ref, ErrNoCommit)
	}
	return strings.TrimSpace(out), nil
}

// Branches are the repository's local branch names.
func (r Repo) Branches(ctx context.Context) ([]string, error) {
	out, err := r.git(ctx, r.Main, "for-each-ref", "--format=%(refname:short)", "refs/heads/")
	if err != nil {
		return nil, err
	}
	return strings.Fields(out), nil
}

// Add adds a worktree at path for branch; with base it first creates the
// branch there.
func (r Repo) Add(ctx context.Context, path, branch, base string) error {
	args := []string{"worktree", "add", "--quiet"}
	if base != "" {
		args = append(args, "-b", branch, "--", path, base)
	} else {
		args = append(args, "--", path, branch)
	}
	_, err := r.git(ctx, r.Main, args...)
	return err
}

// Dirty reports whether the worktree at path has uncommitted changes or
// untracked files (ignored ones do not count).
func (r Repo) Dirty(ctx context.Context, path string) (bool, error) {
	out, err := r.git(ctx, path, "status", "--porcelain", "--untracked-files=normal")
	return strings.TrimSpace(out) != "", err
}

// Remove removes the worktree at path; force also drops its changes.
func (r Repo) Remove(ctx context.Context, path string, force bool) error {
	args := []string{"worktree", "remove"}
	if force {
		args = append(args, "--force")
	}
	_, err := r.git(ctx, r.Main, append(args, "--", path)...)
	return err
}

// DefaultPath is where `devenv worktree add` puts a branch's worktree: a
// sibling of the main checkout, <repo>-<branch>, with / written -.
func (r Repo) DefaultPath(branch string) string {
	return filepath.Join(filepath.Dir(r.Main), filepath.Base(r.Main)+"-"+strings.ReplaceAll(branch, "/", "-"))
}

// noRepoCode is git configuration for devenv's own git commands: environments
// can write the repository's hooks and config, so what devenv runs on the
// host runs neither hooks nor an fsmonitor they may have set.
var noRepoCode = []string{"-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"}

func (r Repo) git(ctx context.Context, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append(slices.Clone(noRepoCode), args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("devenv worktree needs git on the host, and there is none on PATH: install git: %w", err)
		}
		return stdout.String(), &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return stdout.String(), nil
}
