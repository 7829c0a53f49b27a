package engine

import (
	"regexp"
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

// podmanStep is a step line of Podman's (buildah's) log, with its stage
// prefix in a multi-stage build: "[2/3] STEP 3/9: RUN …".
var podmanStep = regexp.MustCompile(`(?m)^(?:\[\d+/\d+\] )?STEP (\d+/\d+): `)

// dockerBuildLog writes Podman's build log's step lines as the classic
// builder does ("Step 3/9 : RUN …"), which is what devenv build's progress
// follows. Docker's own lines pass unchanged.
func dockerBuildLog(stream string) string {
	return podmanStep.ReplaceAllString(stream, "Step $1 : ")
}

// notFound reports a Podman 500 answer that means 404: the container or
// exec session is gone (it was removed while devenv asked about it).
func notFound(msg string) bool {
	return strings.HasSuffix(msg, "no such container") || strings.HasSuffix(msg, "no such exec session")
}

// volumeExists reports Podman's refusal to create a volume that exists;
// Docker's create returns the existing one.
func volumeExists(msg string) bool {
	return strings.Contains(msg, "volume already exists")
}
