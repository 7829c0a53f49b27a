package applets

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/sshkeys"
)

func TestSplitSSHArgs(t *testing.T) {
	for _, tc := range []struct {
		args             []string
		options, command []string
	}{
		{nil, nil, nil},
		{[]string{"make", "test"}, []string{}, []string{"make", "test"}},
		{[]string{"-v", "make", "-j4"}, []string{"-v"}, []string{"make", "-j4"}},
		{[]string{"-L", "8080:localhost:80", "-N"}, []string{"-L", "8080:localhost:80", "-N"}, nil},
		{[]string{"-L8080:localhost:80", "top"}, []string{"-L8080:localhost:80"}, []string{"top"}},
		{[]string{"-tt", "-o", "LogLevel=ERROR", "htop"}, []string{"-tt", "-o", "LogLevel=ERROR"}, []string{"htop"}},
		{[]string{"-vp", "22", "ls"}, []string{"-vp", "22"}, []string{"ls"}},
		{[]string{"-v", "--", "-weird-command"}, []string{"-v", "--"}, []string{"-weird-command"}},
	} {
		options, command := splitSSHArgs(tc.args)
		if len(options) != len(tc.options) || !reflect.DeepEqual(command, tc.command) ||
			len(options) > 0 && !reflect.DeepEqual(options, tc.options) {
			t.Errorf("splitSSHArgs(%q) = %q, %q; want %q, %q", tc.args, options, command, tc.options, tc.command)
		}
	}
}

func TestSSHArgv(t *testing.T) {
	store, _ := sshkeys.Open(func(k string) string { return map[string]string{"HOME": "/home/u"}[k] })
	target := environment.Target{
		Container: engine.Container{Name: "devenv-x-api", SSHIP: "127.0.0.1", SSHPort: 32771},
		WorkDir:   "/workspaces/api/it's",
	}
	common := []string{"ssh",
		"-o", "IdentityFile=/home/u/.local/state/devenv/ssh/id_ed25519",
		"-o", "IdentitiesOnly=yes",
		"-o", "UserKnownHostsFile=/home/u/.local/state/devenv/ssh/known_hosts",
		"-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "HostKeyAlias=devenv-x-api",
		"-o", "StrictHostKeyChecking=yes",
		"-o", "UpdateHostKeys=no",
		"-o", "User=devuser", "-p", "32771"}
	join := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		passthrough []string
		agent, tty  bool
		want        []string
	}{
		{"command", []string{"make", "test"}, false, false,
			join(common, []string{"127.0.0.1", `cd '/workspaces/api/it'\''s' && make test`})},
		{"shell on a terminal, with the agent", nil, true, true,
			join(common, []string{"-A", "-t", "127.0.0.1", `cd '/workspaces/api/it'\''s' && exec $SHELL -l`})},
		{"shell on a pipe", nil, false, false,
			join(common, []string{"127.0.0.1", `cd '/workspaces/api/it'\''s' && exec $SHELL -l`})},
		{"forwarding only", []string{"-N", "-L", "8080:localhost:80"}, false, true,
			join(common, []string{"127.0.0.1", "-N", "-L", "8080:localhost:80"})},
		{"subsystem", []string{"-s", "sftp"}, false, false,
			join(common, []string{"127.0.0.1", "-s", "sftp"})},
	} {
		got := sshArgv(store, target, tc.passthrough, tc.agent, tc.tty)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestProxyArgvFor(t *testing.T) {
	applets := []string{"devenv", "ssh", "ssh-config", "ssh-proxy", "list"}
	has := func(paths ...string) func(string) bool {
		return func(p string) bool {
			for _, q := range paths {
				if p == q {
					return true
				}
			}
			return false
		}
	}
	for _, tc := range []struct {
		exe     string
		present []string
		want    []string
	}{
		{"/usr/bin/devenv", nil, []string{"/usr/bin/devenv", "ssh-proxy"}},
		{"/usr/bin/dv", nil, []string{"/usr/bin/dv", "ssh-proxy"}},
		{"/usr/bin/devenv-ssh-proxy", nil, []string{"/usr/bin/devenv-ssh-proxy"}},
		{"/b/devenv-ssh-config", []string{"/b/devenv-ssh-proxy", "/b/devenv"}, []string{"/b/devenv-ssh-proxy"}},
		{"/b/devenv-ssh-config", []string{"/b/devenv"}, []string{"/b/devenv", "ssh-proxy"}},
		{"/b/devenv-unknown", nil, []string{"/b/devenv-unknown", "ssh-proxy"}},
	} {
		got, err := proxyArgvFor(tc.exe, applets, has(tc.present...))
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("proxyArgvFor(%s) = %q, %v; want %q", tc.exe, got, err, tc.want)
		}
	}
	if _, err := proxyArgvFor("/b/devenv-ssh-config", applets, has()); err == nil {
		t.Error("a lone devenv-ssh-config was told to run ssh-proxy")
	}
}

func TestIncludes(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	target := filepath.Join(dir, "devenv.conf")
	if includes(config, target) {
		t.Error("a missing config includes something")
	}
	for text, want := range map[string]bool{
		"Host x\n  User y\n":                      false,
		"Include ~/.ssh/devenv.conf\n":            true,
		"include devenv.conf\nHost *\n":           true,
		"Include=\"" + target + "\"\n":            true,
		"# Include ~/.ssh/devenv.conf\n":          false,
		"Include ~/.ssh/other.conf devenv.conf\n": true,
	} {
		os.WriteFile(config, []byte(text), 0o600)
		if got := includes(config, target); got != want {
			t.Errorf("includes(%q) = %v, want %v", strings.TrimSpace(text), got, want)
		}
	}
}

func TestHostAlias(t *testing.T) {
	if got := hostAlias("devenv-local-api"); got != "devenv-local-api" {
		t.Errorf("hostAlias(devenv-local-api) = %s", got)
	}
	if got := hostAlias("mybox"); got != "devenv-mybox" {
		t.Errorf("hostAlias(mybox) = %s", got)
	}
}
