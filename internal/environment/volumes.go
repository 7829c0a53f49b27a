package environment

import (
	"context"
	"time"

	"devenv/internal/engine"
)

// Volume labels: which environment a volume belongs to ("" for the shared
// cache) and what it holds.
const (
	VolumeEnvironmentLabel = "devenv.environment"
	VolumeKindLabel        = "devenv.volume"
	// VolumeWorkspaceLabel is the host path of the project, so the volumes
	// of a project that is gone can be told apart.
	VolumeWorkspaceLabel = "devenv.project-path"
)

// CacheVolume is the one volume every environment shares, at ~/.cache:
// package and build caches only, nothing that runs.
const CacheVolume = "devenv-cache"

// LegacyVolumes are the shared data and state volumes of earlier devenv
// versions: left alone, no longer mounted, listed so users can remove them.
var LegacyVolumes = []string{"devenv-data", "devenv-state"}

// environmentVolume is one of the volumes each environment has of its own,
// kept across stop: what one environment installs under ~/.local/share
// (plugins, completions) must not run in another.
type environmentVolume struct{ kind, target string }

var environmentVolumes = []environmentVolume{
	{"share", ContainerHome + "/.local/share"},
	{"state", ContainerHome + "/.local/state"},
}

// EnvironmentVolume is the name of environment env's volume of that kind
// (share, state); the dot keeps it apart from every legacy name.
func EnvironmentVolume(env, kind string) string { return env + "." + kind }

func volumeMounts(env string) []engine.Mount {
	mounts := []engine.Mount{{Source: CacheVolume, Target: ContainerHome + "/.cache", Volume: true}}
	for _, v := range environmentVolumes {
		mounts = append(mounts, engine.Mount{Source: EnvironmentVolume(env, v.kind), Target: v.target, Volume: true})
	}
	return mounts
}

// ensureVolumes creates environment env's volumes and the shared cache,
// labelled, unless they exist (one list call when they do), and returns
// the environment's volumes it created, for removal when the start fails.
func ensureVolumes(ctx context.Context, eng *engine.Client, env, dir string) (created []string, err error) {
	existing, err := eng.Volumes(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, v := range existing {
		have[v.Name] = true
	}
	want := map[string]map[string]string{CacheVolume: {VolumeKindLabel: "cache"}}
	for _, v := range environmentVolumes {
		want[EnvironmentVolume(env, v.kind)] = map[string]string{VolumeKindLabel: v.kind, VolumeEnvironmentLabel: env, VolumeWorkspaceLabel: dir}
	}
	for name, labels := range want {
		if !have[name] {
			if err := eng.CreateVolume(ctx, name, labels); err != nil {
				return created, err
			}
			if name != CacheVolume {
				created = append(created, name)
			}
		}
	}
	return created, nil
}

// removeVolumes removes what a failed start created; the caller's ctx may
// be what failed, cleaning up must not.
func removeVolumes(ctx context.Context, eng *engine.Client, names []string) {
	cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for _, name := range names {
		eng.RemoveVolume(cleanup, name)
	}
}

// VolumeOwner says what a devenv volume is for: its environment's name,
// "shared" for the cache, "legacy" for an old shared volume, "" when
// devenv does not know it.
func VolumeOwner(v engine.Volume) string {
	if env := v.Labels[VolumeEnvironmentLabel]; env != "" {
		return env
	}
	if v.Name == CacheVolume {
		return "shared"
	}
	for _, l := range LegacyVolumes {
		if v.Name == l {
			return "legacy"
		}
	}
	return ""
}
