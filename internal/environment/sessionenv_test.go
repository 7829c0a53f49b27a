package environment

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSessionEnvironmentMergesLikeTheEngine(t *testing.T) {
	vars := sessionEnvironment(
		[]string{"PATH=/opt/bin:/usr/bin", "LANG=C.UTF-8", "HOME=/root", "1BAD=x", "NOEQUALS"},
		[]string{"DEVENV_NAME=devenv-a-b", "LANG=en_GB.UTF-8", "TERM=dumb"})
	want := map[string]string{"PATH": "/opt/bin:/usr/bin", "LANG": "en_GB.UTF-8", "DEVENV_NAME": "devenv-a-b"}
	if len(vars) != len(want) {
		t.Fatalf("got %v, want %v", vars, want)
	}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("%s = %q, want %q", k, vars[k], v)
		}
	}
}

// TestSessionEnvFilesReadBack sources the shell file in a real sh, and
// checks that pam's file carries only the values pam_env reads exactly.
func TestSessionEnvFilesReadBack(t *testing.T) {
	vars := map[string]string{
		"PLAIN": "/opt/devenv/bin:/usr/bin", "SPACES": "a b  c", "QUOTE": `it's "quoted"`,
		"HOSTILE": "$(touch pwned) `id` ;|&", "NEWLINE": "one\ntwo", "HASH": "a#b", "EMPTY": "",
	}
	shell, pam := sessionEnvFiles(vars)
	dir := t.TempDir()
	file := filepath.Join(dir, "environment.sh")
	if err := os.WriteFile(file, []byte(shell), 0o644); err != nil {
		t.Fatal(err)
	}
	for k, v := range vars {
		out, err := exec.Command("sh", "-c", `. "$1" && printf %s "$(eval "printf %s \"\${$2}\"")"`, "sh", file, k).Output()
		if err != nil || string(out) != v {
			t.Errorf("%s read back as %q (%v), want %q", k, out, err, v)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("sourcing the file ran a command")
	}
	for _, line := range strings.Split(strings.TrimSpace(pam), "\n") {
		k, v, _ := strings.Cut(line, "=")
		if vars[k] != v {
			t.Errorf("pam line %q does not carry %q exactly", line, vars[k])
		}
	}
	for _, k := range []string{"QUOTE", "NEWLINE", "HASH"} {
		if strings.Contains(pam, k+"=") {
			t.Errorf("pam file carries %s, which pam_env would mangle", k)
		}
	}
}
