// Package ports forwards ports of the host's loopback to servers inside an
// environment: `devenv port` for as long as it runs, and the `ports`
// setting for as long as the environment runs.
package ports

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// BindIP is the only host address forwards listen on.
const BindIP = "127.0.0.1"

// Label records on an environment the forwards it was started with
// ("3000:3000,8080:80"), for `devenv list`.
const Label = "devenv.ports"

// Forward maps a host port on BindIP to a port inside the environment.
type Forward struct {
	Host int // on BindIP
	Port int // inside the environment, on localhost
}

// String is the forward as the user writes it: "3000" or "8080:80".
func (f Forward) String() string {
	if f.Host == f.Port {
		return strconv.Itoa(f.Port)
	}
	return strconv.Itoa(f.Host) + ":" + strconv.Itoa(f.Port)
}

// HostAddress is "127.0.0.1:HOST".
func (f Forward) HostAddress() string { return net.JoinHostPort(BindIP, strconv.Itoa(f.Host)) }

// SpecError: a forward that is not [HOSTPORT:]PORT with ports from 1 to
// 65535.
type SpecError struct{ Spec string }

func (e *SpecError) Error() string {
	return fmt.Sprintf("invalid port forward %q: use PORT or HOSTPORT:PORT, with ports from 1 to 65535", e.Spec)
}

// Parse reads "[HOSTPORT:]PORT".
func Parse(spec string) (Forward, error) {
	hostPart, portPart, mapped := strings.Cut(spec, ":")
	if !mapped {
		portPart = hostPart
	}
	port, ok := number(portPart)
	host := port
	if mapped {
		var hostOK bool
		host, hostOK = number(hostPart)
		ok = ok && hostOK
	}
	if !ok {
		return Forward{}, &SpecError{Spec: spec}
	}
	return Forward{Host: host, Port: port}, nil
}

// LooksLikeSpec reports whether arg is meant as a forward rather than a
// target: digits, optionally around one colon.
func LooksLikeSpec(arg string) bool {
	a, b, _ := strings.Cut(arg, ":")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(a) && (b == "" && !strings.Contains(arg, ":") || digits(b))
}

func number(s string) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 65535
}

// ParseAll reads several forwards; one host port may serve only one.
func ParseAll(specs []string) ([]Forward, error) {
	var out []Forward
	seen := map[int]bool{}
	for _, s := range specs {
		f, err := Parse(s)
		if err != nil {
			return nil, err
		}
		if seen[f.Host] {
			return nil, fmt.Errorf("host port %d is forwarded twice: give each forward its own host port (HOSTPORT:PORT)", f.Host)
		}
		seen[f.Host] = true
		out = append(out, f)
	}
	return out, nil
}

// FormatLabel is the Label value for forwards.
func FormatLabel(forwards []Forward) string {
	parts := make([]string, len(forwards))
	for i, f := range forwards {
		parts[i] = strconv.Itoa(f.Host) + ":" + strconv.Itoa(f.Port)
	}
	return strings.Join(parts, ",")
}

// ParseLabel reads a Label value; what does not parse is left out.
func ParseLabel(value string) []Forward {
	var out []Forward
	for _, part := range strings.Split(value, ",") {
		if f, err := Parse(part); err == nil && strings.Contains(part, ":") {
			out = append(out, f)
		}
	}
	return out
}

// InUseError: a host port that something else already listens on.
type InUseError struct {
	Forward Forward
	Source  string // "" for the command line, else the setting it came from
}

func (e *InUseError) Error() string {
	if e.Source != "" {
		return fmt.Sprintf("port %d on %s, forwarded by %s, is already in use: free it, or map another host port there (e.g. \"%d:%d\")",
			e.Forward.Host, BindIP, e.Source, e.Forward.Host+1, e.Forward.Port)
	}
	return fmt.Sprintf("port %d on %s is already in use: free it, or forward another host port (e.g. %d:%d)",
		e.Forward.Host, BindIP, e.Forward.Host+1, e.Forward.Port)
}

// Listen opens f's host side, on BindIP only.
func Listen(f Forward) (net.Listener, error) {
	l, err := net.Listen("tcp4", f.HostAddress())
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, &InUseError{Forward: f}
		}
		return nil, fmt.Errorf("listen on %s: %w", f.HostAddress(), err)
	}
	return l, nil
}

// CheckFree fails with an InUseError naming source when a host port of
// forwards is taken now, so a start can refuse before creating anything.
func CheckFree(forwards []Forward, source string) error {
	for _, f := range forwards {
		l, err := Listen(f)
		if err != nil {
			if e := (*InUseError)(nil); errors.As(err, &e) {
				e.Source = source
			}
			return err
		}
		l.Close()
	}
	return nil
}
