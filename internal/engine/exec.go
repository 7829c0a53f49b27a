package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// ExecSpec describes a process to run in a running container.
type ExecSpec struct {
	Cmd     []string
	User    string
	WorkDir string
	Env     []string
	TTY     bool // allocate a pseudo-terminal: one raw stream, resizable
	Stdin   bool // attach In; closed for writing at its EOF
}

// Size is a terminal's size in character cells.
type Size struct{ Rows, Cols uint }

// ExecIO connects an exec to the caller. Without a TTY, Out and Err receive
// the process's stdout and stderr separately; with one, Out receives both.
type ExecIO struct {
	In       io.Reader
	Out, Err io.Writer
	// Size reports the terminal size now; Resized signals that it changed.
	Size    func() (Size, bool)
	Resized <-chan struct{}
	// Signals are passed on to the process as they come (see
	// forwardSignals).
	Signals <-chan os.Signal
}

// ErrGone: the container disappeared while a process ran in it.
var ErrGone = errors.New("the environment stopped while the command ran")

// Exec runs spec in the container and returns the process's exit code. It
// follows docker/cli's exec: the TTY decision is made before create, the
// hijacked attach is the start, the size is set at create and again after
// attach (engines before API 1.42 ignore the first), and the exit code comes
// from exec inspect.
func (c *Client) Exec(ctx context.Context, containerName string, spec ExecSpec, stdio ExecIO) (int, error) {
	opts := container.ExecOptions{
		User:         spec.User,
		Tty:          spec.TTY,
		AttachStdin:  spec.Stdin,
		AttachStdout: true,
		AttachStderr: true,
		Env:          spec.Env,
		WorkingDir:   spec.WorkDir,
		Cmd:          spec.Cmd,
	}
	var size *[2]uint
	if spec.TTY && stdio.Size != nil {
		if s, ok := stdio.Size(); ok {
			size = &[2]uint{s.Rows, s.Cols}
		}
	}
	opts.ConsoleSize = size

	createCtx, cancel := withTimeout(ctx)
	created, err := c.api.ContainerExecCreate(createCtx, containerName, opts)
	cancel()
	if err != nil {
		return -1, fmt.Errorf("exec in %s: %w", containerName, c.wrap(err))
	}

	resp, err := c.api.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{Tty: spec.TTY, ConsoleSize: size})
	if err != nil {
		return -1, fmt.Errorf("attach to %s: %w", containerName, c.wrap(err))
	}
	defer resp.Close()

	out := stdio.Out
	if spec.TTY && stdio.Size != nil {
		first := &firstWrite{w: stdio.Out, done: make(chan struct{})}
		out = first
		go c.followResize(ctx, created.ID, stdio, first.done)
	}
	if stdio.Signals != nil {
		go c.forwardSignals(ctx, created.ID, stdio.Signals)
	}
	if spec.Stdin && stdio.In != nil {
		go func() {
			io.Copy(resp.Conn, stdio.In)
			// Without this the process never sees EOF and piped input hangs.
			resp.CloseWrite()
		}()
	}

	outputDone := make(chan error, 1)
	go func() {
		var err error
		if spec.TTY {
			_, err = io.Copy(out, resp.Reader)
		} else {
			_, err = stdcopy.StdCopy(stdio.Out, stdio.Err, resp.Reader)
		}
		outputDone <- err
	}()
	select {
	case <-outputDone:
	case <-ctx.Done():
		return -1, ctx.Err()
	}
	return c.execExitCode(ctx, created.ID)
}

// followResize sets the size right after attach, with a few retries because
// the process may not have started yet, then on every change.
func (c *Client) followResize(ctx context.Context, execID string, stdio ExecIO, firstOutput <-chan struct{}) {
	resize := func() error {
		s, ok := stdio.Size()
		if !ok {
			return nil
		}
		rctx, cancel := withTimeout(ctx)
		defer cancel()
		return c.api.ContainerExecResize(rctx, execID, container.ResizeOptions{Height: s.Rows, Width: s.Cols})
	}
	for i := 0; i < 10 && resize() != nil; i++ {
		time.Sleep(time.Duration(i+1) * 10 * time.Millisecond)
	}
	// Engines before API 1.42 accept a resize before the process has its
	// terminal and then drop it: the size is set again once it surely has.
	go func() {
		for _, d := range []time.Duration{50 * time.Millisecond, 250 * time.Millisecond} {
			time.Sleep(d)
			if ctx.Err() == nil {
				resize()
			}
		}
	}()
	// Podman ignores ConsoleSize and accepts a resize before the exec's
	// terminal exists, which it then opens at 0x0: once the process has
	// written something its terminal is there, so size it again.
	select {
	case <-firstOutput:
		resize()
	case <-ctx.Done():
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-stdio.Resized:
			if !ok {
				return
			}
			resize()
		}
	}
}

// forwardSignals sends each signal to the exec's process. The Engine API
// has no call for it, so the process is signalled from here, by the host
// process ID the engine reports; that ID is this machine's only when the
// process's cgroup names the container (an engine in a VM or on another
// host reports IDs of its own), so nothing else is ever signalled. It
// works where the caller may signal the process: devuser has the caller's
// UID.
func (c *Client) forwardSignals(ctx context.Context, execID string, signals <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-signals:
			s, ok := sig.(syscall.Signal)
			if !ok {
				continue
			}
			// Right after the start the engine may not know the process
			// yet.
			for try := 0; try < 20; try++ {
				ictx, cancel := withTimeout(ctx)
				r, err := c.api.ContainerExecInspect(ictx, execID)
				cancel()
				if err == nil && r.Running && r.Pid > 0 && inContainer(r.Pid, r.ContainerID) {
					syscall.Kill(r.Pid, s)
					break
				}
				if err != nil || !r.Running && r.ExitCode != 0 || ctx.Err() != nil {
					break
				}
				time.Sleep(25 * time.Millisecond)
			}
		}
	}
}

func inContainer(pid int, containerID string) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	return err == nil && len(containerID) == 64 && strings.Contains(string(data), containerID)
}

// execExitCode waits the few moments an exec can still report Running after
// its streams closed.
func (c *Client) execExitCode(ctx context.Context, execID string) (int, error) {
	for i := 0; ; i++ {
		ictx, cancel := withTimeout(ctx)
		r, err := c.api.ContainerExecInspect(ictx, execID)
		cancel()
		if err != nil {
			if err := c.wrap(err); errors.Is(err, ErrNotFound) {
				return -1, ErrGone
			}
			return -1, c.wrap(err)
		}
		if !r.Running {
			return r.ExitCode, nil
		}
		if i == 100 {
			return -1, ErrGone
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// firstWrite closes done when the first bytes pass through it.
type firstWrite struct {
	w    io.Writer
	once sync.Once
	done chan struct{}
}

func (f *firstWrite) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.once.Do(func() { close(f.done) })
	return n, err
}
