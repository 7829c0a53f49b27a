package environment

import (
	"errors"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"devenv/internal/engine"
	"devenv/internal/project"
)

// running is the engine's view with one environment, for the project at
// canonical path dir, as Ensure would have started it.
func running(dir string) []engine.Container {
	id := project.Identify(dir)
	return []engine.Container{{
		Name:   id.Name,
		State:  "running",
		Labels: map[string]string{engine.DevenvLabel: "true", ProjectLabel: id.Label},
		Mounts: []engine.Mount{
			{Source: "devenv-cache", Target: ContainerHome + "/.cache", Volume: true},
			{Source: dir, Target: id.Workspace},
		},
	}}
}

// FuzzFindNeverShares: with an environment running for project a, a
// request for project b joins it only when b lies in a's workspace (in the
// matching subdirectory); two distinct projects whose names collide are
// refused with a CollisionError, never given the same environment.
func FuzzFindNeverShares(f *testing.F) {
	for _, seed := range [][2]string{
		{"/x/p/api", "/y/p/api"},   // same parent and basename, other grandparent
		{"/a/my app", "/a/my-app"}, // sanitised to the same name
		{"/p/--api--", "/p/api"},
		{"/w/日本", "/w/中文"}, // unrepresentable: hashed apart
		{"/a/api", "/a/api/src/pkg"},
		{"/a/api", "/a/api2"},
		{"/a/b", "/a/b"},
		{"/", "/x"},
		{"/srv", "/x/srv"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		a, b = path.Clean("/"+a), path.Clean("/"+b)
		ida := project.Identify(a)
		got, ok, err := find(running(a), b, "")
		var collision *CollisionError
		switch {
		case b == a || strings.HasPrefix(b, strings.TrimSuffix(a, "/")+"/"):
			want := ida.Workspace
			if rel, _ := filepath.Rel(a, b); rel != "." {
				want += "/" + rel
			}
			if err != nil || !ok || got.Container.Name != ida.Name || got.WorkDir != want {
				t.Fatalf("%q inside %q: got %q in %q, %t, %v; want %q in %q", b, a, got.WorkDir, got.Container.Name, ok, err, want, ida.Name)
			}
		case project.Identify(b).Name == ida.Name:
			if ok || !errors.As(err, &collision) {
				t.Fatalf("%q and %q share %s: got %t, %v; want a collision error", a, b, ida.Name, ok, err)
			}
			if collision.RunningPath != a || collision.RequestedPath != b {
				t.Fatalf("collision names %q and %q, want %q and %q", collision.RunningPath, collision.RequestedPath, a, b)
			}
		default:
			if ok || err != nil {
				t.Fatalf("%q found %q's environment %s: %t, %v", b, a, ida.Name, ok, err)
			}
		}

		// --name NAME with a's name: the same check, whatever b is.
		_, ok, err = find(running(a), b, ida.Name)
		inside := b == a || strings.HasPrefix(b, strings.TrimSuffix(a, "/")+"/")
		if ok != inside || !inside && !errors.As(err, &collision) {
			t.Fatalf("--name %s for %q (running for %q): got %t, %v", ida.Name, b, a, ok, err)
		}
	})
}
