// Package engine is devenv's only door to the Docker Engine API. Every import
// of the Docker client module lives here, so moving to its successor
// (github.com/moby/moby/client) is a change to this package alone. It speaks
// in devenv's own types; callers never see Docker's.
package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
	"github.com/docker/go-connections/tlsconfig"
)

// Timeouts for single API calls. A session's attached stream has none: it
// lasts as long as the user keeps it open.
const (
	pingTimeout    = 2 * time.Second
	sshPingTimeout = 30 * time.Second
	callTimeout    = 30 * time.Second
)

var (
	// ErrUnreachable: no engine answered at the configured address.
	ErrUnreachable = errors.New("cannot reach the Docker engine")
	// ErrNotFound: the container, exec or image does not exist.
	ErrNotFound = errors.New("not found")
	// ErrNameInUse: a container with that name exists already.
	ErrNameInUse = errors.New("container name in use")
	// ErrPortInUse: the requested host port is taken.
	ErrPortInUse = errors.New("port already in use")
)

// UnreachableError says where the engine was looked for and why it did not
// answer; it is ErrUnreachable for errors.Is.
type UnreachableError struct {
	Endpoint Endpoint
	Reason   string
	Fix      string
}

func (e *UnreachableError) Error() string {
	if e.Endpoint.Context != "" {
		return fmt.Sprintf("%s: cannot reach the Docker engine (%s): %s", e.Endpoint.Describe(), e.Reason, e.Fix)
	}
	return fmt.Sprintf("cannot reach the Docker engine at %s (%s): %s", e.Endpoint.Host, e.Reason, e.Fix)
}

func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

// Client wraps the Engine API client with devenv's operations.
type Client struct {
	api      *client.Client
	ssh      *sshTransport // nil unless the engine is reached through ssh
	endpoint Endpoint
}

// Connect finds the engine as the docker CLI does (see Resolve), falls back
// to Podman's socket when nothing names an engine and no Docker socket
// answers, asks the engine which API version it speaks, and fails fast when
// nothing answers. The ping that negotiates the version is the same round
// trip that proves the engine is there, so a working engine costs one
// request here.
func Connect(ctx context.Context, o Options) (*Client, error) {
	ep, err := Resolve(o)
	if err != nil {
		return nil, err
	}
	ep = withPodmanFallback(ep, o, socketAnswers)
	var ssh *sshTransport
	if strings.HasPrefix(ep.Host, "ssh://") {
		if ssh, err = newSSHTransport(ep.Host); err != nil {
			return nil, fmt.Errorf("%s: %w", ep.Describe(), err)
		}
	}
	api, err := newAPIClient(ep, ssh, o.getenv("DOCKER_API_VERSION"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ep.Describe(), err)
	}
	c := &Client{api: api, endpoint: ep, ssh: ssh}
	timeout := pingTimeout
	if strings.HasPrefix(ep.Host, "ssh://") {
		timeout = sshPingTimeout // ssh's own handshake comes first
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ping, err := api.Ping(ctx)
	if err != nil {
		api.Close()
		return nil, c.unreachable(err)
	}
	if o.getenv("DOCKER_API_VERSION") == "" {
		api.NegotiateAPIVersionPing(ping)
	}
	return c, nil
}

// newAPIClient builds the SDK client for an endpoint: a Unix socket or TCP
// as is, TLS with the endpoint's files, ssh:// through ssh and the remote
// docker CLI's dial-stdio.
func newAPIClient(ep Endpoint, ssh *sshTransport, version string) (*client.Client, error) {
	opts := []client.Opt{}
	switch {
	case ssh != nil:
		opts = append(opts,
			client.WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: ssh.dial}}),
			// The address is ssh's business; HTTP only needs a well-formed one.
			client.WithHost("http://docker.example.com"),
			client.WithDialContext(ssh.dial))
	case ep.TLS != nil:
		cfg, err := tlsconfig.Client(tlsconfig.Options{
			CAFile: ep.TLS.CA, CertFile: ep.TLS.Cert, KeyFile: ep.TLS.Key,
			InsecureSkipVerify: ep.TLS.SkipVerify, ExclusiveRootPools: true,
		})
		if err != nil {
			return nil, fmt.Errorf("TLS files: %w", err)
		}
		opts = append(opts,
			client.WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, CheckRedirect: client.CheckRedirect}),
			client.WithHost(ep.Host))
	default:
		opts = append(opts, client.WithHost(ep.Host))
	}
	if version != "" {
		opts = append(opts, client.WithVersion(version))
	}
	return client.NewClientWithOpts(opts...)
}

