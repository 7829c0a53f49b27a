package shell

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"devenv/internal/project"
)

func TestStateRoundTrip(t *testing.T) {
	s := State{
		Checked: time.Unix(1700000000, 0),
		Known: []Workspace{
			{Path: "/home/u/src/local/api", Name: "devenv-local-api", Port: 32768, Running: true},
			{Path: "/tmp/odd dir,with %, 'quotes' and\ttabs", Name: "odd", Running: false},
		},
	}
	text := s.Encode()
	for _, c := range text {
		if c < ' ' || c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`' {
			t.Fatalf("encoded state %q holds %q", text, c)
		}
	}
	if got := ParseState(text); !reflect.DeepEqual(got, s) {
		t.Errorf("ParseState(Encode()) = %+v, want %+v", got, s)
	}
	for _, bad := range []string{"", "garbage", "2 1 0", "1 x y a,b"} {
		if got := ParseState(bad); !reflect.DeepEqual(got, State{}) {
			t.Errorf("ParseState(%q) = %+v, want the empty state", bad, got)
		}
	}
}

// lister is an engine that answers running, or err, and counts the calls.
type lister struct {
	running []Workspace
	err     error
	calls   int
}

func (l *lister) list(context.Context) ([]Workspace, error) {
	l.calls++
	return l.running, l.err
}

func TestResolve(t *testing.T) {
	root := t.TempDir()
	api := filepath.Join(root, "local", "api")
	web := filepath.Join(root, "local", "web")
	marked := filepath.Join(root, "local", "marked")
	plain := filepath.Join(root, "plain")
	for _, d := range []string{api + "/src", web, marked + "/.devenv", marked + "/sub", plain} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(marked, project.Dockerfile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Unix(1700000000, 0)
	engine := &lister{running: []Workspace{{Path: api, Name: "devenv-local-api", Port: 40001}, {Path: web, Name: "devenv-local-web"}}}

	// With no state, the engine is asked; a subdirectory belongs to its project.
	a, s := Resolve(ctx, api+"/src", State{}, t0, false, engine.list)
	if want := (Answer{Name: "devenv-local-api", Status: Running, Port: 40001, TTL: Refresh}); a != want || engine.calls != 1 {
		t.Fatalf("first answer %+v after %d calls, want %+v after 1", a, engine.calls, want)
	}
	if a.Segment() != "⬢ local-api" {
		t.Errorf("segment %q", a.Segment())
	}
	// Within Refresh, a known project is answered from the state.
	if a, _ = Resolve(ctx, web, s, t0.Add(Refresh-time.Second), false, engine.list); a.Status != Running || engine.calls != 1 {
		t.Errorf("fresh state: %+v after %d calls, want running from the state", a, engine.calls)
	}
	// A directory of no environment: no engine call while the answer is
	// younger than Discover, and the hook may keep it that long.
	a, _ = Resolve(ctx, plain, s, t0.Add(Discover-time.Second), false, engine.list)
	if a != (Answer{TTL: Discover}) || engine.calls != 1 {
		t.Errorf("plain directory: %+v after %d calls, want empty from the state", a, engine.calls)
	}
	if _, _ = Resolve(ctx, plain, s, t0.Add(Discover), false, engine.list); engine.calls != 2 {
		t.Errorf("plain directory, old state: %d calls, want the engine asked", engine.calls)
	}
	// Past Refresh the engine is asked again; an environment that went away
	// is stopped, and keeps its name.
	engine.running = engine.running[1:]
	a, s = Resolve(ctx, api, s, t0.Add(Refresh), false, engine.list)
	if want := (Answer{Name: "devenv-local-api", Status: Stopped, TTL: Refresh}); a != want || engine.calls != 3 {
		t.Errorf("after stop: %+v after %d calls, want %+v", a, engine.calls, want)
	}
	// --refresh asks even when the state is fresh.
	if _, _ = Resolve(ctx, api, s, t0.Add(Refresh), true, engine.list); engine.calls != 4 {
		t.Errorf("forced: %d calls, want 4", engine.calls)
	}
	// .devenv/Dockerfile marks a project before anything ever ran for it.
	a, _ = Resolve(ctx, marked+"/sub", s, t0.Add(Refresh), false, engine.list)
	if want := (Answer{Name: nameOf(marked), Status: Stopped, TTL: Refresh}); a != want {
		t.Errorf("marked project: %+v, want %+v", a, want)
	}

	// An engine that fails gives an empty answer, not a guess, and is left
	// alone for Refresh unless forced.
	down := &lister{err: errors.New("no engine")}
	a, s = Resolve(ctx, web, s, t0.Add(time.Hour), false, down.list)
	if a != (Answer{TTL: Refresh}) || down.calls != 1 || s.Failed.IsZero() {
		t.Errorf("engine down: %+v, %d calls, failed at %v", a, down.calls, s.Failed)
	}
	if a, _ = Resolve(ctx, web, s, t0.Add(time.Hour+time.Second), false, down.list); a.Status != "" || down.calls != 1 {
		t.Errorf("engine down, again: %+v after %d calls, want empty and no call", a, down.calls)
	}
	if _, _ = Resolve(ctx, web, s, t0.Add(time.Hour+time.Second), true, down.list); down.calls != 2 {
		t.Errorf("engine down, forced: %d calls, want 2", down.calls)
	}
}

// The deepest project that holds a directory wins, running before stopped.
func TestHolder(t *testing.T) {
	known := []Workspace{
		{Path: "/a", Name: "a", Running: true},
		{Path: "/a/b", Name: "ab"},
		{Path: "/a/b/c", Name: "abc", Running: true},
		{Path: "/ab", Name: "not-a-parent", Running: true},
	}
	for dir, want := range map[string]string{"/a/b/c/d": "abc", "/a/b/x": "a", "/a": "a", "/abc": ""} {
		i := holder(known, dir, true)
		got := ""
		if i >= 0 {
			got = known[i].Name
		}
		if got != want {
			t.Errorf("running holder of %s = %q, want %q", dir, got, want)
		}
	}
	if i := holder(known, "/a/b/x", false); known[i].Name != "ab" {
		t.Errorf("holder of /a/b/x = %q, want ab", known[i].Name)
	}
}

func TestMergeBounded(t *testing.T) {
	var s State
	for i := range 3 * maxStopped {
		s = s.merge([]Workspace{{Path: "/p/" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Name: "x"}}, time.Unix(int64(i), 0))
	}
	if len(s.Known) != maxStopped+1 || !s.Known[0].Running || s.Known[1].Running {
		t.Errorf("kept %d environments (first running: %v), want the running one and %d stopped", len(s.Known), s.Known[0].Running, maxStopped)
	}
}
