package applets

import (
	"context"
	"io/fs"
	"os"

	"devenv/internal/engine"
	"devenv/internal/images"
	"devenv/internal/terminal"
)

// buildContext is --context DIR, else $DEVENV_CONTEXT, else the context
// embedded in the binary.
func (c *call) buildContext(dir string) fs.FS {
	if dir == "" {
		dir = c.env("DEVENV_CONTEXT")
	}
	if dir != "" {
		return os.DirFS(dir)
	}
	return c.buildFS
}

// builder builds from the call's context and shows progress on stderr: a
// live line per step on a terminal, the full log elsewhere or with verbose.
func (c *call) builder(eng *engine.Client, contextDir string, verbose bool, opts images.Options) images.Builder {
	opts.Out = c.stdio.Err
	opts.Live = !verbose && terminal.Is(c.stdio.Err)
	return images.Builder{Engine: eng, Context: c.buildContext(contextDir), Options: opts,
		Pins: c.toolPins().Load, HasVersion: c.hasVersion}
}

// prepareImage is the environment's hook that builds a missing or stale
// image on first use, unless DEVENV_NO_BUILD=1.
func (c *call) prepareImage(eng *engine.Client) func(ctx context.Context, image, dir string) error {
	b := c.builder(eng, "", false, images.Options{})
	noBuild := c.env("DEVENV_NO_BUILD") == "1"
	return func(ctx context.Context, image, dir string) error {
		return b.Prepare(ctx, image, dir, noBuild)
	}
}
