package images

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"devenv/internal/engine"
)

// Options are how a build runs and reports.
type Options struct {
	NoCache, Pull bool
	Out           io.Writer // progress or the full log
	Live          bool      // a terminal: one live line per step instead of the log
}

// Build builds plan's image and tags it :<timestamp> and :latest. A failed
// build leaves the previous :latest in place (the builder tags only on
// success) and names the failing step with its last output lines.
func Build(ctx context.Context, eng *engine.Client, plan Plan, opts Options) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeContext(pw, plan)) }()
	dockerfile := "Dockerfile"
	if plan.DockerfileIn != "" {
		dockerfile = plan.DockerfileIn
	}
	view := newProgress(opts.Out, opts.Live, plan.Latest())
	labels := map[string]string{}
	for k, v := range plan.Labels {
		labels[k] = v
	}
	labels[engine.DevenvLabel], labels[InputsLabel] = "true", plan.Inputs
	// Debian tools' versions are known only once apt has installed them:
	// such an image is built untagged, asked, and tagged by a second build
	// that only adds their labels (see labelDebianVersions).
	debian := debianPackages(plan.Tools)
	tags := plan.Tags(time.Now())
	if len(debian) > 0 {
		tags = nil
	}
	id, err := eng.Build(ctx, engine.BuildSpec{
		Context:    pr,
		Dockerfile: dockerfile,
		Tags:       tags,
		Args:       plan.Args,
		Labels:     labels,
		Target:     plan.Target,
		NoCache:    opts.NoCache,
		Pull:       opts.Pull,
	}, view.event)
	pr.Close()
	if err := view.finish(err); err != nil || len(debian) == 0 {
		return err
	}
	return labelDebianVersions(ctx, eng, plan, id, debian, labels, opts)
}

// debianPackages maps each Debian tool to the package whose version it
// reports: the first of its source (cargo for debian:cargo,rustc).
func debianPackages(tools []Tool) map[string]string {
	pkgs := map[string]string{}
	for _, t := range tools {
		if t.Ecosystem() == "debian" {
			pkg, _, _ := strings.Cut(t.Package(), ",")
			pkgs[t.Name] = pkg
		}
	}
	return pkgs
}

// labelDebianVersions asks dpkg in the built image (a throwaway container,
// no network) which versions apt installed, then tags the image through a
// build of just "FROM <id>" with those labels added. If dpkg cannot be
// asked the image is tagged without them, and says so.
func labelDebianVersions(ctx context.Context, eng *engine.Client, plan Plan, id string, pkgs map[string]string, labels map[string]string, opts Options) error {
	cmd := []string{"dpkg-query", "-W", "-f=${Package}\t${Version}\n"}
	for _, name := range sortedNames(pkgs) {
		cmd = append(cmd, pkgs[name])
	}
	out, _, err := eng.RunOutput(ctx, id, cmd) // exit 1 when a package is missing: the rest are printed
	if err != nil {
		fmt.Fprintf(opts.Out, "devenv: %s gets no Debian version labels: %v\n", plan.Latest(), err)
	}
	installed := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if pkg, version, ok := strings.Cut(line, "\t"); ok && version != "" {
			installed[pkg] = version
		}
	}
	for name, pkg := range pkgs {
		if v := installed[pkg]; v != "" {
			labels[ToolLabelPrefix+name] = v
		}
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeContext(pw, Plan{Dockerfile: []byte("FROM " + id + "\n")})) }()
	view := newProgress(opts.Out, opts.Live, plan.Latest())
	_, err = eng.Build(ctx, engine.BuildSpec{Context: pr, Dockerfile: "Dockerfile", Tags: plan.Tags(time.Now()), Labels: labels}, view.event)
	pr.Close()
	return view.finish(err)
}

func writeContext(w io.Writer, plan Plan) error {
	if plan.ContextDir != "" {
		return writeContextDir(w, plan.ContextDir)
	}
	tw := tar.NewWriter(w)
	epoch := time.Unix(0, 0)
	if err := tw.WriteHeader(&tar.Header{Name: CAContextDir + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch}); err != nil {
		return err
	}
	files := map[string][]byte{"Dockerfile": plan.Dockerfile}
	for name, data := range plan.Files {
		files[name] = data
	}
	for _, name := range sortedKeys(files) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), ModTime: epoch}); err != nil {
			return err
		}
		if _, err := tw.Write(files[name]); err != nil {
			return err
		}
	}
	return tw.Close()
}

// progress shows a build: on a terminal one line per step that counts its
// seconds, elsewhere the builder's full output.
type progress struct {
	out   io.Writer
	live  bool
	image string

	mu        sync.Mutex
	step      string // "Step 3/9 : RUN …"
	stepStart time.Time
	tail      []string // the last lines of output, for a failure
	stop      chan struct{}
	done      sync.WaitGroup
	partial   string
}

const tailLines = 15

func newProgress(out io.Writer, live bool, image string) *progress {
	p := &progress{out: out, live: live, image: image, stop: make(chan struct{})}
	if live {
		p.done.Add(1)
		go p.tick()
	}
	return p
}

func (p *progress) event(e engine.BuildEvent) {
	if e.Stream == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.live {
		io.WriteString(p.out, e.Stream)
	}
	text := p.partial + e.Stream
	lines := strings.Split(text, "\n")
	p.partial = lines[len(lines)-1]
	for _, line := range lines[:len(lines)-1] {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "Step ") {
			if p.live && p.step != "" {
				p.drawLocked("done")
			}
			p.step, p.stepStart, p.tail = line, time.Now(), nil
			continue
		}
		p.tail = append(p.tail, line)
		if len(p.tail) > tailLines {
			p.tail = p.tail[1:]
		}
	}
}

func (p *progress) tick() {
	defer p.done.Done()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.step != "" {
				p.drawLocked("")
			}
			p.mu.Unlock()
		}
	}
}

// drawLocked redraws the current step's line; a final state ends it.
func (p *progress) drawLocked(final string) {
	elapsed := time.Since(p.stepStart).Truncate(100 * time.Millisecond)
	line := strings.TrimPrefix(p.step, "Step ")
	if len(line) > 68 {
		line = line[:67] + "…"
	}
	fmt.Fprintf(p.out, "\r\x1b[K  %s  %.1fs", line, elapsed.Seconds())
	if final != "" {
		if final != "done" {
			fmt.Fprintf(p.out, "  %s", final)
		}
		fmt.Fprint(p.out, "\n")
	}
}

func (p *progress) finish(err error) error {
	if p.live {
		close(p.stop)
		p.done.Wait()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		if p.live && p.step != "" {
			p.drawLocked("done")
		}
		return nil
	}
	if p.live && p.step != "" {
		p.drawLocked("failed")
	}
	if p.partial != "" {
		p.tail = append(p.tail, p.partial)
	}
	if p.live && len(p.tail) > 0 {
		var b bytes.Buffer
		for _, l := range p.tail {
			fmt.Fprintf(&b, "    %s\n", l)
		}
		p.out.Write(b.Bytes())
	}
	var buildErr *engine.BuildError
	if p.step == "" || !errors.As(err, &buildErr) {
		return fmt.Errorf("building %s: %w", p.image, err)
	}
	number, instruction, _ := strings.Cut(strings.TrimPrefix(p.step, "Step "), " : ")
	return fmt.Errorf("building %s failed at step %s (%s): %s; the previous %s is unchanged",
		p.image, number, instruction, buildErr.Message, p.image)
}
