package applets

import (
	"context"
	"net"
	"testing"
	"time"
)

// An engine that accepts connections and never answers costs the prompt its
// deadline and no more.
func TestPromptDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	t.Setenv("DOCKER_HOST", "tcp://"+l.Addr().String())
	start := time.Now()
	_, err = runningWithin(promptTimeout)(context.Background())
	if elapsed := time.Since(start); elapsed > promptTimeout+50*time.Millisecond {
		t.Errorf("listing took %v with a silent engine, want at most about %v", elapsed, promptTimeout)
	}
	if err == nil {
		t.Error("a silent engine gave an answer")
	}
}
