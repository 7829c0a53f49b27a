package applets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/project"
)

var sshProxyApplet = applet{
	name:    "ssh-proxy",
	summary: "bridge stdin and stdout to an environment's sshd, as ssh's ProxyCommand",
	usage: `Usage: devenv ssh-proxy NAME

Connect stdin and stdout to a new 'sshd -i' inside the running environment
NAME, through the Docker engine instead of a published port, so ssh works
with a remote engine or with no port at all. It is meant as ssh's
ProxyCommand; 'devenv ssh-config --proxy' writes blocks that use it.
`,
	run: runSSHProxy,
}

// sshdInetd serves one SSH connection on stdin and stdout. Like the main
// sshd it runs as root (to switch to devuser), started as root by the
// engine rather than through sudo, which an environment with sudo = false
// does not have; it presents devenv's host key first, and logs to the same
// file: its stderr is the user's terminal.
var sshdInetd = []string{"/usr/sbin/sshd", "-i", "-h", environment.HostKeyPath, "-E", "/var/log/sshd.log"}

// sshdUser runs sshdInetd.
const sshdUser = "root"

func runSSHProxy(ctx context.Context, c *call) error {
	fs := c.flags(nil)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("want the name of one running environment")
	}
	name := fs.Arg(0)
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	r, err := environment.Resolve(ctx, eng, "", name)
	if err != nil {
		return err
	}
	if !r.Exists || !r.Container.Running() {
		return fmt.Errorf("no environment named %s is running: start it with `devenv PATH` (see `devenv list`)", name)
	}
	t, err := r.Session(ctx, eng, environment.Options{})
	if err != nil {
		return err
	}
	if _, ok := t.Container.MountAt(environment.HostKeyPath); !ok {
		return fmt.Errorf("%s was started without devenv's SSH keys (by an older devenv?): %s", name, restartHint(t.Container))
	}
	code, err := eng.Exec(ctx, t.Container.Name,
		engine.ExecSpec{Cmd: sshdInetd, User: sshdUser, Stdin: true},
		engine.ExecIO{In: c.stdio.In, Out: c.stdio.Out, Err: c.stdio.Err})
	if ctx.Err() != nil {
		// ssh hangs up on its ProxyCommand when the session ends.
		return nil
	}
	if err != nil {
		return err
	}
	return exitStatus(code)
}

// proxyArgv is how ssh, running a ProxyCommand, starts this program's
// ssh-proxy: by absolute path, since the PATH of an IDE's ssh is not the
// shell's.
func (c *call) proxyArgv() ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this program's path for ProxyCommand: %w", err)
	}
	var names []string
	for _, a := range c.applets {
		names = append(names, a.name)
	}
	return proxyArgvFor(exe, names, isExecutable)
}

// proxyArgvFor picks the command line for exe. A program that answers to
// its own name as one applet (devenv-ssh-config) cannot be told to run
// another, so then a devenv-ssh-proxy or devenv beside it runs instead.
func proxyArgvFor(exe string, applets []string, isExecutable func(string) bool) ([]string, error) {
	dir, base := filepath.Split(exe)
	name, prefixed := strings.CutPrefix(base, project.Program+"-")
	switch {
	case prefixed && name == "ssh-proxy":
		return []string{exe}, nil
	case !prefixed || !slices.Contains(applets, name):
		return []string{exe, "ssh-proxy"}, nil
	}
	if p := filepath.Join(dir, project.Program+"-ssh-proxy"); isExecutable(p) {
		return []string{p}, nil
	}
	if p := filepath.Join(dir, project.Program); isExecutable(p) {
		return []string{p, "ssh-proxy"}, nil
	}
	return nil, fmt.Errorf("%s runs only its own command, and neither %s nor %s is beside it: install devenv there too, or run `devenv ssh-config --proxy`",
		exe, project.Program, project.Program+"-ssh-proxy")
}

func isExecutable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir() && info.Mode()&0o111 != 0
}
