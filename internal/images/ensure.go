package images

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/project"
)

// Builder builds devenv's images from one build context, building what an
// image needs first when it is missing.
type Builder struct {
	Engine  *engine.Client
	Context fs.FS
	Options Options
	// Pins reads the user's tool versions (tool name → version), which
	// override the Dockerfiles' defaults in every build; nil means none.
	Pins func() (map[string]string, error)
	// HasVersion, when set, asks a tool's source whether it has a version;
	// a pin it says no to is refused before anything is built.
	HasVersion func(ctx context.Context, t Tool, version string) error
}

// MissingError: an image is needed, is missing, and devenv cannot build it.
type MissingError struct{ Image, Fix string }

func (e *MissingError) Error() string { return fmt.Sprintf("image %s is missing: %s", e.Image, e.Fix) }

// planFor knows how to build the images devenv names itself.
func (b Builder) planFor(ref string) (Plan, bool, error) {
	switch ref {
	case BaseRepo + ":latest":
		p, err := BasePlan(b.Context)
		return p, true, err
	case DevenvRepo + ":latest":
		p, err := DevenvPlan(b.Context, nil)
		return p, true, err
	}
	return Plan{}, false, nil
}

// Build builds plan, with the user's pins, after whatever it needs that is
// missing. A pin that cannot be built is refused before anything is.
func (b Builder) Build(ctx context.Context, plan Plan) error {
	plan, err := b.pinned(ctx, plan)
	if err != nil {
		return err
	}
	plan, err = b.withNeeds(ctx, plan)
	if err != nil {
		return err
	}
	return Build(ctx, b.Engine, plan, b.Options)
}

// withNeeds builds what plan needs when it is missing and, for a project
// plan, ties its inputs to the images its FROM names: rebuilding devenv's
// image (or any other base) leaves the project image out of date too.
func (b Builder) withNeeds(ctx context.Context, plan Plan) (Plan, error) {
	for _, need := range plan.Needs {
		if err := b.EnsureExists(ctx, need); err != nil {
			return plan, err
		}
	}
	if plan.ContextDir == "" {
		return plan, nil
	}
	parts := []string{plan.Inputs}
	for _, need := range plan.Needs {
		id, err := b.Engine.ImageID(ctx, need)
		if err != nil {
			return plan, err
		}
		parts = append(parts, need+"="+id)
	}
	plan.Inputs = inputs([]byte(strings.Join(parts, "\x00")), nil)
	return plan, nil
}

// EnsureExists builds ref when it is missing and devenv knows how.
func (b Builder) EnsureExists(ctx context.Context, ref string) error {
	ok, err := b.Engine.ImageExists(ctx, ref)
	if err != nil || ok {
		return err
	}
	plan, known, err := b.planFor(ref)
	if err != nil {
		return err
	}
	if !known {
		return &MissingError{Image: ref, Fix: "build or pull it first"}
	}
	fmt.Fprintf(b.Options.Out, "devenv: building %s (first use)\n", ref)
	return b.Build(ctx, plan)
}

// EnsureProject builds the project image at dir when it is missing or was
// built from other inputs than the project's Dockerfile and files now.
func (b Builder) EnsureProject(ctx context.Context, dir, ref string) error {
	plan, err := ProjectPlan(dir, strings.TrimSuffix(ref, ":latest"))
	if err != nil {
		return err
	}
	if plan, err = b.withNeeds(ctx, plan); err != nil {
		return err
	}
	label, err := b.Engine.ImageLabel(ctx, ref, InputsLabel)
	switch {
	case errors.Is(err, engine.ErrNotFound):
		fmt.Fprintf(b.Options.Out, "devenv: building %s (first use)\n", ref)
	case err != nil:
		return err
	case label == plan.Inputs:
		return nil
	default:
		fmt.Fprintf(b.Options.Out, "devenv: rebuilding %s (%s or its base image changed)\n", ref, project.Dockerfile)
	}
	return Build(ctx, b.Engine, plan, b.Options)
}

// Prepare makes sure the image a new environment for dir needs exists: a
// project image is built when missing and rebuilt when its inputs changed,
// devenv's own images are built when missing, and any other image (named by
// DEVENV_IMAGE or the image setting) must exist. With noBuild nothing is built: a missing image is
// an error that names the command that builds it.
func (b Builder) Prepare(ctx context.Context, ref, dir string, noBuild bool) error {
	own := project.HasDockerfile(dir) && project.IsProjectImage(ref)
	if !noBuild {
		switch {
		case own:
			return b.EnsureProject(ctx, dir, ref)
		case ref == DevenvRepo+":latest" || ref == BaseRepo+":latest":
			return b.EnsureExists(ctx, ref)
		}
	}
	ok, err := b.Engine.ImageExists(ctx, ref)
	if err != nil || ok {
		return err
	}
	switch {
	case own:
		return &MissingError{Image: ref, Fix: "build it with `devenv build --project " + dir + "`"}
	case ref == DevenvRepo+":latest":
		return &MissingError{Image: ref, Fix: "build it with `devenv build`"}
	}
	return &MissingError{Image: ref, Fix: "build it, or pick another with DEVENV_IMAGE or the image setting (`devenv config` shows which one chose it)"}
}

// pinned applies the user's pins to plan after checking all of them: each
// names a tool that can be pinned, and the source has the versions the
// plan would install that devenv did not pin itself.
func (b Builder) pinned(ctx context.Context, plan Plan) (Plan, error) {
	if b.Pins == nil || len(plan.Tools) == 0 {
		return plan, nil
	}
	pins, err := b.Pins()
	if err != nil || len(pins) == 0 {
		return plan, err
	}
	tools, err := Tools(b.Context)
	if err != nil {
		return Plan{}, err
	}
	if err := CheckPins(tools, pins); err != nil {
		return Plan{}, err
	}
	plan, err = plan.WithPins(pins)
	if err != nil {
		return Plan{}, err
	}
	if b.HasVersion != nil {
		user := UserPins(plan.Tools, pins)
		for _, t := range plan.Tools {
			if v, ok := user[t.Name]; ok {
				if err := b.HasVersion(ctx, t, v); err != nil {
					return Plan{}, err
				}
			}
		}
	}
	return plan, nil
}
