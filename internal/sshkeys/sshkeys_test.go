package sshkeys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestStateDir(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/devenv/ssh"},
		{map[string]string{"HOME": "/home/u", "XDG_STATE_HOME": "/xdg"}, "/xdg/devenv/ssh"},
		// the XDG spec: a relative value is ignored
		{map[string]string{"HOME": "/home/u", "XDG_STATE_HOME": "rel"}, "/home/u/.local/state/devenv/ssh"},
	} {
		s, err := Open(env(tc.vars))
		if err != nil || s.Dir() != tc.want {
			t.Errorf("Open(%v) = %q, %v; want %q", tc.vars, s.Dir(), err, tc.want)
		}
	}
	if _, err := Open(env(map[string]string{"HOME": "relative"})); err == nil {
		t.Error("Open with a relative HOME and no XDG_STATE_HOME succeeded")
	}
}

func testStore(t *testing.T) Store {
	t.Helper()
	s, err := Open(env(map[string]string{"XDG_STATE_HOME": t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestPrepareMakesKeysOnceWithSafeModes(t *testing.T) {
	s := testStore(t)
	home := t.TempDir()
	files, err := s.Prepare("devenv-x-api", home)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		s.IdentityFile():          0o600,
		s.IdentityFile() + ".pub": 0o644,
		files.HostKey:             0o600, // sshd refuses a host key others can read
		files.AuthorizedKeys:      0o644, // sshd reads it as devuser
		s.Dir():                   0o700,
	} {
		if got := mode(t, path); got != want {
			t.Errorf("%s: mode %04o, want %04o", path, got, want)
		}
	}
	key1, _ := os.ReadFile(files.HostKey)
	client1, _ := os.ReadFile(s.IdentityFile())
	if _, err := s.Prepare("devenv-x-api", home); err != nil {
		t.Fatal(err)
	}
	key2, _ := os.ReadFile(files.HostKey)
	client2, _ := os.ReadFile(s.IdentityFile())
	if !bytes.Equal(key1, key2) || !bytes.Equal(client1, client2) {
		t.Error("a second start made new keys; an environment must keep its identity")
	}
	// the key files are what OpenSSH reads
	if _, err := ssh.ParsePrivateKey(key1); err != nil {
		t.Errorf("host key: %v", err)
	}
	if !bytes.HasPrefix(client1, []byte("-----BEGIN OPENSSH PRIVATE KEY-----")) {
		t.Errorf("client key is not in OpenSSH's format:\n%s", client1)
	}
}

func TestPreparePinsHostKeyAndAuthorizesClient(t *testing.T) {
	s := testStore(t)
	files, err := s.Prepare("devenv-x-api", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hostPub := publicOf(t, files.HostKey)
	known, _ := os.ReadFile(s.KnownHostsFile())
	want := "devenv-x-api " + authorizedLine(hostPub, "") + "\n"
	if string(known) != want {
		t.Errorf("known_hosts = %q, want %q", known, want)
	}
	authorized, _ := os.ReadFile(files.AuthorizedKeys)
	if !authorizes(authorized, publicOf(t, s.IdentityFile())) {
		t.Errorf("authorized_keys lacks devenv's key:\n%s", authorized)
	}
	pubFile, _ := os.ReadFile(s.IdentityFile() + ".pub")
	if k, _, _, _, err := ssh.ParseAuthorizedKey(pubFile); err != nil || !bytes.Equal(k.Marshal(), publicOf(t, s.IdentityFile()).Marshal()) {
		t.Errorf("id_ed25519.pub does not match id_ed25519: %s", pubFile)
	}
	if err := s.Check("devenv-x-api"); err != nil {
		t.Errorf("Check after Prepare: %v", err)
	}
}

func publicOf(t *testing.T, path string) ssh.PublicKey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return signer.PublicKey()
}

func TestConcurrentPreparesAgree(t *testing.T) {
	s := testStore(t)
	home := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); _, err := s.Prepare("devenv-x-api", home); errs <- err }()
		go func() { defer wg.Done(); _, err := s.Prepare("devenv-x-web", home); errs <- err }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	known, _ := os.ReadFile(s.KnownHostsFile())
	for _, name := range []string{"devenv-x-api", "devenv-x-web"} {
		want := name + " " + authorizedLine(publicOf(t, s.HostKeyFile(name)), "")
		if strings.Count(string(known), name+" ") != 1 || !strings.Contains(string(known), want) {
			t.Errorf("known_hosts does not pin %s's key exactly once:\n%s", name, known)
		}
	}
	if err := s.Check("devenv-x-api"); err != nil {
		t.Error(err)
	}
}

func TestAuthorizedKeys(t *testing.T) {
	client := newPublic(t)
	user := authorizedLine(newPublic(t), "me@laptop")
	restricted := `from="10.0.0.0/8",no-pty ` + authorizedLine(newPublic(t), "restricted")
	got := string(AuthorizedKeys(client,
		[]byte(user+"\n"),
		[]byte("# a comment\n\n"+restricted+"\r\nnot a key at all\n"+user+"\n")))
	want := "# Written by devenv when this environment started; edits here are lost.\n" +
		authorizedLine(client, "devenv") + "\n" + user + "\n" + restricted + "\n"
	if got != want {
		t.Errorf("AuthorizedKeys:\n%s\nwant:\n%s", got, want)
	}
}

func TestUserKeysAreShared(t *testing.T) {
	s := testStore(t)
	home := t.TempDir()
	mine := authorizedLine(newPublic(t), "me")
	other := authorizedLine(newPublic(t), "other")
	os.MkdirAll(filepath.Join(home, ".ssh"), 0o700)
	os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519.pub"), []byte(mine+"\n"), 0o644)
	os.WriteFile(filepath.Join(home, ".ssh", "authorized_keys"), []byte(other+"\n"), 0o600)
	os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519"), []byte("PRIVATE, never shared"), 0o600)
	files, err := s.Prepare("devenv-x-api", home)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(files.AuthorizedKeys)
	if !strings.Contains(string(got), mine) || !strings.Contains(string(got), other) || strings.Contains(string(got), "PRIVATE") {
		t.Errorf("authorized_keys:\n%s", got)
	}
}

func newPublic(t *testing.T) ssh.PublicKey {
	t.Helper()
	data, err := newKey("")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := parseKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func TestPinKey(t *testing.T) {
	a, b, c := newPublic(t), newPublic(t), newPublic(t)
	lineA := "devenv-a " + authorizedLine(a, "")
	file := []byte(lineA + "\n" + "devenv-b " + authorizedLine(b, "") + "\n# kept\n")
	got := string(pinKey(file, "devenv-b", c))
	want := lineA + "\n# kept\ndevenv-b " + authorizedLine(c, "") + "\n"
	if got != want {
		t.Errorf("pinKey:\n%s\nwant:\n%s", got, want)
	}
	// a prefix of a name is another name
	if mentions("devenv-a-b "+authorizedLine(a, ""), "devenv-a") {
		t.Error("devenv-a-b's line counted as devenv-a's")
	}
	if !mentions("@revoked other,devenv-a "+authorizedLine(a, ""), "devenv-a") {
		t.Error("a marked line with several hosts did not count")
	}
}

func TestPinned(t *testing.T) {
	a := newPublic(t)
	good := []byte("devenv-a " + authorizedLine(a, "") + "\n")
	if ok, err := pinned(good, "devenv-a"); !ok || err != nil {
		t.Errorf("pinned(good) = %v, %v", ok, err)
	}
	if ok, err := pinned(good, "devenv-b"); ok || err != nil {
		t.Errorf("pinned(other) = %v, %v", ok, err)
	}
	// a damaged line about the name must never read as "not pinned"
	damaged := []byte("devenv-a ssh-ed25519 AAAAnot-base64!\n")
	if _, err := pinned(damaged, "devenv-a"); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("pinned(damaged) error = %v", err)
	}
}

func TestCheckNeverReplacesAPin(t *testing.T) {
	s := testStore(t)
	if _, err := s.Prepare("devenv-x-api", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	// someone else's key under this name: Check keeps it, so ssh refuses
	tampered := []byte("devenv-x-api " + authorizedLine(newPublic(t), "") + "\n")
	os.WriteFile(s.KnownHostsFile(), tampered, 0o644)
	if err := s.Check("devenv-x-api"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(s.KnownHostsFile()); !bytes.Equal(got, tampered) {
		t.Errorf("Check rewrote a pin:\n%s", got)
	}
	// a missing pin is filled in from the environment's host key
	os.Remove(s.KnownHostsFile())
	if err := s.Check("devenv-x-api"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := pinned(mustRead(t, s.KnownHostsFile()), "devenv-x-api"); !ok {
		t.Error("Check did not pin a missing entry")
	}
	// a damaged pin is an error that names the file
	os.WriteFile(s.KnownHostsFile(), []byte("devenv-x-api ssh-ed25519 garbage\n"), 0o644)
	var se *StateError
	if err := s.Check("devenv-x-api"); !errors.As(err, &se) || se.Path != s.KnownHostsFile() {
		t.Errorf("Check with a damaged pin: %v", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCheckStale(t *testing.T) {
	s := testStore(t)
	if _, err := s.Prepare("devenv-x-api", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	var stale *StaleError
	os.Remove(s.HostKeyFile("devenv-x-api"))
	if err := s.Check("devenv-x-api"); !errors.As(err, &stale) {
		t.Errorf("Check without a host key: %v", err)
	}
	// a new client key (the old one was removed) is not in the running
	// environment's authorized_keys
	if _, err := s.Prepare("devenv-x-api", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	os.Remove(s.IdentityFile())
	if _, err := s.ClientKey(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check("devenv-x-api"); !errors.As(err, &stale) || !strings.Contains(err.Error(), "does not accept") {
		t.Errorf("Check with a new client key: %v", err)
	}
	os.Remove(s.IdentityFile())
	if err := s.Check("devenv-x-api"); !errors.As(err, &stale) || !strings.Contains(err.Error(), "is gone") {
		t.Errorf("Check without a client key: %v", err)
	}
}

// Damaged or unreadable key files are reported with their path and a fix,
// never replaced behind the user's back and never a panic.
func TestBadKeyFiles(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecBlock, _ := ssh.MarshalPrivateKey(ecKey, "")
	edKey, _ := newKey("")
	raw, _ := ssh.ParseRawPrivateKey(edKey)
	encrypted, _ := ssh.MarshalPrivateKeyWithPassphrase(raw, "", []byte("secret"))
	for _, tc := range []struct {
		name    string
		content []byte
		mode    os.FileMode
		want    string
	}{
		{"empty", nil, 0o600, "not a readable private key"},
		{"garbage", []byte("hello"), 0o600, "not a readable private key"},
		{"truncated", edKey[:len(edKey)/2], 0o600, "not a readable private key"},
		{"ecdsa", pem.EncodeToMemory(ecBlock), 0o600, "holds a ecdsa-sha2-nistp256 key"},
		{"passphrase", pem.EncodeToMemory(encrypted), 0o600, "passphrase"},
		{"too open", edKey, 0o644, "chmod 600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testStore(t)
			os.MkdirAll(s.Dir(), 0o700)
			os.WriteFile(s.IdentityFile(), tc.content, tc.mode)
			os.Chmod(s.IdentityFile(), tc.mode)
			_, err := s.Prepare("devenv-x-api", t.TempDir())
			var se *StateError
			if !errors.As(err, &se) || se.Path != s.IdentityFile() || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Prepare with a %s key: %v; want a StateError about %s saying %q", tc.name, err, s.IdentityFile(), tc.want)
			}
			if got, _ := os.ReadFile(s.IdentityFile()); !bytes.Equal(got, tc.content) {
				t.Error("the bad key was replaced")
			}
		})
	}
}

func TestUnreadableState(t *testing.T) {
	s := testStore(t)
	// a directory where a file should be cannot be read as one
	os.MkdirAll(s.KnownHostsFile(), 0o700)
	_, err := s.Prepare("devenv-x-api", t.TempDir())
	var se *StateError
	if !errors.As(err, &se) || se.Path != s.KnownHostsFile() {
		t.Errorf("Prepare with known_hosts a directory: %v", err)
	}
	// a state directory that cannot be created
	blocked := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocked, nil, 0o600)
	s2, _ := Open(env(map[string]string{"XDG_STATE_HOME": blocked}))
	if _, err := s2.Prepare("devenv-x-api", ""); !errors.As(err, &se) {
		t.Errorf("Prepare under a file: %v", err)
	}
}

func TestNames(t *testing.T) {
	s := testStore(t)
	for _, bad := range []string{"", "..", "../x", "a/b", "-x", ".hidden"} {
		if _, err := s.Prepare(bad, ""); err == nil {
			t.Errorf("Prepare(%q) succeeded", bad)
		}
		if err := s.Check(bad); err == nil {
			t.Errorf("Check(%q) succeeded", bad)
		}
	}
}

func TestOptionQuoting(t *testing.T) {
	for _, tc := range []struct {
		o         Option
		line, arg string
	}{
		{Option{"User", "devuser"}, "User devuser", "User=devuser"},
		{Option{"IdentityFile", "/home/a b/id"}, `IdentityFile "/home/a b/id"`, `IdentityFile="/home/a b/id"`},
		{Option{"IdentityFile", "/home/50%/id"}, `IdentityFile /home/50%%/id`, `IdentityFile=/home/50%%/id`},
		{Option{"UserKnownHostsFile", `/x/"q"`}, `UserKnownHostsFile "/x/\"q\""`, `UserKnownHostsFile="/x/\"q\""`},
		{ProxyCommand("/opt/my tools/devenv", "ssh-proxy", "devenv-x-api"), `ProxyCommand '/opt/my tools/devenv' ssh-proxy devenv-x-api`, ""},
		{ProxyCommand("/o'k/50%/devenv", "ssh-proxy"), `ProxyCommand '/o'\''k/50%%/devenv' ssh-proxy`, ""},
	} {
		if got := tc.o.ConfigLine(); got != tc.line {
			t.Errorf("ConfigLine(%v) = %s, want %s", tc.o, got, tc.line)
		}
		if got := tc.o.Arg(); tc.arg != "" && got != tc.arg {
			t.Errorf("Arg(%v) = %s, want %s", tc.o, got, tc.arg)
		}
	}
}
