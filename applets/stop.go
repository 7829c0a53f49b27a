package applets

import (
	"context"
	"fmt"

	"devenv/completions"
	"devenv/internal/environment"
)

var stopApplet = applet{
	name:    "stop",
	summary: "stop environments",
	usage: `Usage: devenv stop [--name NAME] PATH|NAME...
       devenv stop --all

Stop environments given by project path or environment name; the container
is removed once stopped. An environment that an interrupted start left
created, exited or dead is removed. Only containers labelled devenv=true
are ever stopped, and NAME is always a whole container name, never an ID.
Stopping an environment that is not running is not an error.
`,
	flags: declare[stopFlags],
	run:   runStop,
}

type stopFlags struct {
	all  bool
	name string
}

func (f *stopFlags) declare(s *flagSet) {
	s.Bool(&f.all, "all", "stop every devenv environment, in any state")
	s.String(&f.name, "name", "NAME", "stop the environment started with --name NAME", completions.Environments())
}

func runStop(ctx context.Context, c *call) error {
	var f stopFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	targets := fs.Args()
	switch {
	case f.all && (len(targets) > 0 || f.name != ""):
		return usageErrorf("--all takes no targets")
	case !f.all && len(targets) == 0 && f.name == "":
		return usageErrorf("name what to stop: a path, an environment's name, or --all")
	case f.name != "" && len(targets) > 1:
		return usageErrorf("--name goes with one path at most")
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	if f.all {
		done, err := environment.StopAll(ctx, eng)
		for _, r := range done {
			closeChannel(c.env, r.Name)
			c.reportStop(r)
		}
		return err
	}
	if len(targets) == 0 {
		targets = []string{""}
	}
	for _, target := range targets {
		r, err := environment.StopTarget(ctx, eng, target, f.name)
		if err != nil {
			return err
		}
		result, err := environment.Stop(ctx, eng, r)
		if err != nil {
			return err
		}
		closeChannel(c.env, result.Name)
		c.reportStop(result)
	}
	return nil
}

// reportStop names on stdout what is gone now, and on stderr what was not
// running: nothing, or a container a start left behind, removed.
func (c *call) reportStop(r environment.StopResult) {
	switch r.State {
	case "":
		fmt.Fprintf(c.stdio.Err, "%s: %s is not running\n", c.prog, r.Name)
	case "running":
		fmt.Fprintln(c.stdio.Out, r.Name)
	default:
		fmt.Fprintln(c.stdio.Out, r.Name)
		fmt.Fprintf(c.stdio.Err, "%s: %s was %s, not running: removed it\n", c.prog, r.Name, r.State)
	}
}
