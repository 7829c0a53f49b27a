package sshkeys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Fixes for keys devenv cannot use. Either way devenv makes a new key only
// after the user removed the old one: a key is an identity, and losing one
// silently would hide whatever broke it.
const (
	clientKeyFix = "remove it and devenv makes a new one (running environments then need a restart to accept it)"
	hostKeyFix   = "remove it and restart the environment: devenv makes a new host key and pins it"
)

// Files are what an environment mounts read-only for its sshd.
type Files struct {
	AuthorizedKeys string
	HostKey        string
}

// Prepare readies what environment name needs when it starts: devenv's
// client key, the environment's host key (the same one every time, so a
// rebuilt image keeps its identity), its authorized_keys (devenv's key and
// the user's own public keys under home) and the known_hosts entry pinning
// its host key.
func (s Store) Prepare(name, home string) (Files, error) {
	if err := checkName(name); err != nil {
		return Files{}, err
	}
	client, err := s.ClientKey()
	if err != nil {
		return Files{}, err
	}
	host, err := s.key(s.HostKeyFile(name), "devenv host key of "+name, true, hostKeyFix)
	if err != nil {
		return Files{}, err
	}
	if err := writeReplace(s.AuthorizedKeysFile(name), AuthorizedKeys(client, userKeys(home)...), 0o644); err != nil {
		return Files{}, err
	}
	if err := s.pin(name, host, true); err != nil {
		return Files{}, err
	}
	return Files{AuthorizedKeys: s.AuthorizedKeysFile(name), HostKey: s.HostKeyFile(name)}, nil
}

// StaleError says that a running environment was given keys that devenv's
// state no longer holds; restarting the environment gives it the current ones.
type StaleError struct{ Name, Reason string }

func (e *StaleError) Error() string { return e.Name + ": " + e.Reason }

// Check makes sure a connection to the running environment name can
// succeed with strict host key checking: devenv's client key is the one the
// environment accepts, and its host key is pinned. A missing pin is added
// from the environment's host key file; a pin that is there is never
// changed, so a wrong one makes ssh refuse, as it must.
func (s Store) Check(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	client, err := s.key(s.IdentityFile(), "", false, clientKeyFix)
	if err != nil {
		return err
	}
	if client == nil {
		return &StaleError{Name: name, Reason: "devenv's SSH key " + s.IdentityFile() + " is gone"}
	}
	authorized, ok, err := readState(s.AuthorizedKeysFile(name))
	if err != nil {
		return err
	}
	if !ok || !authorizes(authorized, client) {
		return &StaleError{Name: name, Reason: "it does not accept devenv's current SSH key"}
	}
	host, err := s.key(s.HostKeyFile(name), "", false, hostKeyFix)
	if err != nil {
		return err
	}
	if host == nil {
		return &StaleError{Name: name, Reason: "its host key " + s.HostKeyFile(name) + " is gone"}
	}
	return s.pin(name, host, false)
}

// ClientKey returns devenv's public client key, making the key pair on
// first need.
func (s Store) ClientKey() (ssh.PublicKey, error) {
	pub, err := s.key(s.IdentityFile(), "devenv", true, clientKeyFix)
	if err != nil {
		return nil, err
	}
	// ssh reads id_ed25519.pub beside the key when it is there, and a stale
	// one would make it offer the wrong key.
	line := []byte(authorizedLine(pub, "devenv") + "\n")
	if old, ok, err := readState(s.IdentityFile() + ".pub"); err != nil || !ok || !bytes.Equal(old, line) {
		if err := writeReplace(s.IdentityFile()+".pub", line, 0o644); err != nil {
			return nil, err
		}
	}
	return pub, nil
}

// key reads the private key at path and returns its public half, creating
// the key first when create is set; without create a missing key is nil.
func (s Store) key(path, comment string, create bool, fix string) (ssh.PublicKey, error) {
	data, ok, err := readState(path)
	if err != nil {
		return nil, err
	}
	if !ok {
		if !create {
			return nil, nil
		}
		if err := mkdir(s.dir); err != nil {
			return nil, err
		}
		pem, err := newKey(comment)
		if err != nil {
			return nil, err
		}
		if _, err := writeNew(path, pem, 0o600); err != nil {
			return nil, err
		}
		// Another devenv may have won the race to create it: use its key.
		if data, ok, err = readState(path); err != nil {
			return nil, err
		} else if !ok {
			return nil, &StateError{Path: path, Problem: "it vanished right after it was created", Fix: "check what else writes to " + filepath.Dir(path)}
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, &StateError{Path: path, Problem: "cannot stat it (" + cause(err) + ")", Fix: fix}
	}
	// ssh and sshd both refuse a private key that others may read.
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		return nil, &StateError{Path: path, Problem: fmt.Sprintf("its mode %04o lets others read this private key", mode), Fix: "run chmod 600 " + path}
	}
	pub, err := parseKey(data)
	if err != nil {
		return nil, &StateError{Path: path, Problem: err.Error(), Fix: fix}
	}
	return pub, nil
}

// newKey makes an ed25519 key in OpenSSH's private key format.
func newKey(comment string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate an SSH key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, fmt.Errorf("encode an SSH key: %w", err)
	}
	return pem.EncodeToMemory(block), nil
}

// parseKey accepts only what devenv writes: an unencrypted ed25519 key.
func parseKey(data []byte) (ssh.PublicKey, error) {
	raw, err := ssh.ParseRawPrivateKey(data)
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, errors.New("it is protected by a passphrase, which devenv's own keys never are")
	case err != nil:
		return nil, fmt.Errorf("it is not a readable private key (%s)", strings.TrimPrefix(err.Error(), "ssh: "))
	}
	priv, ok := raw.(*ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("it holds a %s key, not the ed25519 key devenv makes", keyKind(raw))
	}
	pub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		return nil, fmt.Errorf("it is not a usable ed25519 key (%v)", err)
	}
	return pub, nil
}

func keyKind(raw any) string {
	if signer, err := ssh.NewSignerFromKey(raw); err == nil {
		return signer.PublicKey().Type()
	}
	return fmt.Sprintf("%T", raw)
}

// authorizedLine is key in authorized_keys (and .pub) form.
func authorizedLine(key ssh.PublicKey, comment string) string {
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
	if comment != "" {
		line += " " + comment
	}
	return line
}
