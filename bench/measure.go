package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"devenv/internal/engine"
)

// startup measures what every command pays before it talks to the engine,
// and is the reference for the figures after it.
func (b *bench) startup(ctx context.Context) error {
	logf("process start-up")
	dv, dk := b.alternate(ctx, b.cfg.n,
		func() time.Duration { d, _ := b.timeSteps(ctx, cmd(b.devenv, "--help")); return d },
		func() time.Duration { d, _ := b.timeSteps(ctx, cmd(b.cfg.docker, "--version")); return d })
	b.report.reference = append(b.report.reference, row{op: "process start-up, no engine (`devenv --help` vs `docker --version`)", devenv: dv, docker: dk})
	static, dynamic := b.alternate(ctx, b.cfg.n,
		func() time.Duration { d, _ := b.timeSteps(ctx, cmd(b.devenv, "--help")); return d },
		func() time.Duration { d, _ := b.timeSteps(ctx, cmd(b.devenvCgo, "--help")); return d })
	b.report.reference = append(b.report.reference, row{op: "process start-up, no engine: devenv built with CGO_ENABLED=0 vs with cgo (the second column)", devenv: static, docker: dynamic})
	return nil
}

// attach measures a command in a running environment, and the engine's own
// cost of an exec through an open connection: the floor for both sides.
func (b *bench) attach(ctx context.Context) error {
	dir, name := b.project("attach")
	logf("attach: starting %s", name)
	b.timeSteps(ctx, cmd(b.devenv, "exec", dir, "--", "true"))
	defer b.timeSteps(ctx, cmd(b.devenv, "stop", name))

	if err := b.warmExec(ctx, name); err != nil {
		return err
	}

	ct, err := b.eng.Inspect(ctx, name)
	if err != nil {
		return err
	}
	var connect, roundTrip, execFloor sample
	for i := 0; i < b.cfg.n; i++ {
		start := time.Now()
		eng, err := engine.Connect(ctx, engine.Options{})
		if err != nil {
			return err
		}
		connect = append(connect, time.Since(start))
		eng.Close()
		start = time.Now()
		if _, err := b.eng.Inspect(ctx, name); err != nil {
			return err
		}
		roundTrip = append(roundTrip, time.Since(start))
		start = time.Now()
		code, err := b.eng.Exec(ctx, name, engine.ExecSpec{Cmd: []string{"true"}, User: ct.User}, engine.ExecIO{Out: io.Discard, Err: io.Discard})
		if err != nil || code != 0 {
			return fmt.Errorf("exec floor: status %d, %v", code, err)
		}
		execFloor = append(execFloor, time.Since(start))
	}
	b.report.reference = append(b.report.reference,
		row{op: "engine.Connect in-process: client set-up, new connection, version ping", devenv: connect},
		row{op: "one API round trip in-process (container inspect)", devenv: roundTrip},
		row{op: "engine floor in-process: exec create, attach, `true`, exec inspect", devenv: execFloor})
	return nil
}

// cold measures a start from nothing (image present, no container) until a
// command ran inside, and until sshd answers, against `docker run -d` of the
// same container followed by `docker exec`. Both sides publish SSH on an
// explicit free port so the probe can watch it from the first moment.
func (b *bench) cold(ctx context.Context) error {
	dir, name := b.project("cold")
	ddir, dname := b.project("docker-cold")
	logf("cold: reading the container spec devenv uses")
	b.timeSteps(ctx, cmd(b.devenv, "exec", dir, "--", "true"))
	runArgs, err := b.dockerRunArgs(ctx, name, dname, ddir)
	b.timeSteps(ctx, cmd(b.devenv, "stop", name))
	if err != nil {
		return err
	}

	logf("cold: %d × devenv exec DIR -- true, docker run -d … + docker exec", b.cfg.coldN)
	var dv, dk, sv, sk sample
	devenvSide := func() {
		port := freePort()
		probe := watchSSH(ctx, port)
		d, _ := b.timeSteps(ctx, cmd(b.devenv, "exec", "--port", strconv.Itoa(port), dir, "--", "true"))
		dv, sv = append(dv, d), append(sv, probe.wait())
		b.timeSteps(ctx, cmd(b.devenv, "stop", name))
	}
	dockerSide := func() {
		port := freePort()
		args := slices.Clone(runArgs)
		args[slices.Index(args, "PORT")] = "127.0.0.1:" + strconv.Itoa(port) + ":22"
		probe := watchSSH(ctx, port)
		d, _ := b.timeSteps(ctx, cmd(append([]string{b.cfg.docker}, args...)...), cmd(b.cfg.docker, "exec", dname, "true"))
		dk, sk = append(dk, d), append(sk, probe.wait())
		b.timeSteps(ctx, cmd(b.cfg.docker, "rm", "-f", dname))
	}
	for i := 0; i < b.cfg.coldN; i++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if i%2 == 0 {
			devenvSide()
			dockerSide()
		} else {
			dockerSide()
			devenvSide()
		}
	}
	b.report.rows = append(b.report.rows,
		row{op: "cold start until `true` ran: `devenv exec DIR -- true` vs `docker run -d …` + `docker exec`", devenv: dv, docker: dk, ratio: 1.1},
		row{op: "cold start until sshd answers (SSH banner on the published port)", devenv: sv, docker: sk})
	return nil
}

