package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

// DevenvLabel marks everything devenv creates; devenv never stops or removes
// a container without it.
const DevenvLabel = "devenv"

// ProjectLabel carries <parent>/<basename> of the project an environment
// serves. Images carry devenv=true too, and so do the containers a build runs
// from them; only environments have a project.
const ProjectLabel = "devenv.project"

const sshPort = nat.Port("22/tcp")

// Mount is a bind mount or named volume of a container.
type Mount struct {
	Source   string // host path, or volume name when Volume is true
	Target   string
	ReadOnly bool
	Volume   bool
}

// Container is what devenv needs to know about one container.
type Container struct {
	ID      string
	Name    string
	Image   string // the reference, in the docker CLI's short form; an ID once that reference moved on (Docker)
	ImageID string // the image the container runs; "" when the engine does not say
	Labels  map[string]string
	State   string // created, running, exited, removing, …
	Created time.Time
	Started time.Time // zero from List, which reports Created only
	SSHIP   string    // host address the SSH port is published on
	SSHPort int       // 0 when none is published
	Mounts  []Mount
	Init    bool
	User    string
	Limits  Limits // from Inspect only
	// Published is every published port ("22/tcp on 127.0.0.1:32768"),
	// sorted; from Inspect only.
	Published []string
}

// Running reports whether the container's main process runs.
func (c Container) Running() bool { return c.State == "running" }

// Devenv reports whether the container is a devenv environment: it carries
// devenv=true and a project label. devenv=true alone is not enough, since
// every container run from one of devenv's images inherits that label from
// the image (a build step's, or one a user ran by hand).
func (c Container) Devenv() bool {
	return c.Labels[DevenvLabel] == "true" && c.Labels[ProjectLabel] != ""
}

// SSHAddress is "ip:port", or "" when no SSH port is published.
func (c Container) SSHAddress() string {
	if c.SSHPort == 0 {
		return ""
	}
	return c.SSHIP + ":" + strconv.Itoa(c.SSHPort)
}

// MountAt returns the mount whose target is dir.
func (c Container) MountAt(dir string) (Mount, bool) {
	for _, m := range c.Mounts {
		if m.Target == dir {
			return m, true
		}
	}
	return Mount{}, false
}

// List returns the running environments (devenv=true and a project label),
// sorted by name.
func (c *Client) List(ctx context.Context) ([]Container, error) { return c.list(ctx, false) }

// ListAll returns the environments in any state: running, and also those
// created, exited or dead, which an interrupted start or a failed stop
// leaves behind.
func (c *Client) ListAll(ctx context.Context) ([]Container, error) { return c.list(ctx, true) }

