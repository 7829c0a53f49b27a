package channel

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"devenv/internal/terminal"
)

// Stdio is a command's standard streams on the caller's side.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// ErrUnavailable: the channel could not run the command; it never
// started, nothing was read or written, and the engine path may take over.
var ErrUnavailable = errors.New("channel unavailable")

// startTimeout bounds the wait for the holder to start a command.
const startTimeout = 20 * time.Second

// ErrLost: the connection broke while the command ran.
var ErrLost = errors.New("the channel broke while the command ran")

// Terminal is what a TTY session needs from the caller's terminal.
type Terminal struct {
	Size    func() (Size, bool)
	Resized <-chan struct{}
}

// Run runs req through the holder of name and returns how the command
// ended. Signals devenv gets while it runs (terminal.NotifyForwarded) go
// to the command's process group; term, for a TTY session,
// follows the terminal's size. Before the command starts every failure is
// ErrUnavailable.
func Run(stateDir, name string, req Request, stdio Stdio, term *Terminal) (Exit, error) {
	if err := privateDir(Dir(stateDir)); err != nil {
		return Exit{}, ErrUnavailable
	}
	// Listening from the start: a signal that comes before the holder
	// says the command started waits for it instead of being lost.
	signals := make(chan os.Signal, 4)
	defer terminal.NotifyForwarded(signals)()
	uc, err := dialSocket(SocketPath(stateDir, name))
	if err != nil {
		return Exit{}, ErrUnavailable
	}
	defer uc.Close()
	c := &conn{rw: uc}
	if err := c.writeJSON(frameRequest, req); err != nil {
		return Exit{}, ErrUnavailable
	}
	// The holder answers at once unless its connection hangs; then the
	// command may still start, so this is no case for another way.
	uc.SetReadDeadline(time.Now().Add(startTimeout))
	kind, _, err := c.read()
	var timeout net.Error
	switch {
	case errors.As(err, &timeout) && timeout.Timeout():
		return Exit{}, fmt.Errorf("the channel to %s did not answer within %v: try again, or take the engine's way with DEVENV_EXEC_PATH=engine", name, startTimeout)
	case err != nil || kind != frameStarted:
		return Exit{}, ErrUnavailable
	}
	uc.SetReadDeadline(time.Time{})

	go func() {
		for sig := range signals {
			if name, ok := signalNames[sig.(syscall.Signal)]; ok {
				c.write(frameSignal, []byte(name))
			}
		}
	}()
	if term != nil && term.Resized != nil {
		go func() {
			for range term.Resized {
				if s, ok := term.Size(); ok {
					c.writeJSON(frameResize, s)
				}
			}
		}()
	}
	if req.Stdin && stdio.In != nil {
		go func() {
			io.Copy(frameWriter{c, frameStdin}, stdio.In)
			c.write(frameStdinClosed, nil)
		}()
	}
	for {
		kind, payload, err := c.read()
		if err != nil {
			return Exit{}, ErrLost
		}
		switch kind {
		case frameStdout:
			if _, err := stdio.Out.Write(payload); err != nil {
				return Exit{}, err
			}
		case frameStderr:
			stdio.Err.Write(payload)
		case frameExit:
			var exit Exit
			if err := json.Unmarshal(payload, &exit); err != nil {
				return Exit{}, ErrLost
			}
			return exit, nil
		case frameLost:
			return Exit{}, ErrLost
		}
	}
}

// Status is the exit code a shell would report: the command's, or 128
// plus the number of the signal that killed it.
func (e Exit) Status() int {
	if e.Signal != "" {
		for sig, name := range signalNames {
			if name == e.Signal {
				return 128 + int(sig)
			}
		}
		return 128 + int(syscall.SIGKILL) // a signal without a number here
	}
	return e.Code
}

// signalNames are the signals SSH names (RFC 4254 6.10), by number.
var signalNames = map[syscall.Signal]string{
	syscall.SIGABRT: "ABRT", syscall.SIGALRM: "ALRM", syscall.SIGFPE: "FPE",
	syscall.SIGHUP: "HUP", syscall.SIGILL: "ILL", syscall.SIGINT: "INT",
	syscall.SIGKILL: "KILL", syscall.SIGPIPE: "PIPE", syscall.SIGQUIT: "QUIT",
	syscall.SIGSEGV: "SEGV", syscall.SIGTERM: "TERM", syscall.SIGUSR1: "USR1",
	syscall.SIGUSR2: "USR2",
}

// Opening is a holder being started.
type Opening struct {
	lines *bufio.Reader
	pipe  *os.File
}

// Open starts a holder for name: argv is the devenv command line that
// serves it (its standard output tells how setting up goes), with stderr
// appended to a log beside the socket. The holder runs in its own session,
// away from the caller's terminal and its signals.
func Open(stateDir, name string, argv []string) (*Opening, error) {
	if err := privateDir(Dir(stateDir)); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer w.Close()
	logFile, err := os.OpenFile(strings.TrimSuffix(SocketPath(stateDir, name), ".sock")+".log", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		r.Close()
		return nil, err
	}
	defer logFile.Close()
	cmd := &exec.Cmd{Path: exe, Args: argv, Stdout: w, Stderr: logFile,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true}}
	if err := cmd.Start(); err != nil {
		r.Close()
		return nil, err
	}
	go cmd.Wait() // reaps it should it end while this process still runs
	return &Opening{lines: bufio.NewReader(r), pipe: r}, nil
}

// Wait reads how the holder's setup went, for up to timeout. With patient
// set it waits past "wait: …" for the holder's final word; without, only
// "ok" counts.
func (o *Opening) Wait(timeout time.Duration, patient bool) bool {
	defer o.pipe.Close()
	o.pipe.SetReadDeadline(time.Now().Add(timeout))
	for {
		line, err := o.lines.ReadString('\n')
		switch line = strings.TrimSpace(line); {
		case line == "ok":
			return true
		case err == nil && patient && strings.HasPrefix(line, "wait:"):
		default:
			return false
		}
	}
}

// Held reports whether a holder for name runs, or is being set up.
func Held(stateDir, name string) bool {
	f, ok, err := lock(stateDir, name)
	if err != nil {
		return false
	}
	if ok {
		f.Close()
	}
	return !ok
}

// AwaitSocket waits up to timeout for the holder of name to answer.
func AwaitSocket(stateDir, name string, timeout time.Duration) bool {
	path := SocketPath(stateDir, name)
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if uc, err := dialSocket(path); err == nil {
			uc.Close()
			return true
		}
	}
	return false
}
