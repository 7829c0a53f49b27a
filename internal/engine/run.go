package engine

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// RunOutput runs cmd in a throwaway container of image, with no network and
// no ports, and returns what it printed on stdout with its exit code. The
// container is removed whatever happens; it carries label devenv.probe so
// that what a crash leaves behind says whose it is.
func (c *Client) RunOutput(ctx context.Context, image string, cmd []string) (string, int, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	created, err := c.api.ContainerCreate(ctx, &container.Config{
		Image:  image,
		Cmd:    cmd,
		Labels: map[string]string{"devenv.probe": "true"},
	}, &container.HostConfig{NetworkMode: "none"}, nil, nil, "")
	if err != nil {
		return "", 0, fmt.Errorf("run in %s: %w", image, c.wrap(err))
	}
	defer func() {
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		c.api.ContainerRemove(cleanup, created.ID, container.RemoveOptions{Force: true})
	}()
	waitC, errC := c.api.ContainerWait(ctx, created.ID, container.WaitConditionNextExit)
	if err := c.api.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		return "", 0, fmt.Errorf("run in %s: %w", image, c.wrap(err))
	}
	var code int
	select {
	case w := <-waitC:
		code = int(w.StatusCode)
	case err := <-errC:
		return "", 0, fmt.Errorf("run in %s: %w", image, c.wrap(err))
	}
	logs, err := c.api.ContainerLogs(ctx, created.ID, container.LogsOptions{ShowStdout: true})
	if err != nil {
		return "", 0, fmt.Errorf("run in %s: %w", image, c.wrap(err))
	}
	defer logs.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &bytes.Buffer{}, logs); err != nil {
		return "", 0, fmt.Errorf("run in %s: read its output: %w", image, err)
	}
	return out.String(), code, nil
}
