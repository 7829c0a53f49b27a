// Package environment is devenv's lifecycle: it finds the environment a
// path or name refers to, starts one when none runs, opens sessions in it and
// stops it. Every engine call goes through package engine.
package environment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"devenv/internal/egress"
	"devenv/internal/engine"
	"devenv/internal/ports"
	"devenv/internal/project"
	"devenv/internal/settings"
)

// ProjectLabel carries <parent>/<basename> of the project an environment is for.
const ProjectLabel = engine.ProjectLabel

// Options are the start flags shared by `devenv` and `devenv exec`.
type Options struct {
	Name  string              // --name: container name instead of the derived one
	Port  string              // --port, as given; "" when absent
	Env   func(string) string // the caller's environment variables
	Notes io.Writer           // what the user is told on the way: warnings, and "SSH: 127.0.0.1:PORT" after a start
	// SettingFlags are settings given as flags (key → text, e.g. "cpus"
	// from --cpus); they win over variables and files.
	SettingFlags map[string]string
	// PrepareImage makes sure the image a new environment needs exists,
	// building it when it can (images.Builder.Prepare). Required.
	PrepareImage func(ctx context.Context, image, dir string) error
	// ForwardSSHAgent is --ssh-agent; settings' forward_ssh_agent does it too.
	ForwardSSHAgent bool
	// Ports are forwarded from the host's loopback for as long as a new
	// environment runs; PortsSource names where they were set, for
	// messages. Egress is what it may reach outside. Both come from the
	// settings (networkOptions).
	Ports       []ports.Forward
	PortsSource string
	Egress      egress.Policy
}

// ImageLabel records on an environment the image reference it was started
// from; the engine reports an ID instead once that reference moves on.
const ImageLabel = "devenv.image"

// Target is a running environment and where a session in it starts.
type Target struct {
	Container engine.Container
	WorkDir   string
}

// Canonical resolves a project path to its absolute, symlink-free form and
// checks that it is a directory.
func Canonical(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", &PathError{Path: path, Reason: "no such directory"}
		}
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	if !info.IsDir() {
		return "", &PathError{Path: path, Reason: "not a directory; devenv takes a project directory"}
	}
	return resolved, nil
}

// LooksLikeName reports whether a target argument may name a container
// rather than a path: a single word, not "." or "..".
func LooksLikeName(arg string) bool {
	return arg != "" && arg != "." && arg != ".." && !strings.ContainsRune(arg, os.PathSeparator) && !strings.HasPrefix(arg, "~")
}

// Find returns the running environment for the project at canonical path
// dir, or for the project whose workspace contains dir, with the session's
// working directory; ok is false when none runs. A name override looks for
// that container only.
func Find(ctx context.Context, eng *engine.Client, dir, name string) (Target, bool, error) {
	running, err := eng.List(ctx)
	if err != nil {
		return Target{}, false, err
	}
	return find(running, dir, name)
}

func find(running []engine.Container, dir, name string) (Target, bool, error) {
	id := project.Identify(dir)
	if name != "" {
		for _, c := range running {
			if c.Name == name {
				return targetFor(c, dir)
			}
		}
		return Target{}, false, nil
	}
	// The deepest workspace that holds dir wins, as the prompt decides.
	best := project.Deepest(dir, running, func(c engine.Container) (string, bool) {
		src, _, ok := workspaceOf(c)
		return src, ok
	})
	if best >= 0 {
		return targetFor(running[best], dir)
	}
	for _, c := range running {
		if c.Name == id.Name {
			return targetFor(c, dir)
		}
	}
	return Target{}, false, nil
}

// targetFor checks that c's workspace holds dir: two projects that map to
// the same name must never share an environment.
func targetFor(c engine.Container, dir string) (Target, bool, error) {
	src, dst, ok := workspaceOf(c)
	if !ok {
		return Target{}, false, &CollisionError{Name: c.Name, RunningPath: "a container without a workspace", RequestedPath: dir}
	}
	if src == dir {
		return Target{Container: c, WorkDir: dst}, true, nil
	}
	if rel, err := filepath.Rel(src, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		return Target{Container: c, WorkDir: dst + "/" + filepath.ToSlash(rel)}, true, nil
	}
	return Target{}, false, &CollisionError{Name: c.Name, RunningPath: src, RequestedPath: dir}
}

