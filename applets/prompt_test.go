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
