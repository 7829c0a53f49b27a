package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestShellsInTmux loads `devenv init` into real interactive bash, zsh and
// fish, each in its own tmux server, and uses them as a person would: Tab
// after `devenv stop ` offers the running environments; after cd into a
// project (a subdirectory, even) DEVENV_PROMPT shows its environment, and
// after cd / nothing; when the environment is stopped elsewhere the status
// follows within the refresh window, and at once after `devenv stop` typed
// in the shell; $? survives the hook.
func TestShellsInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("drives real shells for a while")
	}
	for _, prog := range []string{"tmux", "bash", "zsh", "fish"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("%s is not installed", prog)
		}
	}
	if !dockerState(t).reachable {
		t.Skip("needs a Docker engine")
	}
	bin := buildDevenv(t)
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			newTmuxShell(t, bin, sh).exercise()
		})
	}
}

// buildDevenv builds the real binary: the snippets call it by its absolute
// path.
func buildDevenv(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "devenv")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type tmuxShell struct {
	tmuxServer
	bin, shell   string
	home         string
	alpha, beta  string // project directories
	nameA, nameB string // their environments
	marks        int
}

func newTmuxShell(t *testing.T, bin, shell string) *tmuxShell {
	root := t.TempDir()
	suffix := make([]byte, 3)
	rand.Read(suffix)
	parent := "tmux" + shell + hex.EncodeToString(suffix)
	s := &tmuxShell{
		tmuxServer: tmuxServer{t: t}, bin: bin, shell: shell,
		alpha: filepath.Join(root, parent, "alpha"),
		beta:  filepath.Join(root, parent, "beta"),
		nameA: "devenv-" + parent + "-alpha",
		nameB: "devenv-" + parent + "-beta",
	}
	for _, d := range []string{s.alpha + "/src", s.beta} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.configure(root)
	t.Cleanup(func() { s.devenv("stop", s.alpha, s.beta) })
	s.devenv("exec", s.alpha, "--", "true")
	s.devenv("exec", s.beta, "--", "true")

	s.launch(root)
	return s
}

// configure gives the shell a home under root whose rc file loads devenv's
// snippet, and the environment it and the binary run with.
func (s *tmuxShell) configure(root string) {
	s.socket = filepath.Join(root, "tmux.sock")
	s.home = filepath.Join(root, "home")
	// fish's first start generates completions from man pages in the
	// background, into its data directory, and would still be writing
	// there when the test removes it: with the directory there, it does not.
	for _, d := range []string{"/.config/fish", "/.local/share/fish/generated_completions"} {
		if err := os.MkdirAll(s.home+d, 0o755); err != nil {
			s.t.Fatal(err)
		}
	}
	code := map[string]string{
		"bash": "PS1='READY$ '\neval \"$(devenv init bash)\"\n",
		"zsh":  "PROMPT='READY%# '\nautoload -Uz compinit && compinit -u\neval \"$(devenv init zsh)\"\n",
		"fish": "function fish_greeting; end\nfunction fish_prompt; echo -n 'READY> '; end\ndevenv init fish | source\n",
	}[s.shell]
	if err := os.WriteFile(s.rc(), []byte(code), 0o644); err != nil {
		s.t.Fatal(err)
	}
	home := s.home
	if dockerShared != nil { // set up by dockerState, for tests that use the engine
		s.env = append(s.env, "DEVENV_IMAGE="+dockerShared.image)
	}
	s.env = append(s.env, []string{
		"HOME=" + home, "ZDOTDIR=" + home, "XDG_CONFIG_HOME=" + home + "/.config",
		"PATH=" + filepath.Dir(s.bin) + ":/usr/local/bin:/usr/bin:/bin",
		"TERM=xterm-256color", "LANG=C.UTF-8",
		// The engine is shared with every scenario running meanwhile, which
		// can hold a list up for longer than a prompt's 100 ms or
		// completion's 300 ms; those deadlines are tested on their own.
		"DEVENV_PROMPT_TIMEOUT=3s", "DEVENV_COMPLETE_TIMEOUT=5s",
	}...)
	for _, k := range []string{"DOCKER_HOST", "DOCKER_API_VERSION", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"} {
		if v, ok := os.LookupEnv(k); ok {
			s.env = append(s.env, k+"="+v)
		}
	}
}

// rc is the shell's startup file.
func (s *tmuxShell) rc() string {
	return filepath.Join(s.home, map[string]string{
		"bash": ".bashrc",
		"zsh":  ".zshrc",
		"fish": ".config/fish/config.fish",
	}[s.shell])
}