// Close releases idle connections.
func (c *Client) Close() error { return c.api.Close() }

// Host is the engine address in use, for messages.
func (c *Client) Host() string { return c.endpoint.Host }

// Endpoint is the engine in use and how it was chosen.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

func (c *Client) unreachable(err error) error {
	e := &UnreachableError{Endpoint: c.endpoint, Reason: "no answer", Fix: "start Docker, or set DOCKER_HOST to a running engine"}
	if c.endpoint.Context != "" {
		e.Fix = "start that engine, or choose another context (docker context use NAME, DOCKER_CONTEXT or devenv --context NAME)"
	}
	var sshErr *sshError
	if !errors.As(err, &sshErr) && c.ssh != nil {
		// The HTTP client may report ssh's end in its own words.
		err = errors.Join(err, c.ssh.failure())
	}
	if errors.As(err, &sshErr) {
		e.Reason = sshErr.Error()
		e.Fix = sshErr.fix
		return e
	}
	if client.IsErrConnectionFailed(err) {
		// The client keeps only a generic sentence; dialling again is the
		// one way to learn the cause, and this path is already a failure.
		if cause := redial(c.endpoint.Host); cause != nil {
			err = cause
		}
	}
	switch {
	case errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EACCES):
		e.Reason = "permission denied"
		e.Fix = "add your user to the docker group and log in again, or set DOCKER_HOST to an engine you may use"
	case errors.Is(err, syscall.ENOENT):
		e.Reason = "no such socket"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Reason = "connection refused"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		e.Reason = "timed out"
	case strings.Contains(err.Error(), "no such host"):
		e.Reason = "unknown host"
	case tlsFailure(err) != "":
		e.Reason = tlsFailure(err)
		e.Fix = "check the TLS files (the context's, or DOCKER_CERT_PATH's ca.pem, cert.pem, key.pem) against the engine's"
	}
	return e
}

// redial connects to host once, to learn why the client could not.
func redial(host string) error {
	network, addr, ok := strings.Cut(host, "://")
	if !ok {
		return nil
	}
	switch network {
	case "unix":
	case "tcp", "http", "https":
		network = "tcp"
	default:
		return nil
	}
	conn, err := net.DialTimeout(network, addr, time.Second)
	if err == nil {
		conn.Close()
	}
	return err
}

// tlsFailure is the TLS or certificate part of err's text, "" when none.
func tlsFailure(err error) string {
	msg := err.Error()
	for _, marker := range []string{"tls: ", "x509: "} {
		if i := strings.Index(msg, marker); i >= 0 {
			return strings.TrimSpace(msg[i:])
		}
	}
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// wrap turns the client's errors into devenv's sentinels, keeping the
// original text for the message.
func (c *Client) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case client.IsErrConnectionFailed(err):
		return c.unreachable(err)
	case errdefs.IsNotFound(err) || notFound(err.Error()):
		return fmt.Errorf("%w: %s", ErrNotFound, firstLine(err))
	case errdefs.IsConflict(err) || nameConflict(err.Error()):
		return fmt.Errorf("%w: %s", ErrNameInUse, firstLine(err))
	}
	return errors.New(firstLine(err))
}

func firstLine(err error) string {
	s := strings.TrimSpace(err.Error())
	s = strings.TrimPrefix(s, "Error response from daemon: ")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, callTimeout)
}

// ServerVersion is the engine's product version and API version.
func (c *Client) ServerVersion(ctx context.Context) (version, api string, err error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	v, err := c.api.ServerVersion(ctx)
	if err != nil {
		return "", "", c.wrap(err)
	}
	return v.Version, v.APIVersion, nil
}
