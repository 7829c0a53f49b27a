package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"devenv/internal/channel"
)

// concurrentExecs is how many commands the concurrency row starts at once.
const concurrentExecs = 20

// warmExec measures devenv exec's two ways against docker exec in one
// running environment: through its channel (warm), through the engine
// (DEVENV_EXEC_PATH=engine, what every exec cost before the channel), the
// first exec that has to open the channel, and 20 at once.
func (b *bench) warmExec(ctx context.Context, name string) error {
	viaChannel := step{argv: []string{b.devenv, "exec", name, "--", "true"}, env: []string{"DEVENV_EXEC_PATH=channel"}}
	viaEngine := step{argv: []string{b.devenv, "exec", name, "--", "true"}, env: []string{"DEVENV_EXEC_PATH=engine"}}
	dockerExec := cmd(b.cfg.docker, "exec", name, "true")
	timed := func(s step) func() time.Duration {
		return func() time.Duration { d, _ := b.timeSteps(ctx, s); return d }
	}
	// The channel opens once sshd answers; this waits for it.
	b.timeSteps(ctx, viaChannel)

	logf("attach: %d × devenv exec NAME -- true (channel open), docker exec NAME true", b.cfg.n)
	dv, dk := b.alternate(ctx, b.cfg.n, timed(cmd(b.devenv, "exec", name, "--", "true")), timed(dockerExec))
	b.report.rows = append(b.report.rows, row{op: "warm exec: `devenv exec NAME -- true` through the open channel vs `docker exec NAME true`", devenv: dv, docker: dk, ratio: 0.25})

	logf("attach: %d × engine-path devenv exec, docker exec", b.cfg.n)
	dv, dk = b.alternate(ctx, b.cfg.n, timed(viaEngine), timed(dockerExec))
	b.report.rows = append(b.report.rows, row{op: "engine-path exec: the same with `DEVENV_EXEC_PATH=engine` (runc exec) vs `docker exec NAME true`", devenv: dv, docker: dk, ratio: 0.8})

	stateDir := filepath.Join(b.home, ".local", "state", "devenv", "ssh")
	logf("attach: %d × first exec with a new channel, docker exec", b.cfg.n)
	dv, dk = b.alternate(ctx, b.cfg.n, func() time.Duration {
		channel.Close(stateDir, name)
		d, _ := b.timeSteps(ctx, cmd(b.devenv, "exec", name, "--", "true"))
		return d
	}, timed(dockerExec))
	b.report.rows = append(b.report.rows, row{op: "first exec of a running environment, opening its channel (holder start, SSH handshake)", devenv: dv, docker: dk})
	b.timeSteps(ctx, viaChannel)

	logf("attach: %d × %d concurrent warm execs, %d concurrent docker execs", b.cfg.n, concurrentExecs, concurrentExecs)
	dv, dk = b.alternate(ctx, b.cfg.n,
		func() time.Duration { return b.concurrently(ctx, cmd(b.devenv, "exec", name, "--", "true")) },
		func() time.Duration { return b.concurrently(ctx, dockerExec) })
	b.report.rows = append(b.report.rows, row{op: fmt.Sprintf("%d concurrent warm execs until the last ends, vs %d concurrent `docker exec`", concurrentExecs, concurrentExecs), devenv: dv, docker: dk})

	// The channel's own floor: one session through the holder, in-process.
	var floor sample
	for i := 0; i < b.cfg.n; i++ {
		start := time.Now()
		exit, err := channel.Run(stateDir, name, channel.Request{Argv: []string{"true"}}, channel.Stdio{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, nil)
		if err != nil || exit.Status() != 0 {
			return fmt.Errorf("channel floor: %v, status %d", err, exit.Status())
		}
		floor = append(floor, time.Since(start))
	}
	b.report.reference = append(b.report.reference, row{op: "channel floor in-process: one SSH session running `true` through the holder", devenv: floor})
	b.holderAtRest(stateDir, name)
	return nil
}

// concurrently runs k copies of s at once and returns the wall time until
// the last one ended.
func (b *bench) concurrently(ctx context.Context, s step) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < concurrentExecs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.timeSteps(ctx, s)
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// holderAtRest notes what an open channel costs while nothing runs: the
// holder's memory (its pid is in the lock file): its proportional share of
// resident pages, and what is its alone.
func (b *bench) holderAtRest(stateDir, name string) {
	data, err := os.ReadFile(filepath.Join(channel.Dir(stateDir), name+".lock"))
	if err != nil {
		return
	}
	rollup, err := os.ReadFile(filepath.Join("/proc", strings.TrimSpace(string(data)), "smaps_rollup"))
	if err != nil {
		return
	}
	kb := map[string]string{}
	for _, line := range strings.Split(string(rollup), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			kb[k] = strings.Join(strings.Fields(v), " ")
		}
	}
	b.report.notes = append(b.report.notes, fmt.Sprintf("An open channel at rest: one holder process (`devenv _channel NAME`, RSS %s, PSS %s, private %s + %s), asleep between keepalives every 10 s, and one SSH connection (an sshd-session in the environment).",
		kb["Rss"], kb["Pss"], kb["Private_Clean"], kb["Private_Dirty"]))
}
