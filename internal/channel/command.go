package channel

import (
	"strconv"
	"strings"

	"devenv/internal/shellquote"
)

// execScript runs in /bin/sh whatever devuser's login shell is: it gets
// the working directory, the environment's name, a count of NAME=value
// words to export and then argv. A command that is not there ends with
// status 127 and nothing else, as on the engine path (environment.Command),
// whose caller then says so. Variables the SSH
// session adds, which the engine's exec would not, are removed; the
// environment's own reach the session through its login (pam_env), as they
// reach the engine's exec.
const execScript = `cd "$1" || exit 126
__devenv_n=$3
shift 3
while [ "$__devenv_n" -gt 0 ]; do export "$1"; shift; __devenv_n=$((__devenv_n - 1)); done
unset OLDPWD SSH_CLIENT SSH_CONNECTION MOTD_SHOWN __devenv_n
command -v -- "$1" >/dev/null 2>&1 || exit 127
exec "$@"`

// remoteCommand is the one string SSH carries for a command, which the
// login shell of the session parses back into execScript's arguments:
// every word is quoted, so spaces, quotes, $ and newlines reach the command
// as they were.
func remoteCommand(argv, env []string, workDir, name string) string {
	words := []string{"exec", "/bin/sh", "-c", execScript, "sh", workDir, name, strconv.Itoa(len(env))}
	words = append(words, env...)
	words = append(words, argv...)
	for i, w := range words {
		words[i] = shellquote.Portable(w)
	}
	return strings.Join(words, " ")
}
