// Package doctor examines what devenv depends on: the engine and how it was
// chosen, devenv's images, the state directory and the ssh client. Each
// finding names its fix; a failing one blocks use.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/images"
	"devenv/internal/sshkeys"
)

// Status of a finding.
const (
	OK   = "ok"
	Warn = "warn" // works, but something deserves the user's attention
	Fail = "fail" // blocks use
)

// Finding is one check's verdict.
type Finding struct {
	Check  string `json:"check"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Engine is the engine in use and how it was chosen.
type Engine struct {
	Host     string             `json:"host"`
	Context  string             `json:"context,omitempty"`
	ChosenBy string             `json:"chosen_by"`
	Remote   bool               `json:"remote"`
	Info     *engine.EngineInfo `json:"info,omitempty"` // nil when it does not answer
}

// Report is everything devenv doctor says.
type Report struct {
	Engine   Engine    `json:"engine"`
	Findings []Finding `json:"findings"`
}

// Blocked reports whether a finding blocks use.
func (r Report) Blocked() bool {
	for _, f := range r.Findings {
		if f.Status == Fail {
			return true
		}
	}
	return false
}

// Inputs are what the checks look at.
type Inputs struct {
	Engine       engine.Options
	Getenv       func(string) string
	BuildContext fs.FS // the embedded build context, for the images' inputs
	// EngineSharesFiles is the user's engine_shares_files setting.
	EngineSharesFiles func() (bool, error)
}

// minAPI is the oldest Engine API devenv supports (Docker 20.10).
const minAPI = "1.41"

// Examine runs every check.
func Examine(ctx context.Context, in Inputs) Report {
	var r Report
	add := func(check, status, detail, fix string) {
		r.Findings = append(r.Findings, Finding{Check: check, Status: status, Detail: detail, Fix: fix})
	}
	eng := examineEngine(ctx, in, &r, add)
	if eng != nil {
		defer eng.Close()
		examineImages(ctx, in, eng, add)
		examineEnvironments(ctx, eng, add)
	}
	examineState(in, add)
	if _, err := exec.LookPath("ssh"); err != nil {
		add("ssh client", Warn, "no ssh on PATH: devenv ssh and the ssh-config hosts need it", "install OpenSSH's client (openssh-client)")
	} else {
		add("ssh client", OK, "ssh found", "")
	}
	return r
}

func examineEngine(ctx context.Context, in Inputs, r *Report, add func(check, status, detail, fix string)) *engine.Client {
	ep, err := engine.Resolve(in.Engine)
	if err != nil {
		add("engine", Fail, err.Error(), "")
		return nil
	}
	eng, err := engine.Connect(ctx, in.Engine)
	if eng != nil {
		ep = eng.Endpoint() // the Podman fallback may have moved it
	}
	r.Engine = Engine{Host: ep.Host, Context: ep.Context, ChosenBy: ep.Source, Remote: ep.Remote()}
	if err != nil {
		add("engine", Fail, err.Error(), "")
		return nil
	}
	info, err := eng.Info(ctx)
	if err != nil {
		add("engine", Fail, err.Error(), "")
		eng.Close()
		return nil
	}
	r.Engine.Info = &info
	mode, where := "rootful", "local"
	if info.Rootless {
		mode = "rootless"
	}
	if ep.Remote() {
		where = "remote"
	}
	add("engine", OK, fmt.Sprintf("%s (%s): %s %s, API %s (devenv speaks %s), %s, %s, %s",
		ep.Describe(), ep.Source, info.Product, info.Version, info.APIVersion, info.ClientAPI, orUnknown(info.OS), mode, where), "")
	if olderAPI(info.APIVersion, minAPI) {
		add("engine API", Fail, "API "+info.APIVersion+" is older than devenv supports ("+minAPI+", Docker 20.10)", "upgrade the engine")
	}
	if ep.Remote() {
		shares := false
		if in.EngineSharesFiles != nil {
			if shares, err = in.EngineSharesFiles(); err != nil {
				add("settings", Fail, err.Error(), "")
			}
		}
		if shares {
			add("remote engine", OK, "remote, and engine_shares_files = true says it sees this host's paths", "")
		} else {
			add("remote engine", Warn, "remote: it cannot mount this machine's project directories",
				"run devenv on the engine's machine, or set engine_shares_files = true if it sees this host's paths")
		}
	}
	return eng
}

func examineImages(ctx context.Context, in Inputs, eng *engine.Client, add func(check, status, detail, fix string)) {
	base := images.BaseRepo + ":latest"
	if plan, err := images.BasePlan(in.BuildContext); err == nil {
		label, err := eng.ImageLabel(ctx, base, images.InputsLabel)
		switch {
		case errors.Is(err, engine.ErrNotFound):
			add("image "+base, Warn, "not built yet: the first start builds it (minutes)", "build it now with devenv build")
		case err != nil:
			add("image "+base, Fail, err.Error(), "")
		case label != plan.Inputs:
			add("image "+base, Warn, "stale: built from other Dockerfiles than this devenv's", "rebuild with devenv build")
		default:
			add("image "+base, OK, "built from this devenv's Dockerfiles", "")
		}
	}
	ref := in.Getenv("DEVENV_IMAGE")
	own := ref == ""
	if own {
		ref = images.DevenvRepo + ":latest"
	}
	ok, err := eng.ImageExists(ctx, ref)
	switch {
	case err != nil:
		add("image "+ref, Fail, err.Error(), "")
	case ok:
		add("image "+ref, OK, "present", "")
	case own:
		add("image "+ref, Warn, "not built yet: the first start builds it (minutes)", "build it now with devenv build")
	default:
		add("image "+ref, Fail, "DEVENV_IMAGE names an image the engine does not have", "build or pull it, or unset DEVENV_IMAGE")
	}
}

func examineEnvironments(ctx context.Context, eng *engine.Client, add func(check, status, detail, fix string)) {
	running, err := eng.List(ctx)
	if err != nil {
		add("environments", Fail, err.Error(), "")
		return
	}
	staleness := environment.NewStaleness(eng)
	var stale []string
	for _, ct := range running {
		if s, err := staleness.Stale(ctx, ct); err == nil && s {
			stale = append(stale, ct.Name)
		}
	}
	if len(stale) > 0 {
		add("environments", Warn, fmt.Sprintf("%d running, stale (their image was rebuilt): %s", len(running), strings.Join(stale, ", ")),
			"stop and start them to use the new image: devenv stop NAME")
		return
	}
	add("environments", OK, fmt.Sprintf("%d running, none stale", len(running)), "")
}

// examineState checks devenv's SSH state directory: private keys live
// there, so only the user may enter it.
func examineState(in Inputs, add func(check, status, detail, fix string)) {
	store, err := sshkeys.Open(in.Getenv)
	if err != nil {
		add("state directory", Fail, err.Error(), "")
		return
	}
	dir := store.Dir()
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		add("state directory", OK, dir+": created on first use", "")
		return
	case err != nil:
		add("state directory", Fail, err.Error(), "")
		return
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		add("state directory", Warn, fmt.Sprintf("%s is mode %04o: others may look into devenv's SSH keys and known hosts", dir, perm), "chmod 700 "+dir)
		return
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		add("state directory", Fail, fmt.Sprintf("%s belongs to user %d, not you", dir, st.Uid), "remove it, or set XDG_STATE_HOME to a directory of yours")
		return
	}
	add("state directory", OK, dir+": private (0700)", "")
}

// olderAPI reports whether API version a is older than b ("1.41").
func olderAPI(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown OS"
	}
	return s
}
