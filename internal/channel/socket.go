package channel

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
)

// Dir is where the holders' sockets and locks live: inside devenv's SSH
// state directory, private to the user.
func Dir(stateDir string) string { return filepath.Join(stateDir, "channels") }

// SocketPath is the socket of the holder for the environment called name.
func SocketPath(stateDir, name string) string {
	return filepath.Join(Dir(stateDir), name+".sock")
}

func lockPath(stateDir, name string) string {
	return filepath.Join(Dir(stateDir), name+".lock")
}

// privateDir creates dir 0700 and refuses one that others could enter or
// that belongs to someone else: its sockets run commands as the user.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || info.Mode().Perm()&0o077 != 0 || !ok || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s is not a directory private to this user", dir)
	}
	return nil
}

// sunPathMax is what a socket path may hold (sun_path, less the NUL).
const sunPathMax = 107

// viaShortPath calls f with path, or, when path is too long for a socket
// address, with the same file reached through the open directory's
// /proc/self/fd entry.
func viaShortPath(path string, f func(string) error) error {
	if len(path) <= sunPathMax {
		return f(path)
	}
	dir, err := os.OpenFile(filepath.Dir(path), os.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		return err
	}
	defer dir.Close()
	short := fmt.Sprintf("/proc/self/fd/%d/%s", dir.Fd(), filepath.Base(path))
	if len(short) > sunPathMax {
		return fmt.Errorf("socket name too long: %s", path)
	}
	return f(short)
}

func dialSocket(path string) (*net.UnixConn, error) {
	var c *net.UnixConn
	err := viaShortPath(path, func(p string) error {
		var err error
		c, err = net.DialUnix("unix", nil, &net.UnixAddr{Name: p, Net: "unix"})
		return err
	})
	return c, err
}

// listenSocket binds path, replacing a socket nobody listens on any more
// (the caller holds the lock, so no live holder owns it).
func listenSocket(path string) (*net.UnixListener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var l *net.UnixListener
	err := viaShortPath(path, func(p string) error {
		var err error
		l, err = net.ListenUnix("unix", &net.UnixAddr{Name: p, Net: "unix"})
		return err
	})
	if err != nil {
		return nil, err
	}
	l.SetUnlinkOnClose(false) // the short name is gone by then; Serve removes path
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// lock takes the holder's lock for name without waiting; ok is false when
// another holder has it. Closing the file releases it.
func lock(stateDir, name string) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(lockPath(stateDir, name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return f, true, nil
}
