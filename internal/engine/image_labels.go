package engine

import "context"

// ImageLabels returns every label of a local image; ErrNotFound when the
// image is missing.
func (c *Client) ImageLabels(ctx context.Context, ref string) (map[string]string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.ImageInspect(ctx, ref)
	if err != nil {
		return nil, c.wrap(err)
	}
	if r.Config == nil {
		return map[string]string{}, nil
	}
	return r.Config.Labels, nil
}
