// Command bench measures devenv against the docker CLI on one engine in one
// run: each devenv operation alternates with its docker CLI equivalent, and
// the report gives medians and the devenv/docker ratio next to the target.
//
// Run it from the repository root:
//
//	go run ./bench            # report on stdout
//	go run ./bench -write     # and into docs/performance.md
//
// It builds devenv into a temporary directory, starts environments from
// devenv-test:latest (built from Dockerfile.base when missing) for projects
// under a temporary directory, and removes every container it started, and
// only those: their names all begin with the run's own prefix.
// docs/performance.md says what each figure means.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"devenv/internal/engine"
	"devenv/internal/testimage"
)

// steps are the measurements, in report order; -only picks some. list
// leaves the most environments running, for complete and prompt.
var steps = []struct {
	group string
	run   func(*bench, context.Context) error
}{
	{"startup", (*bench).startup},
	{"attach", (*bench).attach},
	{"cold", (*bench).cold},
	{"list", (*bench).list},
	{"complete", (*bench).complete},
	{"prompt", (*bench).prompt},
}

type config struct {
	n, coldN   int
	envCounts  []int
	image      string
	docker     string
	only       map[string]bool
	write      bool
	commandRun string
}

func main() {
	var cfg config
	var envs, only string
	flag.IntVar(&cfg.n, "n", 21, "iterations of each quick measurement (per side)")
	flag.IntVar(&cfg.coldN, "cold", 7, "iterations of the cold start (per side)")
	flag.StringVar(&envs, "envs", "1,20,50", "running environment counts for list (the largest is also used for completion)")
	flag.StringVar(&cfg.image, "image", testimage.Ref, "image environments start from (DEVENV_IMAGE)")
	flag.StringVar(&cfg.docker, "docker", "docker", "docker CLI to compare with")
	flag.StringVar(&only, "only", "", "comma-separated groups to run (default: all): "+groupNames())
	flag.BoolVar(&cfg.write, "write", false, "also write the report into docs/performance.md")
	flag.Parse()
	cfg.commandRun = "go run ./bench " + strings.Join(os.Args[1:], " ")
	for _, f := range strings.Split(envs, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			fatalf("bad -envs %q", envs)
		}
		cfg.envCounts = append(cfg.envCounts, k)
	}
	cfg.only = map[string]bool{}
	for _, s := range steps {
		cfg.only[s.group] = only == ""
	}
	if only != "" {
		for _, name := range strings.Split(only, ",") {
			if _, ok := cfg.only[name]; !ok {
				fatalf("unknown group %q: %s", name, groupNames())
			}
			cfg.only[name] = true
		}
	}
	if err := run(cfg); err != nil {
		fatalf("%v", err)
	}
}

func groupNames() string {
	var names []string
	for _, s := range steps {
		names = append(names, s.group)
	}
	return strings.Join(names, ",")
}

// atExit removes the run's containers when a measurement fails.
var atExit = func() {}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	atExit()
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench %s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// bench is one run: its tools, its directories and what it measured.
type bench struct {
	cfg    config
	dir    string // temporary; projects live in dir/<parent>/
	parent string // bench-XXXX: every container name starts with devenv-<parent>-
	devenv string // the binary under test, built with CGO_ENABLED=0
	// devenvCgo is the same built with cgo, for the start-up reference.
	devenvCgo string
	env       []string
	home      string // the HOME every command gets; devenv's state is under it
	eng       *engine.Client
	started   time.Time
	report    report
}

