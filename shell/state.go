package shell

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"devenv/internal/project"
)

// The prompt's windows. Within Refresh of the last engine answer, a project
// directory's status is taken from that answer; past it the engine is asked
// again. A directory that belongs to no environment known to the last answer
// (and holds no .devenv/Dockerfile) is answered from it for Discover: an
// environment started there from another terminal shows within that time.
const (
	Refresh  = 3 * time.Second
	Discover = 30 * time.Second
)

// Statuses of a directory.
const (
	Running = "running"
	Stopped = "stopped"
)

// Workspace is an environment the prompt knows of.
type Workspace struct {
	Path    string // the project directory on the host
	Name    string // the container's name
	Port    int    // the published SSH port, 0 when none
	Running bool
}

// State is what the hook keeps between prompts, in a shell variable: the
// environments seen by this shell (running or not any more) and when the
// engine last answered or failed to.
type State struct {
	Checked time.Time
	Failed  time.Time
	Known   []Workspace
}

// maxStopped bounds how many environments that stopped a state remembers.
const maxStopped = 32

const stateVersion = "1"

// Encode writes the state as one word of printable text.
func (s State) Encode() string {
	parts := []string{stateVersion, unix(s.Checked), unix(s.Failed)}
	for _, w := range s.Known {
		flag := "s"
		if w.Running {
			flag = "r"
		}
		parts = append(parts, escape(w.Path)+","+escape(w.Name)+","+strconv.Itoa(w.Port)+","+flag)
	}
	return strings.Join(parts, " ")
}

// ParseState reads what Encode wrote; anything else is the empty state.
func ParseState(text string) State {
	parts := strings.Fields(text)
	if len(parts) < 3 || parts[0] != stateVersion {
		return State{}
	}
	s := State{Checked: fromUnix(parts[1]), Failed: fromUnix(parts[2])}
	for _, p := range parts[3:] {
		f := strings.Split(p, ",")
		if len(f) != 4 {
			return State{}
		}
		port, _ := strconv.Atoi(f[2])
		s.Known = append(s.Known, Workspace{Path: unescape(f[0]), Name: unescape(f[1]), Port: port, Running: f[3] == "r"})
	}
	return s
}

func unix(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.Unix(), 10)
}

func fromUnix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

// escape hides the state's separators (space, comma) and anything a shell
// could stumble on; '/' and the usual name characters stay readable.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == ',' || c <= ' ' || c >= 0x7f || strings.IndexByte(`"'\$`+"`", c) >= 0 {
			b.WriteString("%" + strconv.FormatUint(uint64(c)>>4, 16) + strconv.FormatUint(uint64(c)&15, 16))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Answer is what the prompt shows for a directory.
type Answer struct {
	Name   string // the environment's name; "" when the directory has none
	Status string // Running, Stopped or ""
	Port   int    // the SSH port of a running environment, 0 when none
	// TTL is how long the hook may keep this answer for the same directory
	// before it asks again.
	TTL time.Duration
}

// Segment is the ready-made prompt segment: "⬢ local-api" for a running
// environment, "⬡ local-api" for one that is stopped, "" otherwise.
func (a Answer) Segment() string {
	short := strings.TrimPrefix(a.Name, "devenv-")
	switch a.Status {
	case Running:
		return "⬢ " + short
	case Stopped:
		return "⬡ " + short
	}
	return ""
}

// Lister asks the engine for the running environments.
type Lister func(ctx context.Context) ([]Workspace, error)

// Resolve answers for the directory dir (canonical) from the state, asking
// the engine through list only when the state is too old for dir, or when
// force says something just changed. It returns the state to keep.
//
// Running: the engine's last answer has an environment whose project holds
// dir (the deepest wins, as `devenv` itself decides). Stopped: otherwise,
// dir lies in the project of an environment this shell saw running, or in a
// directory holding .devenv/Dockerfile. When the engine fails or is slow,
// the answer is empty rather than a guess, for Refresh.
func Resolve(ctx context.Context, dir string, s State, now time.Time, force bool, list Lister) (Answer, State) {
	candidate := holder(s.Known, dir, false) >= 0 || projectRoot(dir) != ""
	age := now.Sub(s.Checked)
	maxAge := Discover
	if candidate {
		maxAge = Refresh
	}
	failedRecently := !s.Failed.IsZero() && now.Sub(s.Failed) < Refresh && now.Sub(s.Failed) >= 0
	if force || (age >= maxAge || age < 0) && !failedRecently {
		running, err := list(ctx)
		if err != nil {
			s.Failed = now
			return Answer{TTL: Refresh}, s
		}
		s = s.merge(running, now)
	} else if failedRecently {
		return Answer{TTL: Refresh}, s
	}
	if i := holder(s.Known, dir, true); i >= 0 {
		w := s.Known[i]
		return Answer{Name: w.Name, Status: Running, Port: w.Port, TTL: Refresh}, s
	}
	if i := holder(s.Known, dir, false); i >= 0 {
		return Answer{Name: s.Known[i].Name, Status: Stopped, TTL: Refresh}, s
	}
	if root := projectRoot(dir); root != "" {
		return Answer{Name: nameOf(root), Status: Stopped, TTL: Refresh}, s
	}
	return Answer{TTL: Discover}, s
}

// merge records an engine answer: what runs now, then what this shell saw
// run before, most recent first.
func (s State) merge(running []Workspace, now time.Time) State {
	next := State{Checked: now}
	seen := map[string]bool{}
	for _, w := range running {
		w.Running = true
		next.Known = append(next.Known, w)
		seen[w.Path] = true
	}
	stopped := 0
	for _, w := range s.Known {
		if seen[w.Path] || stopped == maxStopped {
			continue
		}
		w.Running, w.Port = false, 0
		next.Known = append(next.Known, w)
		seen[w.Path] = true
		stopped++
	}
	return next
}

// holder returns the index of the known environment with the deepest
// project that holds dir, only among running ones if running is set; -1
// when none does.
func holder(known []Workspace, dir string, running bool) int {
	return project.Deepest(dir, known, func(w Workspace) (string, bool) { return w.Path, w.Running || !running })
}

// projectRoot is the nearest directory from dir upwards that holds
// .devenv/Dockerfile, or "".
func projectRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if project.HasDockerfile(d) {
			return d
		}
		if parent := filepath.Dir(d); parent == d {
			return ""
		}
	}
}

func nameOf(root string) string { return project.Identify(root).Name }
