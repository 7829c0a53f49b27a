package completions

import (
	"context"
	"time"

	"devenv/internal/engine"
	"devenv/internal/environment"
)

// DockerTimeout bounds what completion asks the engine: past it the
// predictor gives up and predicts nothing, so a slow or absent engine never
// holds up the shell.
const DockerTimeout = 300 * time.Millisecond

// RunningNames returns the names of the running environments, or nothing
// when the engine does not answer within timeout. It never reports an error:
// anything it printed would become a candidate.
func RunningNames(timeout time.Duration) []string {
	running, err := environment.RunningWithin(context.Background(), engine.Options{}, timeout)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(running))
	for _, c := range running {
		names = append(names, c.Name)
	}
	return names
}
