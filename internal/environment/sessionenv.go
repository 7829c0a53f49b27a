package environment

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/shellquote"
	"devenv/internal/statedir"
)

// Where every environment finds its session environment; Dockerfile.base's
// /etc/profile.d/00-devenv.sh sources the first, sshd's pam_env reads the
// second.
const (
	SessionEnvShellPath = "/etc/devenv/environment.sh"
	SessionEnvPAMPath   = "/etc/devenv/environment"
)

// A docker exec inherits the container's variables (the image's ENV and
// what devenv sets), but an SSH session starts from sshd's, and a login
// shell from what Debian's /etc/profile resets PATH to. So devenv writes
// the same variables, before the container is created, to two files that
// are mounted read-only: quoted exports for login shells, and NAME=VALUE
// lines for pam_env. Nothing inside can change them, and they are there
// before the first session, however fast it comes.

// sessionEnvironment merges the image's variables with devenv's own as the
// engine does (a later NAME wins), leaving out those every session sets
// for itself.
func sessionEnvironment(imageEnv, containerEnv []string) map[string]string {
	vars := map[string]string{}
	for _, kv := range append(append([]string{}, imageEnv...), containerEnv...) {
		k, v, ok := strings.Cut(kv, "=")
		if ok && validVariable(k) && !sessionOwn[k] {
			vars[k] = v
		}
	}
	return vars
}

var sessionOwn = map[string]bool{"HOME": true, "HOSTNAME": true, "PWD": true, "OLDPWD": true, "SHLVL": true,
	"_": true, "TERM": true, "USER": true, "LOGNAME": true, "SHELL": true, "MAIL": true}

func validVariable(k string) bool {
	if k == "" || k[0] >= '0' && k[0] <= '9' {
		return false
	}
	for _, r := range k {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// sessionEnvFiles renders vars for a login shell and for pam_env. pam_env
// cuts a value at "#", joins lines that end in "\", and strips quotes, with
// no escapes: a value it cannot carry exactly reaches login shells only.
func sessionEnvFiles(vars map[string]string) (shell, pam string) {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var sh, pm strings.Builder
	for _, k := range names {
		v := vars[k]
		fmt.Fprintf(&sh, "export %s=%s\n", k, shellquote.POSIX(v))
		if !strings.ContainsAny(v, "\n#\\\"'") {
			fmt.Fprintf(&pm, "%s=%s\n", k, v)
		}
	}
	return sh.String(), pm.String()
}

// writeSessionEnv writes the session environment of the environment called
// name under devenv's state directory and returns its read-only mounts.
func writeSessionEnv(getenv func(string) string, name string, vars map[string]string) ([]engine.Mount, error) {
	state, err := statedir.Dir(getenv)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(state, "environments", name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	shell, pam := sessionEnvFiles(vars)
	files := []struct{ name, text, target string }{
		{"environment.sh", shell, SessionEnvShellPath},
		{"environment", pam, SessionEnvPAMPath},
	}
	var mounts []engine.Mount
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := writeFileAtomic(path, f.text); err != nil {
			return nil, err
		}
		mounts = append(mounts, engine.Mount{Source: path, Target: f.target, ReadOnly: true})
	}
	return mounts, nil
}

// writeFileAtomic replaces path by rename, so an environment that still has
// the old file mounted keeps it whole.
func writeFileAtomic(path, text string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
