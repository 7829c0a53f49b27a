package egress

import (
	"fmt"
	"strconv"

	"devenv/internal/ports"
)

// GatewayLabel names, on a gateway container, the environment it serves;
// gateways carry devenv=true but no project, so they are never listed as
// environments.
const GatewayLabel = "devenv.gateway-for"

// GatewayName is the gateway container of the environment name.
func GatewayName(env string) string { return env + "-egress" }

// NetworkName is the internal network of the environment name.
func NetworkName(env string) string { return env + "-internal" }

// ProxyURL is how the environment reaches its proxy: by the gateway's name
// on their network.
func ProxyURL(env string) string {
	return "http://" + GatewayName(env) + ":" + strconv.Itoa(ProxyPort)
}

// ProxyEnv is what every way into the environment carries, for the tools
// that read proxy variables (npm, pip, go, git, curl, Claude Code) in both
// spellings. Unsetting them gains nothing: there is no other way out.
func ProxyEnv(env string) []string {
	url := ProxyURL(env)
	noProxy := "localhost,127.0.0.1,::1"
	return []string{
		"HTTP_PROXY=" + url, "HTTPS_PROXY=" + url, "http_proxy=" + url, "https_proxy=" + url,
		"NO_PROXY=" + noProxy, "no_proxy=" + noProxy,
	}
}

// gatewayScript runs in the gateway: Squid with devenv's configuration,
// the relays that carry the published ports in to the environment, and a
// watch that ends the gateway (and so its ports) once the environment's
// name no longer resolves on their network, however the environment ended.
const gatewayScript = `set -e
env=$1 conf=$2 relay=$3
shift 3
printf '%s' "$conf" > /etc/squid/devenv.conf
perl -e "$relay" listen "$@"
squid -N -f /etc/squid/devenv.conf &
exec perl -e '
  my ($env, $seen, $missing) = ($ARGV[0], 0, 0);
  for (my $t = 0; ; $t++) {
    if (gethostbyname($env)) { ($seen, $missing) = (1, 0) } else { $missing++ }
    exit 0 if $seen ? $missing >= 2 : $t >= 60;
    sleep 1;
  }' "$env"
`

// SSHRelayPort is the gateway's port that is published as the
// environment's SSH port.
const SSHRelayPort = 22

// GatewayCommand is the gateway's main process for env with policy p and
// the ports setting's forwards, serving proxy clients from the ranges in
// clients: the gateway's SSHRelayPort leads to the
// environment's sshd, its RelayPort(i) to the environment's own relay.
func GatewayCommand(env string, p Policy, clients []string, forwards []ports.Forward) ([]string, error) {
	conf, err := SquidConfig(p, clients)
	if err != nil {
		return nil, err
	}
	argv := []string{"/bin/sh", "-c", gatewayScript, "gateway", env, conf, ports.Script(),
		fmt.Sprintf("%d:%s:22", SSHRelayPort, env)}
	for i := range forwards {
		argv = append(argv, fmt.Sprintf("%d:%s:%d", ports.RelayPort(i), env, ports.RelayPort(i)))
	}
	return argv, nil
}
