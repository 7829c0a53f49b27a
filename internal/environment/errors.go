package environment

import (
	"errors"
	"fmt"
)

// Errors here carry their own fix: the applets print them as they are, on
// one line, prefixed with the program name.

// ErrNotDevenv: a container of that name exists but devenv did not make it.
var ErrNotDevenv = errors.New("not a devenv environment")

// PathError: the project path does not exist or is not a directory.
type PathError struct {
	Path   string
	Reason string // "no such directory", "not a directory"
}

func (e *PathError) Error() string { return fmt.Sprintf("%s: %s", e.Path, e.Reason) }

// CollisionError: two projects map to the same container name.
type CollisionError struct {
	Name, RunningPath, RequestedPath string
}

func (e *CollisionError) Error() string {
	return fmt.Sprintf("%s already runs for %s, not %s: start this project under another name with --name NAME",
		e.Name, e.RunningPath, e.RequestedPath)
}

// PortError: an explicit SSH port that is invalid or taken.
type PortError struct {
	Source string // "--port" or "DEVENV_SSH_PORT"
	Value  string
	Taken  bool
	Bind   string
}

func (e *PortError) Error() string {
	if e.Taken {
		return fmt.Sprintf("port %s on %s is already in use: pick another with %s, or leave it out for an automatic port", e.Value, e.Bind, e.Source)
	}
	return fmt.Sprintf("invalid %s %q: use a port number from 1 to 65535", e.Source, e.Value)
}

// NotRunningError: a target named an environment that does not run.
type NotRunningError struct{ Target string }

func (e *NotRunningError) Error() string {
	return fmt.Sprintf("no environment named %s is running, and %s is no directory: see `devenv list`", e.Target, e.Target)
}

// ForeignContainerError: refusing to touch a container without devenv=true.
type ForeignContainerError struct{ Name string }

func (e *ForeignContainerError) Error() string {
	return fmt.Sprintf("container %s is not a devenv environment (it lacks the devenv=true and devenv.project labels); devenv leaves it alone: remove or rename it, or use --name", e.Name)
}

func (e *ForeignContainerError) Is(target error) bool { return target == ErrNotDevenv }

// OrphanedError: the project directory of a running environment is gone.
type OrphanedError struct{ Name, Path string }

func (e *OrphanedError) Error() string {
	return fmt.Sprintf("the project directory %s of %s is gone (deleted or moved): stop it with `devenv stop %s`, then start it again from where the project is now", e.Path, e.Name, e.Name)
}

// CommandNotFoundError: the command of a devenv exec does not exist in the
// environment. Its exit status is 127, as a shell's.
type CommandNotFoundError struct{ Command, Name string }

func (e *CommandNotFoundError) Error() string {
	return fmt.Sprintf("%s: not found in %s", e.Command, e.Name)
}

// ExitCode is the status devenv exits with.
func (e *CommandNotFoundError) ExitCode() int { return 127 }
