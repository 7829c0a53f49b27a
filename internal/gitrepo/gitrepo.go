// Package gitrepo reads what a checkout's git files say, in Go and without
// running git: whether a directory is a repository's main checkout, a linked
// worktree (`.git` is a `gitdir:` file into <common>/worktrees/<id>) or a
// submodule checkout (`.git` points into the superproject's .git/modules),
// where its git directories are, and which branch it is on.
//
// Everything it reads is untrusted: a project's files, and its .git file
// above all, may have been written by whatever ran in its environment. So a
// git directory outside the checkout counts as the checkout's only when it
// links back to it (a worktree's gitdir file, a submodule's core.worktree),
// the way git's own `git worktree repair` checks.
package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Kind is what sort of checkout a directory is.
type Kind int

const (
	None   Kind = iota // no .git: not a git checkout
	Main               // .git is the repository's own directory
	Linked             // a linked worktree: .git names <common>/worktrees/<id>
	Module             // a submodule checkout: .git names a repository of its own
)

// Checkout is what a directory's git files say. Paths named *Pointer are as
// written in those files (git inside an environment reads them as they are);
// the others are resolved host paths, absolute and symlink-free.
type Checkout struct {
	Kind Kind
	Dir  string // the checkout, symlink-free

	GitDir    string // the checkout's git directory
	CommonDir string // where objects and refs live; GitDir unless Linked

	GitDirPointer    string // the .git file's gitdir: value (Linked, Module)
	CommonDirPointer string // the commondir file's value (Linked)
	BackLinkPointer  string // <gitdir>/gitdir: the worktree's .git file (Linked)
	WorktreePointer  string // core.worktree of the submodule's repository (Module)
}

// BrokenError says that a .git file is there but does not lead to a git
// directory that belongs to this checkout.
type BrokenError struct {
	Dir    string
	Reason string
	Fix    string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("%s/.git %s: %s", e.Dir, e.Reason, e.Fix)
}

// maxFile bounds what is read from any git file: the ones read here are a
// line long, and a hostile one must not make devenv read gigabytes.
const maxFile = 64 << 10

// Open reads the git files of the checkout at dir (absolute). A directory
// without .git is Kind None and no error; a .git file that points nowhere,
// or to a git directory that does not link back, is a *BrokenError.
func Open(dir string) (Checkout, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return Checkout{}, fmt.Errorf("resolve %s: %w", dir, err)
	}
	dotGit := filepath.Join(real, ".git")
	info, err := os.Stat(dotGit) // a symlinked .git counts as what it leads to, as for git
	switch {
	case errors.Is(err, os.ErrNotExist):
		return Checkout{Kind: None, Dir: real}, nil
	case err != nil:
		return Checkout{}, fmt.Errorf("read %s: %w", dotGit, err)
	case info.IsDir():
		gitDir, err := filepath.EvalSymlinks(dotGit)
		if err != nil {
			return Checkout{}, fmt.Errorf("resolve %s: %w", dotGit, err)
		}
		return Checkout{Kind: Main, Dir: real, GitDir: gitDir, CommonDir: gitDir}, nil
	case !info.Mode().IsRegular():
		return Checkout{}, &BrokenError{Dir: real, Reason: "is neither a directory nor a file", Fix: "remove it or make it a gitdir: file"}
	}
	content, err := readLine(dotGit)
	if err != nil {
		return Checkout{}, err
	}
	pointer, ok := strings.CutPrefix(content, "gitdir: ")
	if !ok || pointer == "" {
		return Checkout{}, &BrokenError{Dir: real, Reason: "is not a gitdir: file", Fix: "remove it, or write `gitdir: <path>` in it"}
	}
	c := Checkout{Dir: real, GitDirPointer: pointer}
	gitDir, err := resolveDir(real, pointer)
	if err != nil {
		return Checkout{}, &BrokenError{Dir: real, Reason: fmt.Sprintf("points to %s, which does not exist", pointer),
			Fix: "if the repository moved, run `git worktree repair` in its main checkout"}
	}
	c.GitDir = gitDir
	if !isFile(filepath.Join(gitDir, "HEAD")) {
		return Checkout{}, &BrokenError{Dir: real, Reason: fmt.Sprintf("points to %s, which is no git directory", pointer), Fix: "point it at the repository's git directory"}
	}
	commonPointer, err := readLine(filepath.Join(gitDir, "commondir"))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return openModule(c)
	case err != nil:
		return Checkout{}, err
	}
	return openLinked(c, commonPointer)
}

