// Package sshkeys is devenv's SSH identity: its own client key, a host key
// per environment, the authorized_keys each environment gets and the
// known_hosts that pins every environment's host key under its name. It is
// all plain files under the user's devenv state directory, generated in Go.
package sshkeys

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"devenv/internal/statedir"
)

// Store is devenv's SSH state directory:
//
//	id_ed25519, id_ed25519.pub    devenv's client key
//	known_hosts                   every environment's host key, under its name
//	environments/NAME/            ssh_host_ed25519_key and authorized_keys,
//	                              mounted read-only into environment NAME
type Store struct{ dir string }

// Open finds the store under $XDG_STATE_HOME/devenv, else
// ~/.local/state/devenv. Nothing is created until a key is needed.
func Open(getenv func(string) string) (Store, error) {
	dir, err := statedir.Dir(getenv)
	if err != nil {
		return Store{}, err
	}
	return Store{dir: filepath.Join(dir, "ssh")}, nil
}

// Dir is the store's directory.
func (s Store) Dir() string { return s.dir }

// IdentityFile is devenv's private client key, for ssh -i.
func (s Store) IdentityFile() string { return filepath.Join(s.dir, "id_ed25519") }

// KnownHostsFile pins each environment's host key under its name.
func (s Store) KnownHostsFile() string { return filepath.Join(s.dir, "known_hosts") }

// HostKeyFile is the private host key of the environment called name.
func (s Store) HostKeyFile(name string) string {
	return filepath.Join(s.dir, "environments", name, "ssh_host_ed25519_key")
}

// AuthorizedKeysFile is what the environment called name lets log in.
func (s Store) AuthorizedKeysFile(name string) string {
	return filepath.Join(s.dir, "environments", name, "authorized_keys")
}

// validName is Docker's rule for container names; it also keeps a name
// from leaving the environments directory.
var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func checkName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("invalid environment name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit", name)
	}
	return nil
}

// mkdir creates dir (and its parents) private to the user.
func mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &StateError{Path: dir, Problem: "cannot create it (" + cause(err) + ")", Fix: "make it writable, or set XDG_STATE_HOME to a directory that is"}
	}
	return nil
}
