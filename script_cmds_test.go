package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"

	"devenv/internal/engine"
	"devenv/internal/testimage"
)

func scriptCommands(d *docker) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"interact": cmdInteract,
		"scrub":    cmdScrub,
		"inspect":  d.cmdInspect,
		"foreign":  d.cmdForeign,
		"occupy":   cmdOccupy,
		"freeport": cmdFreePort,
		"exits":    cmdExits,
		"expand":   cmdExpand,
		// agent homes and the hostile-agent suite, in agents_cmds_test.go
		"mountrule": d.cmdMountRule,
		// the ports suite's, in port_cmds_test.go
		"httpget":     cmdHTTPGet,
		"awaitlisten": cmdAwaitListen,
		// the egress suite's, in egress_cmds_test.go
		"testnet":  d.cmdTestNet,
		"testhost": d.cmdTestHost,
		// the fault suite's, in fault_cmds_test.go
		"killcontainer": d.cmdKillContainer,
		"published":     d.cmdPublished,
		"setmatch":      cmdSetMatch,
		"dockerd":       d.cmdDockerd,
		"containerid":   d.cmdContainerID,
		"rmi":           d.cmdRmi,
		"killafter":     cmdKillAfter,
		"environments":  d.cmdEnvironments,
		// the tool-version scenarios', in tools_cmds_test.go
		"imagelabel": d.cmdImageLabel,
		"imageid":    d.cmdImageID,
		"needreach":  cmdNeedReach,
		// the engine scenarios', in eng_cmds_test.go
		"tlsfront": d.cmdTLSFront,
	}
}

