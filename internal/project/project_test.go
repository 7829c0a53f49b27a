package project

import (
	"regexp"
	"strings"
	"testing"

	"github.com/distribution/reference"
)

func TestIdentify(t *testing.T) {
	for _, tc := range []struct {
		path                          string
		name, label, workspace, image string
	}{
		{"/home/me/local/api", "devenv-local-api", "local/api", "/workspaces/api", "devenv-project-local-api:latest"},
		{"/srv", "devenv-srv", "srv", "/workspaces/srv", "devenv-project-srv:latest"},
		{"/", "devenv-root", "/", "/workspaces/root", "devenv-project-root:latest"},
		{"/src/My App", "devenv-src-My-App", "src/My App", "/workspaces/My App", "devenv-project-src-my-app:latest"},
		{"/x/my_app.v2", "devenv-x-my_app.v2", "x/my_app.v2", "/workspaces/my_app.v2", "devenv-project-x-my-app-v2:latest"},
		{"/x/--api--", "devenv-x-api", "x/--api--", "/workspaces/--api--", "devenv-project-x-api:latest"},
		{"/a/b/", "devenv-a-b", "a/b", "/workspaces/b", "devenv-project-a-b:latest"},
	} {
		id := Identify(tc.path)
		if id.Name != tc.name || id.Label != tc.label || id.Workspace != tc.workspace || id.ProjectImage() != tc.image {
			t.Errorf("Identify(%q) = %q %q %q %q, want %q %q %q %q", tc.path,
				id.Name, id.Label, id.Workspace, id.ProjectImage(), tc.name, tc.label, tc.workspace, tc.image)
		}
	}
}

func TestUnrepresentableNamesStayDistinct(t *testing.T) {
	a, b := Identify("/p/日本"), Identify("/p/中文")
	if a.Name == b.Name {
		t.Fatalf("distinct unrepresentable names collide: %q", a.Name)
	}
	long := Identify("/p/" + strings.Repeat("a", 200))
	if len(long.Name) > 2*maxSegment+8 {
		t.Fatalf("name too long: %d", len(long.Name))
	}
}

var containerName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)
var hostname = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func FuzzIdentify(f *testing.F) {
	for _, seed := range []string{"/", "/a", "/a/b", "/home/u/src/api", "/x/日本", "/a/.hidden", "/a/-", "/a/b c/d:e", "relative/path", "//a//b//", "/a/" + strings.Repeat("z", 300)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		id := Identify(p)
		if id != Identify(p) {
			t.Fatal("not deterministic")
		}
		if !containerName.MatchString(id.Name) || !strings.HasPrefix(id.Name, "devenv-") {
			t.Fatalf("invalid container name %q for %q", id.Name, p)
		}
		if !hostname.MatchString(id.Hostname) {
			t.Fatalf("invalid hostname %q for %q", id.Hostname, p)
		}
		ref, err := reference.ParseNormalizedNamed(id.ProjectImage())
		if err != nil || !strings.HasPrefix(ref.String(), "docker.io/library/devenv-project-") {
			t.Fatalf("invalid image %q for %q: %v", id.ProjectImage(), p, err)
		}
		if id.Label == "" || !strings.HasPrefix(id.Workspace, WorkspaceRoot+"/") || id.Workspace == WorkspaceRoot+"/" {
			t.Fatalf("bad label/workspace %q %q for %q", id.Label, id.Workspace, p)
		}
	})
}

func TestIsContainerName(t *testing.T) {
	for name, want := range map[string]bool{
		"devenv-a-b": true, "x1": true, "a_b.c-d": true, "devenv-root": true,
		"": false, "a": false, "-a": false, ".a": false, "_a": false, "a b": false,
		"a$(touch x)": false, "a;b": false, "a\nb": false, "/a": false, "日本": false,
		"a`b`": false, "devenv-\x1b[31m": false,
	} {
		if got := IsContainerName(name); got != want {
			t.Errorf("IsContainerName(%q) = %v, want %v", name, got, want)
		}
	}
	for _, dir := range []string{"/a/b", "/", "/x/--api--", "/w/日本", "/p/a b;c$(d)"} {
		if name := Identify(dir).Name; !IsContainerName(name) {
			t.Errorf("Identify(%q).Name = %q breaks Docker's rule", dir, name)
		}
	}
}
