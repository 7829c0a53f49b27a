package channel

import (
	"os/exec"
	"testing"
)

// TestRemoteCommandInEveryLoginShell hands remoteCommand's string to each
// shell that can be devuser's login shell, as sshd does ($SHELL -c): argv
// must come out exactly, in the working directory, with the variables set.
func TestRemoteCommandInEveryLoginShell(t *testing.T) {
	argv := []string{"printf", `[%s]\n`, "", "it's", `back\slash`, `\\'\'`, "new\nline", "$(touch x) `y` ;&|*?~ -", "fish's \\' escapes"}
	want := "/tmp|xterm 256\n"
	for _, a := range argv[2:] {
		want += "[" + a + "]\n"
	}
	for _, sh := range []string{"sh", "bash", "zsh", "fish"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("%s not installed", sh)
			continue
		}
		out, err := exec.Command(path, "-c", remoteCommand(append([]string{"sh", "-c", `printf '%s|%s\n' "$PWD" "$TERM"; exec "$@"`, "sh"}, argv...), []string{"TERM=xterm 256"}, "/tmp", "devenv-x")).Output()
		if err != nil || string(out) != want {
			t.Errorf("%s: got %q (%v), want %q", sh, out, err, want)
		}
	}
}

func TestRemoteCommandNotFound(t *testing.T) {
	cmd := exec.Command("sh", "-c", remoteCommand([]string{"no-such-command-here", "arg"}, nil, "/", "devenv-x"))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 127 || len(out) != 0 {
		t.Errorf("got %q, %v", out, err)
	}
}
