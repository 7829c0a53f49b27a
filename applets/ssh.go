package applets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/project"
	"devenv/internal/shellquote"
	"devenv/internal/sshkeys"
	"devenv/internal/terminal"
)

var sshApplet = applet{
	name:    "ssh",
	summary: "connect to an environment with the system's ssh client",
	usage: `Usage: devenv ssh [--port N] [--name NAME] [TARGET] [-- SSH_ARGS_OR_COMMAND...]

Run the system's ssh as devuser into the environment TARGET (a project path
or an environment's name; default: the current directory), starting it first
if needed. ssh uses devenv's own key and known_hosts and checks the host key
strictly, so it never prompts. SSH_AUTH_SOCK is forwarded (-A) only into
an environment started with the SSH agent (--ssh-agent, forward_ssh_agent).

Everything after -- goes to ssh after the destination: ssh options first,
then a command, which runs in the project's directory and whose exit status
becomes devenv's. Without a command you get a login shell there.

  devenv ssh .                                  a login shell
  devenv ssh . -- make test                     run a command
  devenv ssh devenv-local-api -- -L 8080:localhost:8080 -N
`,
	flags: declare[sshFlags],
	run:   runSSH,
}

type sshFlags struct{ startFlags }

func (f *sshFlags) declare(s *flagSet) {
	f.declareWith(s, "publish SSH on N when starting (default: $DEVENV_SSH_PORT, else automatic)",
		"forward the host's SSH agent (when this starts the environment)")
}

// sshUser is who every SSH connection logs in as.
const sshUser = environment.ContainerUser

func runSSH(ctx context.Context, c *call) error {
	before, passthrough := splitAtDashes(c.args)
	var flags sshFlags
	fs := c.flags(&flags)
	if err := c.parseFlags(fs, before); err != nil {
		return err
	}
	target := "."
	switch fs.NArg() {
	case 0:
	case 1:
		target = fs.Arg(0)
	default:
		return usageErrorf("want [TARGET] [-- SSH_ARGS_OR_COMMAND...]: a command goes after --")
	}
	client, err := exec.LookPath("ssh")
	if err != nil {
		return errors.New("no ssh client in PATH: install OpenSSH's client (Debian: apt install openssh-client)")
	}
	store, err := sshkeys.Open(c.env)
	if err != nil {
		return err
	}
	eng, t, err := c.openTarget(ctx, target, flags.startFlags)
	if err != nil {
		return err
	}
	defer eng.Close()
	if err := sshReady(store, t.Container); err != nil {
		return err
	}
	if t.Container.SSHPort == 0 {
		return fmt.Errorf("%s has no published SSH port (it was started with SSH off, or the port vanished): %s; or reach it without one through `devenv ssh-config --proxy`",
			t.Container.Name, restartHint(t.Container))
	}
	addr := net.JoinHostPort(environment.SSHHost(t.Container), strconv.Itoa(t.Container.SSHPort))
	// A new environment's sshd may still be starting; one that has run for
	// a while is not probed, since sshd counts probes against the host.
	if time.Since(t.Container.Created) < time.Minute {
		if err := awaitSSHD(ctx, addr, t.Container.Name); err != nil {
			return err
		}
	}
	agent := environment.ForwardsSSHAgent(t.Container) && c.env("SSH_AUTH_SOCK") != ""
	argv := sshArgv(store, t, passthrough, agent, terminal.Is(c.stdio.In))
	eng.Close() // exec runs no deferred calls
	if err := syscall.Exec(client, argv, os.Environ()); err != nil {
		return fmt.Errorf("run %s: %w", client, err)
	}
	return nil
}

