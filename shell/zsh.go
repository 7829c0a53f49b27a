package shell

import "devenv/internal/shellquote"

// zsh: the snippet is zsh.zsh. Its completion function reads each quoted
// candidate back with ${(Q)…} and hands the text to compadd, which quotes
// it for where the cursor is (after a ', say); a leading ~ the person typed
// stays outside, so that it still expands.
var zsh = Shell{
	Name:      "zsh",
	file:      "zsh.zsh",
	quote:     shellquote.POSIX,
	candidate: func(text, _ string) string { return shellquote.EscapePOSIX(text) },
	unquote:   shellquote.UnquotePOSIX,
	answer: func(a Answer, state State) string {
		return posixAnswer(a, state, `[[ ${(t)DEVENV_SSH_PORT} == *export* ]]`)
	},
}
