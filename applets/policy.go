package applets

import (
	"strings"

	"devenv/internal/environment"
)

// applyPolicy fills what the user's settings decide about a new
// environment's reach. Until devenv's settings file lands these come from
// the user's environment only (never from a project): DEVENV_SUDO=false
// (settings key sudo), DEVENV_AGENTS=per-project (agents) and
// DEVENV_FORWARD_SSH_AGENT=true (forward_ssh_agent).
func applyPolicy(c *call, opts *environment.Options) {
	opts.NoSudo = isFalse(c.env("DEVENV_SUDO"))
	opts.Agents = c.env("DEVENV_AGENTS")
	opts.ForwardSSHAgent = isTrue(c.env("DEVENV_FORWARD_SSH_AGENT"))
}

func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func isFalse(s string) bool {
	switch strings.ToLower(s) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}
