// Package statedir is where devenv keeps what it owns on the host: SSH keys,
// start locks, and whatever else must outlive one command.
package statedir

import (
	"errors"
	"path/filepath"
)

// Dir is $XDG_STATE_HOME/devenv, else ~/.local/state/devenv. It follows the
// XDG base directory spec, which says to ignore a relative XDG_STATE_HOME.
// Nothing is created here.
func Dir(getenv func(string) string) (string, error) {
	if xdg := getenv("XDG_STATE_HOME"); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "devenv"), nil
	}
	home := getenv("HOME")
	if !filepath.IsAbs(home) {
		return "", errors.New("devenv keeps its state under $XDG_STATE_HOME or $HOME, and neither is an absolute path: set HOME")
	}
	return filepath.Join(home, ".local", "state", "devenv"), nil
}
