package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// complete measures `devenv stop <TAB>` the way the snippet of `devenv
// init bash` asks for it: the binary with COMP_LINE and COMP_POINT in its
// environment. It needs the most environments the list measurement started.
func (b *bench) complete(ctx context.Context) error {
	k := slices.Max(b.cfg.envCounts)
	if err := b.ensureEnvironments(ctx, k); err != nil {
		return err
	}
	_, names := b.listNames(k)
	line := "devenv stop "
	s := step{argv: []string{b.devenv}, env: []string{"COMP_LINE=" + line, "COMP_POINT=" + strconv.Itoa(len(line))}}
	op := fmt.Sprintf("completion of `devenv stop <TAB>`, %d environments", k)

	out, err := b.output(ctx, s)
	if err != nil || !strings.Contains(out, names[0]) || !strings.Contains(out, names[len(names)-1]) {
		logf("complete: not available (the environments' names were not offered)")
		b.report.rows = append(b.report.rows, row{op: op, unavailable: "not available: `devenv` did not offer the environments' names"})
		return nil
	}
	logf("complete: %d × COMP_LINE=%q devenv", b.cfg.n, line)
	var dv sample
	b.timeSteps(ctx, s)
	for i := 0; i < b.cfg.n; i++ {
		d, _ := b.timeSteps(ctx, s)
		dv = append(dv, d)
	}
	b.report.rows = append(b.report.rows, row{op: op, devenv: dv, limit: 50 * time.Millisecond})
	return nil
}

// prompt measures the bash hook `devenv init bash` installs, per prompt,
// inside one bash process: first with the directory unchanged, then
// alternating between two projects whose environments run.
func (b *bench) prompt(ctx context.Context) error {
	opSame, opCd := "prompt hook (bash), unchanged directory", "prompt hook (bash), after `cd` to another project"
	snippet, err := b.output(ctx, step{argv: []string{b.devenv, "init", "bash"}})
	if err != nil || strings.TrimSpace(snippet) == "" {
		logf("prompt: not available (`devenv init bash` failed)")
		why := "not available: `devenv init bash` failed"
		b.report.rows = append(b.report.rows, row{op: opSame, unavailable: why}, row{op: opCd, unavailable: why})
		return nil
	}
	if err := b.ensureEnvironments(ctx, 2); err != nil {
		return err
	}
	dirs, _ := b.listNames(2)
	script := `
eval "$("$DEVENV_BIN" init bash)" || exit 3
hook() { local c; for c in "${PROMPT_COMMAND[@]}"; do eval "$c"; done; }
cd "$P1"; hook; hook
for ((i = 0; i < N; i++)); do s=$EPOCHREALTIME; hook; e=$EPOCHREALTIME; echo "same $s $e ${DEVENV_NAME:-none}"; done
for ((i = 0; i < N; i++)); do
  if ((i % 2 == 0)); then cd "$P2"; else cd "$P1"; fi
  s=$EPOCHREALTIME; hook; e=$EPOCHREALTIME; echo "cd $s $e ${DEVENV_NAME:-none}"
done
`
	logf("prompt: %d prompts unchanged, %d after cd", b.cfg.n, b.cfg.n)
	out, err := b.output(ctx, step{argv: []string{"bash", "--norc", "--noprofile", "-c", script},
		env: []string{"DEVENV_BIN=" + b.devenv, "P1=" + dirs[0], "P2=" + dirs[1], "N=" + strconv.Itoa(b.cfg.n), "LC_ALL=C"}})
	if err != nil {
		return fmt.Errorf("bash: %v\n%s", err, out)
	}
	var same, cd sample
	named := true
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || f[0] != "same" && f[0] != "cd" {
			continue
		}
		s, err1 := strconv.ParseFloat(f[1], 64)
		e, err2 := strconv.ParseFloat(f[2], 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bash printed %q", line)
		}
		d := time.Duration((e - s) * float64(time.Second))
		if f[0] == "same" {
			same = append(same, d)
		} else {
			cd = append(cd, d)
		}
		named = named && f[3] != "none"
	}
	note := ""
	if !named {
		note = "DEVENV_NAME stayed empty in a project whose environment runs"
	}
	b.report.rows = append(b.report.rows, row{op: opSame, devenv: same, note: note}, row{op: opCd, devenv: cd, note: note})
	return nil
}

// output runs one step and returns its stdout.
func (b *bench) output(ctx context.Context, s step) (string, error) {
	c := exec.CommandContext(ctx, s.argv[0], s.argv[1:]...)
	c.Env = append(slices.Clip(b.env), s.env...)
	var out bytes.Buffer
	c.Stdout = &out
	err := c.Run()
	return out.String(), err
}
