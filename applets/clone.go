package applets

import (
	"context"

	"devenv/internal/environment"
)

var cloneApplet = applet{
	name:    "clone",
	summary: "start an environment on a clone of a repository, in a volume",
	usage: `Usage: devenv clone [--name NAME] SOURCE [-- CMD [ARG...]]

Start an environment whose workspace is a volume of its own (NAME.workspace,
at /workspaces) holding a clone of SOURCE at /workspaces/NAME, then open a
shell in it, or run CMD headless as 'devenv exec' does. SOURCE is a git URL,
cloned by git inside the environment, or a local repository, whose history
goes in through the engine as a git bundle: no host directory is mounted, so
this works on a remote engine too. NAME defaults to devenv-clone-<basename>.

'devenv stop NAME' keeps the volume; 'devenv exec|ssh NAME', or 'devenv
clone --name NAME' again, start it from there without cloning again;
'devenv fetch NAME' brings its branches home; 'devenv volumes rm
NAME.workspace' removes it.
`,
	flags: declare[startFlags],
	run:   runClone,
}

func runClone(ctx context.Context, c *call) error {
	before, cmd := splitAtDashes(c.args)
	var flags startFlags
	fs := c.flags(&flags)
	if err := c.parseFlags(fs, before); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("want SOURCE: a git URL or a local repository")
	}
	if cmd != nil && len(cmd) == 0 {
		return usageErrorf("no command given after --")
	}
	source := fs.Arg(0)
	opts := flags.options(c)
	if opts.Name == "" {
		opts.Name = environment.CloneName(source)
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	opts.PrepareImage = c.prepareImage(eng)
	t, err := environment.Clone(ctx, eng, source, opts)
	if err != nil {
		return err
	}
	var code int
	if cmd == nil {
		code, err = environment.Session(ctx, eng, t, environment.LoginShell, true, c.env, c.stdio)
	} else {
		code, err = environment.Command(ctx, eng, t, cmd, c.env, c.stdio)
	}
	if err != nil {
		return err
	}
	return exitStatus(code)
}
