package environment

import (
	"fmt"
	"net"

	"devenv/internal/engine"
	"devenv/internal/sshkeys"
)

// Where every environment's sshd finds the keys devenv manages; the
// sshd_config of Dockerfile.base names both.
const (
	AuthorizedKeysPath = "/etc/devenv/authorized_keys"
	HostKeyPath        = "/etc/devenv/ssh_host_ed25519_key"
)

// sshSetup is what a new environment's SSH needs from the host.
type sshSetup struct {
	bind   string
	mounts []engine.Mount
}

// prepareSSH picks the address SSH is published on and readies the keys of
// the environment called name, mounted read-only.
func prepareSSH(name string, opts Options) (sshSetup, error) {
	bind, err := sshBind(opts)
	if err != nil {
		return sshSetup{}, err
	}
	store, err := sshkeys.Open(opts.Env)
	if err != nil {
		return sshSetup{}, err
	}
	files, err := store.Prepare(name, opts.Env("HOME"))
	if err != nil {
		return sshSetup{}, fmt.Errorf("prepare SSH keys for %s: %w", name, err)
	}
	return sshSetup{bind: bind, mounts: []engine.Mount{
		{Source: files.AuthorizedKeys, Target: AuthorizedKeysPath, ReadOnly: true},
		{Source: files.HostKey, Target: HostKeyPath, ReadOnly: true},
	}}, nil
}

// sshBind is DEVENV_SSH_BIND, else loopback. Publishing anywhere else is
// said on every start, because it lets other machines try to log in.
func sshBind(opts Options) (string, error) {
	value := opts.Env("DEVENV_SSH_BIND")
	if value == "" {
		return "127.0.0.1", nil
	}
	ip := net.ParseIP(value)
	if ip == nil {
		return "", fmt.Errorf("invalid DEVENV_SSH_BIND %q: use an IP address of this host, such as 127.0.0.1 (the default)", value)
	}
	if !ip.IsLoopback() {
		fmt.Fprintf(opts.Notes, "devenv: warning: DEVENV_SSH_BIND=%s publishes SSH beyond this machine: whoever reaches that address may try to log in (public keys only)\n", value)
	}
	return value, nil
}

// SSHHost is the address a client on this host dials for c's SSH port: the
// published address, or loopback when it was published on every address.
func SSHHost(c engine.Container) string {
	ip := net.ParseIP(c.SSHIP)
	switch {
	case ip == nil || ip.IsUnspecified() && ip.To4() != nil:
		return "127.0.0.1"
	case ip.IsUnspecified():
		return "::1"
	}
	return c.SSHIP
}
