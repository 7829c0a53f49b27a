package environment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"devenv/internal/engine"
	"devenv/internal/ports"
	"devenv/internal/project"
)

// A cloned environment's workspace is a named volume, NAME.workspace,
// mounted at /workspaces (which the image gives devuser, so the engine
// hands the fresh volume to devuser too) and holding the clone at
// /workspaces/NAME. It mounts no host directory for the workspace, and its
// history travels through the engine as git bundles over exec's streams.
const (
	// CloneLabel marks a cloned environment; its value is the SOURCE.
	CloneLabel = "devenv.clone"
	// ClonePathPrefix is what `devenv list` shows as a cloned
	// environment's PATH: volume:NAME.
	ClonePathPrefix = "volume:"
	workspaceKind   = "workspace"
)

// cloneDir is where a cloned environment's repository is inside.
func cloneDir(name string) string { return project.WorkspaceRoot + "/" + name }

// cloneTarget is the session target of a cloned environment; ok is false
// for any other container.
func cloneTarget(c engine.Container) (Target, bool) {
	if _, ok := c.Labels[CloneLabel]; !ok {
		return Target{}, false
	}
	return Target{Container: c, WorkDir: cloneDir(c.Name)}, true
}

// ClonePath is "volume:NAME" for a cloned environment.
func ClonePath(c engine.Container) (string, bool) {
	if _, ok := cloneTarget(c); !ok {
		return "", false
	}
	return ClonePathPrefix + c.Name, true
}

// workspaceVolume finds environment name's workspace volume, which a
// stopped cloned environment starts from.
func workspaceVolume(ctx context.Context, eng *engine.Client, name string) (engine.Volume, bool, error) {
	vols, err := eng.Volumes(ctx)
	if err != nil {
		return engine.Volume{}, false, err
	}
	want := EnvironmentVolume(name, workspaceKind)
	for _, v := range vols {
		if v.Name == want && v.Labels[VolumeEnvironmentLabel] == name {
			return v, true, nil
		}
	}
	return engine.Volume{}, false, nil
}

func hasWorkspaceVolume(ctx context.Context, eng *engine.Client, name string) (bool, error) {
	_, ok, err := workspaceVolume(ctx, eng, name)
	return ok, err
}

// restartClone starts stopped cloned environment name from its volume.
func restartClone(ctx context.Context, eng *engine.Client, name string, opts Options) (Target, error) {
	v, ok, err := workspaceVolume(ctx, eng, name)
	if err != nil {
		return Target{}, err
	}
	if !ok {
		return Target{}, &NotRunningError{Target: name}
	}
	t, _, err := startClone(ctx, eng, name, v.Labels[CloneLabel], opts)
	return t, err
}

