// Package testimage builds the image devenv's scenarios and its benchmark
// start environments from: Dockerfile.base, built as `devenv build --stage
// base` would build it, tagged so that tests never touch a user's images.
package testimage

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"devenv/internal/engine"
	"devenv/internal/images"
)

// Ref is the image scenarios and the benchmark use, through DEVENV_IMAGE.
const Ref = "devenv-test:latest"

// Ensure builds Ref from the Dockerfile at dockerfilePath (and the build
// context beside it) unless an image of the same inputs is there already.
func Ensure(ctx context.Context, eng *engine.Client, dockerfilePath string) error {
	plan, err := images.BasePlan(os.DirFS(filepath.Dir(dockerfilePath)))
	if err != nil {
		return err
	}
	plan.Repo = "devenv-test"
	if label, err := eng.ImageLabel(ctx, Ref, images.InputsLabel); err == nil && label == plan.Inputs {
		return nil
	}
	return images.Build(ctx, eng, plan, images.Options{Out: io.Discard})
}