// cmdInteract runs a program on a pseudo-terminal and drives it with a
// session file, then writes what the terminal showed to stdout.
//
//	interact [-size ROWSxCOLS] SESSION PROG [ARG...]
//
// Session lines: `send TEXT` (Go escapes: \n, \x04), `expect REGEXP` (waits up
// to 30s for it in the output since the last match), `timeout DURATION`
// (the wait of the expects after it), `resize ROWS COLS`.
// It fails when the program exits non-zero, printing "exit status N".
func cmdInteract(ts *testscript.TestScript, neg bool, args []string) {
	rows, cols, args := interactSize(ts, args)
	if len(args) < 2 {
		ts.Fatalf("usage: interact [-size ROWSxCOLS] SESSION PROG [ARG...]")
	}
	session := strings.Split(strings.TrimSpace(ts.ReadFile(args[0])), "\n")
	prog, err := lookPath(args[1], ts.Getenv("PATH"))
	ts.Check(err)
	cmd := exec.Command(prog, args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "DOCKER_HOST", "DOCKER_API_VERSION", "DEVENV_IMAGE", "DEVENV_SSH_PORT", "DEVENV_EXEC_PATH", "LANG"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.Env = append(cmd.Env, "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: rows, Cols: cols})
	ts.Check(err)
	defer tty.Close()

	term := record(tty)
	for _, line := range session {
		term.play(ts, line)
	}
	err = awaitExit(ts, cmd, args[1])
	term.settle()
	fmt.Fprint(ts.Stdout(), strings.ReplaceAll(term.text(), "\r\n", "\n"))
	if err != nil {
		fmt.Fprintln(ts.Stderr(), err)
		if !neg {
			ts.Fatalf("interact: %v", err)
		}
	} else if neg {
		ts.Fatalf("interact: unexpected success")
	}
}

// interactSize reads interact's -size ROWSxCOLS, 24x80 without it.
func interactSize(ts *testscript.TestScript, args []string) (rows, cols uint16, rest []string) {
	rows, cols = 24, 80
	if len(args) > 1 && args[0] == "-size" {
		if _, err := fmt.Sscanf(args[1], "%dx%d", &rows, &cols); err != nil {
			ts.Fatalf("interact: bad -size %q", args[1])
		}
		args = args[2:]
	}
	return rows, cols, args
}

// ptyTerminal is interact's end of a pseudo-terminal: everything the
// program showed so far, and how far the expects have read it.
type ptyTerminal struct {
	tty    *os.File
	mu     sync.Mutex
	screen bytes.Buffer
	closed chan struct{} // the program's end is gone
	cursor int           // where the next expect starts looking
	wait   time.Duration // how long an expect waits; 0: 30s
}

// record keeps what the program writes to tty until its end closes.
func record(tty *os.File) *ptyTerminal {
	t := &ptyTerminal{tty: tty, closed: make(chan struct{})}
	go func() {
		defer close(t.closed)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			t.mu.Lock()
			t.screen.Write(buf[:n])
			t.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return t
}

func (t *ptyTerminal) text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.screen.String()
}

// play runs one line of a session file.
func (t *ptyTerminal) play(ts *testscript.TestScript, line string) {
	verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch verb {
	case "", "#":
	case "send":
		text, err := strconv.Unquote(`"` + arg + `"`)
		ts.Check(err)
		_, err = t.tty.WriteString(text)
		ts.Check(err)
	case "timeout": // how long each later expect waits, for a slow step
		var err error
		t.wait, err = time.ParseDuration(arg)
		ts.Check(err)
	case "expect":
		t.expect(ts, regexp.MustCompile(arg))
	case "resize":
		var r, c uint16
		_, err := fmt.Sscanf(arg, "%d %d", &r, &c)
		ts.Check(err)
		ts.Check(pty.Setsize(t.tty, &pty.Winsize{Rows: r, Cols: c}))
	default:
		ts.Fatalf("interact: unknown session verb %q", verb)
	}
}

// expect waits up to 30s for re in what the program showed since the last
// match; it fails at once when the program's end closes first.
func (t *ptyTerminal) expect(ts *testscript.TestScript, re *regexp.Regexp) {
	wait := t.wait
	if wait == 0 {
		wait = 30 * time.Second
	}
	deadline := time.Now().Add(wait)
	for {
		seen := t.text()
		if loc := re.FindStringIndex(seen[t.cursor:]); loc != nil {
			t.cursor += loc[1]
			return
		}
		exited := false
		select {
		case <-t.closed:
			exited = true
		default:
		}
		if exited || time.Now().After(deadline) {
			ts.Fatalf("interact: %q did not appear; the terminal showed:\n%s", re, seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settle gives the last of the output a moment to arrive after the
// program exits.
func (t *ptyTerminal) settle() {
	select {
	case <-t.closed:
	case <-time.After(2 * time.Second):
	}
}

// awaitExit waits up to 30s for cmd to exit, and returns how it did.
func awaitExit(ts *testscript.TestScript, cmd *exec.Cmd, name string) error {
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		return err
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		ts.Fatalf("interact: %s did not exit", name)
	}
	return nil
}

func lookPath(file, path string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, file)
		if info, err := os.Stat(p); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found in PATH", file)
}

var scrubbers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "TIME"},
	{regexp.MustCompile(`(Less than a second|About an? \w+|\d+ \w+) ago`), "AGO"},
	{regexp.MustCompile(`devenv\.workspace=\d+:\d+`), "devenv.workspace=DEV:INODE"},
}

// cmdScrub normalises what truly varies from run to run in a file (or
// stdout/stderr) and writes the result to OUT: the work directory becomes
// $WORK, ports PORT, times TIME and AGO.
//
//	scrub FILE OUT
func cmdScrub(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: scrub FILE OUT")
	}
	text := ts.ReadFile(args[0])
	work := ts.Getenv("WORK")
	if real, err := filepath.EvalSymlinks(work); err == nil && real != work {
		text = strings.ReplaceAll(text, real, "$WORK")
	}
	text = strings.ReplaceAll(text, work, "$WORK")
	// The test image's name holds its inputs' hash (testimage.Ensure).
	if image := ts.Getenv("DEVENV_TEST_IMAGE"); image != "" {
		text = strings.ReplaceAll(text, image, testimage.Ref)
	}
	for _, s := range scrubbers {
		text = s.re.ReplaceAllString(text, s.with)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(text), 0o644))
}

