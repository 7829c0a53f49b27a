package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/volume"
)

// Volume is a named volume labelled devenv=true.
type Volume struct {
	Name   string
	Labels map[string]string
}

// Volumes returns the volumes labelled devenv=true, sorted by name.
func (c *Client) Volumes(ctx context.Context) ([]Volume, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", DevenvLabel+"=true"))})
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", c.wrap(err))
	}
	var out []Volume
	for _, v := range r.Volumes {
		out = append(out, Volume{Name: v.Name, Labels: v.Labels})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// VolumeSizes returns the bytes each volume holds, by name, as far as the
// engine has measured them (-1 when it has not).
func (c *Client) VolumeSizes(ctx context.Context) (map[string]int64, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	du, err := c.api.DiskUsage(ctx, types.DiskUsageOptions{Types: []types.DiskUsageObject{types.VolumeObject}})
	// Podman's disk usage walks the containers too, and fails when one is
	// removed meanwhile ("no such container"): measure again.
	for try := 0; try < 3 && err != nil && errors.Is(c.wrap(err), ErrNotFound); try++ {
		time.Sleep(100 * time.Millisecond)
		du, err = c.api.DiskUsage(ctx, types.DiskUsageOptions{Types: []types.DiskUsageObject{types.VolumeObject}})
	}
	if err != nil {
		return nil, fmt.Errorf("measure volumes: %w", c.wrap(err))
	}
	sizes := map[string]int64{}
	for _, v := range du.Volumes {
		if v == nil {
			continue
		}
		size := int64(-1)
		if v.UsageData != nil {
			size = v.UsageData.Size
		}
		sizes[v.Name] = size
	}
	return sizes, nil
}

// CreateVolume creates a named volume labelled devenv=true plus labels; an
// existing volume of that name is left as it is.
func (c *Client) CreateVolume(ctx context.Context, name string, labels map[string]string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	all := map[string]string{DevenvLabel: "true"}
	for k, v := range labels {
		all[k] = v
	}
	_, err := c.api.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: all})
	if err != nil && !volumeExists(err.Error()) {
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