// workspaceOf finds the project bind mount: /workspaces/<basename> (git's
// directories may be mounted deeper).
func workspaceOf(c engine.Container) (src, dst string, ok bool) {
	for _, m := range c.Mounts {
		if base, in := strings.CutPrefix(m.Target, project.WorkspaceRoot+"/"); in && !m.Volume && base != "" && !strings.Contains(base, "/") {
			return m.Source, m.Target, true
		}
	}
	return "", "", false
}

// Ensure returns the running environment for the project at dir (canonical),
// starting it when none runs. Concurrent callers for the same new project
// end up in the same container: the loser of the name race waits for the
// winner's container to run.
func Ensure(ctx context.Context, eng *engine.Client, dir string, opts Options) (Target, error) {
	if err := checkProjectDir(dir, opts.Env); err != nil {
		return Target{}, err
	}
	if _, err := sshPort(opts); err != nil {
		return Target{}, err
	}
	if opts.Name != "" {
		if err := CheckName(opts.Name); err != nil {
			return Target{}, err
		}
	}
	target, ok, err := Find(ctx, eng, dir, opts.Name)
	if err != nil {
		return Target{}, err
	}
	if ok {
		if opts.Port != "" {
			fmt.Fprintf(opts.Notes, "devenv: --port %s ignored: %s already runs with SSH on %s\n",
				opts.Port, target.Container.Name, orNone(target.Container.SSHAddress()))
		}
		warnSettingFlags(opts, target.Container.Name)
		if opts.ForwardSSHAgent && !ForwardsSSHAgent(target.Container) {
			fmt.Fprintf(opts.Notes, "devenv: --ssh-agent ignored: %s already runs without the SSH agent; `devenv stop %s` and start it again with --ssh-agent\n",
				target.Container.Name, target.Container.Name)
		}
		return target, nil
	}
	set, err := startSettings(dir, opts)
	if err != nil {
		return Target{}, err
	}
	if err := networkOptions(dir, &opts, set); err != nil {
		return Target{}, err
	}
	spec, err := containerSpec(dir, opts, set)
	if err := checkSharesFiles(eng, dir, set.EngineSharesFiles); err != nil {
		return Target{}, err
	}
	if err != nil {
		return Target{}, err
	}
	if err := opts.PrepareImage(ctx, spec.Image, dir); err != nil {
		return Target{}, err
	}
	created, err := ensureVolumes(ctx, eng, spec.Name, dir)
	if err != nil {
		removeVolumes(ctx, eng, created)
		return Target{}, err
	}
	if err := ports.CheckFree(opts.Ports, opts.PortsSource); err != nil {
		removeVolumes(ctx, eng, created)
		return Target{}, err
	}
	target, err = start(ctx, eng, spec, dir, opts)
	if err != nil {
		removeVolumes(ctx, eng, created)
	}
	return target, err
}

