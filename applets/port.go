package applets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"time"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/ports"
)

var portApplet = applet{
	name:    "port",
	summary: "forward ports of this machine's 127.0.0.1 to servers in an environment",
	usage: `Usage: devenv port [TARGET] [HOSTPORT:]PORT...

Forward 127.0.0.1:HOSTPORT on this machine (default: the same number as
PORT) to PORT inside the running environment TARGET (a project path or an
environment's name; default: the current directory), until Ctrl-C or
SIGTERM. Servers bound to localhost inside are reached, on 127.0.0.1 or
[::1]. It goes through the Docker engine, so it needs no published port.

  devenv port 3000                  http://127.0.0.1:3000 -> port 3000 inside
  devenv port devenv-local-web 8080:80 5173
`,
	run: runPort,
}

// envPollInterval is how often `devenv port` checks that its environment
// still runs, so it ends, and frees its ports, soon after the environment.
const envPollInterval = 2 * time.Second

func runPort(ctx context.Context, c *call) error {
	fs := c.flags(nil)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	args := fs.Args()
	target := "."
	if len(args) > 0 && !ports.LooksLikeSpec(args[0]) {
		target, args = args[0], args[1:]
	}
	if len(args) == 0 {
		return usageErrorf("want at least one [HOSTPORT:]PORT to forward")
	}
	forwards, err := ports.ParseAll(args)
	if err != nil {
		return usageErrorf("%v", err)
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	t, err := runningTarget(ctx, eng, target)
	if err != nil {
		return err
	}
	name := t.Container.Name
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for _, f := range forwards {
		l, err := ports.Listen(f)
		if err != nil {
			return err
		}
		listeners = append(listeners, l)
	}
	for _, f := range forwards {
		fmt.Fprintf(c.stdio.Out, "http://%s → %s:%d\n", f.HostAddress(), name, f.Port)
	}

	ctx, stopSignals := signal.NotifyContext(ctx, os.Interrupt)
	defer stopSignals()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go watchRunning(ctx, eng, name, cancel)
	done := make(chan struct{})
	for i, l := range listeners {
		f := forwards[i]
		go func() {
			ports.Serve(ctx, l, func(ctx context.Context, conn net.Conn) { relayConn(ctx, c, eng, name, f, conn) })
			done <- struct{}{}
		}()
	}
	for range listeners {
		<-done
	}
	listeners = nil
	if err := context.Cause(ctx); errors.Is(err, errEnvironmentGone) {
		return fmt.Errorf("%s stopped, so its forwards are closed: start it again with `devenv PATH`, then forward again", name)
	}
	return nil
}

var errEnvironmentGone = errors.New("environment gone")

// watchRunning cancels with errEnvironmentGone once name no longer runs.
func watchRunning(ctx context.Context, eng *engine.Client, name string, cancel context.CancelCauseFunc) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(envPollInterval):
		}
		ct, err := eng.Inspect(ctx, name)
		if errors.Is(err, engine.ErrNotFound) || err == nil && !ct.Running() {
			cancel(errEnvironmentGone)
			return
		}
	}
}

// relayConn carries one connection through a relay exec'd in the
// environment.
func relayConn(ctx context.Context, c *call, eng *engine.Client, name string, f ports.Forward, conn net.Conn) {
	var stderr bytes.Buffer
	code, err := eng.Exec(ctx, name, engine.ExecSpec{Cmd: ports.StdioRelay(f.Port), User: environment.ContainerUser, Stdin: true},
		engine.ExecIO{In: conn, Out: conn, Err: &stderr})
	switch {
	case ctx.Err() != nil:
	case err != nil:
		fmt.Fprintf(c.stdio.Err, "%s: connection to %s:%d: %v\n", c.prog, name, f.Port, err)
	case code == ports.NothingListens:
		fmt.Fprintf(c.stdio.Err, "%s: nothing listens on port %d in %s (tried 127.0.0.1 and [::1]): start the server there, or check its port\n", c.prog, f.Port, name)
	case code != 0:
		fmt.Fprintf(c.stdio.Err, "%s: the relay to %s:%d failed (exit %d): %s\n", c.prog, name, f.Port, code, oneLine(stderr.String()))
	}
}

// runningTarget finds the running environment TARGET names, by name or by
// project path, without starting one.
func runningTarget(ctx context.Context, eng *engine.Client, target string) (environment.Target, error) {
	r, err := environment.Resolve(ctx, eng, target, "")
	if err != nil {
		return environment.Target{}, err
	}
	if r.Dir == "" {
		return r.Session(ctx, eng, environment.Options{})
	}
	t, ok, err := environment.Find(ctx, eng, r.Dir, "")
	if err != nil {
		return environment.Target{}, err
	}
	if !ok {
		return environment.Target{}, fmt.Errorf("no environment runs for %s: start it with `devenv %s`", r.Dir, target)
	}
	return t, nil
}
