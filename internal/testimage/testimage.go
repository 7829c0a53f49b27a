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

// Ref is the image's stable name, for the benchmark and for Dockerfiles
// that start FROM it. Every Ensure moves it to the image it built.
const Ref = "devenv-test:latest"

// Ensure builds the image from the Dockerfile at dockerfilePath (and the
// build context beside it) unless one of the same inputs is there already,
// and returns its own reference, devenv-test-<inputs>:latest. That names
// exactly these inputs even while other checkouts of devenv, with another
// Dockerfile.base, test against the same engine; Ref is whoever's was last.
func Ensure(ctx context.Context, eng *engine.Client, dockerfilePath string) (string, error) {
	plan, err := images.BasePlan(os.DirFS(filepath.Dir(dockerfilePath)))
	if err != nil {
		return "", err
	}
	plan.Repo = "devenv-test-" + plan.Inputs[:12]
	own := plan.Repo + ":latest"
	if label, err := eng.ImageLabel(ctx, own, images.InputsLabel); err != nil || label != plan.Inputs {
		if err := images.Build(ctx, eng, plan, images.Options{Out: io.Discard}); err != nil {
			return "", err
		}
	}
	return own, eng.TagImage(ctx, own, Ref)
}
