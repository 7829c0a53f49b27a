package project

import (
	"os"
	"path/filepath"
	"strings"
)

// Program is the binary's name, the default applet's name and the prefix of
// every applet's own name (devenv-stop …).
const Program = "devenv"

// Dockerfile is where a project keeps its own image's Dockerfile, relative
// to the project directory (slash-separated). Its presence makes a
// directory a project before any environment ran for it.
const Dockerfile = ".devenv/Dockerfile"

// ImagePrefix starts the repository of every project's own image.
const ImagePrefix = "devenv-project-"

// HasDockerfile reports whether the directory dir holds a project's own
// Dockerfile: the one fact here that is read from the disk.
func HasDockerfile(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(Dockerfile)))
	return err == nil && !info.IsDir()
}

// IsProjectImage reports whether ref names a project's own image.
func IsProjectImage(ref string) bool { return strings.HasPrefix(ref, ImagePrefix) }

// IsContainerName reports whether name follows Docker's rule for container
// names, [a-zA-Z0-9][a-zA-Z0-9_.-]+. An engine may answer anything (a
// remote or hostile one); a name outside the rule never reaches the shell.
func IsContainerName(name string) bool {
	if len(name) < 2 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '_' && c != '.' && c != '-') {
			return false
		}
	}
	return true
}
