package sshkeys

import (
	"net"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// ClientConfig is what ClientOptions say, for a Go SSH client: devenv's
// key alone, and alias's host key checked strictly against devenv's
// known_hosts, whatever address the connection goes to.
func (s Store) ClientConfig(alias, user string) (*ssh.ClientConfig, error) {
	data, _, err := readState(s.IdentityFile())
	if err != nil {
		return nil, err
	}
	signer, err := ssh.ParsePrivateKey(data)
	if err != nil {
		return nil, &StateError{Path: s.IdentityFile(), Problem: "cannot parse it (" + cause(err) + ")", Fix: clientKeyFix}
	}
	known, err := knownhosts.New(s.KnownHostsFile())
	if err != nil {
		return nil, &StateError{Path: s.KnownHostsFile(), Problem: "cannot read it (" + cause(err) + ")", Fix: "remove it and restart the environment, which pins its key again"}
	}
	return &ssh.ClientConfig{
		User: user,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		// The address is a published port that changes with every start;
		// the pin is under the environment's name (HostKeyAlias).
		HostKeyCallback: func(_ string, remote net.Addr, key ssh.PublicKey) error {
			return known(net.JoinHostPort(alias, "22"), remote, key)
		},
		HostKeyAlgorithms: []string{ssh.KeyAlgoED25519},
		Timeout:           10 * time.Second,
	}, nil
}
