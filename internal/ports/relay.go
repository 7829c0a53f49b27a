package ports

import (
	"context"
	_ "embed"
	"net"
	"strconv"
	"sync"
)

// Both kinds of forward end in the same relay, a small Perl program run
// inside the environment by Debian's Essential perl-base (so every
// Debian-based image has it, no tool is added to the image, and nothing is
// written here that the engine already does):
//
//   - `devenv port` listens on the host and, per connection, runs
//     `relay stdio PORT` through the engine's exec API (as ssh-proxy does),
//     so it needs no published port and works with a remote engine.
//   - The `ports` setting publishes one container port per forward on
//     127.0.0.1 when the environment is created, and starts
//     `relay listen` inside right after it starts. The relay is a process of
//     the environment and the published port belongs to its container: when
//     the environment stops, the engine kills the one and removes the other
//     with the container. No host process holds a port, so none can outlive
//     the environment, and none has to stay in the foreground.
//
// Either way the relay connects to 127.0.0.1 and then [::1] inside, since
// dev servers bound to "localhost" listen on one or the other, never on the
// address a published port reaches.
//
//go:embed relay.pl
var relayScript string

// StdioRelay is the command that bridges its stdin and stdout to port on
// the environment's localhost; it exits NothingListens when nothing does.
func StdioRelay(port int) []string {
	return []string{"perl", "-e", relayScript, "stdio", strconv.Itoa(port)}
}

// NothingListens is StdioRelay's exit code when no server listens on the
// port on either loopback address.
const NothingListens = 3

// firstRelayPort is where the ports setting's relays listen inside, one
// port per forward: above the kernel's ephemeral range (32768-60999), so
// no outgoing connection of the environment holds it, and high enough that
// dev servers do not pick it.
const firstRelayPort = 61000

// RelayPort is the container port the i-th forward of the ports setting is
// published from.
func RelayPort(i int) int { return firstRelayPort + i }

// ListenRelay is the command that, inside the environment, listens on the
// relay port of each forward and returns once all are bound, leaving a
// daemon that serves them.
func ListenRelay(forwards []Forward) []string {
	argv := []string{"perl", "-e", relayScript, "listen"}
	for i, f := range forwards {
		argv = append(argv, strconv.Itoa(RelayPort(i))+":"+strconv.Itoa(f.Port))
	}
	return argv
}

// Serve accepts connections on l until ctx ends and hands each to relay,
// closing it afterwards; it returns once every connection has ended.
func Serve(ctx context.Context, l net.Listener, relay func(ctx context.Context, conn net.Conn)) {
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	for {
		conn, err := l.Accept()
		if err != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			relay(ctx, conn)
		}()
	}
	wg.Wait()
}

// Script is the relay program, for `perl -e`.
func Script() string { return relayScript }
