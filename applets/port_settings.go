package applets

import (
	"fmt"

	"devenv/internal/egress"
	"devenv/internal/environment"
	"devenv/internal/ports"
	"devenv/internal/settings"
)

// withStartSettings fills opts from the settings that shape a new
// environment of the project at dir: the ports setting and the [network]
// egress policy.
func withStartSettings(dir string, opts *environment.Options) error {
	res, err := settings.Load(settings.Request{Getenv: opts.Env, ProjectDir: dir})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		opts.StartNotes = append(opts.StartNotes, Program+": "+w)
	}
	opts.Ports = nil
	opts.PortsSource = "ports in " + res.Sources["ports"].Where
	seen := map[int]bool{}
	for _, p := range res.Settings.Ports {
		if seen[p.Host] {
			return fmt.Errorf("host port %d is forwarded twice by %s: give each forward its own host port (\"HOST:PORT\")", p.Host, opts.PortsSource)
		}
		seen[p.Host] = true
		opts.Ports = append(opts.Ports, ports.Forward{Host: p.Host, Port: p.Container})
	}
	opts.Egress = egress.Policy{Mode: res.Settings.Network.Egress, Allow: res.Settings.Network.Allow}
	if err := opts.Egress.Validate(); err != nil {
		return fmt.Errorf("%w (%s)", err, res.Sources["network.allow"])
	}
	return nil
}