func (c *Client) list(ctx context.Context, all bool) ([]Container, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	summaries, err := c.api.ContainerList(ctx, container.ListOptions{
		All: all,
		// Gateways too (devenv=true, no project), for the SSH address of
		// the environments they publish; only environments are returned.
		Filters: filters.NewArgs(filters.Arg("label", DevenvLabel+"=true")),
	})
	if err != nil {
		return nil, fmt.Errorf("list environments: %w", c.wrap(err))
	}
	out := make([]Container, 0, len(summaries))
	gateways := map[string]Container{}
	for _, s := range summaries {
		ct := Container{
			ID:      s.ID,
			Image:   familiarImage(s.Image),
			ImageID: s.ImageID,
			Labels:  s.Labels,
			State:   string(s.State),
			Created: time.Unix(s.Created, 0),
		}
		if len(s.Names) > 0 {
			ct.Name = strings.TrimPrefix(s.Names[0], "/")
		}
		for _, p := range s.Ports {
			if p.PrivatePort == 22 && p.Type == "tcp" && p.PublicPort != 0 && ct.SSHPort == 0 {
				ct.SSHIP, ct.SSHPort = p.IP, int(p.PublicPort)
			}
		}
		for _, m := range s.Mounts {
			ct.Mounts = append(ct.Mounts, Mount{Source: mountSource(m), Target: m.Destination, ReadOnly: !m.RW, Volume: m.Type == mount.TypeVolume})
		}
		if _, ok := ct.Labels[ProjectLabel]; !ok {
			gateways[ct.Name] = ct
			continue
		}
		out = append(out, ct)
	}
	for i, ct := range out {
		if g, ok := gateways[ct.Labels[GatewayLabel]]; ok {
			out[i].sshFrom(g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func mountSource(m container.MountPoint) string {
	if m.Type == mount.TypeVolume && m.Name != "" {
		return m.Name
	}
	return m.Source
}

// Inspect returns the container with that name or ID; ErrNotFound when
// there is none.
func (c *Client) Inspect(ctx context.Context, nameOrID string) (Container, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.ContainerInspect(ctx, nameOrID)
	if err != nil {
		return Container{}, c.wrap(err)
	}
	ct := Container{
		ID:   r.ID,
		Name: strings.TrimPrefix(r.Name, "/"),
	}
	if r.Config != nil {
		ct.Image = familiarImage(r.Config.Image)
		ct.Labels = r.Config.Labels
		ct.User = r.Config.User
	}
	if r.State != nil {
		ct.State = string(r.State.Status)
		ct.Started, _ = time.Parse(time.RFC3339Nano, r.State.StartedAt)
	}
	ct.Created, _ = time.Parse(time.RFC3339Nano, r.Created)
	ct.ImageID = r.Image
	if r.HostConfig != nil && r.HostConfig.Init != nil {
		ct.Init = *r.HostConfig.Init
	}
	if r.HostConfig != nil {
		ct.Limits = Limits{CPUs: float64(r.HostConfig.NanoCPUs) / 1e9, Memory: r.HostConfig.Memory}
		if p := r.HostConfig.PidsLimit; p != nil && *p > 0 {
			ct.Limits.Pids = *p
		}
	}
	if r.NetworkSettings != nil {
		for port, bindings := range r.NetworkSettings.Ports {
			for _, b := range bindings {
				ct.Published = append(ct.Published, string(port)+" on "+net.JoinHostPort(b.HostIP, b.HostPort))
			}
		}
		sort.Strings(ct.Published)
		for _, b := range r.NetworkSettings.Ports[sshPort] {
			if port, err := strconv.Atoi(b.HostPort); err == nil && port != 0 {
				ct.SSHIP, ct.SSHPort = b.HostIP, port
				break
			}
		}
	}
	for _, m := range r.Mounts {
		ct.Mounts = append(ct.Mounts, Mount{Source: mountSource(m), Target: m.Destination, ReadOnly: !m.RW, Volume: m.Type == mount.TypeVolume})
	}
	if name := ct.Labels[GatewayLabel]; name != "" && ct.SSHPort == 0 {
		if g, err := c.Inspect(ctx, name); err == nil {
			ct.sshFrom(g)
		}
	}
	return ct, nil
}

// ContainerSpec describes a devenv container to create.
type ContainerSpec struct {
	Name     string
	Image    string
	Hostname string
	User     string
	WorkDir  string
	Cmd      []string
	Env      []string
	Labels   map[string]string
	Mounts   []Mount
	SSHIP    string // host address to publish sshd on
	SSHPort  int    // 0: the engine picks a free port
	Limits   Limits
	// Privileges: capabilities taken away from (CapDrop, "ALL" for every
	// one) and given back to the container, and no-new-privileges, which
	// makes setuid programs such as sudo powerless.
	CapDrop         []string
	CapAdd          []string
	NoNewPrivileges bool
	// Publish is every other port to publish (the ports setting's relays).
	Publish []PortBinding
	Sysctls map[string]string
	// Network is the one network the container starts on; "" for the
	// engine's default. Aliases are its other names there.
	Network string
	Aliases []string
}

// GatewayLabel names, on an environment whose network is internal, the
// container that publishes its ports (the egress gateway): the
// environment's SSH address is that container's published SSH port.
const GatewayLabel = "devenv.gateway"

// sshFrom fills the SSH address from the gateway's, for an environment
// that has one.
func (ct *Container) sshFrom(gateway Container) {
	if ct.SSHPort == 0 {
		ct.SSHIP, ct.SSHPort = gateway.SSHIP, gateway.SSHPort
	}
}

// PortBinding publishes a container's TCP port on a host address.
type PortBinding struct {
	HostIP        string
	HostPort      int
	ContainerPort int
}

// Limits caps what a container may use; zero values mean no limit.
type Limits struct {
	CPUs   float64
	Memory int64 // bytes
	Pids   int64
}

// Create creates (but does not start) a container that removes itself when
// it stops and runs an init process as PID 1. ErrNameInUse when the name is
// taken, ErrNotFound when the image is missing.
func (c *Client) Create(ctx context.Context, spec ContainerSpec) (string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	hostPort := ""
	if spec.SSHPort != 0 {
		hostPort = strconv.Itoa(spec.SSHPort)
	}
	init := true
	hostConfig := &container.HostConfig{
		AutoRemove:   true,
		Init:         &init,
		PortBindings: nat.PortMap{},
		Resources: container.Resources{
			NanoCPUs: int64(spec.Limits.CPUs * 1e9),
			Memory:   spec.Limits.Memory,
		},
		CapDrop: spec.CapDrop,
		CapAdd:  spec.CapAdd,
	}
	// No pids limit is -1, said outright: Podman otherwise applies its own
	// default (2048) where Docker applies none.
	pids := int64(-1)
	if spec.Limits.Pids != 0 {
		pids = spec.Limits.Pids
	}
	hostConfig.Resources.PidsLimit = &pids
	if spec.NoNewPrivileges {
		hostConfig.SecurityOpt = append(hostConfig.SecurityOpt, "no-new-privileges")
	}
	exposed := nat.PortSet{}
	if spec.SSHIP != "" {
		hostConfig.PortBindings[sshPort] = []nat.PortBinding{{HostIP: spec.SSHIP, HostPort: hostPort}}
		exposed[sshPort] = struct{}{}
	}
	networking := &network.NetworkingConfig{}
	if spec.Network != "" {
		hostConfig.NetworkMode = container.NetworkMode(spec.Network)
		networking.EndpointsConfig = map[string]*network.EndpointSettings{spec.Network: {Aliases: spec.Aliases}}
	}
	for _, m := range spec.Mounts {
		t := mount.TypeBind
		if m.Volume {
			t = mount.TypeVolume
		}
		hostConfig.Mounts = append(hostConfig.Mounts, mount.Mount{Type: t, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly})
	}
	for _, p := range spec.Publish {
		port := nat.Port(strconv.Itoa(p.ContainerPort) + "/tcp")
		exposed[port] = struct{}{}
		hostConfig.PortBindings[port] = []nat.PortBinding{{HostIP: p.HostIP, HostPort: strconv.Itoa(p.HostPort)}}
	}
	hostConfig.Sysctls = spec.Sysctls
	config := &container.Config{
		Image:        spec.Image,
		Hostname:     spec.Hostname,
		User:         spec.User,
		WorkingDir:   spec.WorkDir,
		Cmd:          spec.Cmd,
		Env:          spec.Env,
		Labels:       spec.Labels,
		ExposedPorts: exposed,
	}
	r, err := c.api.ContainerCreate(ctx, config, hostConfig, networking, nil, spec.Name)
	if err != nil {
		return "", fmt.Errorf("create %s: %w", spec.Name, c.wrap(err))
	}
	return r.ID, nil
}

// Start starts a created container; ErrPortInUse when its SSH port is taken.
func (c *Client) Start(ctx context.Context, id string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	err := c.api.ContainerStart(ctx, id, container.StartOptions{})
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "address already in use") || strings.Contains(msg, "port is already allocated") {
		return fmt.Errorf("%w: %s", ErrPortInUse, firstLine(err))
	}
	return c.wrap(err)
}

// Remove force-removes a container; a container already gone is no error.
func (c *Client) Remove(ctx context.Context, id string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	err := c.wrap(c.api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true}))
	if errors.Is(err, ErrNotFound) || err != nil && strings.Contains(err.Error(), "already in progress") {
		return nil
	}
	return err
}

// Stop stops a container and waits until the engine has removed it, so the
// name is free for the next start when Stop returns.
func (c *Client) Stop(ctx context.Context, id string, grace time.Duration) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	// Ask for the removal before stopping, or it can pass unseen.
	removed, waitErr := c.api.ContainerWait(ctx, id, container.WaitConditionRemoved)
	seconds := int(grace / time.Second)
	if err := c.wrap(c.api.ContainerStop(ctx, id, container.StopOptions{Timeout: &seconds})); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return fmt.Errorf("stop %s: %w", id, err)
	}
	select {
	case <-removed:
	case <-waitErr: // already gone, or not a --rm container: stopped is what was asked
	case <-ctx.Done():
		return fmt.Errorf("stop %s: %w", id, ctx.Err())
	}
	return nil
}

