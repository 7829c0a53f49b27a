package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"devenv/internal/project"
	"devenv/internal/statedir"
)

var sizeUnits = map[byte]int64{'b': 1, 'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30, 't': 1 << 40}

// minMemory is the least memory the engine accepts for a container.
const minMemory = 6 << 20

// parseSize reads "4g", "512m", "1073741824"; "0" is no limit.
func parseSize(text string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	unit := int64(1)
	if t != "" {
		if u, ok := sizeUnits[t[len(t)-1]]; ok {
			unit, t = u, t[:len(t)-1]
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n != n {
		return 0, fmt.Errorf("%q is not a size: write bytes or a number with k, m, g or t, such as \"4g\"", text)
	}
	if n == 0 {
		return 0, nil
	}
	if n < 0 || n*float64(unit) < minMemory || n*float64(unit) > 1<<50 {
		return 0, fmt.Errorf("%q is out of range: use at least 6m, or \"0\" for no limit", text)
	}
	return int64(n * float64(unit)), nil
}

// FormatSize writes bytes in the largest unit that divides them.
func FormatSize(n int64) string {
	for _, u := range []byte{'t', 'g', 'm', 'k'} {
		if n != 0 && n%sizeUnits[u] == 0 {
			return strconv.FormatInt(n/sizeUnits[u], 10) + string(u)
		}
	}
	return strconv.FormatInt(n, 10)
}

// setMounts reads the array; the host is checked later, in checkMounts,
// and only for mounts that take effect.
func setMounts(s *Settings, v any, _ *loader) error {
	items, ok := v.([]map[string]any)
	if !ok {
		if list, isList := v.([]any); isList {
			for _, item := range list {
				m, isTable := item.(map[string]any)
				if !isTable {
					return typeErr(`an array of { source = "...", target = "..." }`, item)
				}
				items = append(items, m)
			}
		} else {
			return typeErr(`an array of { source = "...", target = "..." }`, v)
		}
	}
	mounts := make([]Mount, 0, len(items))
	for _, item := range items {
		m := Mount{ReadOnly: true}
		for field, raw := range item {
			switch field {
			case "source", "target":
				text, ok := raw.(string)
				if !ok || text == "" {
					return fmt.Errorf("%s: %w", field, typeErr("a path", raw))
				}
				if field == "source" {
					m.Source = text
				} else {
					m.Target = text
				}
			case "readonly":
				b, ok := raw.(bool)
				if !ok {
					return fmt.Errorf("readonly: %w", typeErr("true or false", raw))
				}
				m.ReadOnly = b
			default:
				return fmt.Errorf("unknown field %q: a mount has source, target and readonly", field)
			}
		}
		if m.Source == "" || m.Target == "" {
			return errors.New(`a mount needs source and target: { source = "~/data", target = "/data" }`)
		}
		if !path.IsAbs(m.Target) || path.Clean(m.Target) != m.Target || m.Target == "/" {
			return fmt.Errorf("target %q: use a clean absolute path inside the environment, not /", m.Target)
		}
		for _, own := range []string{"/workspaces", "/home/devuser", "/etc/devenv", "/ssh-agent"} {
			if project.Holds(own, m.Target) {
				return fmt.Errorf("target %q: %s is devenv's own; pick another place", m.Target, own)
			}
		}
		mounts = append(mounts, m)
	}
	s.Mounts = mounts
	return nil
}

// checkMounts resolves each source on the host and refuses what would hand
// the environment the host: $HOME, /, devenv's own state and configuration
// (its SSH keys, its settings) and the engine's socket, or a directory that
// holds one of them.
func checkMounts(s *Settings, getenv func(string) string) error {
	home := getenv("HOME")
	var homes, refused []string
	if filepath.IsAbs(home) {
		homes = resolved(home)
	}
	state, _ := statedir.Dir(getenv) // "" without HOME: then ~ cannot name it either
	for _, p := range []string{state, configDir(getenv), "/var/run/docker.sock", "/run/docker.sock", "/run/podman/podman.sock", dockerHostSocket(getenv)} {
		if p != "" {
			refused = append(refused, resolved(p)...)
		}
	}
	for i, m := range s.Mounts {
		source := m.Source
		if rest, ok := strings.CutPrefix(source, "~"); ok && (rest == "" || rest[0] == '/') {
			if !filepath.IsAbs(home) {
				return fmt.Errorf("source %q: ~ needs HOME set to an absolute path", m.Source)
			}
			source = filepath.Join(home, rest)
		}
		if !filepath.IsAbs(source) {
			return fmt.Errorf("source %q: use an absolute path or one starting with ~/", m.Source)
		}
		real, err := filepath.EvalSymlinks(source)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("source %q does not exist: create it or remove the mount", m.Source)
			}
			return fmt.Errorf("source %q: %s", m.Source, cause(err))
		}
		if _, err := os.Stat(real); err != nil {
			return fmt.Errorf("source %q: %s", m.Source, cause(err))
		}
		if real == "/" {
			return fmt.Errorf("source %q is refused: it is the host's root; mount a directory inside it", m.Source)
		}
		for _, h := range homes {
			if project.Holds(real, h) {
				return fmt.Errorf("source %q is refused: it is or holds your home directory; mount a directory inside it", m.Source)
			}
		}
		for _, r := range refused {
			if project.Holds(r, real) || project.Holds(real, r) {
				return fmt.Errorf("source %q is refused: it is, holds or lies in %s, which an environment must not reach", m.Source, r)
			}
		}
		s.Mounts[i].Source = real
	}
	return nil
}

// resolved is p cleaned and, when it exists, with its symlinks resolved.
func resolved(p string) []string {
	paths := []string{filepath.Clean(p)}
	if real, err := filepath.EvalSymlinks(p); err == nil && real != paths[0] {
		paths = append(paths, real)
	}
	return paths
}

func dockerHostSocket(getenv func(string) string) string {
	if rest, ok := strings.CutPrefix(getenv("DOCKER_HOST"), "unix://"); ok {
		return rest
	}
	return ""
}
