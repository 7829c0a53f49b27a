// Package toolversions asks the sources of devenv's tools (the npm
// registry, the Go module proxy, Debian's archive) which versions they
// serve: the newest, and whether a given one exists.
package toolversions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"

	"devenv/internal/images"
)

// Sources are the addresses asked. The zero value is not usable: use
// FromEnv, which honours the variables npm and the go command read.
type Sources struct {
	NPM     string // npm registry, e.g. https://registry.npmjs.org
	GoProxy string // Go module proxy, e.g. https://proxy.golang.org
	Debian  string // Debian mirror, e.g. https://deb.debian.org
	Arch    string // Debian architecture of the images: amd64, arm64
	Client  *http.Client

	debianOnce sync.Once
	debian     map[string]string
	debianErr  error
}

// FromEnv uses npm's registry ($npm_config_registry), the first proxy of
// $GOPROXY and $DEVENV_DEBIAN_MIRROR when set, else the public ones.
func FromEnv(getenv func(string) string) *Sources {
	s := &Sources{
		NPM:     "https://registry.npmjs.org",
		GoProxy: "https://proxy.golang.org",
		Debian:  "https://deb.debian.org",
		Arch:    runtime.GOARCH,
		Client:  http.DefaultClient,
	}
	for _, k := range []string{"npm_config_registry", "NPM_CONFIG_REGISTRY"} {
		if v := getenv(k); v != "" {
			s.NPM = v
			break
		}
	}
	for _, p := range strings.FieldsFunc(getenv("GOPROXY"), func(r rune) bool { return r == ',' || r == '|' }) {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			s.GoProxy = p
			break
		}
	}
	if v := getenv("DEVENV_DEBIAN_MIRROR"); v != "" {
		s.Debian = v
	}
	s.NPM, s.GoProxy, s.Debian = strings.TrimRight(s.NPM, "/"), strings.TrimRight(s.GoProxy, "/"), strings.TrimRight(s.Debian, "/")
	return s
}

// ErrNotLookedUp: devenv does not ask this kind of source (GitHub releases).
var ErrNotLookedUp = errors.New("not looked up")

// UnreachableError: the source did not answer.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string { return fmt.Sprintf("%s unreachable: %v", e.Host, e.Err) }
func (e *UnreachableError) Unwrap() error { return e.Err }

// NoVersionError: the source answered that it has no such version.
type NoVersionError struct{ Tool, Version, Host string }

func (e *NoVersionError) Error() string {
	return fmt.Sprintf("tool version %s = %q: %s has no such version; `devenv update --check %s` shows the newest", e.Tool, e.Version, e.Host, e.Tool)
}

// Newest is the newest version t's source serves, in the form its
// Dockerfile's version argument takes.
func (s *Sources) Newest(ctx context.Context, t images.Tool) (string, error) {
	switch t.Ecosystem() {
	case "npm":
		return s.npmNewest(ctx, t.Package())
	case "go":
		if t.Package() == goToolchain {
			return s.goToolchainNewest(ctx)
		}
		return s.goModuleNewest(ctx, t.Package())
	case "debian":
		return s.debianCandidate(ctx, t.Package())
	}
	return "", ErrNotLookedUp
}

// Has returns nil when t's source serves version, a *NoVersionError when
// it answers that it does not, and another error when it cannot be asked.
func (s *Sources) Has(ctx context.Context, t images.Tool, version string) error {
	var ok bool
	var err error
	host := ""
	switch t.Ecosystem() {
	case "npm":
		host = hostOf(s.NPM)
		ok, err = s.exists(ctx, s.NPM+"/"+npmPath(t.Package())+"/"+url.PathEscape(version))
	case "go":
		host = hostOf(s.GoProxy)
		ok, err = s.exists(ctx, s.goVersionInfo(t.Package(), version))
	default:
		return ErrNotLookedUp
	}
	if err != nil {
		return err
	}
	if !ok {
		return &NoVersionError{Tool: t.Name, Version: version, Host: host}
	}
	return nil
}

// Result is one tool's newest version, or why it is unknown.
type Result struct {
	Version string
	Err     error
}

// NewestAll looks up every tool's newest version at once; what ctx's
// deadline cuts short comes back with its error.
func (s *Sources) NewestAll(ctx context.Context, tools []images.Tool) map[string]Result {
	results := make(map[string]Result, len(tools))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, t := range tools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.Newest(ctx, t)
			mu.Lock()
			results[t.Name] = Result{v, err}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

// get fetches u; a status other than 200 is an error, 404-like ones
// ErrNotFound.
func (s *Sources) get(ctx context.Context, u string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, &UnreachableError{Host: hostOf(u), Err: cause(err)}
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp.Body, nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusForbidden:
		// The Go proxy answers 404 or 410 for versions it does not have,
		// and some mirrors 403.
		resp.Body.Close()
		return nil, errNotFound
	default:
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %s", hostOf(u), resp.Status)
	}
}

var errNotFound = errors.New("not found")

func (s *Sources) exists(ctx context.Context, u string) (bool, error) {
	body, err := s.get(ctx, u)
	if errors.Is(err, errNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	body.Close()
	return true, nil
}

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}

// cause drops url.Error's "Get URL:" wrapping: the host is named already.
func cause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