// cmdInspect prints, one fact a line, what the engine says of a container:
// its devenv labels, user, init, published SSH address, mounts with their
// mode, and whether any mount is a Docker socket.
//
// With !, it asserts that no container of that name exists.
//
//	inspect NAME
func (d *docker) cmdInspect(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: inspect NAME")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := d.eng.Inspect(ctx, args[0])
	if neg {
		if !errors.Is(err, engine.ErrNotFound) {
			ts.Fatalf("container %s exists (%s), want none", args[0], c.State)
		}
		return
	}
	ts.Check(err)
	var b strings.Builder
	fmt.Fprintf(&b, "name %s\nstate %s\nuser %s\ninit %t\nssh %s\n", c.Name, c.State, c.User, c.Init, c.SSHAddress())
	var labels []string
	for k, v := range c.Labels {
		if k == "devenv" || strings.HasPrefix(k, "devenv.") && k != "devenv.inputs" && k != "devenv.settings" {
			labels = append(labels, "label "+k+"="+v)
		}
	}
	sort.Strings(labels)
	for _, l := range labels {
		b.WriteString(l + "\n")
	}
	if l := c.Limits; l != (engine.Limits{}) {
		fmt.Fprintf(&b, "limits cpus=%g memory=%d pids=%d\n", l.CPUs, l.Memory, l.Pids)
	}
	socket := "none"
	mounts := append([]engine.Mount(nil), c.Mounts...)
	sort.Slice(mounts, func(i, j int) bool { return mounts[i].Target < mounts[j].Target })
	for _, m := range mounts {
		mode := "rw"
		if m.ReadOnly {
			mode = "ro"
		}
		fmt.Fprintf(&b, "mount %s <- %s %s\n", m.Target, m.Source, mode)
		if strings.Contains(m.Source, "docker.sock") || strings.Contains(m.Target, "docker.sock") {
			socket = "mounted"
		}
	}
	fmt.Fprintf(&b, "docker-socket %s\n", socket)
	fmt.Fprint(ts.Stdout(), b.String())
}

// cmdForeign starts a container that devenv did not make (no devenv label),
// from debian:trixie-slim, and removes it when the scenario ends.
//
//	foreign NAME
func (d *docker) cmdForeign(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: foreign NAME")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id, err := d.eng.Create(ctx, engine.ContainerSpec{Name: args[0], Image: "debian:trixie-slim", Cmd: []string{"sleep", "infinity"}, SSHIP: "127.0.0.1"})
	ts.Check(err)
	ts.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d.eng.Remove(ctx, id)
	})
	ts.Check(d.eng.Start(ctx, id))
}

// cmdOccupy listens on a free port of 127.0.0.1 for the rest of the
// scenario and puts its number in VAR: any free port, or the first free
// one above ABOVE.
//
//	occupy VAR [ABOVE]
func cmdOccupy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: occupy VAR [ABOVE]")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if len(args) == 2 {
		above, perr := strconv.Atoi(args[1])
		ts.Check(perr)
		for port := above + 1; port < 65536; port++ {
			if l, err = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
				break
			}
		}
	}
	ts.Check(err)
	ts.Defer(func() { l.Close() })
	ts.Setenv(args[0], strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
}

// cmdFreePort puts a port of 127.0.0.1 that was free a moment ago in VAR.
//
//	freeport VAR
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Setenv(args[0], strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	l.Close()
}

// cmdExits runs a program and checks its exit status, and with -within
// that it ended within DURATION; stdout and stderr are kept for the
// commands that follow, as with exec.
//
//	exits [-within DURATION] STATUS PROG [ARG...]
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	var within time.Duration
	if len(args) > 1 && args[0] == "-within" {
		var err error
		within, err = time.ParseDuration(args[1])
		ts.Check(err)
		args = args[2:]
	}
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits [-within DURATION] STATUS PROG [ARG...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	start := time.Now()
	err = ts.Exec(args[1], args[2:]...)
	if took := time.Since(start); within > 0 && took > within {
		ts.Fatalf("%s took %v, want at most %v", args[1], took.Round(time.Millisecond), within)
	}
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdRmi removes images, so a scenario starts without what an earlier run
// left behind.
//
//	rmi REF...
func (d *docker) cmdRmi(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: rmi REF...")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, ref := range args {
		ts.Check(d.eng.RemoveImage(ctx, ref))
	}
}

// cmdExpand copies SRC to DST with each ${NAME} replaced by the script's
// variable, for files that must name what varies, such as a Dockerfile
// that starts FROM ${DEVENV_TEST_IMAGE}. A bare $NAME stays as it is, so a
// Dockerfile keeps its own $PATH.
//
//	expand SRC DST
func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: expand SRC DST")
	}
	text := bracedVariable.ReplaceAllStringFunc(ts.ReadFile(args[0]), func(v string) string {
		return ts.Getenv(v[2 : len(v)-1])
	})
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(text), 0o644))
}

var bracedVariable = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}`)
