package engine

import (
	"context"
	"fmt"
	"sort"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/volume"
)

// Volumes returns the names of the volumes labelled devenv=true, sorted.
func (c *Client) Volumes(ctx context.Context) ([]string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", DevenvLabel+"=true"))})
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", c.wrap(err))
	}
	var names []string
	for _, v := range r.Volumes {
		names = append(names, v.Name)
	}
	sort.Strings(names)
	return names, nil
}

// CreateVolume creates a named volume labelled devenv=true; an existing
// volume of that name is left as it is.
func (c *Client) CreateVolume(ctx context.Context, name string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	_, err := c.api.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: map[string]string{DevenvLabel: "true"}})
	if err != nil {
		return fmt.Errorf("create volume %s: %w", name, c.wrap(err))
	}
	return nil
}

// RemoveVolume removes a volume; ErrNameInUse while a container uses it.
func (c *Client) RemoveVolume(ctx context.Context, name string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	if err := c.api.VolumeRemove(ctx, name, false); err != nil {
		return fmt.Errorf("remove volume %s: %w", name, c.wrap(err))
	}
	return nil
}
