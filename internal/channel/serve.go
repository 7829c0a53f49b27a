package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Config is what a holder needs to know about its environment.
type Config struct {
	StateDir    string // devenv's SSH state directory (sshkeys.Store.Dir)
	Name        string // the environment's container name
	ContainerID string
	Addr        string // its sshd, host:port
	SSH         *ssh.ClientConfig
	// Workspace is the project directory on the host and where it is
	// mounted: a request for a host directory is checked against it.
	WorkspaceSrc, WorkspaceDst string
	// Idle is how long the holder stays without a session before it
	// closes; DefaultIdle when zero.
	Idle time.Duration
	// DialWait is how long a first connection is retried while sshd
	// starts.
	DialWait time.Duration
	// Usable, when set, is asked before every command: false sends the
	// command the engine's way.
	Usable func() bool
	// Ready hears once how setting up went: "ok", or "wait: …" while sshd
	// does not answer yet (then "ok" or "fail: …" later), or "fail: …".
	Ready io.Writer
}

// DefaultIdle is how long an unused channel stays open.
const DefaultIdle = 10 * time.Minute

// sessionsPerConn stays below sshd's MaxSessions (10 by default): more
// concurrent commands open another connection.
const sessionsPerConn = 8

// keepalive is how often the holder checks that the environment still
// answers; a dead connection ends the holder.
const keepalive = 10 * time.Second

// Serve holds the channel until the environment goes away, devenv stop
// closes it, or it has been idle for cfg.Idle. Only one holder serves an
// environment: a second one reports "fail: busy" and returns.
func Serve(ctx context.Context, cfg Config) error {
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	ready := func(format string, args ...any) { fmt.Fprintf(cfg.Ready, format+"\n", args...) }
	if err := privateDir(Dir(cfg.StateDir)); err != nil {
		ready("fail: %v", err)
		return err
	}
	lockFile, ok, err := lock(cfg.StateDir, cfg.Name)
	if err != nil || !ok {
		if err == nil {
			err = errBusy
		}
		ready("fail: %v", err)
		return err
	}
	defer lockFile.Close()
	fmt.Fprintf(lockFile, "%d\n", os.Getpid()) // who holds it, for people

	path := SocketPath(cfg.StateDir, cfg.Name)
	h := &holder{cfg: cfg, path: path, done: make(chan struct{}), lastUsed: time.Now()}
	first, err := h.dial()
	if err != nil {
		ready("wait: %v", err)
		deadline := time.Now().Add(cfg.DialWait)
		for err != nil && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
			first, err = h.dial()
		}
		if err != nil {
			ready("fail: %v", err)
			return err
		}
	}
	h.conns = []*sshConn{first}
	l, err := listenSocket(path)
	if err != nil {
		first.client.Close()
		ready("fail: %v", err)
		return err
	}
	defer os.Remove(path)
	ready("ok")
	// It stays for minutes doing next to nothing: give back what setting
	// up took.
	debug.FreeOSMemory()

	go h.watch(ctx, first)
	go func() {
		<-h.done
		l.Close()
	}()
	for {
		uc, err := l.AcceptUnix()
		if err != nil {
			h.shutdown()
			h.wg.Wait()
			return nil
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			h.handle(uc)
		}()
	}
}

var errBusy = errors.New("busy: another holder serves it")

type holder struct {
	cfg      Config
	path     string
	mu       sync.Mutex
	conns    []*sshConn
	active   int
	lastUsed time.Time
	done     chan struct{}
	once     sync.Once
	wg       sync.WaitGroup
}

type sshConn struct {
	client   *ssh.Client
	sessions int
}