// sshArgv is the ssh command line for a session in t. The passthrough's
// options follow the destination (ssh reads options there too) and ours
// come first, so for -o settings, where ssh keeps the first value, ours
// win. A remote command runs in the session's working directory.
func sshArgv(store sshkeys.Store, t environment.Target, passthrough []string, agent, tty bool) []string {
	c := t.Container
	argv := []string{"ssh"}
	for _, o := range store.ClientOptions(c.Name) {
		argv = append(argv, "-o", o.Arg())
	}
	argv = append(argv, "-o", "User="+sshUser, "-p", strconv.Itoa(c.SSHPort))
	if agent {
		argv = append(argv, "-A")
	}
	options, command := splitSSHArgs(passthrough)
	switch {
	case !wantsSession(options): // a subsystem's name, say: as it is
	case len(command) > 0:
		command = []string{"cd " + shellquote.Portable(t.WorkDir) + " && " + strings.Join(command, " ")}
	default:
		command = []string{"cd " + shellquote.Portable(t.WorkDir) + " && exec $SHELL -l"}
		if tty {
			argv = append(argv, "-t")
		}
	}
	argv = append(argv, environment.SSHHost(c))
	argv = append(argv, options...)
	return append(argv, command...)
}

// sshArgOptions are the options of OpenSSH's ssh that take an argument.
const sshArgOptions = "bceilmopBDEFIJLOPQRSwW"

// splitSSHArgs separates ssh options from the remote command that follows
// them, the way ssh reads its arguments.
func splitSSHArgs(args []string) (options, command []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return args[:i+1], args[i+1:]
		case !strings.HasPrefix(a, "-") || a == "-":
			return args[:i], args[i:]
		}
		for j := 1; j < len(a); j++ {
			if strings.IndexByte(sshArgOptions, a[j]) >= 0 {
				if j == len(a)-1 {
					i++ // the argument is the next word
				}
				break
			}
		}
	}
	return args, nil
}

// wantsSession reports whether ssh will run a command or shell at all:
// not for -N (forwarding only), -W (stdio forwarding), -s (a subsystem),
// -O (a control command), -G (print the configuration) or -V.
func wantsSession(options []string) bool {
	for i := 0; i < len(options); i++ {
		a := options[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			continue
		}
		for j := 1; j < len(a); j++ {
			if strings.IndexByte("NWsOGV", a[j]) >= 0 {
				return false
			}
			if strings.IndexByte(sshArgOptions, a[j]) >= 0 {
				if j == len(a)-1 {
					i++
				}
				break
			}
		}
	}
	return true
}

// sshReady checks that an SSH client of devenv's can log in to c and
// verify its host key, and says how to fix it when not.
func sshReady(store sshkeys.Store, c engine.Container) error {
	hostKey, okHost := c.MountAt(environment.HostKeyPath)
	authorized, okAuth := c.MountAt(environment.AuthorizedKeysPath)
	switch {
	case !okHost || !okAuth:
		return fmt.Errorf("%s was started without devenv's SSH keys (by an older devenv?): %s", c.Name, restartHint(c))
	case hostKey.Source != store.HostKeyFile(c.Name) || authorized.Source != store.AuthorizedKeysFile(c.Name):
		return fmt.Errorf("%s was started with the SSH keys of another devenv state directory (%s): %s, or use the same HOME and XDG_STATE_HOME", c.Name, hostKey.Source, restartHint(c))
	}
	err := store.Check(c.Name)
	var stale *sshkeys.StaleError
	if errors.As(err, &stale) {
		return fmt.Errorf("%s: %s", stale, restartHint(c))
	}
	return err
}

// restartHint is the command line that restarts c with current keys.
func restartHint(c engine.Container) string {
	path, ok := environment.WorkspacePath(c)
	if !ok {
		return fmt.Sprintf("restart it: `devenv stop %s`, then start it again", c.Name)
	}
	start := "devenv " + path
	if project.Identify(path).Name != c.Name {
		start = fmt.Sprintf("devenv --name %s %s", c.Name, path)
	}
	return fmt.Sprintf("restart it: `devenv stop %s && %s`", c.Name, start)
}

// awaitSSHD waits until sshd greets on addr.
func awaitSSHD(ctx context.Context, addr, name string) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := sshBanner(addr)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sshd in %s does not answer on %s (%v): see its log with `devenv exec %s -- sudo cat /var/log/sshd.log`, or restart it with `devenv stop %s`",
				name, addr, err, name, name)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// sshBanner connects to addr and reads the SSH version line. The engine's
// port forwarder accepts connections before sshd listens, so a connection
// alone proves nothing.
func sshBanner(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if !strings.HasPrefix(line, "SSH-") {
		if err == nil {
			err = fmt.Errorf("unexpected greeting %q", strings.TrimSpace(line))
		}
		return err
	}
	return nil
}
