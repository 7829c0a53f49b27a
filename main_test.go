package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"devenv/applets"
	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/testimage"
)

// The test binary is devenv itself under every applet name, so scenarios
// run devenv, devenv-list, … as the separate programs users run.
func TestMain(m *testing.M) {
	commands := map[string]func(){}
	for _, name := range applets.Names() {
		commands[name] = main
	}
	testscript.Main(m, commands)
}

// TestScript runs the scenarios that share the engine with each other.
func TestScript(t *testing.T) {
	runScripts(t, "testdata/scripts", dockerState(t))
}

// TestScriptWholeEngine runs, one at a time, the scenarios that look at or
// act on every environment of the engine (list, stop --all). They refuse to
// run beside environments that are not the tests' own.
func TestScriptWholeEngine(t *testing.T) {
	d := dockerState(t)
	if d.reachable {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		running, err := d.eng.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(running) > 0 {
			var names []string
			for _, c := range running {
				names = append(names, c.Name)
			}
			t.Fatalf("these scenarios stop every devenv environment, and some run: %s; stop them (devenv stop --all) or point DOCKER_HOST at another engine", strings.Join(names, ", "))
		}
	}
	files, _ := filepath.Glob("testdata/scripts/whole-engine/*.txtar")
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			runScripts(t, "", d, f)
		})
	}
}

func runScripts(t *testing.T, dir string, d *docker, files ...string) {
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		Files:               files,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("DEVENV_UPDATE_GOLDEN") != "",
		Setup:               d.setup,
		Condition:           d.condition,
		Cmds:                scriptCommands(d),
	})
}

// docker is the engine the scenarios use, found once per test binary.
type docker struct {
	reachable bool
	eng       *engine.Client
	podman    bool   // the engine is Podman's Docker-compatible API
	image     string // the test image (testimage.Ensure)
	// dockerdArgv is the engine's command line while a scenario has it
	// stopped (whole-engine scenarios run one at a time).
	dockerdArgv []string
}

var (
	dockerOnce   sync.Once
	dockerShared *docker
)

// dockerState connects to the engine and builds the test image. With no
// engine, Docker scenarios skip, unless DEVENV_TEST_DOCKER says they must run.
func dockerState(t *testing.T) *docker {
	dockerOnce.Do(func() {
		dockerShared = &docker{}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		eng, err := engine.Connect(ctx, engine.Options{})
		if err != nil {
			if os.Getenv("DEVENV_TEST_DOCKER") != "" {
				dockerShared.eng = nil
				t.Logf("DEVENV_TEST_DOCKER is set but: %v", err)
			}
			return
		}
		image, err := testimage.Ensure(ctx, eng, "Dockerfile.base")
		if err != nil {
			t.Fatalf("building the test image: %v", err)
		}
		dockerShared.image = image
		dockerShared.reachable, dockerShared.eng = true, eng
		if info, err := eng.Info(ctx); err == nil {
			dockerShared.podman = info.Podman()
		}
	})
	if !dockerShared.reachable && os.Getenv("DEVENV_TEST_DOCKER") != "" {
		t.Fatal("DEVENV_TEST_DOCKER is set but no Docker engine answers: start dockerd or fix DOCKER_HOST")
	}
	return dockerShared
}

func (d *docker) condition(cond string) (bool, error) {
	switch cond {
	case "docker":
		return d.reachable, nil
	case "dockerd-restart":
		// Stopping the engine ends every container on it: only where the
		// run says nothing else uses it, as .ci/run does in CI.
		return d.reachable && os.Getenv("DEVENV_TEST_DOCKERD_RESTART") == "1", nil
	case "podman":
		return d.reachable && d.podman, nil
	case "docker-current":
		// shared/engines/docker-current, today's Docker beside the
		// machine's: it runs with --iptables=false, so the host's FORWARD
		// DROP stops traffic on the networks it creates itself.
		return d.reachable && d.eng.Host() == "unix:///run/docker-current.sock", nil
	case "ssh-engine":
		// An ssh:// engine through a local sshd needs the server, a user of
		// its own for the client (ssh reads ~/.ssh from the passwd entry;
		// .ci/prepare makes it) and an engine on a Unix socket to relay.
		_, errSSHD := os.Stat("/usr/sbin/sshd")
		_, errUser := os.Stat(sshClientHome)
		return d.reachable && errSSHD == nil && errUser == nil && strings.HasPrefix(d.eng.Host(), "unix://"), nil
	}
	return false, &unknownCondition{cond}
}