// launch starts the interactive shell in its own tmux server, in cwd, and
// waits for its prompt.
func (s *tmuxShell) launch(cwd string) {
	argv := map[string][]string{
		"bash": {"bash", "--rcfile", s.rc(), "-i"},
		"zsh":  {"zsh", "-i"},
		"fish": {"fish", "-i"},
	}[s.shell]
	s.tmux(append([]string{"new-session", "-d", "-x", "200", "-y", "50", "-s", "t", "-c", cwd}, argv...)...)
	s.t.Cleanup(func() { exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	s.waitScreen(regexp.MustCompile(`READY`), 20*time.Second)
}

// devenv runs the binary outside the shell.
func (s *tmuxShell) devenv(args ...string) {
	s.t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("devenv %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (s *tmuxShell) screen() string { return s.capture("t") }

// waitScreen waits until re matches what the terminal shows and returns
// the match.
func (s *tmuxShell) waitScreen(re *regexp.Regexp, timeout time.Duration) []string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := s.screen()
		if m := re.FindStringSubmatch(screen); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %s did not appear; the terminal shows:\n%s", s.shell, re, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// clearLine presses Ctrl-C until the shell shows an empty prompt: a
// completion still running or a pager may eat the first one.
func (s *tmuxShell) clearLine() {
	s.t.Helper()
	empty := regexp.MustCompile(`^READY[$#%>]$`)
	for range 20 {
		s.tmux("send-keys", "-t", "t", "C-c")
		time.Sleep(200 * time.Millisecond)
		lines := strings.Split(strings.TrimRight(s.screen(), "\n "), "\n")
		if empty.MatchString(strings.TrimSpace(lines[len(lines)-1])) {
			return
		}
	}
	s.t.Fatalf("%s: Ctrl-C leaves no empty prompt; the terminal shows:\n%s", s.shell, s.screen())
}

// typeLine types text and Enter.
func (s *tmuxShell) typeLine(text string) {
	s.tmux("send-keys", "-t", "t", "-l", text)
	s.tmux("send-keys", "-t", "t", "Enter")
}

// show runs echo of the prompt variables at a new prompt and returns the
// line it printed: "SEGMENT|STATUS|NAME".
func (s *tmuxShell) show() string {
	s.marks++
	mark := fmt.Sprintf("M%d", s.marks)
	s.typeLine(fmt.Sprintf(`echo "%s=[$DEVENV_PROMPT|$DEVENV_STATUS|$DEVENV_NAME]"`, mark))
	return s.waitScreen(regexp.MustCompile(`(?m)^`+mark+`=\[(.*)\]$`), 10*time.Second)[1]
}

// await presses Enter until the variables say want, for as long as the
// refresh window may take (3 s, counted in whole seconds, and a margin: an
// engine slower than the prompt's 100 ms leaves them empty until then), and
// returns how long that took.
func (s *tmuxShell) await(want, when string) time.Duration {
	s.t.Helper()
	start := time.Now()
	for {
		got := s.show()
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > 5*time.Second {
			s.t.Fatalf("%s, %s: the variables say %q, want %q; the terminal shows:\n%s", s.shell, when, got, want, s.screen())
		}
		time.Sleep(300 * time.Millisecond)
		s.typeLine("")
	}
}

func (s *tmuxShell) exercise() {
	t := s.t
	short := func(name string) string { return strings.TrimPrefix(name, "devenv-") }
	running := func(name string) string { return "⬢ " + short(name) + "|running|" + name }
	stopped := func(name string) string { return "⬡ " + short(name) + "|stopped|" + name }

	// Tab after `devenv stop ` offers both environments.
	s.tmux("send-keys", "-t", "t", "-l", "devenv stop ")
	s.tmux("send-keys", "-t", "t", "Tab")
	if s.shell == "bash" {
		s.tmux("send-keys", "-t", "t", "Tab") // the second Tab lists
	}
	s.waitScreen(regexp.MustCompile(regexp.QuoteMeta(s.nameA)), 10*time.Second)
	s.waitScreen(regexp.MustCompile(regexp.QuoteMeta(s.nameB)), time.Second)
	s.clearLine()

	// A project's subdirectory shows its environment; / shows nothing.
	s.typeLine("cd " + s.alpha + "/src")
	s.await(running(s.nameA), "in alpha/src")
	s.typeLine("cd /")
	s.await("||", "in /")
	s.typeLine("cd " + s.alpha)
	s.await(running(s.nameA), "in alpha")

	// Stopped elsewhere: pressing Enter brings the status within the
	// refresh window.
	s.devenv("stop", s.alpha)
	t.Logf("%s: a stop elsewhere showed after %v", s.shell, s.await(stopped(s.nameA), "after alpha stopped elsewhere").Round(100*time.Millisecond))

	// Stopped from this shell: the next prompt asks the engine.
	s.typeLine("cd " + s.beta)
	s.await(running(s.nameB), "in beta")
	s.typeLine("devenv stop .")
	s.waitScreen(regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(s.nameB)+`$`), 20*time.Second)
	t.Logf("%s: devenv stop in the shell showed after %v", s.shell, s.await(stopped(s.nameB), "after devenv stop in beta").Round(100*time.Millisecond))

	// $? (fish: $status) survives the hook.
	s.typeLine("false")
	status := "$?"
	if s.shell == "fish" {
		status = "$status"
	}
	s.typeLine(`echo "EXIT=[` + status + `]"`)
	s.waitScreen(regexp.MustCompile(`(?m)^EXIT=\[1\]$`), 10*time.Second)
}

// tmuxServer is a tmux server of a test's own, on its own socket, and the
// environment its commands get.
type tmuxServer struct {
	t      *testing.T
	socket string
	env    []string
}

func (s tmuxServer) tmux(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", s.socket, "-u"}, args...)...)
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// capture is what the window of session target shows, with its history.
func (s tmuxServer) capture(target string) string {
	return s.tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", target)
}
