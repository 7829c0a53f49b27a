package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type fixture struct {
	home, project string
	env           map[string]string
}

func newFixture(t *testing.T, user, project string) *fixture {
	t.Helper()
	f := &fixture{home: t.TempDir(), project: t.TempDir()}
	f.env = map[string]string{"HOME": f.home}
	if user != "" {
		write(t, filepath.Join(f.home, ".config/devenv/config.toml"), user)
	}
	if project != "" {
		write(t, filepath.Join(f.project, ".devenv/config.toml"), project)
	}
	return f
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) load(t *testing.T) (Result, error) {
	t.Helper()
	return Load(Request{Getenv: func(k string) string { return f.env[k] }, ProjectDir: f.project})
}

func TestDefaults(t *testing.T) {
	res, err := newFixture(t, "", "").load(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Settings.Agents != "shared" || !res.Settings.Sudo || res.Settings.Network.Egress != "open" {
		t.Errorf("defaults: %+v", res.Settings)
	}
	if res.Sources["cpus"].Kind != FromDefault {
		t.Errorf("source: %v", res.Sources["cpus"])
	}
}

func TestPrecedence(t *testing.T) {
	f := newFixture(t, "cpus = 1\nmemory = \"1g\"\npids = 100\nimage = \"user:1\"\n", "cpus = 2\nmemory = \"2g\"\n")
	f.env["DEVENV_CPUS"] = "3"
	res, err := Load(Request{Getenv: func(k string) string { return f.env[k] }, ProjectDir: f.project, Flags: map[string]string{"cpus": "4"}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Settings
	if s.CPUs != 4 || s.Memory != 2<<30 || s.Pids != 100 || s.Image != "user:1" {
		t.Errorf("settings: %+v", s)
	}
	want := map[string]Kind{"cpus": FromFlag, "memory": FromProject, "pids": FromUser, "image": FromUser, "sudo": FromDefault}
	for k, kind := range want {
		if res.Sources[k].Kind != kind {
			t.Errorf("%s from %v, want %v", k, res.Sources[k], kind)
		}
	}
}

func TestEnvMerges(t *testing.T) {
	res, err := newFixture(t, "env = { A = \"u\", B = \"u\" }\n", "[env]\nB = \"p\"\nC = \"p\"\n").load(t)
	if err != nil {
		t.Fatal(err)
	}
	got := res.Settings.Env
	if got["A"] != "u" || got["B"] != "p" || got["C"] != "p" {
		t.Errorf("env: %v", got)
	}
	if res.Sources["env.A"].Kind != FromUser || res.Sources["env.B"].Kind != FromProject {
		t.Errorf("sources: %v", res.Sources)
	}
}

func TestTrustRule(t *testing.T) {
	f := newFixture(t, "", "forward_ssh_agent = true\nmounts = [{ source = \"/\", target = \"/host\" }]\nsudo = false\nagents = \"per-project\"\n[network]\negress = \"none\"\n")
	res, err := f.load(t)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Settings
	if s.ForwardSSHAgent || len(s.Mounts) != 0 {
		t.Errorf("project widened: %+v", s)
	}
	if s.Sudo || s.Agents != "per-project" || s.Network.Egress != "none" {
		t.Errorf("project could not narrow: %+v", s)
	}
	if len(res.Ignored) != 2 || res.Ignored[0].Key != "forward_ssh_agent" || !strings.Contains(res.Ignored[1].Warning, "mounts ignored") {
		t.Errorf("ignored: %q", res.Ignored)
	}
}

func TestStricterWins(t *testing.T) {
	f := newFixture(t, "sudo = false\nagents = \"per-project\"\n[network]\negress = \"allowlist\"\nallow = [\"a.example\"]\n",
		"sudo = true\nagents = \"shared\"\n[network]\negress = \"open\"\nallow = [\"a.example\", \"b.example\"]\n")
	res, err := f.load(t)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Settings
	if s.Sudo || s.Agents != "per-project" || s.Network.Egress != "allowlist" || len(s.Network.Allow) != 1 {
		t.Errorf("project widened: %+v", s)
	}
	if len(res.Ignored) != 4 {
		t.Errorf("ignored: %q", res.Ignored)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct{ name, user, project, want string }{
		{"syntax", "cpus = = 2\n", "", "config.toml:1:"},
		{"unknown key", "cpu = 2\n", "", `unknown key "cpu": did you mean "cpus"?`},
		{"unknown in table", "[tools]\ndefualt = []\n", "", `unknown key "tools.defualt": did you mean "tools.default"?`},
		{"unknown table", "[tool]\ndefault = []\n", "", `unknown key "tool": did you mean "[tools]"?`},
		{"key outside its table", "egress = \"none\"\n", "", `unknown key "egress": did you mean "network.egress"?`},
		{"type", "cpus = \"two\"\n", "", "cpus: wrong type: want a number, got a string"},
		{"memory range", "", "memory = \"-1\"\n", "memory: \"-1\" is out of range"},
		{"pids range", "", "pids = 0\n", "pids: 0 is out of range"},
		{"missing source", "mounts = [{ source = \"/nonexistent/x\", target = \"/x\" }]\n", "", "does not exist"},
		{"home source", "mounts = [{ source = \"~\", target = \"/x\" }]\n", "", "home directory"},
		{"root source", "mounts = [{ source = \"/\", target = \"/x\" }]\n", "", "host's root"},
		{"table as value", "tools = 1\n", "", "write it as a table"},
		{"env name", "env = { DEVENV_X = \"1\" }\n", "", "devenv's own"},
		{"port", "ports = [70000]\n", "", "out of range"},
		{"egress", "[network]\negress = \"closed\"\n", "", `"closed" is not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := newFixture(t, c.user, c.project).load(t)
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want *Error containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("not one line: %q", err)
			}
		})
	}
}

func TestStateDirMountRefused(t *testing.T) {
	f := newFixture(t, "", "")
	write(t, filepath.Join(f.home, ".local/state/devenv/keys"), "")
	write(t, filepath.Join(f.home, ".config/devenv/config.toml"), "mounts = [{ source = \"~/.local\", target = \"/x\" }]\n")
	if _, err := f.load(t); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("got %v", err)
	}
}

func TestUnreadableProjectFile(t *testing.T) {
	f := newFixture(t, "", "cpus = 1\n")
	path := filepath.Join(f.project, ".devenv/config.toml")
	os.Remove(path)
	os.Mkdir(path, 0o755) // a directory cannot be read as a file, even by root
	if _, err := f.load(t); err == nil || !strings.Contains(err.Error(), "cannot read it") {
		t.Fatalf("got %v", err)
	}
}

func TestHashChanges(t *testing.T) {
	a, b := Defaults(), Defaults()
	if a.Hash() != b.Hash() {
		t.Fatal("hash unstable")
	}
	b.CPUs = 1
	if a.Hash() == b.Hash() {
		t.Fatal("hash ignores cpus")
	}
	c := Defaults()
	c.Tools.Default = []string{"x"} // not applied to a container
	if a.Hash() != c.Hash() {
		t.Fatal("hash counts a build-only key")
	}
}

func TestMountDefaults(t *testing.T) {
	f := newFixture(t, "", "")
	os.Mkdir(filepath.Join(f.home, "data"), 0o755)
	write(t, filepath.Join(f.home, ".config/devenv/config.toml"), "mounts = [{ source = \"~/data\", target = \"/data\" }, { source = \"~/data\", target = \"/rw\", readonly = false }]\n")
	res, err := f.load(t)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Settings.Mounts
	if len(m) != 2 || !m[0].ReadOnly || m[1].ReadOnly || m[0].Source != filepath.Join(f.home, "data") {
		t.Errorf("mounts: %+v", m)
	}
}

func TestReadmeTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), MarkdownTable()) {
		t.Errorf("README.md's settings table differs from the key table; put this in its Settings section:\n%s", MarkdownTable())
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("cpus = 2\nmemory = \"4g\"\n[env]\nA = \"b\"\n"))
	f.Add([]byte("mounts = [{ source = \"/tmp\", target = \"/t\" }]\nports = [1, \"2:3\"]\n[network]\negress = \"none\"\nallow = [\"x\"]\n"))
	f.Add([]byte("[tools]\ndefault = [\"a\"]\nversions = { a = \"1\" }\n"))
	f.Add([]byte("cpus = nan\nmemory = 5\npids = 9223372036854775807\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		for _, role := range []string{"user", "project"} {
			home, project := filepath.Join(dir, role, "home"), filepath.Join(dir, role, "p")
			path := filepath.Join(project, ".devenv/config.toml")
			if role == "user" {
				path = filepath.Join(home, ".config/devenv/config.toml")
			}
			os.MkdirAll(filepath.Dir(path), 0o755)
			os.MkdirAll(project, 0o755)
			os.WriteFile(path, data, 0o644)
			res, err := Load(Request{Getenv: func(k string) string {
				if k == "HOME" {
					return home
				}
				return ""
			}, ProjectDir: project})
			if err != nil {
				var se *Error
				if !errors.As(err, &se) {
					t.Fatalf("error of type %T: %v", err, err)
				}
				continue
			}
			_ = res.Settings.Hash()
		}
	})
}
