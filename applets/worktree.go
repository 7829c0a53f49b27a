package applets

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"devenv/completions"
	"devenv/internal/environment"
	"devenv/internal/project"
	"devenv/internal/worktree"
)

var worktreeApplet = applet{
	name:    "worktree",
	summary: "one git worktree per branch, each with its own environment",
	usage: `Usage: devenv worktree add BRANCH [--base REF] [--path DIR] [-- CMD [ARG...]]
       devenv worktree ls [--format table|json]
       devenv worktree rm BRANCH|PATH [--force]

Run several agents on one repository, each in its own worktree and its own
environment (named after the worktree's directory, as for any project). Run
it anywhere inside the repository or one of its worktrees; the git part is
done by the host's git.

  add  creates BRANCH from REF (default: HEAD, where you stand) unless it
       exists, adds a worktree for it at DIR (default: a sibling of the
       main checkout named <repo>-<branch>, with / in the branch written
       -), starts its environment and opens a shell in it, or runs CMD
       headless as 'devenv exec' does.
  ls   lists the repository's worktrees: branch, path, environment, status.
  rm   stops the worktree's environment and removes the worktree. It
       refuses while the worktree has uncommitted or untracked files,
       unless --force. The branch is kept.
`,
	flags: declare[worktreeFlags],
	run:   runWorktree,
}

// worktreeFlags are the flags of every subcommand; each takes its own.
type worktreeFlags struct {
	base, path, format string
	force              bool
}

func (f *worktreeFlags) declare(s *flagSet) {
	f.format = "table"
	s.String(&f.base, "base", "REF", "add: where a new branch starts (default: HEAD, where you stand)", completions.Branches())
	s.String(&f.path, "path", "DIR", "add: where the worktree goes", completions.Directories())
	s.String(&f.format, "format", "F", "ls: table (default) or json", completions.OneOf("table", "json"))
	s.Bool(&f.force, "force", "rm: remove it even with uncommitted or untracked files")
}

func runWorktree(ctx context.Context, c *call) error {
	if len(c.args) == 0 {
		return usageErrorf("want a subcommand: add, ls or rm")
	}
	sub, args := c.args[0], c.args[1:]
	switch sub {
	case "add":
		return worktreeAdd(ctx, c, args)
	case "ls":
		return worktreeLs(ctx, c, args)
	case "rm":
		return worktreeRm(ctx, c, args)
	case "-h", "-help", "--help":
		var f worktreeFlags
		return c.parseFlags(c.flags(&f), c.args)
	}
	return usageErrorf("unknown subcommand %q: want add, ls or rm", sub)
}

func worktreeAdd(ctx context.Context, c *call, args []string) error {
	args, cmd := splitAtDashes(args)
	var f worktreeFlags
	fs := c.flagsFor(&f, "base", "path")
	pos, err := parseInterleaved(c, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usageErrorf("add needs the BRANCH to work on")
	case len(pos) > 1:
		return usageErrorf("unexpected argument %q: give CMD after --", pos[1])
	case cmd != nil && len(cmd) == 0:
		return usageErrorf("no command given after --")
	}
	repo, err := findRepo(ctx)
	if err != nil {
		return err
	}
	branch, err := repo.CheckBranchName(ctx, pos[0])
	if err != nil {
		return err
	}
	list, err := repo.List(ctx)
	if err != nil {
		return err
	}
	for _, w := range list {
		if w.Branch == branch {
			return fmt.Errorf("branch %s is checked out in the worktree %s already: work there (devenv %s), or pick another branch", branch, w.Path, w.Path)
		}
	}
	exists, err := repo.BranchExists(ctx, branch)
	if err != nil {
		return err
	}
	from := ""
	switch {
	case exists && f.base != "":
		return fmt.Errorf("branch %s exists already, and --base is only for a new branch: leave --base out", branch)
	case exists: // checked out as it is
	case f.base != "":
		if from, err = repo.Commit(ctx, f.base); err != nil {
			return fmt.Errorf("--base %s names no commit of this repository: give a branch, tag or commit", f.base)
		}
	default:
		if from, err = repo.Commit(ctx, "HEAD"); err != nil {
			return fmt.Errorf("HEAD names no commit yet, so %s has nothing to start from: commit first, or give --base REF", branch)
		}
	}
	path := repo.DefaultPath(branch)
	if f.path != "" {
		if path, err = filepath.Abs(f.path); err != nil {
			return err
		}
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists: pick another place with --path DIR", path)
	}
	if err := repo.Add(ctx, path, branch, from); err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Err, "%s: worktree %s on branch %s\n", c.prog, path, branch)
	eng, t, err := c.openTarget(ctx, path, startFlags{})
	if err != nil {
		return err
	}
	defer eng.Close()
	tty, session := cmd == nil, cmd
	if tty {
		session = environment.LoginShell
	}
	code, err := environment.Session(ctx, eng, t, session, tty, c.env, c.stdio)
	if err != nil {
		return err
	}
	return exitStatus(code)
}

