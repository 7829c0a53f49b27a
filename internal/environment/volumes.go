package environment

import (
	"context"

	"devenv/internal/engine"
)

// cacheVolume is a named volume every environment shares, so plugin
// installs and package caches survive `devenv stop`.
type cacheVolume struct{ name, target string }

// CacheVolumes are devuser's XDG data, cache and state directories.
var cacheVolumes = []cacheVolume{
	{"devenv-data", ContainerHome + "/.local/share"},
	{"devenv-cache", ContainerHome + "/.cache"},
	{"devenv-state", ContainerHome + "/.local/state"},
}

// VolumeNames lists the shared volumes by name.
func VolumeNames() []string {
	names := make([]string, len(cacheVolumes))
	for i, v := range cacheVolumes {
		names[i] = v.name
	}
	return names
}

func volumeMounts() []engine.Mount {
	mounts := make([]engine.Mount, len(cacheVolumes))
	for i, v := range cacheVolumes {
		mounts[i] = engine.Mount{Source: v.name, Target: v.target, Volume: true}
	}
	return mounts
}

// ensureVolumes creates the shared volumes, labelled devenv=true, unless
// they exist: one list call when they do.
func ensureVolumes(ctx context.Context, eng *engine.Client) error {
	existing, err := eng.Volumes(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, name := range existing {
		have[name] = true
	}
	for _, v := range cacheVolumes {
		if !have[v.name] {
			if err := eng.CreateVolume(ctx, v.name); err != nil {
				return err
			}
		}
	}
	return nil
}
