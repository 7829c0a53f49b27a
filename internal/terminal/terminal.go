// Package terminal decides whether devenv talks to a terminal and, when it
// does, puts it in raw mode and follows its size.
package terminal

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// Is reports whether f is a terminal. Anything that is not an *os.File (a
// buffer in a test, a pipe wrapper) is not.
func Is(v any) bool {
	f, ok := v.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// Raw puts the terminal on f into raw mode. The returned restore is safe to
// call any number of times from any path; only the first call acts.
func Raw(f *os.File) (restore func(), err error) {
	state, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return func() {}, err
	}
	var once sync.Once
	return func() { once.Do(func() { term.Restore(int(f.Fd()), state) }) }, nil
}

// Size returns the terminal size of f in rows and columns.
func Size(f *os.File) (rows, cols uint, ok bool) {
	w, h, err := term.GetSize(int(f.Fd()))
	if err != nil || w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return uint(h), uint(w), true
}

// Resizes delivers a value on each SIGWINCH until stop is called.
func Resizes() (changes <-chan struct{}, stop func()) {
	sig := make(chan os.Signal, 1)
	out := make(chan struct{}, 1)
	done := make(chan struct{})
	signal.Notify(sig, syscall.SIGWINCH)
	go func() {
		for {
			select {
			case <-sig:
				select {
				case out <- struct{}{}:
				default: // one pending resize is as good as many
				}
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			signal.Stop(sig)
			close(done)
		})
	}
}
