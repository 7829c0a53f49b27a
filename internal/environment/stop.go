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
	Name string
	// State is what the container was in before: "running", or "created",
	// "exited", "dead" for one left behind (removed now); "" when there was
	// no container of that name.
	State string
}

// StopTarget resolves a stop argument as Resolve does; a directory means
// the running environment that holds it, else the container under the
// project's own name in whatever state it is. A word that is neither an
// environment nor a directory resolves to that name, with no container.
func StopTarget(ctx context.Context, eng *engine.Client, arg, nameOverride string) (Resolved, error) {
	r, err := Resolve(ctx, eng, arg, nameOverride)
	var nr *NotRunningError
	switch {
	case errors.As(err, &nr):
		return Resolved{Name: arg}, nil
	case err != nil || r.Name != "":
		return r, err
	}
	t, ok, err := Find(ctx, eng, r.Dir, "")
	if err != nil {
		return Resolved{}, err
	}
	if ok {
		r.Name, r.Container, r.Exists = t.Container.Name, t.Container, true
		return r, nil
	}
	r.Name = project.Identify(r.Dir).Name
	if err := r.lookUp(ctx, eng); err != nil || !r.Exists {
		return r, err
	}
	if src, _, ok := workspaceOf(r.Container); ok && src != r.Dir {
		return Resolved{}, &CollisionError{Name: r.Name, RunningPath: src, RequestedPath: r.Dir}
	}
	return r, nil
}

// Stop stops a running environment and waits until it is gone, or removes
// one that a start left created, exited or dead. Only containers with
// devenv=true ever get here (Resolve refuses the others).
func Stop(ctx context.Context, eng *engine.Client, r Resolved) (StopResult, error) {
	if !r.Exists {
		return StopResult{Name: r.Name}, nil
	}
	c := r.Container
	result := StopResult{Name: c.Name, State: c.State}
	if !c.Devenv() {
		return result, &ForeignContainerError{Name: c.Name}
	}
	return result, stopOrRemove(ctx, eng, c)
}

// stopOrRemove ends c and, once it is gone, its egress gateway.
func stopOrRemove(ctx context.Context, eng *engine.Client, c engine.Container) error {
	var err error
	if c.Running() {
		err = eng.Stop(ctx, c.ID, stopGrace)
	} else {
		err = eng.Remove(ctx, c.ID)
	}
	if err == nil {
		stopGateway(ctx, eng, c)
	}
	return err
}

// StopAll stops every devenv environment, in parallel, and removes those a
// start left behind; it returns what it stopped or removed, sorted by name.
func StopAll(ctx context.Context, eng *engine.Client) ([]StopResult, error) {
	all, err := eng.ListAll(ctx)
	if err != nil {
		return nil, err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done []StopResult
		errs []error
	)
	for _, c := range all {
		if !c.Devenv() { // ListAll filters on the label; this is the promise, kept twice.
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := stopOrRemove(ctx, eng, c)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			done = append(done, StopResult{Name: c.Name, State: c.State})
		}()
	}
	wg.Wait()
	sort.Slice(done, func(i, j int) bool { return done[i].Name < done[j].Name })
	return done, errors.Join(errs...)
}
