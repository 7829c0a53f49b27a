package environment

import (
	"fmt"
	"sort"

	"devenv/internal/engine"
	"devenv/internal/settings"
)

// startSettings loads the settings a new environment for the project at dir
// starts with and prints the warnings for ignored project keys, one line each.
func startSettings(dir string, opts Options) (settings.Settings, error) {
	res, err := settings.Load(settings.Request{Getenv: opts.Env, ProjectDir: dir, Flags: opts.SettingFlags})
	if err != nil {
		return settings.Settings{}, err
	}
	for _, w := range res.Ignored {
		fmt.Fprintf(opts.Notes, "devenv: %s\n", w.Warning)
	}
	return res.Settings, nil
}

// warnSettingFlags says that settings flags do not change a running environment.
func warnSettingFlags(opts Options, name string) {
	keys := make([]string, 0, len(opts.SettingFlags))
	for key := range opts.SettingFlags {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		fmt.Fprintf(opts.Notes, "devenv: --%s ignored: %s already runs; stop it to start with new settings\n", key, name)
	}
}

// applySettings adds what the settings say to a container's description:
// variables for every way in, limits, the user's extra mounts, and the hash
// that tells `devenv list` when the settings changed since the start.
func applySettings(spec *engine.ContainerSpec, s settings.Settings) {
	names := make([]string, 0, len(s.Env))
	for name := range s.Env {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		spec.Env = append(spec.Env, name+"="+s.Env[name])
	}
	spec.Limits = engine.Limits{CPUs: s.CPUs, Memory: s.Memory, Pids: s.Pids}
	for _, m := range s.Mounts {
		spec.Mounts = append(spec.Mounts, engine.Mount{Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly})
	}
	spec.Labels[settings.HashLabel] = s.Hash()
}

// SettingsStale reports whether the environment c was started with other
// settings than its project has now; an environment started before devenv
// recorded settings is never stale by this measure, and unreadable settings
// count as changed.
func SettingsStale(c engine.Container, getenv func(string) string) bool {
	started, ok := c.Labels[settings.HashLabel]
	if !ok {
		return false
	}
	dir, ok := WorkspacePath(c)
	if !ok {
		return false
	}
	res, err := settings.Load(settings.Request{Getenv: getenv, ProjectDir: dir})
	return err != nil || res.Settings.Hash() != started
}

// ProjectOf is the project whose settings apply at dir: the project of the
// running environment whose workspace holds dir, else dir itself.
func ProjectOf(running []engine.Container, dir string) string {
	if t, ok, err := find(running, dir, ""); err == nil && ok {
		if src, ok := WorkspacePath(t.Container); ok {
			return src
		}
	}
	return dir
}
