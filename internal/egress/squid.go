package egress

import (
	"fmt"
	"net"
	"regexp"
	"strings"
)

// ProxyPort is where Squid listens in the gateway.
const ProxyPort = 3128

// AccessLog is Squid's log in the gateway, in logFormat.
const AccessLog = "/var/log/squid/access.log"

// logFormat: time, Squid's result (TCP_DENIED, TCP_TUNNEL, …), HTTP status,
// method, host, port.
const logFormat = "%ts %Ss %>Hs %rm %>rd %>rP"

// SquidConfig is the whole of Squid's configuration for p: no cache, no
// rule but p's, everything else refused. Hosts and IPs are matched as
// written (-n): Squid never resolves a name to decide, so a refused name is
// not even looked up. Only clients from the ranges in clients (the
// environment's internal network) are served, not the gateway's neighbours
// on the outside network.
func SquidConfig(p Policy, clients []string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, `http_port %d
pid_filename /run/squid.pid
cache deny all
cache_mem 8 MB
logformat devenv %s
access_log stdio:%s logformat=devenv
cache_log stdio:/var/log/squid/cache.log
coredump_dir /var/spool/squid
shutdown_lifetime 1 seconds
via off
forwarded_for delete
httpd_suppress_version_string on
`, ProxyPort, logFormat, AccessLog)
	for _, c := range clients {
		if _, _, err := net.ParseCIDR(c); err != nil {
			return "", fmt.Errorf("client range %q: %w", c, err)
		}
	}
	if len(clients) > 0 {
		fmt.Fprintf(&b, "acl inside src %s\nhttp_access deny !inside\n", strings.Join(clients, " "))
	}
	if p.Mode == Allowlist {
		for i, entry := range p.Allow {
			d, err := ParseDestination(entry)
			if err != nil {
				return "", err
			}
			switch {
			case d.Net != nil:
				fmt.Fprintf(&b, "acl dest%d dst -n %s\n", i, d.Net)
			case d.Wildcard:
				fmt.Fprintf(&b, "acl dest%d dstdom_regex -n -i %s\n", i, `\.`+regexp.QuoteMeta(d.Host)+`$`)
			default:
				fmt.Fprintf(&b, "acl dest%d dstdomain -n %s\n", i, d.Host)
			}
			if d.Port != 0 {
				fmt.Fprintf(&b, "acl port%d port %d\nhttp_access allow dest%d port%d\n", i, d.Port, i, i)
			} else {
				fmt.Fprintf(&b, "http_access allow dest%d\n", i)
			}
		}
	}
	b.WriteString("http_access deny all\n")
	return b.String(), nil
}
