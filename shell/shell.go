// Package shell is devenv's shell integration: the snippet each shell loads
// (completion and the prompt hook), and the code `devenv prompt` answers the
// hook with. One embedded text/template per shell, filled with the absolute
// path of the binary, so nothing is looked up in PATH at each prompt.
package shell

import (
	"embed"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
)

//go:embed bash.sh zsh.zsh fish.fish
var snippets embed.FS

// Shell is one shell devenv integrates with.
type Shell struct {
	Name  string
	file  string
	quote func(string) string
}

var shells = []Shell{
	{Name: "bash", file: "bash.sh", quote: quotePOSIX},
	{Name: "zsh", file: "zsh.zsh", quote: quotePOSIX},
	{Name: "fish", file: "fish.fish", quote: quoteFish},
}

// Names lists the shells, in the order usage texts give them.
func Names() []string {
	var names []string
	for _, s := range shells {
		names = append(names, s.Name)
	}
	return names
}

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

// quotePOSIX quotes for bash and zsh: in single quotes, where a quote is
// written by closing them, escaping it and opening them again.
func quotePOSIX(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// quoteFish quotes for fish, where \ and ' are escaped inside single quotes.
func quoteFish(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Answer is the code that sets the prompt variables to a, and keeps state
// and the answer's lifetime for the hook. DEVENV_SSH_PORT is devenv's own
// input too (the port a new environment publishes), so it is never exported,
// and left alone when the user exported it.
func (s Shell) Answer(a Answer, state State) string {
	var b strings.Builder
	vars := [][2]string{{"DEVENV_NAME", a.Name}, {"DEVENV_STATUS", a.Status}, {"DEVENV_PROMPT", a.Segment()}}
	port := ""
	if a.Status == Running && a.Port != 0 {
		port = strconv.Itoa(a.Port)
	}
	ttl := strconv.Itoa(int(a.TTL.Seconds()))
	switch s.Name {
	case "fish":
		for _, v := range vars {
			if a.Status == "" {
				fmt.Fprintf(&b, "set -eg %s\n", v[0])
			} else {
				fmt.Fprintf(&b, "set -gx %s %s\n", v[0], s.quote(v[1]))
			}
		}
		if port == "" {
			b.WriteString("set -qx DEVENV_SSH_PORT; or set -eg DEVENV_SSH_PORT\n")
		} else {
			fmt.Fprintf(&b, "set -qx DEVENV_SSH_PORT; or set -g DEVENV_SSH_PORT %s\n", port)
		}
		fmt.Fprintf(&b, "set -g __devenv_state %s\nset -g __devenv_ttl %s\n", s.quote(state.Encode()), ttl)
	default:
		exported := `[[ ${DEVENV_SSH_PORT+${DEVENV_SSH_PORT@a}} == *x* ]]`
		if s.Name == "zsh" {
			exported = `[[ ${(t)DEVENV_SSH_PORT} == *export* ]]`
		}
		if a.Status == "" {
			b.WriteString("unset DEVENV_NAME DEVENV_STATUS DEVENV_PROMPT\n")
		} else {
			b.WriteString("export")
			for _, v := range vars {
				fmt.Fprintf(&b, " %s=%s", v[0], s.quote(v[1]))
			}
			b.WriteString("\n")
		}
		if port == "" {
			fmt.Fprintf(&b, "%s || unset DEVENV_SSH_PORT\n", exported)
		} else {
			fmt.Fprintf(&b, "%s || DEVENV_SSH_PORT=%s\n", exported, port)
		}
		fmt.Fprintf(&b, "__devenv_state=%s __devenv_ttl=%s\n", s.quote(state.Encode()), ttl)
	}
	return b.String()
}
