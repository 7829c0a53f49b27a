package applets

import (
	"context"
	"fmt"
	"slices"

	"devenv/internal/engine"
	"devenv/internal/environment"
)

var execApplet = applet{
	name:    "exec",
	summary: "run a command in an environment, headless",
	usage: `Usage: devenv exec [-t] [--port N] [--name NAME] [TARGET] -- CMD [ARG...]

Run CMD as devuser in the environment TARGET (a project path or an
environment's name; default: the current directory), starting it first if
needed. No terminal is allocated unless -t asks for one: stdout and stderr
pass through separately, piped stdin is passed on, and devenv exits with
CMD's exit code. SIGINT and SIGTERM to devenv go to CMD.
`,
	flags: declare[execFlags],
	run:   runExec,
}

type execFlags struct {
	tty bool
	startFlags
}

func (f *execFlags) declare(s *flagSet) {
	s.Bool(&f.tty, "t", "a terminal for CMD when devenv runs on one (stdin and stdout)")
	f.declareWith(s, "publish SSH on 127.0.0.1:N when starting (default: $DEVENV_SSH_PORT, else automatic)",
		"forward the host's SSH agent into a new environment")
}

func runExec(ctx context.Context, c *call) error {
	before, cmd := splitAtDashes(c.args)
	var flags execFlags
	fs := c.flags(&flags)
	err := c.parseFlags(fs, before)
	if err != nil {
		return err
	}
	rest := fs.Args()
	target := "."
	switch {
	case cmd == nil && len(rest) >= 2: // docker-style: devenv exec TARGET CMD...
		target, cmd = rest[0], rest[1:]
	case cmd != nil && len(rest) == 1:
		target = rest[0]
	case cmd != nil && len(rest) == 0:
	default:
		return usageErrorf("want [TARGET] -- CMD [ARG...]")
	}
	if len(cmd) == 0 {
		return usageErrorf("no command given after --")
	}

	via, err := execPath(c.env)
	if err != nil {
		return err
	}
	if via != execEngine {
		if code, ok, err := c.warmExec(target, flags.startFlags, cmd, flags.tty); ok {
			return exitOrError(code, err)
		}
	}
	eng, t, err := c.openTarget(ctx, target, flags.startFlags)
	if err != nil {
		return err
	}
	defer eng.Close()
	if via != execEngine {
		code, ok, err := c.channelExec(t, cmd, via, flags.tty)
		if ok {
			return exitOrError(code, err)
		}
		if via == execChannel {
			return fmt.Errorf("DEVENV_EXEC_PATH=channel, but the channel to %s could not be opened: see %s", t.Container.Name, channelLog(c.env, t.Container.Name))
		}
	}
	var code int
	if flags.tty { // a terminal session: no separate not-found check
		code, err = environment.Session(ctx, eng, t, cmd, true, c.env, c.stdio)
	} else {
		code, err = environment.Command(ctx, eng, t, cmd, c.env, c.stdio)
	}
	if err != nil {
		return err
	}
	return exitStatus(code)
}

// splitAtDashes splits args at the first "--": devenv's own flags and
// target before it, what goes to the command (or ssh) after it, which is nil
// when there is no "--" at all.
func splitAtDashes(args []string) (before, after []string) {
	if i := slices.Index(args, "--"); i >= 0 {
		return args[:i], args[i+1:]
	}
	return args, nil
}

// openTarget connects to the engine and finds, or starts, the environment
// TARGET names (see environment.Resolve). The caller closes the engine.
func (c *call) openTarget(ctx context.Context, target string, flags startFlags) (*engine.Client, environment.Target, error) {
	opts := flags.options(c)
	if !environment.LooksLikeName(target) {
		// A path is checked before the engine is asked anything.
		if _, err := environment.Canonical(target); err != nil {
			return nil, environment.Target{}, err
		}
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return nil, environment.Target{}, err
	}
	opts.PrepareImage = c.prepareImage(eng)
	t, err := c.session(ctx, eng, target, opts)
	if err != nil {
		eng.Close()
		return nil, environment.Target{}, err
	}
	return eng, t, nil
}

func (c *call) session(ctx context.Context, eng *engine.Client, target string, opts environment.Options) (environment.Target, error) {
	r, err := environment.Resolve(ctx, eng, target, opts.Name)
	if err != nil {
		return environment.Target{}, err
	}
	return r.Session(ctx, eng, opts)
}
