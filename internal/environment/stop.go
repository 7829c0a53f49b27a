package environment

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"devenv/internal/engine"
	"devenv/internal/project"
)

// stopGrace is how long a stopping environment's processes get before they
// are killed; the init process forwards the signal, so they rarely need it.
const stopGrace = 5 * time.Second

// StopResult says what happened to one stop target.
type StopResult struct {
	Name       string
	WasRunning bool
}

// ResolveStop finds the container a stop argument means: a container name,
// or a path resolved as a start would resolve it. It refuses containers that
// lack devenv=true.
func ResolveStop(ctx context.Context, eng *engine.Client, arg, nameOverride string) (string, error) {
	if nameOverride != "" {
		return nameOverride, nil
	}
	if LooksLikeName(arg) {
		c, err := eng.InspectName(ctx, arg)
		switch {
		case err == nil && !c.Devenv():
			return "", &ForeignContainerError{Name: c.Name}
		case err == nil:
			return c.Name, nil
		case !errors.Is(err, engine.ErrNotFound):
			return "", err
		}
	}
	dir, err := Canonical(arg)
	if err != nil {
		var pe *PathError
		if errors.As(err, &pe) && LooksLikeName(arg) {
			return arg, nil // neither a container nor a directory: "not running"
		}
		return "", err
	}
	t, ok, err := Find(ctx, eng, dir, "")
	if err != nil || ok {
		return t.Container.Name, err
	}
	return project.Identify(dir).Name, nil
}

// Stop stops the named environment and waits until it is gone. A container
// without devenv=true is refused, never stopped.
func Stop(ctx context.Context, eng *engine.Client, name string) (StopResult, error) {
	c, err := eng.Inspect(ctx, name)
	if errors.Is(err, engine.ErrNotFound) {
		return StopResult{Name: name}, nil
	}
	if err != nil {
		return StopResult{Name: name}, err
	}
	if !c.Devenv() {
		return StopResult{Name: name}, &ForeignContainerError{Name: c.Name}
	}
	if !c.Running() {
		return StopResult{Name: c.Name}, nil
	}
	err = eng.Stop(ctx, c.ID, stopGrace)
	if err == nil {
		stopGateway(ctx, eng, c)
	}
	return StopResult{Name: c.Name, WasRunning: true}, err
}

// StopAll stops every running devenv=true container, in parallel, and
// returns the names it stopped, sorted.
func StopAll(ctx context.Context, eng *engine.Client) ([]string, error) {
	running, err := eng.List(ctx)
	if err != nil {
		return nil, err
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		stopped []string
		errs    []error
	)
	for _, c := range running {
		if !c.Devenv() { // List filters on the label; this is the promise, kept twice.
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := eng.Stop(ctx, c.ID, stopGrace)
			if err == nil {
				stopGateway(ctx, eng, c)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			stopped = append(stopped, c.Name)
		}()
	}
	wg.Wait()
	sort.Strings(stopped)
	return stopped, errors.Join(errs...)
}
