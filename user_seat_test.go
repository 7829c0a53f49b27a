package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// seatImage is what TestUserSeat builds the way a user does: devenv build,
// with one tool from each source kind (Debian, npm, the Go module proxy).
const (
	seatImage = "devenv-seat"
	seatTools = "jq,claude-code,golang"
)

// TestUserSeat sits where the user sits: on the image `devenv build` makes,
// in real terminals (tmux), through the login shell that `devenv PATH` and
// `devenv ssh` open. Every tool answers as typed; the shell's exit status
// becomes devenv's; a second terminal joins the same environment; Ctrl-C
// interrupts the foreground command, not the session; a resize reaches the
// program inside; `devenv ssh` sees the same PATH; and `devenv stop` from a
// third terminal ends both sessions with one clear line.
func TestUserSeat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image with three tools")
	}
	for _, prog := range []string{"tmux", "ssh"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("%s is not installed", prog)
		}
	}
	if !dockerState(t).reachable {
		t.Skip("needs a Docker engine")
	}
	bin := buildDevenv(t)
	seat := newSeat(t, bin)

	// devenv build, as the README tells a user to, with a small tool set.
	start := time.Now()
	if out, err := seat.devenv("build", "--tools", seatTools, "--tag", seatImage); err != nil {
		t.Fatalf("devenv build --tools %s: %v\n%s", seatTools, err, out)
	}
	t.Logf("devenv build --tools %s took %v", seatTools, time.Since(start).Round(time.Second))

	// The first terminal: devenv PATH, then the tools as typed.
	one := seat.terminal("one", bin, seat.project)
	one.await(`\$$`, 60*time.Second)
	one.typeLine("jq --version; go version; claude --version; echo tools=$?")
	one.await(`(?m)^tools=0$`, 60*time.Second)
	screen := one.screen()
	for _, want := range []string{`(?m)^jq-1\.`, `(?m)^go version go1\.\d+`, `(?m)^\d+\.\d+\.\d+ \(Claude Code\)$`} {
		if !regexp.MustCompile(want).MatchString(screen) {
			t.Errorf("the login shell shows no %s:\n%s", want, screen)
		}
	}
	one.typeLine(`echo "where=[$DEVENV_NAME|$DEVENV_PROJECT|$(command -v claude)]"`)
	one.await(`(?m)^where=\[`+regexp.QuoteMeta(seat.name)+`\|`+regexp.QuoteMeta(seat.label)+`\|/opt/devenv/bin/claude\]$`, 10*time.Second)
	one.typeLine(`echo "path=[$PATH]"`)
	loginPath := one.await(`(?m)^path=\[(.*)\]$`, 10*time.Second)[1]

	// A second terminal joins the same environment.
	one.typeLine("echo seat > /tmp/seat-mark")
	two := seat.terminal("two", bin, seat.project)
	two.await(`\$$`, 30*time.Second)
	two.typeLine(`echo "joined=[$(cat /tmp/seat-mark)]"`)
	two.await(`(?m)^joined=\[seat\]$`, 10*time.Second)

	// Ctrl-C interrupts the foreground command inside, not the session.
	one.typeLine("sleep 600")
	time.Sleep(500 * time.Millisecond)
	one.keys("C-c")
	one.typeLine(`echo "after=[$?]"`)
	one.await(`(?m)^after=\[130\]$`, 10*time.Second)

	// A resize reaches the program inside.
	one.tmux("resize-window", "-t", "one", "-x", "100", "-y", "30")
	time.Sleep(300 * time.Millisecond)
	one.typeLine(`echo "size=[$(stty size)]"`)
	one.await(`(?m)^size=\[30 100\]$`, 10*time.Second)

	// devenv ssh: the login shell and a command see the same PATH.
	three := seat.terminal("three", bin, "ssh", seat.project)
	three.await(`\$$`, 30*time.Second)
	three.typeLine(`echo "path=[$PATH]"; claude --version`)
	if got := three.await(`(?m)^path=\[(.*)\]$`, 10*time.Second)[1]; got != loginPath {
		t.Errorf("devenv ssh's login shell has PATH %s, devenv's %s", got, loginPath)
	}
	three.await(`(?m)^\d+\.\d+\.\d+ \(Claude Code\)$`, 30*time.Second)
	three.typeLine("exit")
	if out, err := seat.devenv("ssh", seat.project, "--", "claude --version && go version && jq --version"); err != nil || !strings.Contains(string(out), "(Claude Code)") {
		t.Errorf("devenv ssh PATH -- claude --version: %v\n%s", err, out)
	}

	// The session's exit status becomes devenv's.
	four := seat.terminal("four", bin, seat.project)
	four.await(`\$$`, 30*time.Second)
	four.typeLine("exit 7")
	four.await(`(?m)^devenv-exit=7$`, 20*time.Second)

	// devenv stop from a third terminal ends both sessions, each with one
	// clear line.
	if out, err := seat.devenv("stop", seat.project); err != nil {
		t.Fatalf("devenv stop: %v\n%s", err, out)
	}
	gone := regexp.QuoteMeta(seat.name) + " stopped while this session was attached; `devenv \\.` starts a fresh one\n+devenv-exit=1$"
	one.await(`(?m)^devenv: `+gone, 30*time.Second)
	two.await(`(?m)^devenv: `+gone, 30*time.Second)
}

