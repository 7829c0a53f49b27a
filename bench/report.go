package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// row is one operation: devenv's sample, the docker CLI's when there is an
// equivalent, and the target, as a ratio or as an absolute limit.
type row struct {
	op             string
	devenv, docker sample
	ratio          float64       // target devenv/docker; 0: none
	limit          time.Duration // target for devenv alone; 0: none
	note           string
	unavailable    string // why it could not be measured
}

type report struct {
	command, date, cpu, memory, kernel, engine, client, goVersion, host string
	cores                                                               int
	rows, reference                                                     []row
	skipped, notes                                                      []string
	duration                                                            time.Duration
	n, coldN                                                            int
}

func (r row) cells() (devenv, docker, ratio, target, verdict string) {
	devenv, docker, ratio, target, verdict = "–", "–", "–", "–", ""
	if r.unavailable != "" {
		return devenv, docker, ratio, target, r.unavailable
	}
	if len(r.devenv) > 0 {
		devenv = ms(r.devenv.median())
	}
	var got float64
	if len(r.docker) > 0 {
		docker = ms(r.docker.median())
		got = float64(r.devenv.median()) / float64(r.docker.median())
		ratio = fmt.Sprintf("%.2f×", got)
	}
	switch {
	case r.ratio > 0:
		target = fmt.Sprintf("≤ %g×", r.ratio)
		verdict = "met"
		if got > r.ratio {
			verdict = "**missed**"
		}
	case r.limit > 0:
		target = "< " + ms(r.limit)
		verdict = "met"
		if r.devenv.median() >= r.limit {
			verdict = "**missed**"
		}
	}
	if r.note != "" {
		verdict = strings.TrimSpace(verdict + " " + r.note)
	}
	return devenv, docker, ratio, target, verdict
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Produced by `%s` on %s, in %s.\n\n", strings.TrimSpace(r.command), r.date, r.duration.Round(time.Second))
	fmt.Fprintf(&b, "- Machine: %s, %d cores, %s memory, %s\n", r.cpu, r.cores, r.memory, r.kernel)
	fmt.Fprintf(&b, "- Engine: Docker %s at %s; docker CLI %s\n", r.engine, r.host, r.client)
	fmt.Fprintf(&b, "- devenv built with %s\n", r.goVersion)
	fmt.Fprintf(&b, "- Medians of %d runs per side (cold start: %d), devenv and docker alternating\n\n", r.n, r.coldN)
	table := func(rows []row) {
		b.WriteString("| operation | devenv | docker CLI | ratio | target | |\n|---|---:|---:|---:|---|---|\n")
		for _, row := range rows {
			d, k, ratio, target, verdict := row.cells()
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", row.op, d, k, ratio, target, verdict)
		}
	}
	table(r.rows)
	if len(r.reference) > 0 {
		b.WriteString("\nFor reference, where the time goes:\n\n")
		table(r.reference)
	}
	for _, note := range r.notes {
		fmt.Fprintf(&b, "\n%s\n", note)
	}
	if len(r.skipped) > 0 {
		fmt.Fprintf(&b, "\nNot run: %s.\n", strings.Join(r.skipped, ", "))
	}
	return b.String()
}

const (
	beginMarker = "<!-- bench:begin (written by go run ./bench -write) -->"
	endMarker   = "<!-- bench:end -->"
)

// writePerformanceDoc puts text between the markers of path, keeping what
// stands around them; a missing file is created with the markers alone.
func writePerformanceDoc(path, text string) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		old = []byte("# Performance\n\n" + beginMarker + "\n" + endMarker + "\n")
	} else if err != nil {
		return err
	}
	s := string(old)
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %q … %q section to replace", path, beginMarker, endMarker)
	}
	s = s[:i+len(beginMarker)] + "\n" + text + s[j:]
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