// openLinked checks a linked worktree: its git directory is
// <common>/worktrees/<id> and links back to this checkout's .git file.
func openLinked(c Checkout, commonPointer string) (Checkout, error) {
	c.Kind, c.CommonDirPointer = Linked, commonPointer
	common, err := resolveDir(c.GitDir, commonPointer)
	if err != nil || filepath.Dir(c.GitDir) != filepath.Join(common, "worktrees") || !isFile(filepath.Join(common, "HEAD")) {
		return Checkout{}, &BrokenError{Dir: c.Dir, Reason: fmt.Sprintf("points to %s, whose commondir is not the repository that holds it", c.GitDirPointer), Fix: "recreate the worktree with `git worktree add`"}
	}
	c.CommonDir = common
	backLink, err := readLine(filepath.Join(c.GitDir, "gitdir"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Checkout{}, err
	}
	c.BackLinkPointer = backLink
	if backLink == "" || !sameFile(resolvePath(c.GitDir, backLink), filepath.Join(c.Dir, ".git")) {
		return Checkout{}, &BrokenError{Dir: c.Dir, Reason: fmt.Sprintf("points to %s, which belongs to another worktree or lost track of this one", c.GitDirPointer),
			Fix: "if this worktree moved, run `git worktree repair` in it"}
	}
	return c, nil
}

// openModule checks a submodule checkout: its repository's core.worktree
// is this checkout.
func openModule(c Checkout) (Checkout, error) {
	c.Kind, c.CommonDir = Module, c.GitDir
	worktree, err := coreWorktree(filepath.Join(c.GitDir, "config"))
	if err != nil {
		return Checkout{}, err
	}
	c.WorktreePointer = worktree
	if worktree == "" || !sameFile(resolvePath(c.GitDir, worktree), c.Dir) {
		return Checkout{}, &BrokenError{Dir: c.Dir, Reason: fmt.Sprintf("points to %s, whose core.worktree is not this directory", c.GitDirPointer),
			Fix: "run `git submodule absorbgitdirs` in the superproject"}
	}
	return c, nil
}

// readLine reads a one-line git file, without its trailing whitespace, as
// git does.
func readLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", nil
	}
	return strings.TrimRight(string(data), " \t\r\n"), nil
}

// resolvePath reads a path from a git file the way git does: relative to
// the directory the file is about.
func resolvePath(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// resolveDir resolves p against base to an existing directory, symlink-free.
func resolveDir(base, p string) (string, error) {
	real, err := filepath.EvalSymlinks(resolvePath(base, p))
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(real); err != nil || !info.IsDir() {
		return "", fmt.Errorf("%s is not a directory", real)
	}
	return real, nil
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

func sameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}

// coreWorktree reads core.worktree from a repository's config file: enough
// of git's config syntax for the line git submodule writes, and nothing that
// a hostile file could turn into more.
func coreWorktree(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	var section, value string
	scanner := bufio.NewScanner(io.LimitReader(f, maxFile))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.ToLower(strings.TrimSpace(strings.Trim(line, "[]")))
			continue
		}
		key, v, ok := strings.Cut(line, "=")
		if ok && section == "core" && strings.EqualFold(strings.TrimSpace(key), "worktree") {
			value = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return value, nil
}
