package environment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"devenv/internal/engine"
	"devenv/internal/terminal"
)

// Stdio is a session's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// LoginShell is devuser's login shell, whatever the image made it.
var LoginShell = []string{"/bin/sh", "-c",
	`shell=$(getent passwd "$(id -un)" | cut -d: -f7); exec "${shell:-/bin/sh}" -l`}

// Session runs cmd in the target as devuser and returns its exit code. With
// interactive set and a terminal on both stdin and stdout it allocates a TTY,
// puts the local terminal in raw mode (restored on every path) and follows
// its size; otherwise stdout and stderr stay separate, and a headless
// command (not interactive) reads stdin only when it is not a terminal.
func Session(ctx context.Context, eng *engine.Client, t Target, cmd []string, interactive bool, getenv func(string) string, stdio Stdio) (int, error) {
	tty := interactive && terminal.Is(stdio.In) && terminal.Is(stdio.Out)
	spec := engine.ExecSpec{
		Cmd:     cmd,
		User:    ContainerUser,
		WorkDir: t.WorkDir,
		TTY:     tty,
		// A headless command gets a terminal's keystrokes only when asked
		// for a session; piped input always reaches it.
		Stdin: stdio.In != nil && (interactive || !terminal.Is(stdio.In)),
	}
	if term := getenv("TERM"); term != "" {
		spec.Env = append(spec.Env, "TERM="+term)
	}
	execIO := engine.ExecIO{In: stdio.In, Out: stdio.Out, Err: stdio.Err}
	if tty {
		in, out := stdio.In.(*os.File), stdio.Out.(*os.File)
		restore, err := terminal.Raw(in)
		if err != nil {
			return -1, fmt.Errorf("terminal: %w", err)
		}
		defer restore()
		resized, stop := terminal.Resizes()
		defer stop()
		execIO.Resized = resized
		execIO.Size = func() (engine.Size, bool) {
			rows, cols, ok := terminal.Size(out)
			return engine.Size{Rows: rows, Cols: cols}, ok
		}
	}
	code, err := eng.Exec(ctx, t.Container.Name, spec, execIO)
	if err == nil && code != 0 && !stillRunning(ctx, eng, t.Container.Name, code) {
		err = engine.ErrGone
	}
	if errors.Is(err, engine.ErrGone) {
		if tty {
			// The terminal's cursor is where the shell inside left it,
			// after its prompt: the message gets a line of its own.
			fmt.Fprint(stdio.Out, "\r\n")
		}
		return -1, fmt.Errorf("%s stopped while this session was attached; `devenv .` starts a fresh one", t.Container.Name)
	}
	return code, err
}

// stillRunning tells a command that failed from an environment that died
// under it (killed from outside, say). A command ended by SIGKILL or
// SIGTERM, the signals a stopping container deals out, may have died with
// its container before the engine noticed the container stop: then it
// waits a moment for the engine to catch up. Other statuses (130 after a
// Ctrl-C, say) never wait.
func stillRunning(ctx context.Context, eng *engine.Client, name string, code int) bool {
	if code == 128+9 || code == 128+15 {
		stopped, err := eng.WaitNotRunning(ctx, name, 2*time.Second)
		return err != nil || !stopped
	}
	c, err := eng.Inspect(ctx, name)
	return err != nil && !errors.Is(err, engine.ErrNotFound) || err == nil && c.Running()
}

// commandCheck runs its arguments only when their command exists, and
// otherwise ends with 127 having written nothing.
const commandCheck = `command -v -- "$1" >/dev/null 2>&1 || exit 127; exec "$@"`

// Command runs argv headless in the target, as `devenv exec` does. A
// command that does not exist there is an error of its own (exit status
// 127, one line, nothing on stdout) on every engine; the engines differ:
// Docker 20.10 writes the runtime's text on stdout and says 126, Docker 28
// says 127, Podman has its own words. The check is a shell that execs the
// command, so the command keeps its PID, argv, stdin and signals.
func Command(ctx context.Context, eng *engine.Client, t Target, argv []string, getenv func(string) string, stdio Stdio) (int, error) {
	wrapped := append([]string{"/bin/sh", "-c", commandCheck, "devenv-exec"}, argv...)
	code, err := Session(ctx, eng, t, wrapped, false, getenv, stdio)
	if err != nil || code != 127 {
		return code, err
	}
	// 127 may be the command's own status: ask once more whether it exists.
	quiet := Stdio{In: nil, Out: io.Discard, Err: io.Discard}
	check := []string{"/bin/sh", "-c", `command -v -- "$1" >/dev/null 2>&1`, "devenv-exec", argv[0]}
	if found, err := Session(ctx, eng, t, check, false, getenv, quiet); err != nil || found == 0 {
		return code, err
	}
	return 127, &CommandNotFoundError{Command: argv[0], Name: t.Container.Name}
}
