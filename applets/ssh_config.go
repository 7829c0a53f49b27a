package applets

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/project"
	"devenv/internal/sshkeys"
)

var sshConfigApplet = applet{
	name:    "ssh-config",
	summary: "print ssh_config Host blocks for the running environments",
	usage: `Usage: devenv ssh-config [--proxy] [--write]

Print a Host block for every running environment, named like the
environment (devenv-<parent>-<basename>), so that plain ssh, VS Code
Remote-SSH, Zed and JetBrains Gateway reach it as devuser with devenv's key
and strict host key checking:

  devenv ssh-config --write      then: ssh devenv-local-api

Ports change each time an environment starts: run it again then, or use
--proxy, whose blocks do not depend on ports.
`,
	flags: declare[sshConfigFlags],
	run:   runSSHConfig,
}

type sshConfigFlags struct{ proxy, write bool }

func (f *sshConfigFlags) declare(s *flagSet) {
	s.Bool(&f.proxy, "proxy", "reach each environment through 'devenv ssh-proxy NAME' (a docker\nexec) instead of its published port: works with a remote engine")
	s.Bool(&f.write, "write", "keep the blocks in ~/.ssh/devenv.conf instead of printing them,\nand say which Include line ~/.ssh/config needs")
}

func runSSHConfig(ctx context.Context, c *call) error {
	var f sshConfigFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	store, err := sshkeys.Open(c.env)
	if err != nil {
		return err
	}
	var self []string
	if f.proxy {
		if self, err = c.proxyArgv(); err != nil {
			return err
		}
		self = c.withContextFlag(self)
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	running, err := eng.List(ctx)
	if err != nil {
		return err
	}
	var blocks []string
	for _, ct := range running {
		block, err := hostBlock(ctx, store, ct, self)
		if err != nil {
			fmt.Fprintf(c.stdio.Err, "%s: not listed: %v\n", c.prog, err)
			continue
		}
		blocks = append(blocks, block)
	}
	config := strings.Join(blocks, "\n")
	if !f.write {
		_, err := fmt.Fprint(c.stdio.Out, config)
		return err
	}
	return writeSSHConfig(c, config, len(blocks), f.proxy)
}

// hostBlock is the ssh_config block for ct: through its published port,
// or through proxy (the argv of devenv ssh-proxy) when that is set.
func hostBlock(ctx context.Context, store sshkeys.Store, ct engine.Container, proxy []string) (string, error) {
	if err := sshReady(store, ct); err != nil {
		return "", err
	}
	var opts []sshkeys.Option
	if proxy != nil {
		opts = append(opts, sshkeys.ProxyCommand(append(slices.Clip(proxy), ct.Name)...))
	} else {
		if ct.SSHPort == 0 {
			return "", fmt.Errorf("%s has no published SSH port: use --proxy, or %s", ct.Name, restartHint(ct))
		}
		host, port := environment.SSHHost(ct), strconv.Itoa(ct.SSHPort)
		// `devenv . && ssh -F <(devenv ssh-config) …` must not race sshd.
		if time.Since(ct.Created) < time.Minute {
			if err := awaitSSHD(ctx, net.JoinHostPort(host, port), ct.Name); err != nil {
				return "", err
			}
		}
		opts = append(opts, sshkeys.Option{Key: "HostName", Value: host}, sshkeys.Option{Key: "Port", Value: port})
	}
	opts = append(opts, sshkeys.Option{Key: "User", Value: sshUser})
	opts = append(opts, store.ClientOptions(ct.Name)...)
	var b strings.Builder
	fmt.Fprintf(&b, "Host %s\n", hostAlias(ct.Name))
	for _, o := range opts {
		fmt.Fprintf(&b, "  %s\n", o.ConfigLine())
	}
	return b.String(), nil
}

// hostAlias is what users type after ssh: the environment's name, which
// devenv already prefixes unless --name chose another.
func hostAlias(name string) string {
	if strings.HasPrefix(name, project.Program+"-") {
		return name
	}
	return project.Program + "-" + name
}

// writeSSHConfig replaces ~/.ssh/devenv.conf with config, and tells the
// user the Include line ~/.ssh/config needs until it has one.
func writeSSHConfig(c *call, config string, hosts int, proxy bool) error {
	home := c.env("HOME")
	if !filepath.IsAbs(home) {
		return fmt.Errorf("--write keeps the blocks in ~/.ssh/devenv.conf, and HOME is %q: set HOME", home)
	}
	dir := filepath.Join(home, ".ssh")
	path := filepath.Join(dir, "devenv.conf")
	command := "devenv ssh-config --write"
	if proxy {
		command += " --proxy"
	}
	header := fmt.Sprintf("# Written by `%s`: run it again when environments start or stop. Edits here are lost.\n\n", command)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".devenv.conf-")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.WriteString(header + config)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(c.stdio.Out, "wrote %s to %s; run `%s` again when environments start or stop\n", countOf(hosts, "host"), path, command)
	if !includes(filepath.Join(dir, "config"), path) {
		fmt.Fprintf(c.stdio.Out, "add this line to %s, above every Host and Match line:\n  Include %s\n", filepath.Join(dir, "config"), path)
	}
	return nil
}

func countOf(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// includes reports whether the ssh config at path has an Include of
// target (by its name: ssh resolves relative Includes against ~/.ssh).
func includes(path, target string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(strings.ReplaceAll(sc.Text(), "=", " "))
		if len(fields) < 2 || !strings.EqualFold(fields[0], "Include") {
			continue
		}
		for _, f := range fields[1:] {
			if filepath.Base(strings.Trim(f, `"`)) == filepath.Base(target) {
				return true
			}
		}
	}
	return false
}
