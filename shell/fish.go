package shell

import (
	"fmt"
	"strings"

	"devenv/internal/shellquote"
)

// fish: the snippet is fish.fish. Its completion function reads each quoted
// candidate back with `string unescape`; fish quotes what it inserts itself.
var fish = Shell{
	Name:      "fish",
	file:      "fish.fish",
	quote:     shellquote.Fish,
	candidate: func(text, _ string) string { return shellquote.EscapeFish(text) },
	unquote:   shellquote.UnquoteFish,
	answer:    fishAnswer,
}

func fishAnswer(a Answer, state State) string {
	var b strings.Builder
	vars, port, ttl := answerValues(a)
	for _, v := range vars {
		if a.Status == "" {
			fmt.Fprintf(&b, "set -eg %s\n", v[0])
		} else {
			fmt.Fprintf(&b, "set -gx %s %s\n", v[0], shellquote.Fish(v[1]))
		}
	}
	if port == "" {
		b.WriteString("set -qx DEVENV_SSH_PORT; or set -eg DEVENV_SSH_PORT\n")
	} else {
		fmt.Fprintf(&b, "set -qx DEVENV_SSH_PORT; or set -g DEVENV_SSH_PORT %s\n", port)
	}
	fmt.Fprintf(&b, "set -g __devenv_state %s\nset -g __devenv_ttl %s\n", shellquote.Fish(state.Encode()), ttl)
	return b.String()
}
