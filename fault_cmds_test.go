package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"devenv/internal/engine"
	"devenv/internal/environment"
)

// The fault suite's script commands: they break things from outside, as a
// user's other tools or the machine would.

// cmdKillContainer kills a container from outside devenv, as `docker kill`
// does (testscript's own kill is for its background processes).
//
//	killcontainer NAME
func (d *docker) cmdKillContainer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: killcontainer NAME")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ts.Check(d.eng.Kill(ctx, args[0]))
}

// cmdPublished prints every port a container publishes, one a line:
// "22/tcp on 127.0.0.1:32768".
//
//	published NAME
func (d *docker) cmdPublished(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: published NAME")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := d.eng.Inspect(ctx, args[0])
	ts.Check(err)
	for _, p := range c.Published {
		fmt.Fprintln(ts.Stdout(), p)
	}
}

// cmdSetMatch sets VAR to the first group REGEXP matches in FILE (stdout,
// stderr or a file), or to the whole match when it has no group.
//
//	setmatch VAR REGEXP FILE
func cmdSetMatch(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: setmatch VAR REGEXP FILE")
	}
	re, err := regexp.Compile(`(?m)` + args[1])
	ts.Check(err)
	m := re.FindStringSubmatch(ts.ReadFile(args[2]))
	if m == nil {
		ts.Fatalf("setmatch: no match for %s in %s", args[1], args[2])
	}
	ts.Setenv(args[0], m[len(m)-1])
}

// dockerdPidFile is where the engine under test records its pid; the
// restart scenario stops that process and starts it again with the same
// command line.
func dockerdPidFile() string {
	if f := os.Getenv("DEVENV_TEST_DOCKERD_PIDFILE"); f != "" {
		return f
	}
	return "/var/run/docker.pid"
}

// cmdDockerd stops the Docker engine (SIGTERM, then waits for it to exit)
// or starts it again the way it was started, detached, and waits until it
// answers. A scenario that stopped it and fails gets it started anyway.
// Only for the dockerd-restart condition: every container of the engine
// dies with it.
//
//	dockerd stop|start
func (d *docker) cmdDockerd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || args[0] != "stop" && args[0] != "start" {
		ts.Fatalf("usage: dockerd stop|start")
	}
	if os.Geteuid() != 0 {
		ts.Fatalf("dockerd: stopping the engine needs root")
	}
	switch args[0] {
	case "stop":
		if d.dockerdArgv != nil {
			ts.Fatalf("dockerd: already stopped")
		}
		argv, err := stopDockerd(dockerdPidFile())
		ts.Check(err)
		d.dockerdArgv = argv
		ts.Defer(func() {
			if d.dockerdArgv != nil {
				ts.Logf("dockerd: starting the engine again after a failure")
				if err := d.startDockerd(); err != nil {
					ts.Logf("dockerd: %v", err)
				}
			}
		})
	case "start":
		if d.dockerdArgv == nil {
			ts.Fatalf("dockerd: not stopped by this scenario")
		}
		ts.Check(d.startDockerd())
	}
}

// stopDockerd ends the engine whose pid is in pidFile and returns the
// command line it ran with.
func stopDockerd(pidFile string) ([]string, error) {
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("dockerd: bad pid file %s: %q", pidFile, data)
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return nil, fmt.Errorf("dockerd: pid %d: %w", pid, err)
	}
	argv := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if !strings.HasSuffix(argv[0], "dockerd") {
		return nil, fmt.Errorf("dockerd: pid %d is %q, not dockerd", pid, argv[0])
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		if gone(pid) {
			return argv, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("dockerd: pid %d still runs two minutes after SIGTERM", pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// gone reports whether a process has exited (a zombie counts: its parent
// is not this test).
func gone(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || strings.HasPrefix(s[i+1:], " Z")
}

// startDockerd starts the engine with the command line it had, in a session
// of its own with its output appended to its log as .ci/prepare does, and
// waits until it answers.
func (d *docker) startDockerd() error {
	logPath := os.Getenv("DEVENV_TEST_DOCKERD_LOG")
	if logPath == "" {
		logPath = "/var/log/dockerd.log"
	}
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("dockerd: %w", err)
	}
	defer log.Close()
	cmd := exec.Command(d.dockerdArgv[0], d.dockerdArgv[1:]...)
	cmd.Dir = "/"
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dockerd: %w", err)
	}
	go cmd.Wait() // reaped here should it end while the tests run
	d.dockerdArgv = nil
	for deadline := time.Now().Add(time.Minute); ; {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := d.eng.List(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dockerd: started, but: %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cmdContainerID sets VAR to the first eight characters of a container's
// ID: a prefix the engine would resolve to that container.
//
//	containerid NAME VAR
func (d *docker) cmdContainerID(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: containerid NAME VAR")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := d.eng.Inspect(ctx, args[0])
	ts.Check(err)
	ts.Setenv(args[1], c.ID[:8])
}

// cmdKillAfter runs PROG and kills it with SIGKILL after DURATION, as a
// closed terminal or the OOM killer would, whatever it was doing; it fails
// only when PROG cannot be started. With DURATION "never" it lets PROG
// finish.
//
//	killafter DURATION PROG [ARG...]
func cmdKillAfter(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: killafter DURATION PROG [ARG...]")
	}
	after, err := time.ParseDuration(args[0])
	ts.Check(err)
	prog, err := lookPath(args[1], ts.Getenv("PATH"))
	ts.Check(err)
	cmd := exec.Command(prog, args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "DOCKER_HOST", "DOCKER_API_VERSION", "DEVENV_IMAGE", "DEVENV_SSH_PORT", "LANG", "XDG_STATE_HOME", environment.FaultVariable} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	ts.Check(cmd.Start())
	timer := time.AfterFunc(after, func() { cmd.Process.Kill() })
	cmd.Wait()
	timer.Stop()
}

// cmdEnvironments prints how many containers, in any state, serve the
// project with that devenv.project label: after any interrupted start, the
// next one must leave exactly one.
//
//	environments PROJECT
func (d *docker) cmdEnvironments(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: environments PROJECT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	all, err := d.eng.ListAll(ctx)
	ts.Check(err)
	n := 0
	for _, c := range all {
		if c.Labels[engine.ProjectLabel] == args[0] {
			n++
			fmt.Fprintf(ts.Stdout(), "%s %s\n", c.Name, c.State)
		}
	}
	fmt.Fprintf(ts.Stdout(), "count %d\n", n)
}