// ImageExists reports whether ref names a local image.
func (c *Client) ImageExists(ctx context.Context, ref string) (bool, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	_, err := c.api.ImageInspect(ctx, ref)
	switch err := c.wrap(err); {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	default:
		return false, err
	}
}

// ImageLabel returns one label of a local image; ErrNotFound when the
// image is missing.
func (c *Client) ImageLabel(ctx context.Context, ref, label string) (string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.ImageInspect(ctx, ref)
	if err != nil {
		return "", c.wrap(err)
	}
	if r.Config == nil {
		return "", nil
	}
	return r.Config.Labels[label], nil
}

// ImageID returns the ID of a local image.
func (c *Client) ImageID(ctx context.Context, ref string) (string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.ImageInspect(ctx, ref)
	if err != nil {
		return "", c.wrap(err)
	}
	return r.ID, nil
}

// RemoveImage untags and removes a local image; a missing one is no error.
func (c *Client) RemoveImage(ctx context.Context, ref string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	_, err := c.api.ImageRemove(ctx, ref, image.RemoveOptions{Force: true, PruneChildren: true})
	if err := c.wrap(err); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// InspectName returns the container called exactly name. Unlike Inspect it
// never takes name for an ID, whole or prefix: `devenv stop db` must not
// stop whichever container's ID starts with db. ErrNotFound when no
// container has that name.
func (c *Client) InspectName(ctx context.Context, name string) (Container, error) {
	ct, err := c.Inspect(ctx, name)
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "multiple ids found with provided prefix") {
		return Container{}, fmt.Errorf("%w: no container named %s", ErrNotFound, name)
	}
	if err == nil && ct.Name != name {
		return Container{}, fmt.Errorf("%w: no container named %s", ErrNotFound, name)
	}
	return ct, err
}

