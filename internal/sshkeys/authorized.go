package sshkeys

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/crypto/ssh"
)

// AuthorizedKeys is an environment's authorized_keys: devenv's own key
// first, then every valid line of the user's files in order, each once.
// Lines keep their options (from=, command=, …), which only ever restrict;
// lines sshd could not parse are left out.
func AuthorizedKeys(client ssh.PublicKey, sources ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("# Written by devenv when this environment started; edits here are lost.\n")
	seen := map[string]bool{}
	add := func(line string) {
		if !seen[line] {
			seen[line] = true
			b.WriteString(line + "\n")
		}
	}
	add(authorizedLine(client, "devenv"))
	for _, src := range sources {
		for _, line := range strings.Split(string(src), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line)); err == nil {
				add(line)
			}
		}
	}
	return b.Bytes()
}

// authorizes reports whether an authorized_keys file lets key in.
func authorizes(file []byte, key ssh.PublicKey) bool {
	want := key.Marshal()
	for rest := file; len(rest) > 0; {
		k, _, _, next, err := ssh.ParseAuthorizedKey(rest)
		if err != nil {
			return false
		}
		if bytes.Equal(k.Marshal(), want) {
			return true
		}
		rest = next
	}
	return false
}

// userKeys reads the user's public keys: ~/.ssh/*.pub, sorted, then
// ~/.ssh/authorized_keys. They are a convenience on top of devenv's own
// key, so a file that cannot be read is skipped.
func userKeys(home string) [][]byte {
	if home == "" {
		return nil
	}
	dir := filepath.Join(home, ".ssh")
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".pub") && !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	names = append(names, "authorized_keys")
	var out [][]byte
	for _, n := range names {
		if data, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			out = append(out, data)
		}
	}
	return out
}
