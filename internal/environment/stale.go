package environment

import (
	"context"
	"errors"

	"devenv/internal/engine"
)

// Staleness tells whether environments run an older image than the one
// their reference (ImageLabel) names now. It compares image IDs, which every
// engine reports: Docker reports an ID instead of the reference once the
// reference moves on, but Podman keeps reporting the reference. One lookup
// per reference, however many environments share it.
type Staleness struct {
	eng *engine.Client
	ids map[string]string // reference → current image ID; "" when it names none
}

// NewStaleness asks eng about the references it is given.
func NewStaleness(eng *engine.Client) *Staleness {
	return &Staleness{eng: eng, ids: map[string]string{}}
}

// Stale reports whether ct runs an image its reference no longer names.
func (s *Staleness) Stale(ctx context.Context, ct engine.Container) (bool, error) {
	ref := ct.Labels[ImageLabel]
	if ref == "" {
		return false, nil
	}
	if ct.ImageID == "" {
		return ref != ct.Image, nil
	}
	id, ok := s.ids[ref]
	if !ok {
		var err error
		id, err = s.eng.ImageID(ctx, ref)
		if err != nil && !errors.Is(err, engine.ErrNotFound) {
			return false, err
		}
		s.ids[ref] = id
	}
	return id != ct.ImageID, nil
}
