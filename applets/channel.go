package applets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"devenv/internal/channel"
	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/sshkeys"
)

// channelApplet holds an environment's warm-exec channel (see package
// channel). devenv exec starts it; no one types it, so help leaves it out,
// and its name cannot be a project directory's by accident.
var channelApplet = applet{
	name:    "_channel",
	hidden:  true,
	summary: "hold the warm-exec channel of a running environment (started by devenv exec)",
	usage: `Usage: devenv _channel NAME

Started by devenv exec in its own session: holds an SSH connection to the
running environment NAME and serves commands over a socket in devenv's
state directory, until the environment stops, devenv stop closes it, or it
has been idle for 10 minutes. Its standard output says how setting up went.
`,
	run: runChannel,
}

// channelDialWait is how long a holder keeps trying while a new
// environment's sshd starts.
const channelDialWait = 30 * time.Second

func runChannel(ctx context.Context, c *call) error {
	// The caller stops reading the setup report when it stops caring.
	signal.Ignore(syscall.SIGPIPE)
	fs := c.flags(nil)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("want NAME")
	}
	name := fs.Arg(0)
	fail := func(err error) error {
		fmt.Fprintf(c.stdio.Out, "fail: %v\n", err)
		return err
	}
	store, err := sshkeys.Open(c.env)
	if err != nil {
		return fail(err)
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return fail(err)
	}
	t, err := runningByName(ctx, eng, name)
	eng.Close()
	if err != nil {
		return fail(err)
	}
	if err := sshReady(store, t.Container); err != nil {
		return fail(err)
	}
	if t.Container.SSHPort == 0 {
		return fail(errors.New("no published SSH port"))
	}
	cfg, err := store.ClientConfig(name, sshUser)
	if err != nil {
		return fail(err)
	}
	src, _ := environment.WorkspacePath(t.Container)
	return channel.Serve(ctx, channel.Config{
		StateDir:     store.Dir(),
		Name:         name,
		ContainerID:  t.Container.ID,
		Addr:         net.JoinHostPort(environment.SSHHost(t.Container), strconv.Itoa(t.Container.SSHPort)),
		SSH:          cfg,
		WorkspaceSrc: src,
		WorkspaceDst: t.WorkDir,
		DialWait:     channelDialWait,
		Ready:        c.stdio.Out,
		// A project directory deleted or moved under a running
		// environment is the engine path's to explain.
		Usable: func() bool { return !environment.Orphaned(t.Container) },
	})
}

// runningByName is the running environment called name, with its
// workspace as the session's directory.
func runningByName(ctx context.Context, eng *engine.Client, name string) (environment.Target, error) {
	r, err := environment.Resolve(ctx, eng, name, "")
	if err != nil {
		return environment.Target{}, err
	}
	if !r.Exists || !r.Container.Running() {
		return environment.Target{}, &environment.NotRunningError{Target: name}
	}
	src, ok := environment.WorkspacePath(r.Container)
	if !ok {
		return environment.Target{}, fmt.Errorf("%s has no workspace", name)
	}
	t, found, err := environment.Find(ctx, eng, src, name)
	if err == nil && !found {
		err = &environment.NotRunningError{Target: name}
	}
	return t, err
}
