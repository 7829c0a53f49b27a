package applets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"devenv/internal/channel"
	"devenv/internal/environment"
	"devenv/internal/project"
	"devenv/internal/sshkeys"
	"devenv/internal/terminal"
)

// How devenv exec reaches the command, from DEVENV_EXEC_PATH: by default
// through the environment's channel when one is open or can be opened,
// else through the engine; "channel" or "engine" insists on one, so that
// the tests run every exec scenario both ways.
const (
	execAuto    = ""
	execChannel = "channel"
	execEngine  = "engine"
)

func execPath(env Getenv) (string, error) {
	switch v := env("DEVENV_EXEC_PATH"); v {
	case execAuto, execChannel, execEngine:
		return v, nil
	default:
		return "", fmt.Errorf("invalid DEVENV_EXEC_PATH %q: use channel, engine, or leave it unset", v)
	}
}

// openChannel starts a holder for name unless one runs or is being set up,
// and reports whether it answers. By default it waits only for a holder
// that connects at once: while a new environment's sshd starts, the engine
// runs the command and the holder keeps trying in the background, for the
// next one. When the channel is insisted on, it waits out sshd's start.
func (c *call) openChannel(stateDir, name, via string) bool {
	patient := via == execChannel
	if channel.Held(stateDir, name) {
		return patient && channel.AwaitSocket(stateDir, name, channelDialWait)
	}
	// The holder talks to this invocation's engine (--context included).
	opening, err := channel.Open(stateDir, name, c.withContextFlag([]string{project.Program, channelApplet.name, name}))
	if err != nil {
		return false
	}
	if patient {
		return opening.Wait(channelDialWait, true) || channel.AwaitSocket(stateDir, name, channelDialWait)
	}
	return opening.Wait(3*time.Second, false)
}

// warmExec runs cmd through an open channel without asking the engine
// anything, when the target is an environment's name or its project
// directory itself and that environment's channel is open, and no start
// flag needs a word about it. ok is false when the engine has to resolve
// the target.
func (c *call) warmExec(target string, flags startFlags, cmd []string, tty bool) (code int, ok bool, err error) {
	if flags.port != "" || len(flags.settings) > 0 || flags.sshAgent {
		// Start flags: the engine's way says when a running environment
		// ignores them.
		return 0, false, nil
	}
	store, err := sshkeys.Open(c.env)
	if err != nil {
		return 0, false, nil
	}
	req := c.channelRequest(cmd, tty)
	name := target
	if !environment.LooksLikeName(target) || flags.name != "" {
		dir, err := environment.Canonical(target)
		if err != nil {
			return 0, false, nil
		}
		name, req.Dir = project.Identify(dir).Name, dir
		if flags.name != "" {
			name = flags.name
		}
	}
	if _, err := os.Stat(channel.SocketPath(store.Dir(), name)); err != nil {
		return 0, false, nil
	}
	exit, err := c.runChannel(store.Dir(), name, req)
	if errors.Is(err, channel.ErrUnavailable) {
		return 0, false, nil
	}
	return c.channelOutcome(store.Dir(), name, req, exit, err)
}

// channelExec runs cmd in t through its channel, opening the channel
// first when none is open; ok is false when it could not be opened.
func (c *call) channelExec(t environment.Target, cmd []string, via string, tty bool) (code int, ok bool, err error) {
	store, err := sshkeys.Open(c.env)
	if err != nil || t.Container.SSHPort == 0 || sshReady(store, t.Container) != nil {
		return 0, false, nil
	}
	name := t.Container.Name
	req := c.channelRequest(cmd, tty)
	req.WorkDir, req.ContainerID = t.WorkDir, t.Container.ID
	exit, err := c.runChannel(store.Dir(), name, req)
	if errors.Is(err, channel.ErrUnavailable) {
		if !c.openChannel(store.Dir(), name, via) {
			return 0, false, nil
		}
		exit, err = c.runChannel(store.Dir(), name, req)
	}
	if errors.Is(err, channel.ErrUnavailable) {
		return 0, false, nil
	}
	return c.channelOutcome(store.Dir(), name, req, exit, err)
}