func (h *holder) dial() (*sshConn, error) {
	tcp, err := net.DialTimeout("tcp", h.cfg.Addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	tcp.SetDeadline(time.Now().Add(10 * time.Second))
	c, chans, reqs, err := ssh.NewClientConn(tcp, h.cfg.Addr, h.cfg.SSH)
	if err != nil {
		tcp.Close()
		return nil, err
	}
	tcp.SetDeadline(time.Time{})
	return &sshConn{client: ssh.NewClient(c, chans, reqs)}, nil
}

// shutdown closes the channel: the socket goes first, so no new client
// finds it, then every connection, which ends the sessions on them.
func (h *holder) shutdown() {
	h.once.Do(func() {
		os.Remove(h.path)
		close(h.done)
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, c := range h.conns {
			c.client.Close()
		}
	})
}

// watch ends the holder when the first connection breaks (the
// environment stopped), stops answering keepalives, or the holder has been
// idle long enough.
func (h *holder) watch(ctx context.Context, first *sshConn) {
	broken := make(chan struct{})
	go func() {
		first.client.Wait()
		close(broken)
	}()
	tick := time.NewTicker(min(keepalive, h.cfg.Idle))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
		case <-broken:
		case <-h.done:
			return
		case <-tick.C:
			h.mu.Lock()
			idle := h.active == 0 && time.Since(h.lastUsed) >= h.cfg.Idle
			h.mu.Unlock()
			if !idle && alive(first.client) {
				continue
			}
		}
		h.shutdown()
		return
	}
}

func alive(c *ssh.Client) bool {
	answer := make(chan error, 1)
	go func() {
		_, _, err := c.SendRequest("keepalive@openssh.com", true, nil)
		answer <- err
	}()
	select {
	case err := <-answer:
		return err == nil
	case <-time.After(keepalive):
		return false
	}
}

// session opens a session on a connection with room, dialling another
// when all are full.
func (h *holder) session() (*ssh.Session, func(), error) {
	h.mu.Lock()
	var pick *sshConn
	for _, c := range h.conns {
		if c.sessions < sessionsPerConn {
			pick = c
			break
		}
	}
	if pick == nil {
		h.mu.Unlock()
		c, err := h.dial()
		if err != nil {
			return nil, nil, err
		}
		h.mu.Lock()
		select {
		case <-h.done:
			h.mu.Unlock()
			c.client.Close()
			return nil, nil, errors.New("closing")
		default:
		}
		h.conns = append(h.conns, c)
		go func() { // an extra connection that breaks just leaves the pool
			c.client.Wait()
			h.mu.Lock()
			defer h.mu.Unlock()
			for i, x := range h.conns {
				if x == c && i > 0 {
					h.conns = append(h.conns[:i], h.conns[i+1:]...)
					break
				}
			}
		}()
		pick = c
	}
	pick.sessions++
	h.active++
	h.mu.Unlock()
	release := func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		pick.sessions--
		h.active--
		h.lastUsed = time.Now()
	}
	s, err := pick.client.NewSession()
	if err != nil {
		release()
		return nil, nil, err
	}
	return s, release, nil
}

// workDir is where a request's session starts: the directory the client
// resolved, or the workspace when it asked by name or for the workspace's
// own host directory. Any other host directory is the engine's to resolve.
func (h *holder) workDir(req Request) (string, bool) {
	switch {
	case req.WorkDir != "":
		return req.WorkDir, true
	case req.Dir == "" || req.Dir == h.cfg.WorkspaceSrc && h.cfg.WorkspaceSrc != "":
		return h.cfg.WorkspaceDst, h.cfg.WorkspaceDst != ""
	}
	return "", false
}