// Kill sends SIGKILL to a container's processes, as `docker kill` does; the
// engine then removes a container created to remove itself.
func (c *Client) Kill(ctx context.Context, id string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	return c.wrap(c.api.ContainerKill(ctx, id, "KILL"))
}

// WaitNotRunning waits up to timeout for a container to stop running and
// reports whether it has; a container that is gone has stopped.
func (c *Client) WaitNotRunning(ctx context.Context, name string, timeout time.Duration) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stopped, errs := c.api.ContainerWait(ctx, name, container.WaitConditionNotRunning)
	select {
	case <-stopped:
		return true, nil
	case err := <-errs:
		switch err := c.wrap(err); {
		case ctx.Err() != nil:
			return false, nil // still running when the time was up
		case errors.Is(err, ErrNotFound):
			return true, nil
		default:
			return false, err
		}
	}
}

// TagImage gives the local image src the reference ref as well.
func (c *Client) TagImage(ctx context.Context, src, ref string) error {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	return c.wrap(c.api.ImageTag(ctx, src, ref))
}

// ImageEnv returns the environment variables a local image sets (its ENV
// lines, as NAME=VALUE); ErrNotFound when the image is missing.
func (c *Client) ImageEnv(ctx context.Context, ref string) ([]string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	r, err := c.api.ImageInspect(ctx, ref)
	if err != nil {
		return nil, c.wrap(err)
	}
	if r.Config == nil {
		return nil, nil
	}
	return r.Config.Env, nil
}
