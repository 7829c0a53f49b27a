package applets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"devenv/completions"
	"devenv/internal/project"
)

var installApplet = applet{
	name:    "install",
	summary: "put the applet names (devenv-stop …) on PATH as symlinks",
	usage: `Usage: devenv install [--dir DIR] [--uninstall]

Make each applet a program of its own: create the symlinks devenv-list,
devenv-stop, devenv-ssh, devenv-exec and devenv-build to this binary, in DIR
(default: next to the binary when you may write there, else ~/.local/bin).
A file of the same name is replaced only when it is a symlink to devenv;
anything else is refused, and nothing is changed. Says so when DIR is not on
PATH.
`,
	flags: declare[installFlags],
	run:   runInstall,
}

type installFlags struct {
	dir       string
	uninstall bool
}

func (f *installFlags) declare(s *flagSet) {
	s.String(&f.dir, "dir", "DIR", "where the symlinks go", completions.Directories())
	s.Bool(&f.uninstall, "uninstall", "remove devenv's symlinks from DIR instead")
}

// pathApplets are the applets worth a name of their own on PATH; install
// links those that exist, and the shell integration completes them all.
var pathApplets = []string{"list", "stop", "ssh", "exec", "build"}

func runInstall(ctx context.Context, c *call) error {
	var f installFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	bin, err := c.binary()
	if err != nil {
		return err
	}
	if f.dir == "" {
		f.dir = filepath.Dir(bin)
		if syscall.Access(f.dir, 2 /* W_OK */) != nil {
			home := c.env("HOME")
			if home == "" {
				return fmt.Errorf("cannot write to %s and $HOME is not set: give --dir", f.dir)
			}
			f.dir = filepath.Join(home, ".local", "bin")
		}
	}
	if f.dir, err = filepath.Abs(f.dir); err != nil {
		return err
	}
	if f.uninstall {
		return c.removeLinks(f.dir, bin)
	}
	return c.createLinks(f.dir, bin)
}

// binary is the path the shell integration calls and the symlinks point
// to: $DEVENV_BIN, else this program, symlinks resolved.
func (c *call) binary() (string, error) {
	if bin := c.env("DEVENV_BIN"); bin != "" {
		return filepath.Abs(bin)
	}
	bin, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the devenv binary: %w (set DEVENV_BIN)", err)
	}
	return filepath.EvalSymlinks(bin)
}

// ownLink reports whether path is a symlink devenv made: to this binary, or
// to any file named devenv (an older install, say).
func ownLink(path, bin string) bool {
	target, err := os.Readlink(path)
	if err != nil {
		return false
	}
	if filepath.Base(target) == project.Program {
		return true
	}
	a, errA := os.Stat(path)
	b, errB := os.Stat(bin)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

func (c *call) createLinks(dir, bin string) error {
	target := bin
	if filepath.Dir(bin) == dir {
		target = filepath.Base(bin)
	}
	var names, refused []string
	for _, n := range pathApplets {
		if !slices.ContainsFunc(c.applets, func(a applet) bool { return a.name == n }) {
			continue // not in this build
		}
		p := filepath.Join(dir, project.Program+"-"+n)
		if _, err := os.Lstat(p); err == nil && !ownLink(p, bin) {
			refused = append(refused, p)
		}
		names = append(names, p)
	}
	if len(refused) > 0 {
		return fmt.Errorf("%s: not a symlink to devenv, left as it is; nothing installed: remove it or choose another --dir", strings.Join(refused, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, p := range names {
		// A new link under a temporary name, renamed over the old one, so
		// the name never goes missing.
		tmp := p + ".devenv-new"
		os.Remove(tmp)
		if err := os.Symlink(target, tmp); err != nil {
			return err
		}
		if err := os.Rename(tmp, p); err != nil {
			os.Remove(tmp)
			return err
		}
		fmt.Fprintf(c.stdio.Out, "%s -> %s\n", p, target)
	}
	if !onPath(dir, c.env("PATH")) {
		fmt.Fprintf(c.stdio.Err, "%s: %s is not on PATH: add it in your shell's startup file, e.g. export PATH=\"%s:$PATH\"\n", c.prog, dir, dir)
	}
	return nil
}

func (c *call) removeLinks(dir, bin string) error {
	for _, n := range pathApplets {
		p := filepath.Join(dir, project.Program+"-"+n)
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if !ownLink(p, bin) {
			fmt.Fprintf(c.stdio.Err, "%s: %s is not a symlink to devenv: left as it is\n", c.prog, p)
			continue
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		fmt.Fprintf(c.stdio.Out, "removed %s\n", p)
	}
	return nil
}

// onPath reports whether dir is one of PATH's directories.
func onPath(dir, path string) bool {
	canon := func(d string) string {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			return r
		}
		return filepath.Clean(d)
	}
	want := canon(dir)
	return slices.ContainsFunc(filepath.SplitList(path), func(d string) bool {
		return d != "" && canon(d) == want
	})
}
