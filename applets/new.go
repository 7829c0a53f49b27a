package applets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"devenv/completions"
	"devenv/internal/environment"
	"devenv/internal/images"
	"devenv/internal/project"
)

var newApplet = applet{
	name:    "new",
	summary: "give a project its own image from a template",
	usage: `Usage: devenv new [--template NAME] [--force] [PATH]
       devenv new --list

Write PATH/.devenv/Dockerfile (default PATH: the current directory) from a
template. The next 'devenv PATH' builds the project's image from it, and
rebuilds it whenever the Dockerfile or the files it copies change.
`,
	flags: declare[newFlags],
	run:   runNew,
}

type newFlags struct {
	template    string
	force, list bool
}

func (f *newFlags) declare(s *flagSet) {
	f.template = "project"
	s.String(&f.template, "template", "NAME", "the template (default: project)", completions.Templates())
	s.Bool(&f.force, "force", "replace an existing .devenv/Dockerfile")
	s.Bool(&f.list, "list", "list the templates")
}

func runNew(ctx context.Context, c *call) error {
	var opts newFlags
	flags := c.flags(&opts)
	if err := c.parseFlags(flags, c.args); err != nil {
		return err
	}
	buildFS := c.buildContext("")
	if opts.list {
		fmt.Fprintln(c.stdio.Out, strings.Join(images.Templates(buildFS), "\n"))
		return nil
	}
	if flags.NArg() > 1 {
		return usageErrorf("too many arguments")
	}
	path := "."
	if flags.NArg() == 1 {
		path = flags.Arg(0)
	}
	dir, err := environment.Canonical(path)
	if err != nil {
		return err
	}
	text, err := images.Template(buildFS, opts.template)
	if err != nil {
		return err
	}
	target := filepath.Join(dir, filepath.FromSlash(project.Dockerfile))
	shown := filepath.Join(path, project.Dockerfile)
	// A project's files are untrusted: a symlink at .devenv or its
	// Dockerfile (dangling, say, to ~/.bash_profile) must not take the write.
	for _, p := range []string{filepath.Dir(target), target} {
		if info, err := os.Lstat(p); err == nil && info.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symlink: devenv new writes only to a real file in the project; remove the link first", p)
		}
	}
	if _, err := os.Lstat(target); err == nil && !opts.force {
		return fmt.Errorf("%s exists already: keep it, or replace it with --force", shown)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Mkdir(filepath.Dir(target), 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", shown, err)
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", shown, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", shown, err)
	}
	fmt.Fprintf(c.stdio.Err, "wrote %s from template %s; `devenv %s` builds it on first start\n",
		filepath.Join(path, project.Dockerfile), opts.template, path)
	return nil
}