// channelOutcome is devenv exec's result for a command the channel ran. A
// 127 may be the command's own status: as on the engine path
// (environment.Command), one more question tells a missing command.
func (c *call) channelOutcome(stateDir, name string, req channel.Request, exit channel.Exit, err error) (int, bool, error) {
	if err != nil {
		return 0, true, c.channelBroke(name, err)
	}
	if exit.Status() != 127 || req.TTY {
		return exit.Status(), true, nil
	}
	check := req
	check.Argv = []string{"/bin/sh", "-c", `command -v -- "$1" >/dev/null 2>&1`, "devenv-exec", req.Argv[0]}
	check.Stdin = false
	found, err := channel.Run(stateDir, name, check, channel.Stdio{Out: io.Discard, Err: io.Discard}, nil)
	if err != nil || found.Status() == 0 {
		return 127, true, nil
	}
	return 127, true, &environment.CommandNotFoundError{Command: req.Argv[0], Name: name}
}

// channelRequest asks for what environment.Session gives on the engine
// path: stdin by the same rule, TERM passed on, a terminal when asked for
// one and devenv runs on one.
func (c *call) channelRequest(cmd []string, interactive bool) channel.Request {
	req := channel.Request{
		Argv:  cmd,
		Stdin: environment.ReadsStdin(environment.Stdio(c.stdio), interactive),
		TTY:   interactive && terminal.Is(c.stdio.In) && terminal.Is(c.stdio.Out),
		Term:  c.env("TERM"),
	}
	if req.Term != "" {
		req.Env = []string{"TERM=" + req.Term}
	}
	return req
}

// runChannel runs req through the channel of name; for a terminal session
// the local terminal is raw meanwhile (restored on every path) and its
// size followed.
func (c *call) runChannel(stateDir, name string, req channel.Request) (channel.Exit, error) {
	var term *channel.Terminal
	if req.TTY {
		in, out := c.stdio.In.(*os.File), c.stdio.Out.(*os.File)
		size := func() (channel.Size, bool) {
			rows, cols, ok := terminal.Size(out)
			return channel.Size{Rows: uint32(rows), Cols: uint32(cols)}, ok
		}
		req.Size, _ = size()
		restore, err := terminal.Raw(in)
		if err != nil {
			return channel.Exit{}, fmt.Errorf("terminal: %w", err)
		}
		defer restore()
		resized, stop := terminal.Resizes()
		defer stop()
		term = &channel.Terminal{Size: size, Resized: resized}
	}
	return channel.Run(stateDir, name, req, channel.Stdio(c.stdio), term)
}

// channelBroke says what a channel that broke under a running command
// means: mostly that the environment stopped, as on the engine's path.
func (c *call) channelBroke(name string, err error) error {
	if !errors.Is(err, channel.ErrLost) {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if eng, cerr := c.connect(ctx); cerr == nil {
		defer eng.Close()
		if stopped, werr := eng.WaitNotRunning(ctx, name, 2*time.Second); werr == nil && stopped {
			return fmt.Errorf("%s stopped while this session was attached; `devenv .` starts a fresh one", name)
		}
	}
	return fmt.Errorf("the connection to %s broke while the command ran: %w", name, err)
}

// channelLog is where a holder's own errors go, for the message when the
// channel is insisted on and cannot be opened.
func channelLog(env Getenv, name string) string {
	store, err := sshkeys.Open(env)
	if err != nil {
		return ""
	}
	return filepath.Join(channel.Dir(store.Dir()), name+".log")
}

func exitOrError(code int, err error) error {
	if err != nil {
		return err
	}
	return exitStatus(code)
}

// closeChannel closes the warm-exec channel of a stopped environment, if
// one is open. Its connection ends with the environment anyway; closing
// it here means the holder is gone when devenv stop returns.
func closeChannel(env Getenv, name string) {
	if store, err := sshkeys.Open(env); err == nil {
		channel.Close(store.Dir(), name)
	}
}
