// Package project holds the facts of a devenv project: how a project
// directory maps to its identity (the container name, the project label and
// the image), which directory a path belongs to, and the names devenv gives
// things. Identities are pure: the same path always yields the same one, and
// every one is valid for Docker.
package project

import (
	"fmt"
	"hash/fnv"
	"path"
	"strings"
)

// DefaultImage is the image for projects without a .devenv/Dockerfile.
const DefaultImage = "devenv:latest"

// WorkspaceRoot is where projects are mounted inside an environment.
const WorkspaceRoot = "/workspaces"

// Identity is everything devenv derives from a project's canonical path.
type Identity struct {
	Path      string // canonical host path, absolute and symlink-free
	Name      string // container name: devenv-<parent>-<basename>
	Label     string // value of the devenv.project label: <parent>/<basename>
	Workspace string // mount point inside the container: /workspaces/<basename>
	Hostname  string // container hostname, what the shell prompt shows
}

// Identify derives the identity of the project at canonicalPath, which must be
// absolute (the caller resolves symlinks).
func Identify(canonicalPath string) Identity {
	clean := path.Clean("/" + canonicalPath)
	base := path.Base(clean)
	parent := path.Base(path.Dir(clean))
	if base == "/" {
		base = ""
	}
	if parent == "/" || parent == "." {
		parent = ""
	}

	id := Identity{Path: clean}
	switch {
	case base == "": // the root directory itself
		id.Name = "devenv-root"
		id.Label = "/"
		id.Workspace = WorkspaceRoot + "/root"
		id.Hostname = "root"
	case parent == "":
		id.Name = "devenv-" + nameSegment(base)
		id.Label = base
		id.Workspace = WorkspaceRoot + "/" + base
		id.Hostname = hostnameOf(base)
	default:
		id.Name = "devenv-" + nameSegment(parent) + "-" + nameSegment(base)
		id.Label = parent + "/" + base
		id.Workspace = WorkspaceRoot + "/" + base
		id.Hostname = hostnameOf(base)
	}
	return id
}

// ProjectImage is the image built from <project>/.devenv/Dockerfile.
func (id Identity) ProjectImage() string {
	return ImagePrefix + strings.TrimPrefix(imageComponent(id.Name), "devenv-") + ":latest"
}

// maxSegment keeps names well under Docker's and the kernel's limits while
// staying readable; longer segments are cut and made unique by a hash.
const maxSegment = 48

// nameSegment sanitises one path element to Docker's container-name alphabet
// [a-zA-Z0-9_.-]; it is never empty.
func nameSegment(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r < 128 && (r == '_' || r == '.' || r == '-' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
		if !ok || r == '-' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" || len(out) > maxSegment {
		return shorten(out, s)
	}
	return out
}

// shorten keeps a recognisable prefix and appends a hash of the original, so
// names that had to be cut or were mostly unrepresentable stay distinct.
func shorten(sanitised, original string) string {
	h := fnv.New32a()
	h.Write([]byte(original))
	sum := fmt.Sprintf("%08x", h.Sum32())
	if len(sanitised) > maxSegment-9 {
		sanitised = strings.TrimRight(sanitised[:maxSegment-9], "-._")
	}
	if sanitised == "" {
		return "x" + sum
	}
	return sanitised + "-" + sum
}

// imageComponent lowers a container name into the stricter alphabet of an
// image reference path component: [a-z0-9] runs joined by single dashes.
func imageComponent(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
		}
		dash = true
	}
	return strings.Trim(b.String(), "-")
}

// hostnameOf gives a valid RFC 1123 label for the container's hostname.
func hostnameOf(base string) string {
	h := imageComponent(base)
	if len(h) > 63 {
		h = strings.TrimRight(h[:63], "-")
	}
	if h == "" {
		return "devenv"
	}
	return h
}
