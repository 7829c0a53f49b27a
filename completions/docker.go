package completions

import (
	"context"
	"time"

	"devenv/internal/engine"
)

// DockerTimeout bounds what completion asks the engine: past it the
// predictor gives up and predicts nothing, so a slow or absent engine never
// holds up the shell.
const DockerTimeout = 300 * time.Millisecond

// RunningNames returns the names of the running environments, or nothing
// when the engine does not answer within timeout. It never reports an error:
// anything it printed would become a candidate.
func RunningNames(timeout time.Duration) []string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	answer := make(chan []string, 1)
	go func() {
		eng, err := engine.Connect(ctx)
		if err != nil {
			answer <- nil
			return
		}
		defer eng.Close()
		running, err := eng.List(ctx)
		if err != nil {
			answer <- nil
			return
		}
		names := make([]string, 0, len(running))
		for _, c := range running {
			names = append(names, c.Name)
		}
		answer <- names
	}()
	// The engine client honours ctx, but the deadline is kept here too, so
	// nothing it does can stretch it.
	select {
	case names := <-answer:
		return names
	case <-ctx.Done():
		return nil
	}
}
