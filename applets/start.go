package applets

import (
	"context"
	"flag"
	"os"
	"strings"

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

Flags:
  --port N     publish SSH on 127.0.0.1:N (default: $DEVENV_SSH_PORT, else automatic)
  --name NAME  container name to use instead of devenv-<parent>-<basename>
  --cpus N     limit CPUs when starting (setting cpus; default: $DEVENV_CPUS, else the settings files)
  --memory M   limit memory when starting, such as 4g (setting memory)
  --pids N     limit processes when starting (setting pids)
  --ssh-agent  forward the host's SSH agent into a new environment
`,
	run: runStart,
}

// startFlags are the flags shared by every command that may start an environment.
type startFlags struct {
	port, name string
	sshAgent   bool
	settings   map[string]string // settings key → value, from flags such as --cpus
}

func (f *startFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.port, "port", "", "")
	fs.StringVar(&f.name, "name", "", "")
	f.registerSettings(fs)
	fs.BoolVar(&f.sshAgent, "ssh-agent", false, "")
}

func (f *startFlags) options(c *call) environment.Options {
	return environment.Options{Name: f.name, Port: f.port, Env: environment.Getenv(c.env), Warnings: c.stdio.Err, SettingFlags: f.settings, ForwardSSHAgent: f.sshAgent}
}

func runStart(ctx context.Context, c *call) error {
	var flags startFlags
	fs := newFlagSet(c)
	flags.register(fs)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	path := "."
	switch fs.NArg() {
	case 0:
	case 1:
		path = fs.Arg(0)
	default:
		return usageErrorf("too many arguments: %s", strings.Join(fs.Args(), " "))
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
	code, err := environment.Session(ctx, eng, target, environment.LoginShell, true, environment.Getenv(c.env), environment.Stdio(c.stdio))
	if err != nil {
		return err
	}
	return exitStatus(code)
}