// scpLike is git's user@host:path form of an ssh URL.
var scpLike = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:`)

// cloneSource is what SOURCE is: a local repository (Dir) or a git URL.
type cloneSource struct{ Dir, URL string }

// origin is what the environment and its volumes record of the source:
// the local repository's path, or the URL.
func (s cloneSource) origin() string {
	if s.Dir != "" {
		return s.Dir
	}
	return s.URL
}

func parseCloneSource(source string) (cloneSource, error) {
	if info, err := os.Stat(source); err == nil && info.IsDir() {
		dir, err := Canonical(source)
		if err != nil {
			return cloneSource{}, err
		}
		if err := exec.Command("git", "-C", dir, "rev-parse", "--git-dir").Run(); err != nil {
			return cloneSource{}, fmt.Errorf("%s is not a git repository: give a local repository or a git URL", source)
		}
		return cloneSource{Dir: dir}, nil
	}
	if strings.Contains(source, "://") || scpLike.MatchString(source) {
		return cloneSource{URL: source}, nil
	}
	return cloneSource{}, fmt.Errorf("%s is not a git repository: give a local repository or a git URL", source)
}

// CloneName is the environment name a SOURCE gets without --name:
// devenv-clone-<basename without .git>.
func CloneName(source string) string {
	base := strings.TrimSuffix(path.Base(strings.TrimRight(filepath.ToSlash(source), "/")), ".git")
	if i := strings.LastIndex(base, ":"); i >= 0 { // host:repo
		base = base[i+1:]
	}
	clean := strings.Trim(notInName.ReplaceAllString(base, "-"), ".-")
	if clean == "" {
		clean = "repo"
	}
	return "devenv-clone-" + clean
}

var notInName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// Clone returns the running cloned environment opts.Name (required): the
// one that runs, or one started from its workspace volume, or a new one
// whose volume gets a clone of source.
func Clone(ctx context.Context, eng *engine.Client, source string, opts Options) (Target, error) {
	name := opts.Name
	if err := CheckName(name); err != nil {
		return Target{}, err
	}
	c, err := eng.InspectName(ctx, name)
	switch {
	case errors.Is(err, engine.ErrNotFound):
	case err != nil:
		return Target{}, err
	case !c.Devenv():
		return Target{}, &ForeignContainerError{Name: c.Name}
	default:
		if t, ok := cloneTarget(c); ok && c.Running() {
			fmt.Fprintf(opts.Notes, "devenv: %s runs already: not cloned again\n", name)
			return t, nil
		} else if !ok {
			where, _ := WorkspacePath(c)
			return Target{}, fmt.Errorf("%s exists already for another environment (%s): choose another --name", name, orNone(where))
		}
	}
	kept, err := hasWorkspaceVolume(ctx, eng, name)
	if err != nil {
		return Target{}, err
	}
	if kept {
		fmt.Fprintf(opts.Notes, "devenv: starting %s from its workspace volume, not cloning again\n", name)
		return restartClone(ctx, eng, name, opts)
	}
	src, err := parseCloneSource(source)
	if err != nil {
		return Target{}, err
	}
	t, created, err := startClone(ctx, eng, name, src.origin(), opts)
	if err != nil {
		return Target{}, err
	}
	if err := fillClone(ctx, eng, t, src); err != nil {
		// Nothing half-made stays: not the environment, not its volumes.
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		eng.Remove(cleanup, t.Container.ID)
		eng.WaitNotRunning(cleanup, name, 20*time.Second)
		removeVolumes(ctx, eng, created)
		return Target{}, err
	}
	return t, nil
}

// startClone starts cloned environment name with its workspace volume,
// creating the volume when it is new, and returns the volumes it created.
// origin (cloneSource.origin) is recorded on the environment and on its
// volumes: a local repository's path is their project path.
func startClone(ctx context.Context, eng *engine.Client, name, origin string, opts Options) (Target, []string, error) {
	opts.Name = name
	if _, err := sshPort(opts); err != nil {
		return Target{}, nil, err
	}
	set, err := startSettings("", opts)
	if err != nil {
		return Target{}, nil, err
	}
	if err := networkOptions("", &opts, set); err != nil {
		return Target{}, nil, err
	}
	if eng.Endpoint().Remote() && !set.EngineSharesFiles {
		return Target{}, nil, &RemoteCloneError{Endpoint: eng.Endpoint()}
	}
	// containerSpec describes a project directory's environment: give it an
	// empty one called NAME, then swap its workspace for the volume.
	scratch, err := os.MkdirTemp("", "devenv-clone-")
	if err != nil {
		return Target{}, nil, err
	}
	defer os.RemoveAll(scratch)
	dir := filepath.Join(scratch, name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return Target{}, nil, err
	}
	spec, err := containerSpec(dir, opts, set)
	if err != nil {
		return Target{}, nil, err
	}
	volume := EnvironmentVolume(name, workspaceKind)
	for i, m := range spec.Mounts {
		if m.Source == dir {
			spec.Mounts[i] = engine.Mount{Source: volume, Target: project.WorkspaceRoot, Volume: true}
		}
	}
	spec.WorkDir = project.WorkspaceRoot
	delete(spec.Labels, WorkspaceLabel)
	spec.Labels[ProjectLabel] = ClonePathPrefix + name
	spec.Labels[CloneLabel] = origin
	projectPath := ClonePathPrefix + name
	if filepath.IsAbs(origin) {
		projectPath = origin
	}
	if err := opts.PrepareImage(ctx, spec.Image, ""); err != nil {
		return Target{}, nil, err
	}
	created, err := ensureVolumes(ctx, eng, name, projectPath)
	if err != nil {
		removeVolumes(ctx, eng, created)
		return Target{}, nil, err
	}
	if ok, err := hasWorkspaceVolume(ctx, eng, name); err != nil {
		return Target{}, nil, err
	} else if !ok {
		labels := map[string]string{VolumeKindLabel: workspaceKind, VolumeEnvironmentLabel: name, VolumeWorkspaceLabel: projectPath, CloneLabel: origin}
		if err := eng.CreateVolume(ctx, volume, labels); err != nil {
			removeVolumes(ctx, eng, created)
			return Target{}, nil, err
		}
		created = append(created, volume)
	}
	if err := ports.CheckFree(opts.Ports, opts.PortsSource); err != nil {
		removeVolumes(ctx, eng, created)
		return Target{}, nil, err
	}
	t, err := start(ctx, eng, spec, ClonePathPrefix+name, opts)
	if err != nil {
		removeVolumes(ctx, eng, created)
		return Target{}, nil, err
	}
	return t, created, nil
}

// fillScript clones into $1, from the bundle on stdin when $2 is empty,
// else from the URL $2.
const fillScript = `set -e
if [ -n "$2" ]; then exec git clone -q -- "$2" "$1"; fi
b=$(mktemp); trap 'rm -f "$b"' EXIT
cat > "$b"
git clone -q "$b" "$1"
git -C "$1" remote remove origin`

// fillClone clones the source into a new environment's volume: a URL by
// git inside, a local repository from a bundle streamed over exec stdin.
func fillClone(ctx context.Context, eng *engine.Client, t Target, src cloneSource) error {
	spec := engine.ExecSpec{Cmd: []string{"/bin/sh", "-c", fillScript, "devenv-clone", t.WorkDir, src.URL}, User: ContainerUser, WorkDir: project.WorkspaceRoot}
	var stderr bytes.Buffer
	stdio := engine.ExecIO{Out: io.Discard, Err: &stderr}
	if src.Dir != "" {
		bundle := exec.CommandContext(ctx, "git", "-C", src.Dir, "bundle", "create", "-q", "-", "--all")
		var bundleErr bytes.Buffer
		bundle.Stderr = &bundleErr
		out, err := bundle.StdoutPipe()
		if err != nil {
			return err
		}
		if err := bundle.Start(); err != nil {
			return fmt.Errorf("git bundle: %w", err)
		}
		spec.Stdin, stdio.In = true, out
		code, err := eng.Exec(ctx, t.Container.Name, spec, stdio)
		out.Close() // a bundle the clone did not read to the end ends too
		if werr := bundle.Wait(); werr != nil && err == nil && code == 0 {
			return fmt.Errorf("git bundle create in %s: %s", src.Dir, lastLine(bundleErr.String(), werr))
		}
		return cloneResult(code, err, &stderr)
	}
	code, err := eng.Exec(ctx, t.Container.Name, spec, stdio)
	return cloneResult(code, err, &stderr)
}

func cloneResult(code int, err error, stderr *bytes.Buffer) error {
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("git clone inside failed: %s", lastLine(stderr.String(), fmt.Errorf("exit status %d", code)))
	}
	return nil
}

func lastLine(out string, fallback error) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	return fallback.Error()
}

// Fetch brings cloned environment t's branches into the host repository
// at dir as refs/remotes/NAME/*: a bundle made inside, streamed out over
// exec stdout, fetched from on the host.
func Fetch(ctx context.Context, eng *engine.Client, t Target, dir string) error {
	if _, ok := cloneTarget(t.Container); !ok {
		return fmt.Errorf("%s is not a cloned environment: devenv fetch brings back the branches of one that `devenv clone` made", t.Container.Name)
	}
	f, err := os.CreateTemp("", "devenv-fetch-*.bundle")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	var stderr bytes.Buffer
	spec := engine.ExecSpec{Cmd: []string{"git", "-C", t.WorkDir, "bundle", "create", "-q", "-", "--branches"}, User: ContainerUser, WorkDir: t.WorkDir}
	code, err := eng.Exec(ctx, t.Container.Name, spec, engine.ExecIO{Out: f, Err: &stderr})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("git bundle create in %s: %s", t.Container.Name, lastLine(stderr.String(), fmt.Errorf("exit status %d", code)))
	}
	name := t.Container.Name
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "fetch", "-q", "--no-tags", f.Name(),
		"+refs/heads/*:refs/remotes/"+name+"/*").CombinedOutput()
	if err != nil {
		return fmt.Errorf("git fetch from %s: %s", name, lastLine(string(out), err))
	}
	return nil
}

// HostRepository is the canonical path of the git repository at path, on
// the host, for devenv fetch.
func HostRepository(path string) (string, error) {
	dir, err := Canonical(path)
	if err != nil {
		return "", err
	}
	if err := exec.Command("git", "-C", dir, "rev-parse", "--git-dir").Run(); err != nil {
		return "", fmt.Errorf("%s is not a git repository: run devenv fetch in the repository the branches go to", dir)
	}
	return dir, nil
}

// RemoteCloneError: the workspace is a volume, but devenv's own files (SSH
// keys, session variables, agent homes) are still bind-mounted from this
// machine, which a remote engine cannot do; nothing was created.
type RemoteCloneError struct{ Endpoint engine.Endpoint }

func (e *RemoteCloneError) Error() string {
	return fmt.Sprintf("%s is a remote engine: devenv clone does not run there yet, as it still mounts devenv's own files (SSH keys, session variables, agent homes) from this machine; nothing was created; "+
		"if that engine sees this machine's paths, set engine_shares_files = true in your devenv config.toml", e.Endpoint.Describe())
}
