package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// runOut runs a command to completion and returns its combined output.
func runOut(ctx context.Context, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = env
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// step is one timed command: argv and the environment additions it needs.
type step struct {
	argv []string
	env  []string
	dir  string
}

func cmd(argv ...string) step { return step{argv: argv} }

// timeSteps runs steps one after the other and returns the wall time of
// all of them; any failure ends the benchmark, since a figure for a
// command that failed means nothing.
func (b *bench) timeSteps(ctx context.Context, steps ...step) (time.Duration, string) {
	var stderr bytes.Buffer
	start := time.Now()
	for _, s := range steps {
		c := exec.CommandContext(ctx, s.argv[0], s.argv[1:]...)
		c.Env = append(slices.Clip(b.env), s.env...)
		c.Dir = s.dir
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &stderr
		if err := c.Run(); err != nil {
			fatalf("%s: %v\nstdout: %s\nstderr: %s", strings.Join(s.argv, " "), err, out.String(), stderr.String())
		}
	}
	return time.Since(start), stderr.String()
}

// sample is a set of durations of one operation.
type sample []time.Duration

func (s sample) median() time.Duration {
	if len(s) == 0 {
		return 0
	}
	sorted := slices.Clone(s)
	slices.Sort(sorted)
	if n := len(sorted); n%2 == 1 {
		return sorted[n/2]
	} else {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
}

// alternate runs a and b n times each, interleaved and in alternating
// order (a b, b a, …) so drift on a shared machine hits both sides alike,
// after one unmeasured warm-up run of each.
func (b *bench) alternate(ctx context.Context, n int, a, c func() time.Duration) (sample, sample) {
	a()
	c()
	var sa, sc sample
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			fatalf("interrupted")
		}
		if i%2 == 0 {
			sa = append(sa, a())
			sc = append(sc, c())
		} else {
			sc = append(sc, c())
			sa = append(sa, a())
		}
	}
	return sa, sc
}

// ms renders a duration in milliseconds, with more digits below one.
func ms(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.3f ms", float64(d.Nanoseconds())/1e6)
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
