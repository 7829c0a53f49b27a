package engine

import (
	"context"
	"fmt"
	"strings"
)

// EngineInfo is what devenv doctor reports about the engine in use.
type EngineInfo struct {
	Product    string `json:"product"` // "Docker Engine" or "Podman Engine"
	Version    string `json:"version"`
	APIVersion string `json:"api_version"` // the engine's own
	ClientAPI  string `json:"client_api"`  // the version devenv speaks to it
	OS         string `json:"os"`          // e.g. "Debian GNU/Linux 12 (bookworm)"
	Rootless   bool   `json:"rootless"`
}

// Podman reports whether the engine is Podman's Docker-compatible API.
func (i EngineInfo) Podman() bool { return strings.HasPrefix(i.Product, "Podman") }

// Info asks the engine what it is.
func (c *Client) Info(ctx context.Context) (EngineInfo, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	v, err := c.api.ServerVersion(ctx)
	if err != nil {
		return EngineInfo{}, fmt.Errorf("engine version: %w", c.wrap(err))
	}
	info := EngineInfo{Product: "Docker Engine", Version: v.Version, APIVersion: v.APIVersion, ClientAPI: c.api.ClientVersion()}
	for _, comp := range v.Components {
		if strings.HasPrefix(comp.Name, "Podman") {
			info.Product = comp.Name
		}
	}
	sys, err := c.api.Info(ctx)
	if err != nil {
		return EngineInfo{}, fmt.Errorf("engine info: %w", c.wrap(err))
	}
	info.OS = sys.OperatingSystem
	for _, opt := range sys.SecurityOptions {
		if strings.Contains(opt, "name=rootless") {
			info.Rootless = true
		}
	}
	return info, nil
}
