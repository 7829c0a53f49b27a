package sshkeys

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/crypto/ssh"
)

// pin records key as alias's host key in devenv's known_hosts. With
// replace it supersedes whatever was there (devenv is about to give the
// environment that very key); without, it only fills in a missing entry.
func (s Store) pin(alias string, key ssh.PublicKey, replace bool) error {
	return s.locked(func() error {
		path := s.KnownHostsFile()
		old, _, err := readState(path)
		if err != nil {
			return err
		}
		if !replace {
			known, err := pinned(old, alias)
			if err != nil {
				return &StateError{Path: path, Problem: err.Error(), Fix: "remove that line, or restart the environment, which pins its key again"}
			}
			if known {
				return nil
			}
		}
		updated := pinKey(old, alias, key)
		if bytes.Equal(updated, old) {
			return nil
		}
		return writeReplace(path, updated, 0o644)
	})
}

// locked runs f holding the store's lock, so that two devenv processes
// starting different environments never lose each other's known_hosts
// entries.
func (s Store) locked(f func() error) error {
	if err := mkdir(s.dir); err != nil {
		return err
	}
	path := filepath.Join(s.dir, ".lock")
	lock, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return &StateError{Path: path, Problem: "cannot open it (" + cause(err) + ")", Fix: "fix its owner and mode, or remove it"}
	}
	defer lock.Close() // closing releases the lock
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return &StateError{Path: path, Problem: "cannot lock it (" + cause(err) + ")", Fix: "put the state directory on a local file system (XDG_STATE_HOME)"}
	}
	return f()
}

// pinKey returns known_hosts content in which the only line about alias
// pins key; every other line stays as it was.
func pinKey(file []byte, alias string, key ssh.PublicKey) []byte {
	var b bytes.Buffer
	for _, line := range lines(file) {
		if !mentions(line, alias) {
			b.WriteString(line + "\n")
		}
	}
	b.WriteString(alias + " " + authorizedLine(key, "") + "\n")
	return b.Bytes()
}

// pinned reports whether known_hosts has a line about alias. A line about
// alias that does not parse is an error, never "not pinned": filling in a
// key behind a damaged line would quietly trust whatever answers.
func pinned(file []byte, alias string) (bool, error) {
	for i, line := range lines(file) {
		if !mentions(line, alias) {
			continue
		}
		if _, _, _, _, _, err := ssh.ParseKnownHosts([]byte(line)); err != nil {
			return false, fmt.Errorf("line %d, about %s, is damaged (%s)", i+1, alias, strings.TrimPrefix(err.Error(), "ssh: "))
		}
		return true, nil
	}
	return false, nil
}

// mentions reports whether a known_hosts line names alias among its hosts.
func mentions(line, alias string) bool {
	fields := strings.Fields(line)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "@") {
		fields = fields[1:]
	}
	if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
		return false
	}
	for _, h := range strings.Split(fields[0], ",") {
		if h == alias {
			return true
		}
	}
	return false
}

func lines(file []byte) []string {
	text := strings.TrimRight(string(file), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
