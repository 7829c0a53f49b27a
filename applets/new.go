package applets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"devenv/completions"
	"devenv/internal/environment"
	"devenv/internal/images"
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
	var f newFlags
	flags := c.flags(&f)
	if err := c.parseFlags(flags, c.args); err != nil {
		return err
	}
	buildFS := c.buildContext("")
	if f.list {
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
	text, err := images.Template(buildFS, f.template)
	if err != nil {
		return err
	}
	target := filepath.Join(dir, filepath.FromSlash(images.ProjectDockerfile))
	if _, err := os.Stat(target); err == nil && !f.force {
		return fmt.Errorf("%s exists already: keep it, or replace it with --force", filepath.Join(path, images.ProjectDockerfile))
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(target, text, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Err, "wrote %s from template %s; `devenv %s` builds it on first start\n",
		filepath.Join(path, images.ProjectDockerfile), f.template, path)
	return nil
}
