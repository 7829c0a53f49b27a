package environment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"devenv/internal/egress"
	"devenv/internal/engine"
	"devenv/internal/ports"
	"devenv/internal/settings"
)

// EgressLabel records an environment's egress policy at its start.
const EgressLabel = "devenv.egress"

// OutsideNetworkVariable names the network the egress gateway reaches the
// outside through (default: the engine's default bridge).
const OutsideNetworkVariable = "DEVENV_EGRESS_NETWORK"

// confine puts an environment whose egress is enforced on its own internal
// network, with the proxy variables in every way in, and leaves its ports
// to the gateway.
func confine(spec *engine.ContainerSpec, opts Options) {
	if !opts.Egress.Enforced() {
		return
	}
	spec.Labels[EgressLabel] = opts.Egress.Mode
	spec.Labels[engine.GatewayLabel] = egress.GatewayName(spec.Name)
	spec.Network = egress.NetworkName(spec.Name)
	spec.Env = append(slices.Clone(spec.Env), egress.ProxyEnv(spec.Name)...)
	// Raw sockets would let root inside forge frames onto the network.
	spec.CapDrop = append(spec.CapDrop, "NET_RAW")
	spec.SSHIP, spec.Publish = "", nil
}

// prepareNetwork makes what a confined environment is created on: the
// gateway's image and the internal network.
func prepareNetwork(ctx context.Context, eng *engine.Client, spec engine.ContainerSpec, opts Options) error {
	if err := egress.EnsureImage(ctx, eng, opts.Notes); err != nil {
		return err
	}
	return eng.EnsureNetwork(ctx, engine.NetworkSpec{
		Name: spec.Network, Internal: true, NoHostAddress: true,
		Labels: map[string]string{engine.DevenvLabel: "true", egress.GatewayLabel: spec.Name},
	})
}

// startGateway creates the environment's internal network and starts its
// gateway, which publishes what spec would have published. The environment
// (created, not started) holds its name, so a gateway of its name left by
// an environment that was killed is stale and replaced.
func startGateway(ctx context.Context, eng *engine.Client, spec engine.ContainerSpec, published engine.ContainerSpec, opts Options) error {
	name := egress.GatewayName(spec.Name)
	switch old, err := eng.Inspect(ctx, name); {
	case err == nil && !isGatewayOf(old, spec.Name):
		return &ForeignContainerError{Name: name}
	case err == nil:
		if err := eng.Remove(ctx, old.ID); err != nil {
			return err
		}
	case !errors.Is(err, engine.ErrNotFound):
		return err
	}
	clients, err := eng.NetworkSubnets(ctx, spec.Network)
	if err != nil {
		return err
	}
	cmd, err := egress.GatewayCommand(spec.Name, opts.Egress, clients, opts.Ports)
	if err != nil {
		return err
	}
	outside := opts.Env(OutsideNetworkVariable)
	if outside == "" {
		outside = "bridge"
	}
	id, err := eng.Create(ctx, engine.ContainerSpec{
		Name: name, Image: egress.Image, Cmd: cmd, Network: outside,
		Labels:  map[string]string{engine.DevenvLabel: "true", egress.GatewayLabel: spec.Name},
		SSHIP:   published.SSHIP,
		SSHPort: published.SSHPort,
		Publish: published.Publish,
	})
	if err != nil {
		return err
	}
	if err := eng.ConnectNetwork(ctx, spec.Network, id); err != nil {
		removeQuietly(ctx, eng, id)
		return err
	}
	if err := eng.Start(ctx, id); err != nil {
		removeQuietly(ctx, eng, id)
		return err
	}
	return nil
}

// awaitProxy waits until the gateway's Squid accepts connections, so the
// environment's first request does not race its start.
func awaitProxy(ctx context.Context, eng *engine.Client, env string) error {
	probe := fmt.Sprintf(`for i in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/%d) 2>/dev/null && exit 0; sleep 0.1; done; exit 1`, egress.ProxyPort)
	code, err := eng.Exec(ctx, egress.GatewayName(env), engine.ExecSpec{Cmd: []string{"bash", "-c", probe}}, engine.ExecIO{Out: discard{}, Err: discard{}})
	if err == nil && code != 0 {
		err = errors.New("it did not listen within 30 seconds")
	}
	if err != nil {
		return fmt.Errorf("the egress proxy of %s did not start (%w): see `docker logs %s`", env, err, egress.GatewayName(env))
	}
	return nil
}

// stopGateway ends an environment's gateway and network, once the
// environment is gone; the gateway also ends by itself soon after.
func stopGateway(ctx context.Context, eng *engine.Client, c engine.Container) {
	name := c.Labels[engine.GatewayLabel]
	if name == "" {
		return
	}
	if g, err := eng.Inspect(ctx, name); err == nil && isGatewayOf(g, c.Name) {
		eng.Stop(ctx, g.ID, time.Second)
	}
	eng.RemoveNetwork(ctx, egress.NetworkName(c.Name))
}

// isGatewayOf reports whether g is the gateway devenv made for env; only
// such a container is ever replaced or stopped as one.
func isGatewayOf(g engine.Container, env string) bool {
	return g.Labels[engine.DevenvLabel] == "true" && g.Labels[egress.GatewayLabel] == env
}

func removeQuietly(ctx context.Context, eng *engine.Client, id string) {
	cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	eng.Remove(cleanup, id)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// networkOptions takes the ports and [network] settings of a new
// environment of the project at dir into opts, and checks them.
func networkOptions(dir string, opts *Options, s settings.Settings) error {
	opts.Ports = nil
	seen := map[int]bool{}
	for _, p := range s.Ports {
		if seen[p.Host] {
			return settingError(dir, opts, "ports", fmt.Sprintf("host port %d is forwarded twice: give each forward its own host port (\"HOST:PORT\")", p.Host))
		}
		seen[p.Host] = true
		opts.Ports = append(opts.Ports, ports.Forward{Host: p.Host, Port: p.Container})
	}
	if len(opts.Ports) > 0 {
		opts.PortsSource = "ports in " + settingSource(dir, opts, "ports")
	}
	opts.Egress = egress.Policy{Mode: s.Network.Egress, Allow: s.Network.Allow}
	if err := opts.Egress.Validate(); err != nil {
		return settingError(dir, opts, "network.allow", err.Error())
	}
	return nil
}

// settingError is bad input in the setting key: a settings error, as the
// settings package reports its own.
func settingError(dir string, opts *Options, key, problem string) error {
	return &settings.Error{File: settingSource(dir, opts, key), Key: key, Problem: problem}
}

// settingSource is the file (or variable) a key's value came from; only
// the few starts that use the key load the settings again to say it.
func settingSource(dir string, opts *Options, key string) string {
	res, err := settings.Load(settings.Request{Getenv: opts.Env, ProjectDir: dir, Flags: opts.SettingFlags})
	if err != nil {
		return ""
	}
	return res.Sources[key].Where
}