// sshClientHome is the home of the user the ssh:// engine scenario runs
// devenv as, so that ssh reads the scenario's ~/.ssh, not root's.
const sshClientHome = "/home/devenv-sshclient"

type unknownCondition struct{ name string }

func (e *unknownCondition) Error() string { return "unknown condition " + e.name }

// setup gives each scenario its own HOME and the engine, and stops every
// environment whose project lies in the scenario's work directory when the
// scenario ends, passed or failed.
func (d *docker) setup(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	env.Setenv("HOME", home)
	// What scenarios start environments from, built from Dockerfile.base
	// so the tests never touch a user's devenv:latest; DEVENV_TEST_IMAGE
	// keeps it for scenarios that set DEVENV_IMAGE to something else.
	env.Setenv("DEVENV_IMAGE", d.image)
	env.Setenv("DEVENV_TEST_IMAGE", d.image)
	env.Setenv("DEVENV_SSH_PORT", "")
	for _, k := range []string{"DOCKER_HOST", "DOCKER_API_VERSION", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"} {
		env.Setenv(k, os.Getenv(k))
	}
	if !d.reachable {
		return nil
	}
	// The engine under test, however it was found, for scenarios that make
	// contexts pointing at it; and its address when only the tests' own
	// HOME would not lead there (a context of the user's).
	env.Setenv("ENGINE_HOST", d.eng.Host())
	if sock, ok := strings.CutPrefix(d.eng.Host(), "unix://"); ok {
		env.Setenv("ENGINE_SOCKET", sock)
	}
	if os.Getenv("DOCKER_HOST") == "" && strings.HasPrefix(d.eng.Host(), "unix://") {
		env.Setenv("DOCKER_HOST", d.eng.Host())
	}
	work := env.WorkDir
	if real, err := filepath.EvalSymlinks(work); err == nil {
		work = real
	}
	env.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		running, err := d.eng.List(ctx)
		if err != nil {
			return
		}
		for _, c := range running {
			if strings.HasPrefix(c.Labels[environment.CloneLabel], work+"/") { // a clone of the scenario's repository
				d.eng.Stop(ctx, c.ID, time.Second)
				continue
			}
			for _, m := range c.Mounts {
				if strings.HasPrefix(m.Source, work+"/") {
					d.eng.Stop(ctx, c.ID, time.Second)
					break
				}
			}
		}
		// The scenario's environments' own volumes go with it.
		volumes, err := d.eng.Volumes(ctx)
		if err != nil {
			return
		}
		for _, v := range volumes {
			if strings.HasPrefix(v.Labels[environment.VolumeWorkspaceLabel], work+"/") {
				d.eng.RemoveVolume(ctx, v.Name)
			}
		}
	})
	return nil
}

// TestFullImage builds the full default image and checks every tool in it.
// It takes minutes and gigabytes, so it runs only when asked:
// DEVENV_TEST_FULL_IMAGE=1 go test -run TestFullImage -timeout 30m .
func TestFullImage(t *testing.T) {
	if os.Getenv("DEVENV_TEST_FULL_IMAGE") == "" {
		t.Skip("opt-in: set DEVENV_TEST_FULL_IMAGE=1")
	}
	runScripts(t, "testdata/full-image", dockerState(t))
}
