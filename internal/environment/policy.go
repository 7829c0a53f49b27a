package environment

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"devenv/internal/agents"
	"devenv/internal/engine"
	"devenv/internal/images"
	"devenv/internal/settings"
	"devenv/internal/statedir"
)

// Agent home modes (settings key agents).
const (
	AgentsShared     = "shared"
	AgentsPerProject = "per-project"
)

// AgentStore is the agent homes of the user whose environment getenv is.
func AgentStore(getenv func(string) string) (agents.Store, error) {
	state, err := statedir.Dir(getenv)
	if err != nil {
		return agents.Store{}, err
	}
	uid, gid := images.UserIDs()
	return agents.Open(state, uid, gid), nil
}

// agentHomes readies every agent tool's home for environment name (shared,
// unless the settings say per-project) and returns their mounts and the variables
// that point the tools at them.
func agentHomes(name string, opts Options, set settings.Settings) ([]engine.Mount, []string, error) {
	store, err := AgentStore(opts.Env)
	if err != nil {
		return nil, nil, err
	}
	owner := ""
	switch set.Agents {
	case "", AgentsShared:
	case AgentsPerProject:
		owner = name
	default:
		return nil, nil, fmt.Errorf("unknown agents mode %q: use %q or %q", set.Agents, AgentsShared, AgentsPerProject)
	}
	var mounts []engine.Mount
	var env []string
	for _, tool := range agents.Tools {
		home, err := store.Ensure(tool, owner, opts.Env)
		if err != nil {
			return nil, nil, err
		}
		mounts = append(mounts, engine.Mount{Source: home, Target: tool.Target})
		env = append(env, tool.Env...)
	}
	return mounts, env, nil
}

// sshAgent forwards the host's SSH agent only when the user opted in: any
// process in the environment can sign with every key the agent holds.
func sshAgent(opts Options, set settings.Settings) ([]engine.Mount, []string) {
	if !opts.ForwardSSHAgent && !set.ForwardSSHAgent {
		return nil, nil
	}
	sock := opts.Env("SSH_AUTH_SOCK")
	if sock == "" {
		fmt.Fprintln(opts.Notes, "devenv: warning: SSH agent forwarding asked for, but SSH_AUTH_SOCK is not set")
		return nil, nil
	}
	info, err := os.Stat(sock)
	if err != nil || info.Mode()&os.ModeSocket == 0 {
		fmt.Fprintf(opts.Notes, "devenv: warning: SSH agent forwarding asked for, but SSH_AUTH_SOCK=%s is not a socket\n", sock)
		return nil, nil
	}
	return []engine.Mount{{Source: sock, Target: SSHAgentSocket}}, []string{"SSH_AUTH_SOCK=" + SSHAgentSocket}
}

// SSHAgentSocket is where a forwarded SSH agent appears in an environment.
const SSHAgentSocket = "/ssh-agent"

// ForwardsSSHAgent reports whether environment c was started with the
// host's SSH agent, so `devenv ssh` forwards it (-A) only then.
func ForwardsSSHAgent(c engine.Container) bool {
	_, ok := c.MountAt(SSHAgentSocket)
	return ok
}

// privileges is how an environment's processes may gain privileges.
type privileges struct {
	user            string
	cmd             []string
	capDrop, capAdd []string
	noNewPrivileges bool
}

// sshdCapabilities are all root keeps without sudo: what sshd needs to
// read devenv's host key (owned by the host user) and switch to devuser per
// login. Only root holds them, and root is only sshd; devuser gains none.
var sshdCapabilities = []string{"SETUID", "SETGID", "SYS_CHROOT", "DAC_READ_SEARCH", "NET_BIND_SERVICE"}

// privilegesFor: MKNOD is dropped always (a device node in the project is
// a way onto the host's disks). Without sudo, no process can become root:
// no-new-privileges disarms sudo and every setuid program, every capability
// but sshd's is dropped, and the main process starts as root only to start
// sshd, then becomes devuser.
func privilegesFor(set settings.Settings) privileges {
	if set.Sudo {
		return privileges{user: ContainerUser, cmd: mainProcess, capDrop: []string{"MKNOD"}}
	}
	return privileges{
		user:            "root",
		cmd:             mainProcessWithoutSudo,
		capDrop:         []string{"ALL"},
		capAdd:          sshdCapabilities,
		noNewPrivileges: true,
	}
}

// rootSetup starts sshd; the main process runs it as root. devenv's host
// key is named first with -h: sshd presents the first key of each type, and
// devenv's known_hosts pins that one.
const rootSetup = `
  test -s /etc/devenv/ssh_host_ed25519_key || test -s /etc/ssh/ssh_host_ed25519_key ||
    ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
  test -s /etc/devenv/ssh_host_ed25519_key && set -- -h /etc/devenv/ssh_host_ed25519_key
  mkdir -p /run/sshd && exec /usr/sbin/sshd "$@" -E /var/log/sshd.log`

// mainProcessWithoutSudo is mainProcess for a main process that starts as
// root (sudo = false): it starts sshd, then becomes devuser for good.
var mainProcessWithoutSudo = []string{"/bin/sh", "-c", `/bin/sh -c '` + rootSetup + `' ||
  echo "devenv: sshd did not start; SSH into this environment will not work" >&2
exec setpriv --reuid=` + ContainerUser + ` --regid=` + ContainerUser + ` --init-groups sleep infinity`}

// ProjectRefusedError: a directory that must never be mounted read-write
// into an environment.
type ProjectRefusedError struct{ Dir, Reason string }

func (e *ProjectRefusedError) Error() string {
	return fmt.Sprintf("%s cannot be a project: %s; start devenv in a project directory instead", e.Dir, e.Reason)
}

// checkProjectDir refuses /, the home directory and any directory holding
// devenv's own state or configuration (its SSH key, the agents' logins):
// mounted read-write, they would hand an environment all of it.
func checkProjectDir(dir string, getenv func(string) string) error {
	if dir == "/" {
		return &ProjectRefusedError{Dir: dir, Reason: "it is the root directory"}
	}
	if home := getenv("HOME"); home != "" {
		if real, err := filepath.EvalSymlinks(home); err == nil && real == dir {
			return &ProjectRefusedError{Dir: dir, Reason: "it is your home directory"}
		}
	}
	own := []string{}
	if state, err := statedir.Dir(getenv); err == nil {
		own = append(own, state)
	}
	if file := settings.UserFile(getenv); file != "" {
		own = append(own, filepath.Dir(file))
	}
	for _, o := range own {
		o = realOrClean(o)
		if o == dir || strings.HasPrefix(o, strings.TrimSuffix(dir, "/")+"/") {
			return &ProjectRefusedError{Dir: dir, Reason: "it holds devenv's own directory " + o}
		}
	}
	return nil
}

// realOrClean resolves the symlinks of the longest existing prefix of p.
func realOrClean(p string) string {
	p = filepath.Clean(p)
	rest := ""
	for cur := p; ; cur = filepath.Dir(cur) {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(real, rest)
		}
		if cur == filepath.Dir(cur) {
			return p
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}