func (h *holder) handle(uc *net.UnixConn) {
	defer uc.Close()
	c := &conn{rw: uc}
	kind, payload, err := c.read()
	if err != nil {
		return
	}
	if kind == frameClose {
		h.shutdown()
		c.write(frameClose, nil)
		return
	}
	var req Request
	if kind != frameRequest || json.Unmarshal(payload, &req) != nil || len(req.Argv) == 0 {
		c.write(frameUnavailable, []byte("bad request"))
		return
	}
	if req.ContainerID != "" && req.ContainerID != h.cfg.ContainerID {
		// The name belongs to another container now: this holder is stale.
		c.write(frameUnavailable, []byte("stale"))
		h.shutdown()
		return
	}
	if h.cfg.Usable != nil && !h.cfg.Usable() {
		c.write(frameUnavailable, []byte("not usable"))
		return
	}
	workDir, ok := h.workDir(req)
	if !ok {
		c.write(frameUnavailable, []byte("directory outside the workspace"))
		return
	}
	s, release, err := h.session()
	if err != nil {
		c.write(frameUnavailable, []byte(err.Error()))
		return
	}
	defer release()
	defer s.Close()
	exit, started, err := run(s, c, req, remoteCommand(req.Argv, req.Env, workDir, h.cfg.Name))
	switch {
	case !started:
		c.write(frameUnavailable, []byte(err.Error()))
	case err != nil:
		c.write(frameLost, []byte(err.Error()))
	default:
		c.writeJSON(frameExit, exit)
	}
}

// run starts command in s and relays between it and the client.
func run(s *ssh.Session, c *conn, req Request, command string) (Exit, bool, error) {
	if req.TTY {
		if err := s.RequestPty(req.Term, int(req.Size.Rows), int(req.Size.Cols), ssh.TerminalModes{}); err != nil {
			return Exit{}, false, err
		}
	}
	stdin, err := s.StdinPipe()
	if err != nil {
		return Exit{}, false, err
	}
	stdout, err := s.StdoutPipe()
	if err != nil {
		return Exit{}, false, err
	}
	stderr, err := s.StderrPipe()
	if err != nil {
		return Exit{}, false, err
	}
	if err := s.Start(command); err != nil {
		return Exit{}, false, err
	}
	if err := c.write(frameStarted, nil); err != nil {
		s.Signal(ssh.SIGHUP)
		return Exit{}, true, err
	}
	if !req.Stdin {
		stdin.Close()
	}
	go relayClient(s, c, stdin, req.Stdin)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); io.Copy(frameWriter{c, frameStdout}, stdout) }()
	go func() { defer wg.Done(); io.Copy(frameWriter{c, frameStderr}, stderr) }()
	wg.Wait()
	err = s.Wait()
	var exitErr *ssh.ExitError
	switch {
	case err == nil:
		return Exit{}, true, nil
	case errors.As(err, &exitErr):
		return Exit{Code: exitErr.ExitStatus(), Signal: exitErr.Signal()}, true, nil
	}
	return Exit{}, true, err
}

// relayClient passes the client's stdin, signals and sizes on. A client
// that goes away hangs the command up, as a closed terminal would.
func relayClient(s *ssh.Session, c *conn, stdin io.WriteCloser, wantStdin bool) {
	data := make(chan []byte, 64)
	go func() {
		for p := range data {
			if _, err := stdin.Write(p); err != nil {
				break
			}
		}
		stdin.Close()
		for range data {
		}
	}()
	var once sync.Once
	endStdin := func() { once.Do(func() { close(data) }) }
	defer endStdin()
	for {
		kind, payload, err := c.read()
		if err != nil {
			s.Signal(ssh.SIGHUP)
			s.Close()
			return
		}
		switch kind {
		case frameStdin:
			if wantStdin {
				data <- payload
			}
		case frameStdinClosed:
			endStdin()
		case frameSignal:
			s.Signal(ssh.Signal(payload))
		case frameResize:
			var size Size
			if json.Unmarshal(payload, &size) == nil {
				s.WindowChange(int(size.Rows), int(size.Cols))
			}
		}
	}
}

// Close asks the holder of name, if one runs, to close its channel, and
// waits until it has.
func Close(stateDir, name string) {
	path := SocketPath(stateDir, name)
	uc, err := dialSocket(path)
	if err != nil {
		return
	}
	defer uc.Close()
	uc.SetDeadline(time.Now().Add(5 * time.Second))
	c := &conn{rw: uc}
	if c.write(frameClose, nil) == nil {
		c.read()
	}
}
