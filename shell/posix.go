package shell

import (
	"fmt"
	"strings"

	"devenv/internal/shellquote"
)

// posixAnswer is the answer for bash and zsh, which differ only in how
// they tell that DEVENV_SSH_PORT is exported: exported is that test.
func posixAnswer(a Answer, state State, exported string) string {
	var b strings.Builder
	vars, port, ttl := answerValues(a)
	if a.Status == "" {
		b.WriteString("unset DEVENV_NAME DEVENV_STATUS DEVENV_PROMPT\n")
	} else {
		b.WriteString("export")
		for _, v := range vars {
			fmt.Fprintf(&b, " %s=%s", v[0], shellquote.POSIX(v[1]))
		}
		b.WriteString("\n")
	}
	if port == "" {
		fmt.Fprintf(&b, "%s || unset DEVENV_SSH_PORT\n", exported)
	} else {
		fmt.Fprintf(&b, "%s || DEVENV_SSH_PORT=%s\n", exported, port)
	}
	fmt.Fprintf(&b, "__devenv_state=%s __devenv_ttl=%s\n", shellquote.POSIX(state.Encode()), ttl)
	return b.String()
}
