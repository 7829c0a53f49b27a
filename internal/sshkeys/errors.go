package sshkeys

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// StateError is a file of devenv's SSH state that cannot be used as it is,
// with what to do about it. devenv never works around such a file: a key
// it cannot trust is reported, not quietly replaced.
type StateError struct {
	Path    string
	Problem string
	Fix     string
}

func (e *StateError) Error() string { return fmt.Sprintf("%s: %s: %s", e.Path, e.Problem, e.Fix) }

// cause is an OS error without the path the StateError already names.
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return strings.TrimSpace(err.Error())
}
