package main

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"devenv/internal/engine"
)

// cmdTestNet creates a network for a scenario's test hosts (the outside
// world of an environment's egress proxy, via DEVENV_EGRESS_NETWORK) and
// removes it when the scenario ends.
//
//	testnet NAME
func (d *docker) cmdTestNet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: testnet NAME")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ts.Check(d.eng.EnsureNetwork(ctx, engine.NetworkSpec{Name: args[0], Labels: map[string]string{engine.DevenvLabel: "true"}}))
	ts.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d.eng.RemoveNetwork(ctx, args[0])
	})
}

// cmdTestHost starts a test host on NET, from debian:trixie-slim: the
// scenario's httpd.pl serves HTTP on ports 80 and 443, and port 53/udp
// answers any datagram, as a resolver would. Its IP address goes in VAR.
// It is removed when the scenario ends.
//
//	testhost NET NAME VAR
func (d *docker) cmdTestHost(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: testhost NET NAME VAR")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	script := ts.ReadFile("httpd.pl")
	const udpEcho = `use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 0) or die; bind($s, pack_sockaddr_in(53, INADDR_ANY)) or die; exit 0 if fork; while (my $peer = recv($s, my $m, 512, 0)) { send($s, $m, 0, $peer) }`
	id, err := d.eng.Create(ctx, engine.ContainerSpec{
		Name: args[1], Image: "debian:trixie-slim", Network: args[0],
		Cmd: []string{"sh", "-c", `perl -e "$1" 0.0.0.0 80 && perl -e "$1" 0.0.0.0 443 && perl -e "$2" && exec sleep infinity`, "testhost", script, udpEcho},
	})
	ts.Check(err)
	ts.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d.eng.Remove(ctx, id)
	})
	ts.Check(d.eng.Start(ctx, id))
	var out bytes.Buffer
	code, err := d.eng.Exec(ctx, args[1], engine.ExecSpec{Cmd: []string{"sh", "-c", `for i in $(seq 100); do grep -q 0050 /proc/net/tcp && grep -q 01BB /proc/net/tcp && exec hostname -i; sleep 0.1; done; exit 1`}}, engine.ExecIO{Out: &out, Err: ts.Stderr()})
	ts.Check(err)
	if code != 0 {
		ts.Fatalf("test host %s did not listen", args[1])
	}
	ts.Setenv(args[2], strings.Fields(out.String())[0])
}
