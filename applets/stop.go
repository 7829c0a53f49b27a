package applets

import (
	"context"
	"fmt"

	"devenv/internal/environment"
)

var stopApplet = applet{
	name:    "stop",
	summary: "stop environments",
	usage: `Usage: devenv stop [--name NAME] PATH|NAME...
       devenv stop --all

Stop environments given by project path or environment name; the container
is removed once stopped. Only containers labelled devenv=true are ever
stopped. Stopping an environment that is not running is not an error.

Flags:
  --all        stop every running devenv environment
  --name NAME  stop the environment started with --name NAME
`,
	run: runStop,
}

func runStop(ctx context.Context, c *call) error {
	fs := newFlagSet(c)
	all := fs.Bool("all", false, "")
	name := fs.String("name", "", "")
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	targets := fs.Args()
	switch {
	case *all && (len(targets) > 0 || *name != ""):
		return usageErrorf("--all takes no targets")
	case !*all && len(targets) == 0 && *name == "":
		return usageErrorf("name what to stop: a path, an environment's name, or --all")
	case *name != "" && len(targets) > 1:
		return usageErrorf("--name goes with one path at most")
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	if *all {
		stopped, err := environment.StopAll(ctx, eng)
		for _, n := range stopped {
			fmt.Fprintln(c.stdio.Out, n)
		}
		return err
	}
	if len(targets) == 0 {
		targets = []string{"."}
	}
	for _, target := range targets {
		n, err := environment.ResolveStop(ctx, eng, target, *name)
		if err != nil {
			return err
		}
		result, err := environment.Stop(ctx, eng, n)
		if err != nil {
			return err
		}
		if result.WasRunning {
			fmt.Fprintln(c.stdio.Out, result.Name)
		} else {
			fmt.Fprintf(c.stdio.Err, "%s: %s is not running\n", c.prog, result.Name)
		}
	}
	return nil
}
