package environment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"devenv/internal/statedir"
)

// Starting an environment is create, then start, then inspect: three engine
// calls, and a devenv killed between them (SIGKILL, a closed terminal, the
// OOM killer, a laptop lid) leaves a container that is created or exited
// but will never run. Such a container must not wedge the project, yet a
// container that another devenv is starting right now must not be removed.
//
// The rule: every start holds an exclusive flock on
// <state dir>/locks/<name>.lock from before it looks at the name until the
// container runs (or the start failed and cleaned up). The kernel drops a
// flock when its holder dies, however it dies. So whoever holds the lock
// knows that no live devenv of this state directory is between create and
// running for that name: a container of that name that is not running is
// left over, and is removed before creating anew. Concurrent starters of
// one project queue on the lock; the first creates, the others find it
// running. The lock covers the engine calls only, never an image build.
//
// Starters with another state directory (another user of the same engine)
// do not share the lock; their containers are for other paths, which
// CollisionError keeps apart anyway.

// lockName takes the start lock for the environment called name, waiting
// while another devenv holds it. Release it by calling the returned func.
func lockName(ctx context.Context, getenv func(string) string, name string) (func(), error) {
	state, err := statedir.Dir(getenv)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(state, "locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s for start locks: %w", dir, err)
	}
	path := filepath.Join(dir, name+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open start lock %s: %w", path, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing the file drops the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for another devenv to finish starting %s: %w", name, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
