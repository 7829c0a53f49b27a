package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// hostileDirs are directory names that are shell code, each with what is
// typed after `devenv stop ` before Tab (unique, so that Tab inserts the
// whole name) and the argument the command must then receive.
var hostileDirs = []struct{ name, typed, arg string }{
	{"a$(touch pwned-a)", "a", ""},
	{"k$(touch${IFS}pwned-k)", "k", ""},
	{"q`touch${IFS}pwned-q`", "q", ""},
	{"b`touch pwned-b`", "b", ""},
	{"c;touch pwned-c", "c", ""},
	{"d&touch pwned-d&", "d", ""},
	{"e|touch pwned-e", "e", ""},
	{"f*", "f", ""},
	{"g?[x]", "g", ""},
	{"h'q", "h", ""},
	{`i"q`, "i", ""},
	{"j k", "j", ""},
	{"l\nm", "l", ""}, // not in fish, whose completion has no way to carry a newline
	{"n$HOME", "n", ""},
	{"o!!", "o", ""},
	{"p>pwned-p", "p", ""},
	{"r{s,t}", "r", ""},
	{`u\v`, "u", ""},
	{"w%1 #x", "w", ""},
	{"-rf", "./-", "./-rf/"},
	{"~x", `\~`, ""},
	{"=ls", `\=`, ""},
}

// TestHostileNamesInTmux: in real interactive bash, zsh and fish with
// `devenv init` loaded, Tab after `devenv stop ` on a directory whose name
// is shell code inserts it as one literal word, and Enter runs nothing of
// it: no file appears, and the command gets exactly the name.
func TestHostileNamesInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("drives real shells for a while")
	}
	for _, prog := range []string{"tmux", "bash", "zsh", "fish"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("%s is not installed", prog)
		}
	}
	bin := buildDevenv(t)
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			work := filepath.Join(root, "quoting-hostile")
			for _, d := range hostileDirs {
				if err := os.MkdirAll(filepath.Join(work, d.name), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			s := &tmuxShell{tmuxServer: tmuxServer{t: t}, bin: bin, shell: sh}
			s.configure(root)
			// No engine: the names here come from the disk; engine names
			// are checked against Docker's rule before completion sees them.
			s.env = append(s.env, "DOCKER_HOST=unix://"+root+"/no-engine.sock")
			// No history file, written as the shell exits, after the test.
			s.env = append(s.env, "HISTFILE=/dev/null")
			if sh == "fish" {
				// Autosuggestions would draw a whole earlier line after the
				// cursor before Tab has done anything.
				appendFile(t, s.rc(), "set -g fish_autosuggestion_enabled 0\nset -g fish_history ''\n")
			}
			s.launch(work)
			for _, d := range hostileDirs {
				if sh == "fish" && strings.Contains(d.name, "\n") {
					continue
				}
				arg := d.arg
				if arg == "" {
					arg = d.name + "/"
				}
				// Tab, then Enter: devenv stop runs (and fails: no engine).
				s.complete("devenv stop " + d.typed)
				s.tmux("send-keys", "-t", "t", "Enter")
				s.typeLine(fmt.Sprintf("echo M%d", s.next()))
				s.waitScreen(regexp.MustCompile(fmt.Sprintf(`(?m)^M%d$`, s.marks)), 10*time.Second)
				noneCreated(t, sh, root, d.name)

				// The same line run by printf instead shows the word the
				// shell made of what Tab inserted.
				s.complete("devenv stop " + d.typed)
				s.tmux("send-keys", "-t", "t", "C-a")
				s.tmux("send-keys", "-t", "t", "-l", `printf '<%s>\n' `)
				s.tmux("send-keys", "-t", "t", "Enter")
				s.waitScreen(regexp.MustCompile(`(?m)^<devenv>\n<stop>\n`+regexp.QuoteMeta("<"+arg+">")+`$`), 10*time.Second)
				noneCreated(t, sh, root, d.name)
			}
			// Typed after an opening quote, the name is completed inside it.
			for _, d := range []struct{ typed, arg string }{{"'j", "j k/"}, {`"a`, "a$(touch pwned-a)/"}, {`"o`, "o!!/"}} {
				s.complete("devenv stop " + d.typed)
				if sh == "bash" { // readline closes the quote
					s.waitScreen(regexp.MustCompile(`/`+d.typed[:1]+`\n*\z`), 10*time.Second)
				} else { // zsh and fish leave it open
					s.tmux("send-keys", "-t", "t", "-l", d.typed[:1])
				}
				s.tmux("send-keys", "-t", "t", "C-a")
				s.tmux("send-keys", "-t", "t", "-l", `printf '<%s>\n' `)
				s.tmux("send-keys", "-t", "t", "Enter")
				s.waitScreen(regexp.MustCompile(`(?m)^<devenv>\n<stop>\n`+regexp.QuoteMeta("<"+d.arg+">")+`$`), 10*time.Second)
				noneCreated(t, sh, root, d.typed)
			}
		})
	}
}

// complete types text and Tab, and waits until Tab has inserted a
// directory: the line ends in "/", or in a quote after it.
func (s *tmuxShell) complete(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "t", "-l", text)
	s.tmux("send-keys", "-t", "t", "Tab")
	s.waitScreen(regexp.MustCompile(`(?m)^READY\S* `+regexp.QuoteMeta(text[:len("devenv stop ")])+`.*/['"]?\n*\z`), 10*time.Second)
}

func (s *tmuxShell) next() int {
	s.marks++
	return s.marks
}

func appendFile(t *testing.T, path, text string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// noneCreated fails when anything called pwned* exists under root.
func noneCreated(t *testing.T, shell, root, name string) {
	t.Helper()
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), "pwned") {
			t.Fatalf("%s: completing %q ran code: %s exists", shell, name, path)
		}
		return nil
	})
}
