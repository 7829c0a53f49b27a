package applets

import (
	"context"
	"fmt"

	"devenv/internal/environment"
)

var fetchApplet = applet{
	name:    "fetch",
	summary: "bring a cloned environment's branches into this repository",
	usage: `Usage: devenv fetch NAME

Run in the host repository: fetch the branches of the environment NAME,
which 'devenv clone' made, as refs/remotes/NAME/*. They travel through the
engine as a git bundle, so no network path between the machines is needed.
A stopped cloned environment is started from its volume first.
`,
	run: runFetch,
}

func runFetch(ctx context.Context, c *call) error {
	fs := c.flags(nil)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("want NAME: the cloned environment to fetch from")
	}
	dir, err := environment.HostRepository(".")
	if err != nil {
		return err
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	name := fs.Arg(0)
	opts := (&startFlags{}).options(c)
	opts.PrepareImage = c.prepareImage(eng)
	r, err := environment.Resolve(ctx, eng, "", name)
	if err != nil {
		return err
	}
	if !r.Exists && !r.Cloned {
		return fmt.Errorf("no cloned environment %s: see `devenv list` and `devenv volumes`", name)
	}
	t, err := r.Session(ctx, eng, opts)
	if err != nil {
		return err
	}
	if err := environment.Fetch(ctx, eng, t, dir); err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Err, "%s: %s's branches are at refs/remotes/%s/\n", c.prog, name, name)
	return nil
}
