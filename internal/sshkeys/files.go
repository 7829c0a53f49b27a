package sshkeys

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// writeNew creates path with data unless it exists already, atomically:
// a reader never sees a half-written key, and of two devenv processes that
// create the same key at once, exactly one wins and both then use its key.
// created is false when path existed.
func writeNew(path string, data []byte, perm fs.FileMode) (created bool, err error) {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrExist):
		return false, nil
	}
	// Some file systems have no hard links; exclusive create is the next
	// best thing (a racing reader may then see a short file, and says so).
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, &StateError{Path: path, Problem: "cannot create it (" + cause(err) + ")", Fix: "make its directory writable"}
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return false, &StateError{Path: path, Problem: "cannot write it (" + cause(err) + ")", Fix: "make room on its file system"}
	}
	return true, nil
}

// writeReplace replaces path with data atomically. A file bind-mounted into
// a running environment keeps its old content there: the mount holds the
// old inode, which is what a running environment should keep.
func writeReplace(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return &StateError{Path: path, Problem: "cannot replace it (" + cause(err) + ")", Fix: "make it and its directory writable, or remove it"}
	}
	return nil
}

// writeTemp writes data to a new file beside path, with mode perm whatever
// the umask.
func writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	dir := filepath.Dir(path)
	if err := mkdir(dir); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return "", &StateError{Path: dir, Problem: "cannot write in it (" + cause(err) + ")", Fix: "make it writable, or set XDG_STATE_HOME to a directory that is"}
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", &StateError{Path: dir, Problem: "cannot write in it (" + cause(err) + ")", Fix: "make room on its file system"}
	}
	return f.Name(), nil
}

// readState reads one of devenv's files; ok is false when it is missing.
func readState(path string) (data []byte, ok bool, err error) {
	data, err = os.ReadFile(path)
	switch {
	case err == nil:
		return data, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, false, nil
	}
	return nil, false, &StateError{Path: path, Problem: "cannot read it (" + cause(err) + ")", Fix: "fix its owner and mode, or remove it"}
}
