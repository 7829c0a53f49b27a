// Package shell is devenv's shell integration: the snippet each shell loads
// (completion and the prompt hook), and the code `devenv prompt` answers the
// hook with. One embedded text/template per shell, filled with the absolute
// path of the binary, so nothing is looked up in PATH at each prompt.
package shell

import (
	"embed"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
)

//go:embed bash.sh zsh.zsh fish.fish
var snippets embed.FS

// Shell is one shell devenv integrates with; each is described in its own
// file (bash.go beside bash.sh, …).
type Shell struct {
	Name      string
	file      string // its snippet's template
	quote     func(string) string
	candidate func(text, typed string) string
	unquote   func(string) string
	answer    func(Answer, State) string
}

var shells = []Shell{bash, zsh, fish}

// Lookup finds a shell by name, or by the path of its binary ("/bin/zsh",
// and "-zsh" as login shells show in $0).
func Lookup(name string) (Shell, bool) {
	name = strings.TrimPrefix(filepath.Base(name), "-")
	i := slices.IndexFunc(shells, func(s Shell) bool { return s.Name == name })
	if i < 0 {
		return Shell{}, false
	}
	return shells[i], true
}

// Options fill a snippet.
type Options struct {
	Bin    string   // absolute path of the devenv binary the snippet calls
	Names  []string // the commands to complete: devenv and applet names
	Prompt bool     // also put the segment in front of the prompt
}

// Snippet is the code the shell evaluates at startup.
func (s Shell) Snippet(opts Options) (string, error) {
	t, err := template.New(s.file).Funcs(template.FuncMap{
		"q":    s.quote,
		"join": strings.Join,
	}).ParseFS(snippets, s.file)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, opts); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Quote makes s one literal word of the shell's language.
func (s Shell) Quote(text string) string { return s.quote(text) }

// Candidate is how the binary writes one completion candidate for this
// shell's snippet, one a line, after typed, the word as typed so far:
// quoted so that what the shell inserts is text, one literal word, never
// code. "" means this shell cannot be offered text at all.
func (s Shell) Candidate(text, typed string) string { return s.candidate(text, typed) }

// Unquote reads the word being completed as this shell's snippet hands it
// over (quoted as typed) into the text it stands for.
func (s Shell) Unquote(word string) string { return s.unquote(word) }

// Answer is the code that sets the prompt variables to a, and keeps state
// and the answer's lifetime for the hook. DEVENV_SSH_PORT is devenv's own
// input too (the port a new environment publishes), so it is never exported,
// and left alone when the user exported it.
func (s Shell) Answer(a Answer, state State) string { return s.answer(a, state) }

// answerValues are what every shell's answer sets: the exported variables,
// the port ("" for none) and the answer's lifetime in seconds.
func answerValues(a Answer) (vars [][2]string, port, ttl string) {
	vars = [][2]string{{"DEVENV_NAME", a.Name}, {"DEVENV_STATUS", a.Status}, {"DEVENV_PROMPT", a.Segment()}}
	if a.Status == Running && a.Port != 0 {
		port = strconv.Itoa(a.Port)
	}
	return vars, port, strconv.Itoa(int(a.TTL.Seconds()))
}
