package shell

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"devenv/internal/engine"
	"devenv/internal/testimage"
)

// BenchmarkPromptHook measures what the hook of `devenv init` costs a
// prompt, inside one shell process, next to `direnv export zsh` (what
// direnv's hook runs at every prompt) measured in the same run:
//
//	go test ./shell -run '^$' -bench PromptHook -benchtime 200x
//
// ns/prompt is the figure to read. "unchanged" is a prompt in the same
// project directory; "cd" alternates between two projects whose
// environments run (the state answers most of them; every 3 s the engine
// is asked); "cd+engine" asks the engine each time, as after a devenv
// command. It starts two environments from devenv-test:latest and stops
// them, and only them, at the end.
func BenchmarkPromptHook(b *testing.B) {
	f := hookFixture(b)
	for _, c := range []struct{ name, shell, loop string }{
		{"zsh/unchanged", "zsh", `for f in $precmd_functions; do $f; done`},
		{"zsh/cd", "zsh", `if (( i % 2 )); then cd $P1; else cd $P2; fi; for f in $precmd_functions; do $f; done`},
		{"zsh/cd+engine", "zsh", `if (( i % 2 )); then cd $P1; else cd $P2; fi; __devenv_force=1; for f in $precmd_functions; do $f; done`},
		{"bash/unchanged", "bash", `__devenv_hook`},
		{"bash/cd", "bash", `if (( i % 2 )); then cd $P1; else cd $P2; fi; __devenv_hook`},
		{"direnv-export-zsh/unchanged", "direnv", `eval "$(direnv export zsh)"`},
		{"direnv-export-zsh/cd", "direnv", `if (( i % 2 )); then cd $P1; else cd $P2; fi; eval "$(direnv export zsh)"`},
	} {
		b.Run(c.name, func(b *testing.B) {
			shell, setup := c.shell, `eval "$(devenv init `+c.shell+`)"`
			if shell == "direnv" {
				if _, err := exec.LookPath("direnv"); err != nil {
					b.Skip("direnv is not installed (apt-get install direnv)")
				}
				shell, setup = "zsh", ""
			}
			if _, err := exec.LookPath(shell); err != nil {
				b.Skipf("%s is not installed", shell)
			}
			clock := `$EPOCHREALTIME`
			if shell == "zsh" {
				setup = "zmodload zsh/datetime\n" + setup
			}
			script := fmt.Sprintf(`%s
cd $P1
%s
%s
start=%s
for ((i = 0; i < N; i++)); do %s; done
end=%s
echo "$start $end ${DEVENV_NAME:-none}"
`, setup, c.loop, c.loop, clock, c.loop, clock)
			cmd := exec.Command(shell, "-c", script)
			cmd.Env = append(f.env, "N="+strconv.Itoa(b.N))
			b.ResetTimer()
			out, err := cmd.CombinedOutput()
			b.StopTimer()
			if err != nil {
				b.Fatalf("%s: %v\n%s", shell, err, out)
			}
			fields := strings.Fields(string(out))
			if len(fields) < 3 {
				b.Fatalf("%s printed %q", shell, out)
			}
			start, err1 := strconv.ParseFloat(fields[len(fields)-3], 64)
			end, err2 := strconv.ParseFloat(fields[len(fields)-2], 64)
			if err1 != nil || err2 != nil {
				b.Fatalf("%s printed %q", shell, out)
			}
			if c.shell != "direnv" && fields[len(fields)-1] == "none" {
				b.Errorf("DEVENV_NAME stayed empty in a project whose environment runs")
			}
			b.ReportMetric((end-start)*1e9/float64(b.N), "ns/prompt")
		})
	}
}

type fixture struct{ env []string }

var (
	fixtureOnce sync.Once
	shared      fixture
	fixtureErr  error
	fixtureSkip string
)

// hookFixture builds devenv and starts the two environments, once.
func hookFixture(b *testing.B) fixture {
	fixtureOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		eng, err := engine.Connect(ctx, engine.Options{})
		if err != nil {
			fixtureSkip = "needs a Docker engine: " + err.Error()
			return
		}
		defer eng.Close()
		if _, fixtureErr = testimage.Ensure(ctx, eng, "../Dockerfile.base"); fixtureErr != nil {
			return
		}
		root, err := os.MkdirTemp("", "devenv-hookbench")
		if fixtureErr = err; err != nil {
			return
		}
		suffix := make([]byte, 3)
		rand.Read(suffix)
		parent := filepath.Join(root, "hookbench"+hex.EncodeToString(suffix))
		p1, p2, home, bin := filepath.Join(parent, "one"), filepath.Join(parent, "two"), filepath.Join(root, "home"), filepath.Join(root, "bin")
		for _, d := range []string{p1, p2, home, bin} {
			if fixtureErr = os.MkdirAll(d, 0o755); fixtureErr != nil {
				return
			}
		}
		if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
			fixtureErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		shared.env = []string{
			"HOME=" + home, "PATH=" + bin + ":" + os.Getenv("PATH"), "LC_ALL=C.UTF-8",
			"DEVENV_IMAGE=" + testimage.Ref, "P1=" + p1, "P2=" + p2,
		}
		for _, k := range []string{"DOCKER_HOST", "DOCKER_API_VERSION", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"} {
			if v, ok := os.LookupEnv(k); ok {
				shared.env = append(shared.env, k+"="+v)
			}
		}
		for _, p := range []string{p1, p2} {
			cmd := exec.Command(filepath.Join(bin, "devenv"), "exec", p, "--", "true")
			cmd.Env = shared.env
			if out, err := cmd.CombinedOutput(); err != nil {
				fixtureErr = fmt.Errorf("devenv exec %s: %v\n%s", p, err, out)
				break
			}
			stopAtExit = append(stopAtExit, func() {
				cmd := exec.Command(filepath.Join(bin, "devenv"), "stop", p)
				cmd.Env = shared.env
				cmd.Run()
			})
		}
		stopAtExit = append(stopAtExit, func() { os.RemoveAll(root) })
	})
	if fixtureSkip != "" {
		b.Skip(fixtureSkip)
	}
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return shared
}

// stopAtExit undoes the fixture once every benchmark has run.
var stopAtExit []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range stopAtExit {
		f()
	}
	os.Exit(code)
}
