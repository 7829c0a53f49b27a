package terminal

import (
	"os"
	"os/signal"
	"syscall"
)

// NotifyForwarded relays to c the signals a command running on devenv's
// behalf should get when devenv gets them: SIGINT, SIGTERM, SIGHUP and
// SIGQUIT, less those devenv was started ignoring (a shell starts
// background jobs ignoring SIGINT and SIGQUIT, so that Ctrl-C does not
// reach them; it must not reach their commands either). It returns the
// function that stops the relay.
func NotifyForwarded(c chan<- os.Signal) (stop func()) {
	var sigs []os.Signal
	for _, s := range []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	signal.Notify(c, sigs...)
	return func() { signal.Stop(c) }
}
