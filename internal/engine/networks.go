package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/docker/api/types/network"
)

// NetworkSpec describes a network to create.
type NetworkSpec struct {
	Name     string
	Internal bool // no way out but through a container on it and on another network
	// NoHostAddress gives the host no address on the network's bridge, so
	// nothing on it reaches the host's own services.
	NoHostAddress bool
	Labels        map[string]string
}

// EnsureNetwork creates the network, or finds it there already with
// devenv=true; a network of that name without the label is refused.
func (c *Client) EnsureNetwork(ctx context.Context, spec NetworkSpec) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	if n, err := c.api.NetworkInspect(ctx, spec.Name, network.InspectOptions{}); err == nil {
		if n.Labels[DevenvLabel] != "true" {
			return fmt.Errorf("network %s exists but devenv did not make it (no devenv=true label): remove or rename it", spec.Name)
		}
		return nil
	}
	options := map[string]string{}
	if spec.NoHostAddress {
		options["com.docker.network.bridge.inhibit_ipv4"] = "true"
	}
	_, err := c.api.NetworkCreate(ctx, spec.Name, network.CreateOptions{
		Driver: "bridge", Internal: spec.Internal, Options: options, Labels: spec.Labels,
	})
	if err != nil && !errors.Is(c.wrap(err), ErrNameInUse) {
		return fmt.Errorf("create network %s: %w", spec.Name, c.wrap(err))
	}
	return nil
}

// RemoveNetwork removes a devenv network; one that is gone or still in use
// is left as it is.
func (c *Client) RemoveNetwork(ctx context.Context, name string) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	if n, err := c.api.NetworkInspect(ctx, name, network.InspectOptions{}); err == nil && n.Labels[DevenvLabel] == "true" {
		c.api.NetworkRemove(ctx, n.ID)
	}
}

// ConnectNetwork attaches a created container to another network, where
// the others know it by aliases.
func (c *Client) ConnectNetwork(ctx context.Context, networkName, containerID string, aliases ...string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	if err := c.api.NetworkConnect(ctx, networkName, containerID, &network.EndpointSettings{Aliases: aliases}); err != nil {
		return fmt.Errorf("connect to network %s: %w", networkName, c.wrap(err))
	}
	return nil
}

// NetworkSubnets lists the address ranges of a network.
func (c *Client) NetworkSubnets(ctx context.Context, name string) ([]string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	n, err := c.api.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		return nil, fmt.Errorf("inspect network %s: %w", name, c.wrap(err))
	}
	var subnets []string
	for _, cfg := range n.IPAM.Config {
		if cfg.Subnet != "" {
			subnets = append(subnets, cfg.Subnet)
		}
	}
	return subnets, nil
}