// seat is one user's machine: a HOME, a project, and the engine.
type seat struct {
	tmuxServer
	bin                  string
	project, name, label string
}

func newSeat(t *testing.T, bin string) *seat {
	root := t.TempDir()
	suffix := make([]byte, 3)
	rand.Read(suffix)
	parent := "seat" + hex.EncodeToString(suffix)
	s := &seat{
		tmuxServer: tmuxServer{t: t, socket: filepath.Join(root, "tmux.sock")},
		bin:        bin,
		project:    filepath.Join(root, parent, "api"),
		name:       "devenv-" + parent + "-api",
		label:      parent + "/api",
	}
	home := filepath.Join(root, "home")
	for _, d := range []string{s.project, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.env = []string{
		"HOME=" + home, "PATH=" + filepath.Dir(bin) + ":/usr/local/bin:/usr/bin:/bin",
		"TERM=xterm-256color", "LANG=C.UTF-8", "DEVENV_IMAGE=" + seatImage + ":latest",
	}
	for _, k := range []string{"DOCKER_HOST", "DOCKER_API_VERSION", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"} {
		if v, ok := os.LookupEnv(k); ok {
			s.env = append(s.env, k+"="+v)
		}
	}
	t.Cleanup(func() {
		exec.Command("tmux", "-S", s.socket, "kill-server").Run()
		s.devenv("stop", s.project)
	})
	return s
}

// devenv runs the binary outside any terminal.
func (s *seat) devenv(args ...string) ([]byte, error) {
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	return cmd.CombinedOutput()
}

// terminal opens a tmux session running argv and, when argv ends, its exit
// status as devenv-exit=N, so the window stays to be read.
func (s *seat) terminal(name string, argv ...string) *seatTerminal {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	script := strings.Join(quoted, " ") + `; echo "devenv-exit=$?"; sleep 600`
	term := &seatTerminal{seat: s, name: name}
	term.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", name, "sh", "-c", script)
	return term
}

type seatTerminal struct {
	*seat
	name string
}

func (s *seatTerminal) screen() string { return s.capture(s.name) }

func (s *seatTerminal) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

func (s *seatTerminal) typeLine(text string) {
	s.tmux("send-keys", "-t", s.name, "-l", text)
	s.tmux("send-keys", "-t", s.name, "Enter")
}

// await waits until pattern matches what the terminal shows, and returns
// the match.
func (s *seatTerminal) await(pattern string, timeout time.Duration) []string {
	s.t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(timeout)
	for {
		screen := strings.TrimRight(s.screen(), "\n ")
		if m := re.FindStringSubmatch(screen); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("terminal %s: %s did not appear; it shows:\n%s", s.name, re, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
