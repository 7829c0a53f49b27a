package environment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"syscall"

	"devenv/internal/engine"
	"devenv/internal/project"
)

// Resolved is what a TARGET argument (PATH|NAME) names: either an
// environment by its name, or a project directory.
type Resolved struct {
	// Dir is the canonical project directory; "" when the argument named
	// an environment.
	Dir string
	// Name is the environment's name: the one given, --name's, or "" for
	// a directory whose environment is found by Find (it may be the
	// environment of a project above it).
	Name string
	// Container is the container called Name, in any state, when Exists.
	Container engine.Container
	Exists    bool
	// Cloned: no container is called Name, but a cloned environment's
	// workspace volume is, which a session starts it from.
	Cloned bool
}

// Resolve is the one rule for the TARGET of every applet that takes
// PATH|NAME. With --name (nameOverride) the environment is exactly that
// name, and target, when given, is its project's path. Otherwise a single
// word that is exactly the name of a container names that container, which
// must be devenv's; anything else is a project path, checked before the
// engine is asked anything. Nothing is ever taken for a container ID or an
// ID prefix: a directory called "db" stays a directory, and `devenv stop db`
// with no environment called db stops nothing.
func Resolve(ctx context.Context, eng *engine.Client, target, nameOverride string) (Resolved, error) {
	if nameOverride != "" {
		if err := CheckName(nameOverride); err != nil {
			return Resolved{}, err
		}
		r := Resolved{Name: nameOverride}
		if target != "" {
			dir, err := Canonical(target)
			if err != nil {
				return Resolved{}, err
			}
			r.Dir = dir
		}
		return r, r.lookUp(ctx, eng)
	}
	if LooksLikeName(target) && validName.MatchString(target) {
		r := Resolved{Name: target}
		if err := r.lookUp(ctx, eng); err != nil || r.Exists || r.Cloned {
			return r, err
		}
	}
	dir, err := Canonical(target)
	if err != nil {
		var pe *PathError
		if errors.As(err, &pe) && LooksLikeName(target) {
			return Resolved{}, &NotRunningError{Target: target}
		}
		return Resolved{}, err
	}
	return Resolved{Dir: dir}, nil
}

// lookUp fills in the container called r.Name, if there is one.
func (r *Resolved) lookUp(ctx context.Context, eng *engine.Client) error {
	c, err := eng.InspectName(ctx, r.Name)
	switch {
	case errors.Is(err, engine.ErrNotFound):
		r.Cloned, err = hasWorkspaceVolume(ctx, eng, r.Name)
		return err
	case err != nil:
		return err
	case !c.Devenv():
		return &ForeignContainerError{Name: c.Name}
	}
	r.Container, r.Exists = c, true
	return nil
}

// validName is Docker's rule for container names.
var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// CheckName refuses what Docker would not accept as a container name.
func CheckName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("invalid environment name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit", name)
	}
	return nil
}

// Session opens a session in a running environment: the target for a
// session in the environment r names. A named environment must run; a
// directory's environment is started when none runs.
func (r Resolved) Session(ctx context.Context, eng *engine.Client, opts Options) (Target, error) {
	if r.Dir == "" {
		if r.Cloned {
			return restartClone(ctx, eng, r.Name, opts)
		}
		if t, ok := cloneTarget(r.Container); ok && r.Container.Running() {
			return t, nil
		}
		if !r.Exists || !r.Container.Running() {
			return Target{}, &NotRunningError{Target: r.Name}
		}
		_, dst, ok := workspaceOf(r.Container)
		if !ok {
			dst = project.WorkspaceRoot
		}
		t := Target{Container: r.Container, WorkDir: dst}
		return t, checkWorkspace(eng, r.Container)
	}
	if opts.Name == "" {
		opts.Name = r.Name
	}
	t, err := Ensure(ctx, eng, r.Dir, opts)
	if err != nil {
		return Target{}, err
	}
	return t, checkWorkspace(eng, t.Container)
}

// WorkspaceLabel records the project directory's device and inode when the
// environment is created, so a directory deleted and made again under the
// same path is told from the one the environment has mounted.
const WorkspaceLabel = "devenv.workspace"

// workspaceID is "device:inode" of dir, or "" when it cannot be read.
func workspaceID(dir string) string {
	info, err := os.Stat(dir)
	if err != nil {
		return ""
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}

// Orphaned reports whether c's project directory is gone from the host:
// deleted, moved, or replaced by another directory of the same path. Its
// sessions would start in a directory that no longer exists.
func Orphaned(c engine.Container) bool {
	src, _, ok := workspaceOf(c)
	if !ok {
		return false
	}
	id := workspaceID(src)
	if id == "" {
		return true
	}
	want := c.Labels[WorkspaceLabel]
	return want != "" && want != id
}

// checkWorkspace refuses a session in an environment whose project
// directory is gone, with the fix, instead of the runtime's message. A
// remote engine's directories are not this host's: nothing to check here.
func checkWorkspace(eng *engine.Client, c engine.Container) error {
	if eng.Endpoint().Remote() || !Orphaned(c) {
		return nil
	}
	src, _, _ := workspaceOf(c)
	return &OrphanedError{Name: c.Name, Path: src}
}
