package applets

import (
	"context"
	"time"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/project"
	"devenv/shell"
)

// The running environments are what the prompt and completion ask the
// engine for, each within its own deadline; this is where both get them.

// completeTimeout bounds what completion asks the engine: past it the
// predictor gives up and predicts nothing, so a slow or absent engine never
// holds up the shell.
const completeTimeout = 300 * time.Millisecond

// running lists the running environments, giving up after timeout whatever
// the engine does. Containers whose names break Docker's rule are left out:
// a remote or hostile engine can answer anything, and these names end up
// in a shell's prompt and on its command line.
func running(ctx context.Context, o engine.Options, timeout time.Duration) ([]engine.Container, error) {
	all, err := environment.RunningWithin(ctx, o, timeout)
	return properlyNamed(all), err
}

func properlyNamed(cs []engine.Container) []engine.Container {
	var out []engine.Container
	for _, c := range cs {
		if project.IsContainerName(c.Name) {
			out = append(out, c)
		}
	}
	return out
}

// runningWithin lists the running environments' workspaces for the prompt.
func runningWithin(o engine.Options, timeout time.Duration) shell.Lister {
	return func(ctx context.Context) ([]shell.Workspace, error) {
		cs, err := running(ctx, o, timeout)
		var ws []shell.Workspace
		for _, ct := range cs {
			if path, ok := environment.WorkspacePath(ct); ok {
				ws = append(ws, shell.Workspace{Path: path, Name: ct.Name, Port: ct.SSHPort})
			}
		}
		return ws, err
	}
}

// runningNames are the running environments' names for completion, or
// nothing when the engine does not answer within timeout. It never reports
// an error: anything it printed would become a candidate. The shell's own
// environment says where the engine is.
func runningNames(timeout time.Duration) []string {
	cs, err := running(context.Background(), engine.Options{}, timeout)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(cs))
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return names
}
