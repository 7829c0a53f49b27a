package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docker/docker/api/types/build"
)

// BuildSpec describes an image build from a tar build context.
type BuildSpec struct {
	Context    io.Reader // tar stream
	Dockerfile string    // path inside the context
	Tags       []string
	Args       map[string]string
	Labels     map[string]string
	Target     string
	NoCache    bool
	Pull       bool
}

// BuildEvent is one line of build output, or the image ID at the end.
type BuildEvent struct {
	Stream  string // a line of the builder's output ("Step 3/9 : RUN …")
	ImageID string
}

// BuildError is a failed build: the builder's message, with the output that
// led to it kept by the caller's event handler.
type BuildError struct{ Message string }

func (e *BuildError) Error() string { return "build failed: " + e.Message }

// Build runs the classic builder (the one every engine from API 1.41 on
// offers) and reports its output line by line. Building has no call timeout:
// a cold build of the full image takes minutes; ctx bounds it.
func (c *Client) Build(ctx context.Context, spec BuildSpec, onEvent func(BuildEvent)) (string, error) {
	args := make(map[string]*string, len(spec.Args))
	for k, v := range spec.Args {
		args[k] = &v
	}
	resp, err := c.api.ImageBuild(ctx, spec.Context, build.ImageBuildOptions{
		Dockerfile:  spec.Dockerfile,
		Tags:        spec.Tags,
		BuildArgs:   args,
		Labels:      spec.Labels,
		Target:      spec.Target,
		NoCache:     spec.NoCache,
		PullParent:  spec.Pull,
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return "", fmt.Errorf("build: %w", c.wrap(err))
	}
	defer resp.Body.Close()

	var imageID string
	dec := json.NewDecoder(resp.Body)
	for {
		var msg struct {
			Stream      string `json:"stream"`
			Error       string `json:"error"`
			ErrorDetail struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
			Aux struct {
				ID string `json:"ID"`
			} `json:"aux"`
		}
		if err := dec.Decode(&msg); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return "", fmt.Errorf("build: reading engine output: %w", err)
		}
		if msg.Error != "" {
			return "", &BuildError{Message: strings.TrimSpace(msg.Error)}
		}
		if msg.Aux.ID != "" {
			imageID = msg.Aux.ID
			onEvent(BuildEvent{ImageID: imageID})
		}
		if msg.Stream != "" {
			onEvent(BuildEvent{Stream: dockerBuildLog(msg.Stream)})
		}
	}
	if imageID == "" {
		return "", &BuildError{Message: "the engine reported no image"}
	}
	return imageID, nil
}
