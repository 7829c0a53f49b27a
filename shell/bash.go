package shell

import "devenv/internal/shellquote"

// bash: the snippet is bash.sh. Its completion function puts the binary's
// candidates into COMPREPLY, which bash inserts as they are (inside the
// quote the word opened, if any): the binary quotes them for that.
var bash = Shell{
	Name:      "bash",
	file:      "bash.sh",
	quote:     shellquote.POSIX,
	candidate: shellquote.InsertBash,
	unquote:   shellquote.UnquotePOSIX,
	answer: func(a Answer, state State) string {
		return posixAnswer(a, state, `[[ ${DEVENV_SSH_PORT+${DEVENV_SSH_PORT@a}} == *x* ]]`)
	},
}
