// Package xdg finds devenv's own directories on the host, following the
// XDG base directory spec (which says to ignore relative XDG_* values).
package xdg

import (
	"errors"
	"path/filepath"
)

// StateDir is devenv's state directory: $XDG_STATE_HOME/devenv, else
// ~/.local/state/devenv. Its SSH keys and agent homes live there.
func StateDir(getenv func(string) string) (string, error) {
	return dir(getenv, "XDG_STATE_HOME", ".local/state")
}

// ConfigDir is devenv's configuration directory: $XDG_CONFIG_HOME/devenv,
// else ~/.config/devenv.
func ConfigDir(getenv func(string) string) (string, error) {
	return dir(getenv, "XDG_CONFIG_HOME", ".config")
}

func dir(getenv func(string) string, variable, underHome string) (string, error) {
	if xdg := getenv(variable); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "devenv"), nil
	}
	home := getenv("HOME")
	if !filepath.IsAbs(home) {
		return "", errors.New("devenv keeps its keys and state under $" + variable + " or $HOME, and neither is an absolute path: set HOME")
	}
	return filepath.Join(home, filepath.FromSlash(underHome), "devenv"), nil
}
