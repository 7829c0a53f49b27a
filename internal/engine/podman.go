package engine

import (
	"strings"

	"github.com/distribution/reference"
)

// Podman's Docker-compatible API differs from Docker's in a few answers;
// they are brought to Docker's here, so nothing above this package knows
// which engine it talks to.

// familiarImage is an image reference in the docker CLI's short form, as
// Docker reports it: Podman reports docker.io/library/debian:trixie-slim for
// debian:trixie-slim, and localhost/devenv:latest for an image it built
// from devenv:latest. IDs and anything that does not parse pass unchanged.
func familiarImage(ref string) string {
	name := strings.TrimPrefix(ref, "localhost/")
	named, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return ref
	}
	return reference.FamiliarString(named)
}

// nameConflict reports whether a create failed because the name is taken:
// Docker answers 409, Podman 4 answers 500 with this sentence.
func nameConflict(msg string) bool {
	return strings.Contains(msg, "is already in use") && strings.Contains(msg, "container name")
}
