package applets

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"devenv/internal/settings"
)

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitStatus passes a command's own exit code through, with no message.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// errHelpShown ends an applet that printed its usage because it was asked to.
var errHelpShown = errors.New("help shown")

// report is the one place an error becomes what the user sees: one line on
// stderr, naming the cause and the fix, and the exit code.
func report(err error, prog string, stderr io.Writer) int {
	var status exitStatus
	var usage *usageError
	var badSettings *settings.Error
	switch {
	case err == nil || errors.Is(err, errHelpShown):
		return 0
	case errors.As(err, &status):
		return int(status)
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s: %s (see '%s --help')\n", prog, oneLine(usage.msg), prog)
		return 2
	case errors.As(err, &badSettings): // bad input, but not the command line's
		fmt.Fprintf(stderr, "%s: %s\n", prog, oneLine(err.Error()))
		return 2
	}
	fmt.Fprintf(stderr, "%s: %s\n", prog, oneLine(err.Error()))
	var coded interface{ ExitCode() int }
	if errors.As(err, &coded) {
		return coded.ExitCode()
	}
	return 1
}

func oneLine(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ")
}