// dockerRunArgs turns the container devenv made for name into the `docker
// run -d` arguments that make the same container for another project; the
// port binding is the placeholder PORT.
func (b *bench) dockerRunArgs(ctx context.Context, name, dname, ddir string) ([]string, error) {
	out, err := runOut(ctx, b.env, b.cfg.docker, "inspect", name)
	if err != nil {
		return nil, fmt.Errorf("docker inspect %s: %v: %s", name, err, out)
	}
	var got []struct {
		Config struct {
			Cmd                        []string
			User, WorkingDir, Hostname string
			Image                      string
			Labels                     map[string]string
		}
		HostConfig struct {
			Init       *bool
			AutoRemove bool
			Mounts     []struct {
				Type, Source, Target string
				ReadOnly             bool
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		return nil, fmt.Errorf("docker inspect %s: %v", name, err)
	}
	c := got[0]
	project := dname[len("devenv-"+b.parent+"-"):]
	workspace := "/workspaces/" + project
	args := []string{"run", "-d", "--name", dname, "--hostname", project, "-u", c.Config.User, "-w", workspace}
	if c.HostConfig.AutoRemove {
		args = append(args, "--rm")
	}
	if c.HostConfig.Init != nil && *c.HostConfig.Init {
		args = append(args, "--init")
	}
	for k, v := range c.Config.Labels {
		if k == "devenv.project" {
			v = b.parent + "/" + project
		}
		args = append(args, "--label", k+"="+v)
	}
	for _, m := range c.HostConfig.Mounts {
		src, dst := m.Source, m.Target
		if strings.HasPrefix(dst, "/workspaces/") {
			src, dst = ddir, workspace
		}
		spec := "type=" + m.Type + ",src=" + src + ",dst=" + dst
		if m.ReadOnly {
			spec += ",readonly"
		}
		args = append(args, "--mount", spec)
	}
	args = append(args, "-p", "PORT", c.Config.Image)
	return append(args, c.Config.Cmd...), nil
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// sshProbe measures the time from its start until an SSH server greets on
// a port, to within about 100 ms. The engine's port proxy accepts
// connections before sshd listens, so only the banner counts.
type sshProbe struct {
	done chan time.Duration
}

func watchSSH(ctx context.Context, port int) *sshProbe {
	p := &sshProbe{done: make(chan time.Duration, 1)}
	start := time.Now()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	go func() {
		for time.Since(start) < 60*time.Second && ctx.Err() == nil {
			if conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
				// Short: a connection the proxy accepted before the
				// container's network was up may never answer.
				conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
				buf := make([]byte, 4)
				_, err := io.ReadFull(conn, buf)
				conn.Close()
				if err == nil && string(buf) == "SSH-" {
					p.done <- time.Since(start)
					return
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
		p.done <- -1
	}()
	return p
}

func (p *sshProbe) wait() time.Duration {
	d := <-p.done
	if d < 0 {
		fatalf("sshd never answered")
	}
	return d
}

// list measures `devenv list` against `docker ps` with growing numbers of
// running environments, and leaves the largest number running for the
// completion measurement.
func (b *bench) list(ctx context.Context) error {
	counts := slices.Sorted(slices.Values(b.cfg.envCounts))
	for _, k := range counts {
		if err := b.ensureEnvironments(ctx, k); err != nil {
			return err
		}
		running, err := b.eng.List(ctx)
		if err != nil {
			return err
		}
		logf("list: %d environments running (%d of this run); %d × devenv list, docker ps", len(running), k, b.cfg.n)
		dv, dk := b.alternate(ctx, b.cfg.n,
			func() time.Duration { d, _ := b.timeSteps(ctx, cmd(b.devenv, "list")); return d },
			func() time.Duration {
				d, _ := b.timeSteps(ctx, cmd(b.cfg.docker, "ps", "--filter", "label=devenv=true"))
				return d
			})
		r := row{op: fmt.Sprintf("`devenv list` vs `docker ps --filter label=devenv=true`, %d environment%s", len(running), plural(len(running))), devenv: dv, docker: dk}
		if k == 20 || k == 50 {
			r.ratio = 0.6
		}
		b.report.rows = append(b.report.rows, r)
	}
	return nil
}

// listNames are the environments the list measurement starts.
func (b *bench) listNames(k int) (dirs, names []string) {
	for i := 1; i <= k; i++ {
		dir, name := b.project(fmt.Sprintf("env%02d", i))
		dirs, names = append(dirs, dir), append(names, name)
	}
	return dirs, names
}

// ensureEnvironments starts this run's environments env01…envK that do
// not run yet, a few at a time.
func (b *bench) ensureEnvironments(ctx context.Context, k int) error {
	running, err := b.eng.List(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, c := range running {
		have[c.Name] = true
	}
	dirs, names := b.listNames(k)
	var todo []string
	for i, n := range names {
		if !have[n] {
			todo = append(todo, dirs[i])
		}
	}
	logf("starting %d environments", len(todo))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, dir := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			// Through the engine: no channel opens, so nothing of them is
			// busy while list is measured.
			b.timeSteps(ctx, step{argv: []string{b.devenv, "exec", dir, "--", "true"}, env: []string{"DEVENV_EXEC_PATH=engine"}})
		}()
	}
	wg.Wait()
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
