package environment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/ports"
)

// loopbackIPv6 gives the environment's loopback its ::1, which engines
// without IPv6 networks switch off: dev servers that bind "localhost" to
// [::1], as on the host, then work inside too, and forwards reach them.
var loopbackIPv6 = map[string]string{"net.ipv6.conf.lo.disable_ipv6": "0"}

// relayBindings publishes each forward of the ports setting on the host's
// loopback, from its relay's port in the container (see package ports for
// why that cannot outlive the environment).
func relayBindings(forwards []ports.Forward) []engine.PortBinding {
	var out []engine.PortBinding
	for i, f := range forwards {
		out = append(out, engine.PortBinding{HostIP: ports.BindIP, HostPort: f.Host, ContainerPort: ports.RelayPort(i)})
	}
	return out
}

// startRelays runs the ports setting's relay in a started environment; it
// returns once the relay listens.
func startRelays(ctx context.Context, eng *engine.Client, name string, forwards []ports.Forward) error {
	if len(forwards) == 0 {
		return nil
	}
	var stderr bytes.Buffer
	code, err := eng.Exec(ctx, name, engine.ExecSpec{Cmd: ports.ListenRelay(forwards), User: ContainerUser},
		engine.ExecIO{Out: &stderr, Err: &stderr})
	if err != nil {
		return fmt.Errorf("start the port relay in %s: %w", name, err)
	}
	if code != 0 {
		return fmt.Errorf("the port relay in %s failed (exit %d: %s): the image needs perl (Debian's perl-base)",
			name, code, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// forwardInUse turns the engine's "port is taken" at start into the error
// naming the forward and its setting, when one of the forwards is what the
// engine could not bind.
func forwardInUse(err error, opts Options) error {
	if !errors.Is(err, engine.ErrPortInUse) {
		return nil
	}
	for _, f := range opts.Ports {
		if names(err.Error(), f.HostAddress()) {
			return &ports.InUseError{Forward: f, Source: opts.PortsSource}
		}
	}
	return nil
}

// names reports whether msg mentions addr as a whole (":3000", not ":30001").
func names(msg, addr string) bool {
	for rest := msg; ; {
		i := strings.Index(rest, addr)
		if i < 0 {
			return false
		}
		rest = rest[i+len(addr):]
		if rest == "" || rest[0] < '0' || rest[0] > '9' {
			return true
		}
	}
}
