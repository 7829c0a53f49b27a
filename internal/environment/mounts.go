package environment

import (
	"os"
	"path/filepath"

	"devenv/internal/engine"
)

// ContainerHome is devuser's home inside every environment.
const ContainerHome = "/home/devuser"

// ContainerUser runs every process devenv starts in an environment.
const ContainerUser = "devuser"

// hostConfig is one file or directory under the user's home shared with
// every environment, read-only, at the same place under devuser's home.
// Adding a tool's configuration is one line here. Nothing of the host is
// ever mounted writable but the project: a host program would read what an
// environment wrote there as its configuration (agents' logins live in
// agent homes instead, see package agents).
type hostConfig struct {
	path string // relative to $HOME on the host and in the container
}

var hostConfigs = []hostConfig{
	{path: ".bashrc"},
	{path: ".inputrc"},
	{path: ".gitconfig"},
	{path: ".config/bash"},
	{path: ".config/git"},
	{path: ".config/nvim"},
	{path: ".config/starship"},
	{path: ".config/starship.toml"},
	{path: ".config/gh"},
	{path: ".config/gh-copilot"},
	{path: ".config/opencode"},
}

// configMounts returns the mounts for the host configuration that exists.
func configMounts(home string) []engine.Mount {
	if home == "" {
		return nil
	}
	var mounts []engine.Mount
	for _, c := range hostConfigs {
		src := filepath.Join(home, c.path)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		mounts = append(mounts, engine.Mount{
			Source:   src,
			Target:   ContainerHome + "/" + c.path,
			ReadOnly: true,
		})
	}
	return mounts
}