// start creates the environment described by spec, or joins the one
// another devenv creates under the same name at the same time.
func start(ctx context.Context, eng *engine.Client, spec engine.ContainerSpec, dir string, opts Options) (Target, error) {
	published := spec // what the gateway publishes for a confined environment
	confine(&spec, opts)
	release, err := lockName(ctx, opts.Env, spec.Name)
	if err != nil {
		return Target{}, err
	}
	defer release()
	faultPoint(opts.Env, "locked")
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := eng.InspectName(ctx, spec.Name)
		switch {
		case errors.Is(err, engine.ErrNotFound):
			c, err := create(ctx, eng, spec, published, opts)
			if err == nil {
				fmt.Fprintf(opts.Notes, "SSH: %s\n", orNone(c.SSHAddress()))
				return startedTarget(c, dir)
			}
			if pe := (*PortError)(nil); errors.As(err, &pe) {
				pe.Source = portSource(opts)
			}
			if !errors.Is(err, engine.ErrNameInUse) {
				return Target{}, err
			}
			// Taken between the look and the create, by a devenv that does
			// not share our lock: look again.
		case err != nil:
			return Target{}, err
		case !c.Devenv():
			return Target{}, &ForeignContainerError{Name: c.Name}
		case c.Running():
			return startedTarget(c, dir)
		case c.State == "paused":
			return Target{}, fmt.Errorf("%s is paused: resume it with `docker unpause %s`, or remove it with `devenv stop %s`", c.Name, c.Name, c.Name)
		case c.State != "removing":
			// Created, exited or dead while we hold the start lock: an
			// interrupted start or a finished one left it (see lock.go).
			if err := eng.Remove(ctx, c.ID); err != nil {
				return Target{}, err
			}
			fmt.Fprintf(opts.Notes, "devenv: removed %s, which an interrupted start had left %s\n", c.Name, c.State)
			continue
		}
		if time.Now().After(deadline) {
			return Target{}, fmt.Errorf("%s is still being removed after 30 s: try again, or see `docker inspect %s`", spec.Name, spec.Name)
		}
		select {
		case <-ctx.Done():
			return Target{}, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// startedTarget is where sessions in c, just started for dir, begin: a
// cloned environment's dir is its volume:NAME.
func startedTarget(c engine.Container, dir string) (Target, error) {
	if t, ok := cloneTarget(c); ok && dir == ClonePathPrefix+c.Name {
		return t, nil
	}
	t, _, err := targetFor(c, dir)
	return t, err
}

func orNone(s string) string {
	if s == "" {
		return "not published"
	}
	return s
}

// create creates and starts the container; when starting fails it removes
// what it created, so a failed start leaves nothing behind.
func create(ctx context.Context, eng *engine.Client, spec, published engine.ContainerSpec, opts Options) (engine.Container, error) {
	getenv := opts.Env
	imageEnv, err := eng.ImageEnv(ctx, spec.Image)
	if err != nil {
		return engine.Container{}, fmt.Errorf("read the variables of %s: %w", spec.Image, err)
	}
	// Written under the start lock: no other start of this name rewrites
	// them meanwhile.
	envMounts, err := writeSessionEnv(getenv, spec.Name, sessionEnvironment(imageEnv, spec.Env))
	if err != nil {
		return engine.Container{}, err
	}
	spec.Mounts = append(spec.Mounts, envMounts...)
	if opts.Egress.Enforced() {
		if err := prepareNetwork(ctx, eng, spec, opts); err != nil {
			return engine.Container{}, err
		}
	}
	id, err := eng.Create(ctx, spec)
	if err != nil {
		return engine.Container{}, err
	}
	faultPoint(getenv, "created")
	if opts.Egress.Enforced() {
		err = startGateway(ctx, eng, spec, published, opts)
	}
	if err == nil {
		err = eng.Start(ctx, id)
	}
	if err == nil {
		err = startRelays(ctx, eng, spec.Name, opts.Ports)
	}
	if err == nil && opts.Egress.Enforced() {
		err = awaitProxy(ctx, eng, spec.Name)
	}
	if err != nil {
		// The caller's ctx may be what failed; cleaning up must not.
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		eng.Remove(cleanup, id)
		if opts.Egress.Enforced() {
			stopGateway(cleanup, eng, engine.Container{Name: spec.Name, Labels: spec.Labels})
		}
		if taken := forwardInUse(err, opts); taken != nil {
			return engine.Container{}, taken
		}
		if errors.Is(err, engine.ErrPortInUse) {
			return engine.Container{}, &PortError{Source: "--port", Value: strconv.Itoa(spec.SSHPort), Taken: true, Bind: spec.SSHIP}
		}
		return engine.Container{}, fmt.Errorf("start %s: %w", spec.Name, err)
	}
	faultPoint(getenv, "started")
	return eng.Inspect(ctx, id)
}

// containerSpec is the one description of a devenv container.
func containerSpec(dir string, opts Options, set settings.Settings) (engine.ContainerSpec, error) {
	id := project.Identify(dir)
	port, err := sshPort(opts)
	if err != nil {
		return engine.ContainerSpec{}, err
	}
	name := id.Name
	if opts.Name != "" {
		name = opts.Name
	}
	home := opts.Env("HOME")
	mounts := []engine.Mount{{Source: dir, Target: id.Workspace}}
	mounts = append(mounts, volumeMounts(name)...)
	mounts = append(mounts, configMounts(home)...)
	// Sessions can tell where they are; writeSessionEnv hands these on to
	// SSH sessions and login shells.
	env := []string{"DEVENV_NAME=" + name, "DEVENV_PROJECT=" + id.Label}
	gitMounts, gitEnv := gitInside(dir, id.Workspace, opts.Notes)
	mounts = append(mounts, gitMounts...)
	env = append(env, gitEnv...)
	agentMounts, agentHomeEnv, err := agentHomes(name, opts, set)
	if err != nil {
		return engine.ContainerSpec{}, err
	}
	mounts = append(mounts, agentMounts...)
	env = append(env, agentHomeEnv...)
	agentSocket, agentEnv := sshAgent(opts, set)
	mounts = append(mounts, agentSocket...)
	env = append(env, agentEnv...)
	priv := privilegesFor(set)
	image := imageFor(dir, id, set.Image)
	ssh, err := prepareSSH(name, opts)
	if err != nil {
		return engine.ContainerSpec{}, err
	}
	mounts = append(mounts, ssh.mounts...)
	labels := map[string]string{engine.DevenvLabel: "true", ProjectLabel: id.Label, ImageLabel: image, WorkspaceLabel: workspaceID(dir)}
	if len(opts.Ports) > 0 {
		labels[ports.Label] = ports.FormatLabel(opts.Ports)
	}
	spec := engine.ContainerSpec{
		Name:     name,
		Image:    image,
		Hostname: id.Hostname,
		User:     priv.user,
		WorkDir:  id.Workspace,
		Cmd:      priv.cmd,
		Env:      env,
		Labels:   labels,
		Mounts:   mounts,
		SSHIP:    ssh.bind,
		SSHPort:  port,

		CapDrop:         priv.capDrop,
		CapAdd:          priv.capAdd,
		NoNewPrivileges: priv.noNewPrivileges,
		Publish:         relayBindings(opts.Ports),
		Sysctls:         loopbackIPv6,
	}
	applySettings(&spec, set)
	return spec, nil
}

// mainProcess starts sshd (as root, through the image's sudo, so it can
// switch to devuser per login) and then idles; the init process (Init: true)
// reaps zombies and forwards the stop signal, so stop is immediate.
var mainProcess = []string{"/bin/sh", "-c", `sudo -n /bin/sh -c '` + rootSetup + `' ||
  echo "devenv: sshd did not start; SSH into this environment will not work" >&2
exec sleep infinity`}

// sshPort applies the precedence --port > DEVENV_SSH_PORT > automatic (0).
func sshPort(opts Options) (int, error) {
	value := opts.Port
	if value == "" {
		value = opts.Env("DEVENV_SSH_PORT")
	}
	if value == "" {
		return 0, nil
	}
	port, err := strconv.Atoi(value)
	if err != nil || port < 1 || port > 65535 {
		return 0, &PortError{Source: portSource(opts), Value: value}
	}
	return port, nil
}

// portSource names where an explicit port came from, for messages.
func portSource(opts Options) string {
	if opts.Port != "" {
		return "--port"
	}
	return "DEVENV_SSH_PORT"
}

// imageFor picks the project's own image when it has a .devenv/Dockerfile,
// else the image setting (or DEVENV_IMAGE) or the default devenv image.
func imageFor(dir string, id project.Identity, setting string) string {
	if project.HasDockerfile(dir) {
		return id.ProjectImage()
	}
	if setting != "" {
		return setting
	}
	return project.DefaultImage
}

// WorkspacePath is the host path of the project an environment serves.
func WorkspacePath(c engine.Container) (string, bool) {
	src, _, ok := workspaceOf(c)
	return src, ok
}

// RunningWithin lists the running environments for callers that must never
// wait long (the prompt hook, completion): past timeout it gives up with the
// context's error. The engine client honours ctx, but the deadline is kept
// here too, so nothing the engine does can stretch it.
func RunningWithin(ctx context.Context, o engine.Options, timeout time.Duration) ([]engine.Container, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		running []engine.Container
		err     error
	}
	answer := make(chan result, 1)
	go func() {
		eng, err := engine.Connect(ctx, o)
		if err != nil {
			answer <- result{err: err}
			return
		}
		defer eng.Close()
		running, err := eng.List(ctx)
		answer <- result{running, err}
	}()
	select {
	case r := <-answer:
		return r.running, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
