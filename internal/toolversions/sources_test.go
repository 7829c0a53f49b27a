package toolversions

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"devenv/internal/images"
)

// fakeSources answers like the npm registry, the Go proxy and a Debian
// mirror, from a table of paths.
func fakeSources(t *testing.T, paths map[string]string) *Sources {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := paths[r.URL.EscapedPath()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	env := map[string]string{"npm_config_registry": srv.URL + "/npm/", "GOPROXY": "off," + srv.URL + "/go,direct", "DEVENV_DEBIAN_MIRROR": srv.URL}
	s := FromEnv(func(k string) string { return env[k] })
	s.Arch = "amd64"
	return s
}

func gz(text string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(text))
	w.Close()
	return b.String()
}

func TestNewest(t *testing.T) {
	s := fakeSources(t, map[string]string{
		"/npm/@scope%2fcli/latest":                                             `{"name":"@scope/cli","version":"2.1.340"}`,
		"/go/github.com/!burnt!sushi/x/@v/list":                                "v1.2.0\nv1.10.0\nv1.11.0-rc.1\nv1.9.9\n",
		"/go/golang.org/toolchain/@v/list":                                     "v0.0.1-go1.27.3.linux-amd64\nv0.0.1-go1.28rc1.linux-amd64\nv0.0.1-go1.27.10.linux-amd64\nv0.0.1-go1.29.0.linux-arm64\n",
		"/debian/dists/trixie/main/binary-amd64/Packages.gz":                   gz("Package: jq\nVersion: 1.7.1-6\n\nPackage: cargo\nVersion: 1.85\n"),
		"/debian-security/dists/trixie-security/main/binary-amd64/Packages.gz": gz("Package: jq\nVersion: 1.7.1-6+deb13u4\n"),
	})
	for _, c := range []struct{ source, want string }{
		{"npm:@scope/cli", "2.1.340"},
		{"go:github.com/BurntSushi/x", "1.10.0"},
		{"go:golang.org/toolchain", "1.27.10"},
		{"debian:jq", "1.7.1-6+deb13u4"},
		{"debian:cargo,rustc", "1.85"},
	} {
		got, err := s.Newest(context.Background(), images.Tool{Name: "t", Source: c.source})
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.source, got, err, c.want)
		}
	}
	if _, err := s.Newest(context.Background(), images.Tool{Source: "github:a/b"}); !errors.Is(err, ErrNotLookedUp) {
		t.Errorf("github: %v", err)
	}
	if _, err := s.Newest(context.Background(), images.Tool{Source: "npm:missing"}); err == nil {
		t.Error("a missing package has a newest version")
	}
}

func TestHas(t *testing.T) {
	s := fakeSources(t, map[string]string{
		"/npm/prettier/3.3.0":                                          `{}`,
		"/go/github.com/mikefarah/yq/v4/@v/v4.54.3.info":               `{}`,
		"/go/golang.org/toolchain/@v/v0.0.1-go1.27.3.linux-amd64.info": `{}`,
	})
	ctx := context.Background()
	prettier := images.Tool{Name: "prettier", Source: "npm:prettier"}
	yq := images.Tool{Name: "yq", Source: "go:github.com/mikefarah/yq/v4"}
	golang := images.Tool{Name: "golang", Source: "go:golang.org/toolchain"}
	for _, ok := range []error{s.Has(ctx, prettier, "3.3.0"), s.Has(ctx, yq, "4.54.3"), s.Has(ctx, golang, "1.27.3")} {
		if ok != nil {
			t.Errorf("existing version refused: %v", ok)
		}
	}
	var missing *NoVersionError
	if err := s.Has(ctx, prettier, "0.0.999"); !errors.As(err, &missing) || !strings.Contains(err.Error(), `tool version prettier = "0.0.999": 127.0.0.1:`) {
		t.Errorf("missing version: %v", err)
	}
	if err := s.Has(ctx, golang, "1.0.999"); !errors.As(err, &missing) {
		t.Errorf("missing toolchain: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there any more
	s := FromEnv(func(k string) string {
		if k == "npm_config_registry" {
			return srv.URL
		}
		return ""
	})
	err := s.Has(context.Background(), images.Tool{Name: "p", Source: "npm:p"}, "1")
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) || strings.Contains(err.Error(), "Get ") {
		t.Fatalf("unreachable registry: %v", err)
	}
}

func TestRowsAndBehind(t *testing.T) {
	tools := []images.Tool{
		{Name: "a", Source: "npm:a", Version: images.Versioned{Arg: "A_VERSION", Default: "1.2.0"}},
		{Name: "b", Source: "npm:b", Version: images.Versioned{Arg: "B_VERSION", Default: "1.0.0"}},
		{Name: "c", Source: "debian:c"},
		{Name: "d", Source: "npm:d", Version: images.Versioned{Arg: "D_VERSION", Default: "1.0.0"}},
	}
	rows := Rows(tools, map[string]string{"b": "0.9.0"},
		map[string]string{images.ToolLabelPrefix + "a": "1.2.0", images.ToolLabelPrefix + "c": "1.7-1"},
		map[string]Result{"a": {Version: "1.10.0"}, "b": {Version: "1.0.0"}, "c": {Version: "1.7-1"}, "d": {Version: "0.9.0"}})
	want := []struct {
		pinned string
		user   bool
		state  string
	}{{"1.2.0", false, "behind"}, {"0.9.0", true, "behind"}, {"", false, "current"}, {"1.0.0", false, "current"}}
	for i, w := range want {
		r := rows[i]
		if r.Pinned != w.pinned || r.UserPin != w.user || r.State() != w.state {
			t.Errorf("%s: pinned %q user %v state %q; want %+v", r.Tool.Name, r.Pinned, r.UserPin, r.State(), w)
		}
	}
}
