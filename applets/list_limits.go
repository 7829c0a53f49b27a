package applets

import (
	"context"
	"errors"

	"devenv/internal/engine"
	"devenv/internal/settings"
)

// limits is what an environment may use, in `devenv list --format json`;
// an absent field has no limit.
type limits struct {
	CPUs   float64 `json:"cpus,omitempty"`
	Memory string  `json:"memory,omitempty"` // as in the settings: "4g"
	Pids   int64   `json:"pids,omitempty"`
}

// addLimits asks the engine for each environment's limits: the list the
// engine gives does not carry them.
func addLimits(ctx context.Context, eng *engine.Client, entries []listEntry) error {
	for i := range entries {
		ct, err := eng.Inspect(ctx, entries[i].Name)
		if errors.Is(err, engine.ErrNotFound) {
			continue // stopped meanwhile
		}
		if err != nil {
			return err
		}
		l := limits{CPUs: ct.Limits.CPUs, Pids: ct.Limits.Pids}
		if ct.Limits.Memory != 0 {
			l.Memory = settings.FormatSize(ct.Limits.Memory)
		}
		entries[i].Limits = &l
	}
	return nil
}
