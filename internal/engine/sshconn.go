package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sshArgv is the command the docker CLI runs to reach an ssh:// engine:
// ssh [-l user] [-p port] -- host docker [--host unix://path] system dial-stdio.
// The user's own ssh configuration (keys, agent, known_hosts, ProxyJump)
// applies, as it does for the docker CLI.
func sshArgv(host string) ([]string, error) {
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "ssh" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not an ssh://[user@]host[:port][/socket] address", host)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil && hasPassword(u.User) {
		return nil, fmt.Errorf("%q: an ssh:// address takes no password, query or fragment", host)
	}
	argv := []string{"ssh", "-o", "ConnectTimeout=30", "-T"}
	if u.User != nil {
		argv = append(argv, "-l", u.User.Username())
	}
	if p := u.Port(); p != "" {
		argv = append(argv, "-p", p)
	}
	argv = append(argv, "--", u.Hostname(), "docker")
	if u.Path != "" && u.Path != "/" {
		argv = append(argv, "--host", "unix://"+u.Path)
	}
	return append(argv, "system", "dial-stdio"), nil
}

// tryCommand is the ssh command line a user can run to see what fails:
// ssh [-p port] [user@]host docker version.
func tryCommand(argv []string) string {
	dest := argv[slices.Index(argv, "--")+1]
	try := []string{"ssh"}
	if i := slices.Index(argv, "-l"); i >= 0 {
		dest = argv[i+1] + "@" + dest
	}
	if i := slices.Index(argv, "-p"); i >= 0 {
		try = append(try, "-p", argv[i+1])
	}
	return strings.Join(append(try, dest, "docker", "version"), " ")
}

func hasPassword(u *url.Userinfo) bool {
	_, set := u.Password()
	return set
}

// ErrNoSSH: the ssh client, needed for ssh:// engines, is not installed.
var ErrNoSSH = errors.New("the ssh client is not installed")

// sshTransport starts one ssh process per connection and speaks HTTP over
// its stdin and stdout. It keeps the last connection, so that a failure the
// HTTP client reports in its own words can be told in ssh's.
type sshTransport struct {
	argv []string
	try  string

	mu   sync.Mutex
	last *commandConn
}

func newSSHTransport(host string) (*sshTransport, error) {
	argv, err := sshArgv(host)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		return nil, fmt.Errorf("%w: install OpenSSH's client (openssh-client)", ErrNoSSH)
	}
	return &sshTransport{argv: argv, try: tryCommand(argv)}, nil
}

func (t *sshTransport) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	c, err := startCommandConn(t.argv, t.try)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.last = c
	t.mu.Unlock()
	return c, nil
}

// failure is why the last ssh ended, if it ended badly; an ssh that is
// ending gets a moment to do so.
func (t *sshTransport) failure() error {
	t.mu.Lock()
	c := t.last
	t.mu.Unlock()
	if c == nil {
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- c.wait() }()
	select {
	case werr := <-done:
		if werr != nil {
			return c.failure(werr)
		}
	case <-time.After(2 * time.Second):
	}
	return nil
}

// commandConn is a net.Conn over a command's stdin and stdout. The command
// is not tied to the dial's context: the connection outlives the dial.
type commandConn struct {
	cmd    *exec.Cmd
	try    string // the ssh command line to try by hand, for messages
	stdin  io.WriteCloser
	stdout io.ReadCloser
	stderr *tailBuffer

	closeOnce sync.Once
	waitOnce  sync.Once
	waitErr   error
}

func startCommandConn(argv []string, try string) (*commandConn, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	// A session of its own, as the docker CLI does (docker/cli#1707): ssh
	// never reads the user's terminal, so it fails instead of prompting
	// behind a session, and a Ctrl-C meant for the session never ends it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	c := &commandConn{cmd: cmd, try: try, stderr: &tailBuffer{max: 4096}}
	var err error
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if c.stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start ssh: %w", err)
	}
	return c, nil
}

func (c *commandConn) wait() error {
	c.waitOnce.Do(func() { c.waitErr = c.cmd.Wait() })
	return c.waitErr
}

// Read returns what the remote engine sends; when ssh ends, the error says
// why, in ssh's or the remote shell's own words.
func (c *commandConn) Read(p []byte) (int, error) {
	n, err := c.stdout.Read(p)
	if err == io.EOF {
		if werr := c.wait(); werr != nil {
			return n, c.failure(werr)
		}
	}
	return n, err
}

func (c *commandConn) failure(werr error) error {
	e := &sshError{
		reason: strings.TrimSuffix(c.stderr.lastLine(), "."),
		fix:    "check that '" + c.try + "' works without a prompt",
	}
	var exit *exec.ExitError
	if errors.As(werr, &exit) && exit.ExitCode() == 127 {
		e.reason = "the remote host has no docker CLI"
		e.fix = "install the docker CLI there: it relays the engine API (docker system dial-stdio)"
	}
	if e.reason == "" {
		e.reason = werr.Error()
	}
	return e
}

// sshError is why ssh, or the docker CLI it ran, ended the connection.
type sshError struct {
	reason string // ssh's own words, or what was missing
	fix    string
}

func (e *sshError) Error() string { return "ssh: " + e.reason }

// Write sends to the remote engine; when ssh has ended already (a refused
// login can end it before the request is written), the error says why.
func (c *commandConn) Write(p []byte) (int, error) {
	n, err := c.stdin.Write(p)
	if err != nil {
		if werr := c.wait(); werr != nil {
			return n, c.failure(werr)
		}
	}
	return n, err
}

// Close ends the ssh process; closing stdin first lets it leave cleanly.
func (c *commandConn) Close() error {
	c.closeOnce.Do(func() {
		c.stdin.Close()
		done := make(chan struct{})
		go func() { c.wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Second):
			c.cmd.Process.Kill()
			<-done
		}
	})
	return nil
}

// CloseWrite half-closes, as the hijacked attach stream expects of a conn.
func (c *commandConn) CloseWrite() error { return c.stdin.Close() }

func (c *commandConn) LocalAddr() net.Addr                { return sshAddr{} }
func (c *commandConn) RemoteAddr() net.Addr               { return sshAddr{} }
func (c *commandConn) SetDeadline(t time.Time) error      { return nil }
func (c *commandConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *commandConn) SetWriteDeadline(t time.Time) error { return nil }

type sshAddr struct{}

func (sshAddr) Network() string { return "ssh" }
func (sshAddr) String() string  { return "ssh" }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(string(bytes.TrimSpace(t.buf)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
