package environment

import (
	"os"
	"syscall"
)

// FaultVariable names a point of a start at which devenv kills itself with
// SIGKILL, for the fault scenarios that prove an interrupted start never
// wedges a project: "locked" (the start lock is held), "created" (the
// container exists, not started) or "started" (it runs, not yet inspected).
const FaultVariable = "DEVENV_TEST_DIE_AT"

// faultPoint dies here when the fault scenarios ask for it.
func faultPoint(getenv func(string) string, point string) {
	if getenv(FaultVariable) == point {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // SIGKILL is not delivered synchronously; never go on
	}
}
