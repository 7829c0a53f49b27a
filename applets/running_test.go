package applets

import (
	"context"
	"net"
	"testing"
	"time"

	"devenv/internal/engine"
)

// An engine that accepts connections and never answers makes the prompt
// give up at its deadline, with the deadline's error and no answer.
func TestPromptDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	t.Setenv("DOCKER_HOST", "tcp://"+l.Addr().String())
	type result struct {
		ws  int
		err error
	}
	done := make(chan result, 1)
	go func() {
		ws, err := runningWithin(engine.Options{}, promptTimeout)(context.Background())
		done <- result{len(ws), err}
	}()
	select {
	case r := <-done:
		if r.ws != 0 || r.err == nil {
			t.Errorf("a silent engine gave %d workspaces and error %v, want none and an error", r.ws, r.err)
		}
	case <-time.After(time.Minute): // a hang guard, not a measurement
		t.Fatal("the prompt's listing never gave up on a silent engine")
	}
}

// An engine that accepts connections and never answers makes completion
// give up at completeTimeout and predict nothing.
func TestRunningNamesGivesUp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	t.Setenv("DOCKER_HOST", "tcp://"+l.Addr().String())
	done := make(chan []string, 1)
	go func() { done <- runningNames(completeTimeout) }()
	select {
	case names := <-done:
		if names != nil {
			t.Errorf("runningNames = %q from a silent engine, want nothing", names)
		}
	case <-time.After(time.Minute): // a hang guard, not a measurement
		t.Fatal("runningNames never gave up on a silent engine")
	}
}

// Names an engine answers with that break Docker's rule never reach the
// prompt or completion.
func TestProperlyNamed(t *testing.T) {
	var cs []engine.Container
	for _, name := range []string{"devenv-a-b", "$(touch pwned)", "a;b", "devenv-x\n", "-rf", "devenv-\x1b]0;x", "devenv-c.d_e"} {
		cs = append(cs, engine.Container{Name: name})
	}
	var got []string
	for _, c := range properlyNamed(cs) {
		got = append(got, c.Name)
	}
	if len(got) != 2 || got[0] != "devenv-a-b" || got[1] != "devenv-c.d_e" {
		t.Errorf("properlyNamed kept %q, want devenv-a-b and devenv-c.d_e", got)
	}
}
