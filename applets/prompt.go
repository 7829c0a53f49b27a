package applets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"devenv/completions"
	"devenv/shell"
)

var promptApplet = applet{
	name:    "prompt",
	summary: "tell the prompt whether this directory's environment runs",
	usage: `Usage: devenv prompt [--shell bash|zsh|fish] [--state STATE] [--refresh]

Tell whether the current directory belongs to an environment, that is, lies
in the project directory of one:
  running  the engine says it runs
  stopped  it does not run, but this shell saw it run (see --state), or the
           directory or one above it holds .devenv/Dockerfile
Without --shell, print the prompt segment: "⬢ NAME" while it runs, "⬡ NAME"
when it is stopped (NAME without "devenv-"), else nothing.

With --shell, print code for that shell that sets DEVENV_NAME,
DEVENV_STATUS, DEVENV_SSH_PORT and DEVENV_PROMPT, and keeps the state for
the next call. The hook of 'devenv init' runs it after a cd, after a devenv
command, and when its answer is older than 3 s (30 s outside any project).
Given a state, it asks the engine only when the state is older than that.
It never waits more than 100 ms for the engine ($DEVENV_PROMPT_TIMEOUT, a
duration such as 500ms, for engines far away); without an answer the
variables are empty, not guessed, and nothing is printed on stderr.
`,
	flags: declare[promptFlags],
	run:   runPrompt,
}

type promptFlags struct {
	shell, state string
	refresh      bool
}

func (f *promptFlags) declare(s *flagSet) {
	s.String(&f.shell, "shell", "SHELL", "print code for bash, zsh or fish", completions.Shells())
	s.String(&f.state, "state", "STATE", "what the previous call left in __devenv_state", completions.AnyWord())
	s.Bool(&f.refresh, "refresh", "ask the engine even when the state is recent")
}

// promptTimeout is all the engine gets: a prompt must not wait longer.
// $DEVENV_PROMPT_TIMEOUT raises it for engines that are far away.
const promptTimeout = 100 * time.Millisecond

// engineTimeout is $name as a duration ("500ms"), else def.
func engineTimeout(env Getenv, name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func runPrompt(ctx context.Context, c *call) error {
	var f promptFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	var sh shell.Shell
	if f.shell != "" {
		var ok bool
		if sh, ok = shell.Lookup(f.shell); !ok {
			return usageErrorf("unknown shell %q: want bash, zsh or fish", f.shell)
		}
	}
	before := shell.ParseState(f.state)
	answer, after := shell.Answer{TTL: shell.Refresh}, before
	if dir, err := workingDir(); err == nil {
		answer, after = shell.Resolve(ctx, dir, before, time.Now(), f.refresh, runningWithin(c.engineOptions(), engineTimeout(c.env, "DEVENV_PROMPT_TIMEOUT", promptTimeout)))
	}
	if sh.Name == "" {
		if seg := answer.Segment(); seg != "" {
			fmt.Fprintln(c.stdio.Out, seg)
		}
		return nil
	}
	fmt.Fprint(c.stdio.Out, sh.Answer(answer, after))
	return nil
}

// workingDir is the current directory, canonical as environments record
// their projects.
func workingDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(dir)
}
