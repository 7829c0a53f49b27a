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
// every environment, mounted at the same place under devuser's home. Adding
// a tool's configuration is one line here.
type hostConfig struct {
	path string // relative to $HOME on the host and in the container
	// writable is only for agent credential files that their tools rewrite
	// when a token refreshes; each is mounted alone, never its directory.
	writable bool
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
	{path: ".local/share/opencode/auth.json", writable: true},
	{path: ".claude/.credentials.json", writable: true},
	{path: ".claude.json", writable: true},
	{path: ".codex/auth.json", writable: true},
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
			ReadOnly: !c.writable,
		})
	}
	return mounts
}
