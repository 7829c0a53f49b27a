package environment

import (
	"fmt"

	"devenv/internal/engine"
)

// RemoteEngineError: the engine runs on another machine, so it cannot
// bind-mount a directory of this one; nothing was created.
type RemoteEngineError struct {
	Endpoint engine.Endpoint
	Dir      string
}

func (e *RemoteEngineError) Error() string {
	// When devenv clone lands, this is where it is pointed to.
	return fmt.Sprintf("%s is a remote engine: it cannot mount %s from this machine, and nothing was created; "+
		"run devenv on the engine's machine, or, if that engine sees this machine's paths, set engine_shares_files = true in your devenv config.toml",
		e.Endpoint.Describe(), e.Dir)
}

// checkSharesFiles refuses, before anything is created, to start a project
// directory's environment on an engine that cannot see it.
// sharesFiles is the user's engine_shares_files setting.
func checkSharesFiles(eng *engine.Client, dir string, sharesFiles bool) error {
	ep := eng.Endpoint()
	if !ep.Remote() || sharesFiles {
		return nil
	}
	return &RemoteEngineError{Endpoint: ep, Dir: dir}
}
