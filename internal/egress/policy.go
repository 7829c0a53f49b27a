// Package egress decides what an environment may reach outside itself and
// enforces it outside the environment: an environment whose policy is not
// "open" sits on an internal network of its own, whose single way out is
// a gateway container devenv runs beside it. The gateway runs Squid (from
// Debian's packages, configured here) as the environment's only proxy, and
// relays the published SSH port and the ports setting's forwards in, since
// an engine publishes no port of a container on an internal network. Root
// in the environment changes nothing: the environment holds no route out,
// no capability to make one (NET_ADMIN is never granted, NET_RAW is
// dropped), and its network's bridge has no address on the host.
package egress

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// The policies, from widest to narrowest.
const (
	Open      = "open"
	Allowlist = "allowlist"
	None      = "none"
)

// Policy is the [network] table.
type Policy struct {
	Mode  string   // Open, Allowlist or None
	Allow []string // destinations, for Allowlist
}

// Enforced reports whether the environment needs a gateway.
func (p Policy) Enforced() bool { return p.Mode == Allowlist || p.Mode == None }

// Destination is one allow entry, parsed.
type Destination struct {
	Host     string     // exact host name, or the domain under "*."
	Wildcard bool       // "*.domain": the domain's subdomains
	Net      *net.IPNet // an IP address (as /32 or /128) or a CIDR
	Port     int        // 0: any port
}

var hostName = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// DestinationError: an allow entry that is no host, *.domain, IP address
// or CIDR with an optional port.
type DestinationError struct{ Entry, Why string }

func (e *DestinationError) Error() string {
	return fmt.Sprintf("entry %q %s: write a host (github.com), *.domain, an IP address or a CIDR, each with an optional :port", e.Entry, e.Why)
}

// ParseDestination reads one allow entry.
func ParseDestination(entry string) (Destination, error) {
	bad := func(why string) (Destination, error) { return Destination{}, &DestinationError{Entry: entry, Why: why} }
	rest := entry
	var d Destination
	if h, p, err := net.SplitHostPort(entry); err == nil {
		port, perr := strconv.Atoi(p)
		if perr != nil || port < 1 || port > 65535 {
			return bad("has an invalid port")
		}
		rest, d.Port = h, port
	} else if strings.Count(entry, ":") == 1 {
		return bad("has an invalid port")
	}
	if _, n, err := net.ParseCIDR(rest); err == nil {
		if n.String() != rest && !strings.Contains(rest, ":") {
			return bad(fmt.Sprintf("is not a network address (the network is %s)", n))
		}
		d.Net = n
		return d, nil
	}
	if ip := net.ParseIP(rest); ip != nil {
		bits := 128
		if ip.To4() != nil {
			ip, bits = ip.To4(), 32
		}
		d.Net = &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}
		return d, nil
	}
	if strings.Contains(rest, "/") {
		return bad("is not a valid CIDR")
	}
	if domain, ok := strings.CutPrefix(rest, "*."); ok {
		d.Wildcard, rest = true, domain
	}
	if !hostName.MatchString(rest) || len(rest) > 253 || !d.Wildcard && net.ParseIP(rest) != nil {
		return bad("is not a valid host name")
	}
	if strings.Trim(rest, "0123456789.") == "" {
		return bad("is not a valid IP address")
	}
	d.Host = strings.ToLower(rest)
	return d, nil
}

// Validate checks a policy as the user wrote it; its errors are about
// network.allow.
func (p Policy) Validate() error {
	switch p.Mode {
	case Open:
		if len(p.Allow) > 0 {
			return fmt.Errorf("is set but network.egress is \"open\", which allows everything: set egress = \"allowlist\" to use the list, or remove allow")
		}
	case Allowlist, None:
	default:
		return fmt.Errorf("network.egress %q is not a policy: use \"open\", \"allowlist\" or \"none\"", p.Mode) // the settings refuse it first
	}
	for _, entry := range p.Allow {
		if _, err := ParseDestination(entry); err != nil {
			return err
		}
	}
	return nil
}
