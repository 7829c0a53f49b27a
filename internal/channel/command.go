package channel

import (
	"strings"

	"devenv/internal/sshkeys"
)

// remoteCommand is the one string SSH carries for argv, which the login
// shell of the session parses back: every word is quoted, so spaces,
// quotes, $ and newlines reach the command as they were. It starts in
// workDir, and a command that is not there ends with the one line and the
// status the engine path gives (127). Variables the SSH session adds are
// removed; the environment's own reach the session through its login
// (pam_env), as they reach the engine's exec.
func remoteCommand(argv, env []string, workDir, name string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = sshkeys.ShellQuote(a)
	}
	dashes := ""
	if strings.HasPrefix(argv[0], "-") {
		dashes = "-- "
	}
	notFound := sshkeys.ShellQuote("devenv exec: " + argv[0] + ": not found in " + name)
	exports := ""
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			exports += "export " + k + "=" + sshkeys.ShellQuote(v) + "; "
		}
	}
	return exports + "cd " + sshkeys.ShellQuote(workDir) + " || exit 126; " +
		// what the session adds that the engine's exec would not
		"unset OLDPWD SSH_CLIENT SSH_CONNECTION MOTD_SHOWN; " +
		"command -v " + dashes + words[0] + " >/dev/null 2>&1 || { printf '%s\\n' " + notFound + " >&2; exit 127; }; " +
		"exec " + dashes + strings.Join(words, " ")
}