func run(cfg config) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the repository root: go run ./bench")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tmp, err := os.MkdirTemp("", "devenv-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	suffix := make([]byte, 2)
	rand.Read(suffix)
	b := &bench{cfg: cfg, dir: tmp, parent: "bench-" + hex.EncodeToString(suffix), started: time.Now()}
	b.report.command, b.report.n, b.report.coldN = cfg.commandRun, cfg.n, cfg.coldN

	// The binary as the README's install line makes it (static, no cgo),
	// and as a plain `go build` makes it where a C compiler is found, to
	// show what the dynamic loader costs at start-up.
	logf("building devenv")
	b.devenv = filepath.Join(tmp, "bin", "devenv")
	b.devenvCgo = filepath.Join(tmp, "bin-cgo", "devenv")
	for _, build := range []struct{ out, cgo string }{{b.devenv, "0"}, {b.devenvCgo, "1"}} {
		if out, err := runOut(ctx, append(os.Environ(), "CGO_ENABLED="+build.cgo), "go", "build", "-o", build.out, "."); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	home := filepath.Join(tmp, "home")
	b.home = home
	if err := os.MkdirAll(filepath.Join(tmp, b.parent), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	// One environment for both sides: an empty HOME (no configuration to
	// mount, no docker CLI config), the test image, nothing built on the fly.
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "DEVENV_IMAGE", "DEVENV_NO_BUILD", "DEVENV_SSH_PORT", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "DOCKER_CONFIG":
			continue
		}
		b.env = append(b.env, kv)
	}
	b.env = append(b.env, "HOME="+home, "DEVENV_IMAGE="+cfg.image, "DEVENV_NO_BUILD=1")

	b.eng, err = engine.Connect(ctx, engine.Options{})
	if err != nil {
		return err
	}
	defer b.eng.Close()
	if cfg.image == testimage.Ref {
		logf("making sure %s is built", cfg.image)
		if _, err := testimage.Ensure(ctx, b.eng, "Dockerfile.base"); err != nil {
			return fmt.Errorf("build %s: %w", cfg.image, err)
		}
	}
	b.describeMachine(ctx)
	atExit = func() { b.cleanup(); os.RemoveAll(tmp) }
	defer b.cleanup()

	for _, s := range steps {
		if !cfg.only[s.group] {
			b.report.skipped = append(b.report.skipped, s.group)
			continue
		}
		if err := s.run(b, ctx); err != nil {
			return fmt.Errorf("%s: %w", s.group, err)
		}
	}
	b.report.duration = time.Since(b.started)

	text := b.report.markdown()
	fmt.Print(text)
	if cfg.write {
		if err := writePerformanceDoc("docs/performance.md", text); err != nil {
			return err
		}
		logf("wrote docs/performance.md")
	}
	return nil
}

// cleanup removes every container of this run, found by its name prefix,
// whatever state the run ended in.
func (b *bench) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prefix := "devenv-" + b.parent + "-"
	out, err := runOut(ctx, b.env, b.cfg.docker, "ps", "-a", "--filter", "name=^"+prefix, "--format", "{{.Names}}")
	if err != nil {
		logf("cleanup: %v", err)
		return
	}
	var names []string
	for _, n := range strings.Fields(out) {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return
	}
	logf("removing %d containers of this run", len(names))
	for len(names) > 0 {
		batch := names[:min(len(names), 20)]
		names = names[len(batch):]
		if out, err := runOut(ctx, b.env, b.cfg.docker, append([]string{"rm", "-f"}, batch...)...); err != nil {
			logf("cleanup: %v: %s", err, out)
		}
	}
}

// project makes a project directory of this run and returns its path and
// the name of its environment.
func (b *bench) project(name string) (dir, container string) {
	dir = filepath.Join(b.dir, b.parent, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fatalf("%v", err)
	}
	return dir, "devenv-" + b.parent + "-" + name
}

func (b *bench) describeMachine(ctx context.Context) {
	r := &b.report
	r.date = time.Now().UTC().Format("2006-01-02 15:04 MST")
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				r.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	r.cores = runtime.NumCPU()
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(data), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		r.memory = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
	}
	if out, err := runOut(ctx, nil, "uname", "-sr"); err == nil {
		r.kernel = strings.TrimSpace(out)
	}
	if out, err := runOut(ctx, b.env, b.cfg.docker, "version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}}, {{.Server.Os}}/{{.Server.Arch}})|{{.Client.Version}}"); err == nil {
		server, client, _ := strings.Cut(strings.TrimSpace(out), "|")
		r.engine, r.client = server, client
	}
	if out, err := runOut(ctx, nil, "go", "version"); err == nil {
		r.goVersion = strings.TrimSpace(strings.TrimPrefix(out, "go version "))
	}
	r.host = b.eng.Host()
}
