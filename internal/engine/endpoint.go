package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Options say where to look for the engine: the environment devenv runs in
// and the global --context flag. The zero Getenv means the process's own.
type Options struct {
	Getenv  func(string) string
	Context string // --context NAME; "" when not given
}

func (o Options) getenv(key string) string {
	if o.Getenv == nil {
		return os.Getenv(key)
	}
	return o.Getenv(key)
}

// How an endpoint was chosen, in the docker CLI's order of precedence.
const (
	FromFlag          = "--context flag"
	FromDockerHost    = "DOCKER_HOST"
	FromDockerContext = "DOCKER_CONTEXT"
	FromConfig        = "currentContext in config.json"
	FromPodman        = "Podman socket (no Docker socket answers)"
	FromDefault       = "default socket"
)

// defaultContext is the name the docker CLI gives to "no context": DOCKER_HOST
// or the default socket, with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
const defaultContext = "default"

// DefaultHost is where the docker CLI looks when nothing names an engine.
const DefaultHost = "unix:///var/run/docker.sock"

// Endpoint is one engine address, the TLS material to reach it with, and how
// it was chosen (for messages and devenv doctor).
type Endpoint struct {
	Host    string // unix:///…, tcp://…, ssh://…
	Context string // the context's name; "" for the default context
	Source  string // one of the From… constants
	TLS     *TLSFiles
}

// TLSFiles are the PEM files of a TLS endpoint; empty paths are not used.
type TLSFiles struct {
	CA, Cert, Key string
	SkipVerify    bool
}

// Describe names the endpoint the way errors show it: the context and its
// address, or the address alone.
func (e Endpoint) Describe() string {
	if e.Context != "" {
		return fmt.Sprintf("context %q (%s)", e.Context, e.Host)
	}
	return e.Host
}

// Remote reports whether the engine runs on another machine, so that it
// cannot see this machine's files: ssh://, or TCP to an address that is not
// loopback. A Unix socket is always this machine's.
func (e Endpoint) Remote() bool {
	u, err := url.Parse(e.Host)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "ssh":
		return true
	case "tcp", "http", "https":
		host := u.Hostname()
		if host == "localhost" {
			return false
		}
		ip := net.ParseIP(host)
		return ip == nil || !ip.IsLoopback()
	}
	return false
}

// ErrNoContext: the context named by the flag, DOCKER_CONTEXT or config.json
// is not in the context store.
var ErrNoContext = errors.New("no such context")

// Resolve finds the engine exactly as the docker CLI does: the --context
// flag, else DOCKER_HOST (the default context), else DOCKER_CONTEXT, else
// currentContext in $DOCKER_CONFIG/config.json, else the default socket.
// It reads files but dials nothing; Connect adds the Podman fallback.
func Resolve(o Options) (Endpoint, error) {
	dir := configDir(o)
	name, source := o.Context, FromFlag
	if name == "" {
		switch {
		case o.getenv("DOCKER_HOST") != "":
			name, source = defaultContext, FromDockerHost
		case o.getenv("DOCKER_CONTEXT") != "":
			name, source = o.getenv("DOCKER_CONTEXT"), FromDockerContext
		default:
			current, err := currentContext(dir)
			if err != nil {
				return Endpoint{}, err
			}
			name, source = current, FromConfig
		}
	}
	if name == "" || name == defaultContext {
		return defaultEndpoint(o, dir, source), nil
	}
	return contextEndpoint(dir, name, source)
}

// configDir is the docker CLI's configuration directory.
func configDir(o Options) string {
	if d := o.getenv("DOCKER_CONFIG"); d != "" {
		return d
	}
	return filepath.Join(o.getenv("HOME"), ".docker")
}