// worktreeEntry is one worktree in `devenv worktree ls --format json`.
type worktreeEntry struct {
	Branch      string `json:"branch"`
	Path        string `json:"path"`
	Environment string `json:"environment"`
	Status      string `json:"status"` // running, stopped, or missing: the directory is gone
}

func worktreeLs(ctx context.Context, c *call, args []string) error {
	var f worktreeFlags
	fs := c.flagsFor(&f, "format")
	pos, err := parseInterleaved(c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("unexpected argument %q", pos[0])
	}
	if f.format != "table" && f.format != "json" {
		return usageErrorf("unknown format %q: use table or json", f.format)
	}
	repo, err := findRepo(ctx)
	if err != nil {
		return err
	}
	list, err := repo.List(ctx)
	if err != nil {
		return err
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	running, err := eng.List(ctx)
	if err != nil {
		return err
	}
	byPath := map[string]string{}
	for _, ct := range running {
		if p, ok := environment.WorkspacePath(ct); ok {
			byPath[p] = ct.Name
		}
	}
	entries := []worktreeEntry{}
	for _, w := range list {
		if w.Bare {
			continue
		}
		e := worktreeEntry{Branch: w.Label(), Path: w.Path, Environment: project.Identify(w.Path).Name, Status: "stopped"}
		if real, err := filepath.EvalSymlinks(w.Path); err != nil {
			e.Status = "missing"
		} else if name, ok := byPath[real]; ok {
			e.Environment, e.Status = name, "running"
		}
		entries = append(entries, e)
	}
	if f.format == "json" {
		enc := json.NewEncoder(c.stdio.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	tw := tabwriter.NewWriter(c.stdio.Out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "BRANCH\tPATH\tENVIRONMENT\tSTATUS")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Branch, e.Path, e.Environment, e.Status)
	}
	return tw.Flush()
}

func worktreeRm(ctx context.Context, c *call, args []string) error {
	var f worktreeFlags
	fs := c.flagsFor(&f, "force")
	pos, err := parseInterleaved(c, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usageErrorf("rm needs the BRANCH or PATH of the worktree to remove")
	case len(pos) > 1:
		return usageErrorf("unexpected argument %q", pos[1])
	}
	repo, err := findRepo(ctx)
	if err != nil {
		return err
	}
	list, err := repo.List(ctx)
	if err != nil {
		return err
	}
	w, err := pickWorktree(list, pos[0])
	if err != nil {
		return err
	}
	if w.Main {
		return fmt.Errorf("%s is the repository's main checkout: devenv worktree rm removes linked worktrees only", w.Path)
	}
	if !f.force && !w.Prunable {
		dirty, err := repo.Dirty(ctx, w.Path)
		if err != nil {
			return err
		}
		if dirty {
			return fmt.Errorf("worktree %s has uncommitted or untracked files: commit or stash them, or remove it anyway with --force", w.Path)
		}
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	if !w.Prunable {
		r, err := environment.StopTarget(ctx, eng, w.Path, "")
		if err != nil {
			return err
		}
		result, err := environment.Stop(ctx, eng, r)
		if err != nil {
			return err
		}
		if result.State != "" {
			fmt.Fprintf(c.stdio.Err, "%s: stopped %s\n", c.prog, result.Name)
		}
	}
	if err := repo.Remove(ctx, w.Path, f.force); err != nil {
		return err
	}
	kept := ""
	if w.Branch != "" {
		kept = "; branch " + w.Branch + " is kept"
	}
	fmt.Fprintf(c.stdio.Err, "%s: removed worktree %s%s\n", c.prog, w.Path, kept)
	return nil
}

// pickWorktree finds the worktree an rm argument means: a branch checked
// out in one, else a worktree's directory.
func pickWorktree(list []worktree.Worktree, arg string) (worktree.Worktree, error) {
	for _, w := range list {
		if w.Branch == arg {
			return w, nil
		}
	}
	if abs, err := filepath.Abs(arg); err == nil {
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			real = abs
		}
		for _, w := range list {
			if w.Path == real || w.Path == abs {
				return w, nil
			}
		}
	}
	return worktree.Worktree{}, fmt.Errorf("no worktree of this repository has the branch or path %q: see devenv worktree ls", arg)
}

func findRepo(ctx context.Context) (worktree.Repo, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return worktree.Repo{}, err
	}
	return worktree.Find(ctx, cwd)
}

// parseInterleaved parses flags wherever they stand among the positional
// arguments, which it returns in order.
func parseInterleaved(c *call, fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := c.parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// worktreeBranches are the branches completion offers: those of the
// repository the shell stands in, or none past timeout.
func worktreeBranches(timeout time.Duration) []string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	repo, err := findRepo(ctx)
	if err != nil {
		return nil
	}
	branches, _ := repo.Branches(ctx)
	return branches
}
