package applets

import (
	"fmt"

	"devenv/internal/environment"
	"devenv/internal/ports"
	"devenv/internal/settings"
)

// withPortSettings fills opts.Ports from the ports setting of the project
// at dir (its project file, else the user's), for a start of that project.
func withPortSettings(opts *environment.Options, dir string) error {
	res, err := settings.Load(settings.Request{Getenv: opts.Env, ProjectDir: dir})
	if err != nil {
		return err
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
	return nil
}