func currentContext(dir string) (string, error) {
	path := filepath.Join(dir, "config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	var cfg struct {
		CurrentContext string `json:"currentContext"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("%s is not valid JSON (%v): fix or remove it", path, err)
	}
	return cfg.CurrentContext, nil
}

// defaultEndpoint is the default context: DOCKER_HOST or the default socket,
// TLS when DOCKER_TLS_VERIFY or DOCKER_TLS is set, with the files in
// DOCKER_CERT_PATH (default: the configuration directory).
func defaultEndpoint(o Options, dir, source string) Endpoint {
	ep := Endpoint{Host: o.getenv("DOCKER_HOST"), Source: source}
	if ep.Host == "" {
		ep.Host = DefaultHost
		if source == FromConfig {
			ep.Source = FromDefault
		}
	}
	verify := o.getenv("DOCKER_TLS_VERIFY") != ""
	if verify || o.getenv("DOCKER_TLS") != "" {
		certs := o.getenv("DOCKER_CERT_PATH")
		if certs == "" {
			certs = dir
		}
		ep.TLS = tlsFiles(certs, !verify)
	}
	return ep
}

// contextEndpoint reads a context's docker endpoint from the store:
// contexts/meta/<sha256 of name>/meta.json and contexts/tls/<same>/docker/.
func contextEndpoint(dir, name, source string) (Endpoint, error) {
	id := sha256.Sum256([]byte(name))
	digest := hex.EncodeToString(id[:])
	path := filepath.Join(dir, "contexts", "meta", digest, "meta.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Endpoint{}, fmt.Errorf("context %q (from %s) %w in %s: create it with 'docker context create %s', or pick another with 'docker context ls' and 'docker context use'",
			name, source, ErrNoContext, filepath.Join(dir, "contexts"), name)
	}
	if err != nil {
		return Endpoint{}, fmt.Errorf("context %q: %w", name, err)
	}
	var meta struct {
		Endpoints map[string]struct {
			Host          string
			SkipTLSVerify bool
		}
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return Endpoint{}, fmt.Errorf("context %q: %s is not valid JSON (%v): recreate the context", name, path, err)
	}
	docker, ok := meta.Endpoints["docker"]
	if !ok || docker.Host == "" {
		return Endpoint{}, fmt.Errorf("context %q has no Docker endpoint: recreate it with 'docker context create %s --docker host=…'", name, name)
	}
	ep := Endpoint{Host: docker.Host, Context: name, Source: source}
	tlsDir := filepath.Join(dir, "contexts", "tls", digest, "docker")
	if _, err := os.Stat(tlsDir); err == nil || docker.SkipTLSVerify {
		ep.TLS = tlsFiles(tlsDir, docker.SkipTLSVerify)
	}
	return ep, nil
}

// tlsFiles names the PEM files in dir that exist, as the docker CLI does.
func tlsFiles(dir string, skipVerify bool) *TLSFiles {
	exists := func(name string) string {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	return &TLSFiles{CA: exists("ca.pem"), Cert: exists("cert.pem"), Key: exists("key.pem"), SkipVerify: skipVerify}
}

// withPodmanFallback turns to Podman's socket when nothing named an engine
// and no Docker socket answers at the default address.
func withPodmanFallback(ep Endpoint, o Options, answers func(host string) bool) Endpoint {
	if ep.Source != FromDefault || answers(ep.Host) {
		return ep
	}
	for _, sock := range podmanSockets(o) {
		if answers(sock) {
			ep.Host, ep.Source = sock, FromPodman
			return ep
		}
	}
	return ep
}

// podmanSockets are where Podman's Docker-compatible API listens, rootless
// first: the user's own engine before the machine's.
func podmanSockets(o Options) []string {
	var socks []string
	if run := o.getenv("XDG_RUNTIME_DIR"); run != "" {
		socks = append(socks, "unix://"+filepath.Join(run, "podman", "podman.sock"))
	}
	return append(socks, "unix:///run/podman/podman.sock")
}

// socketAnswers reports whether something accepts connections at a unix://
// address; a cheap probe, before any HTTP.
func socketAnswers(host string) bool {
	path, ok := strings.CutPrefix(host, "unix://")
	if !ok {
		return false
	}
	conn, err := net.DialTimeout("unix", path, pingTimeout)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
