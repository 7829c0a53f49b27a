package applets

import (
	"context"
	"os"

	"devenv/completions"
	"devenv/internal/environment"
	"devenv/internal/project"
)

var startApplet = applet{
	name:    project.Program,
	summary: "start the project's environment if needed and open a shell in it",
	usage: `Usage: devenv [--port N] [--name NAME] [PATH]

Start the environment for the project at PATH (default: the current
directory) if it is not running, then open an interactive login shell in it
as devuser. Every session is equal: leaving one never stops the environment;
'devenv stop' does. From inside a running project's tree, devenv joins that
project's environment in the matching subdirectory.
`,
	flags: declare[startFlags],
	run:   runStart,
}

// startFlags are the flags shared by every command that may start an
// environment; exec and ssh explain --port and --ssh-agent in their own
// words.
type startFlags struct {
	port, name string
	sshAgent   bool
	settings   map[string]string // settings key → value, from flags such as --cpus
}

func (f *startFlags) declare(s *flagSet) {
	f.declareWith(s, "publish SSH on 127.0.0.1:N (default: $DEVENV_SSH_PORT, else automatic)",
		"forward the host's SSH agent into a new environment")
}

func (f *startFlags) declareWith(s *flagSet, portHelp, agentHelp string) {
	s.String(&f.port, "port", "N", portHelp, completions.AnyWord())
	s.String(&f.name, "name", "NAME", "container name to use instead of devenv-<parent>-<basename>", completions.AnyWord())
	f.declareSettings(s)
	s.Bool(&f.sshAgent, "ssh-agent", agentHelp)
}

func (f *startFlags) options(c *call) environment.Options {
	return environment.Options{Name: f.name, Port: f.port, Env: c.env, Notes: c.stdio.Err, SettingFlags: f.settings, ForwardSSHAgent: f.sshAgent}
}

func runStart(ctx context.Context, c *call) error {
	var flags startFlags
	fs := c.flags(&flags)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	path, err := pathArg(fs)
	if err != nil {
		return err
	}
	dir, err := environment.Canonical(path)
	if err != nil {
		if _, statErr := os.Lstat(path); os.IsNotExist(statErr) && environment.LooksLikeName(path) {
			return usageErrorf("unknown command or directory %q", path)
		}
		return err
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	opts := flags.options(c)
	opts.PrepareImage = c.prepareImage(eng)
	target, err := environment.Resolved{Dir: dir, Name: opts.Name}.Session(ctx, eng, opts)
	if err != nil {
		return err
	}
	code, err := environment.Session(ctx, eng, target, environment.LoginShell, true, c.env, c.stdio)
	if err != nil {
		return err
	}
	return exitStatus(code)
}
