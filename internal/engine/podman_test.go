package engine

import (
	"testing"
)

func TestFamiliarImage(t *testing.T) {
	for in, want := range map[string]string{
		"docker.io/library/debian:trixie-slim":    "debian:trixie-slim",
		"localhost/devenv:latest":                 "devenv:latest",
		"devenv-test:latest":                      "devenv-test:latest",
		"docker.io/me/tool:1":                     "me/tool:1",
		"ghcr.io/me/tool:1":                       "ghcr.io/me/tool:1",
		"sha256:7fca5e29a893eea80b4575759e55e29f": "sha256:7fca5e29a893eea80b4575759e55e29f",
		"7fca5e29a893eea80b4575759e55e29f2be448ddcc5019480e9758544702054d": "7fca5e29a893eea80b4575759e55e29f2be448ddcc5019480e9758544702054d",
	} {
		if got := familiarImage(in); got != want {
			t.Errorf("familiarImage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFallback(t *testing.T) {
	ep := Endpoint{Host: DefaultHost, Source: FromDefault}
	o := Options{Getenv: func(k string) string { return map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}[k] }}
	answering := map[string]bool{"unix:///run/podman/podman.sock": true, "unix:///run/user/1000/podman/podman.sock": true}
	if got := withPodmanFallback(ep, o, func(h string) bool { return answering[h] }); got.Host != "unix:///run/user/1000/podman/podman.sock" || got.Source != FromPodman {
		t.Errorf("rootless first: got %+v", got)
	}
	delete(answering, "unix:///run/user/1000/podman/podman.sock")
	if got := withPodmanFallback(ep, o, func(h string) bool { return answering[h] }); got.Host != "unix:///run/podman/podman.sock" {
		t.Errorf("rootful next: got %+v", got)
	}
	answering[DefaultHost] = true
	if got := withPodmanFallback(ep, o, func(h string) bool { return answering[h] }); got != ep {
		t.Errorf("Docker's socket answers: got %+v", got)
	}
	named := Endpoint{Host: DefaultHost, Source: FromDockerHost}
	if got := withPodmanFallback(named, o, func(h string) bool { return h != DefaultHost }); got != named {
		t.Errorf("DOCKER_HOST names the default socket: no fallback, got %+v", got)
	}
}

func TestDockerBuildLog(t *testing.T) {
	for in, want := range map[string]string{
		"STEP 3/9: RUN apt-get update\n":  "Step 3/9 : RUN apt-get update\n",
		"Step 3/9 : RUN apt-get update\n": "Step 3/9 : RUN apt-get update\n",
		"[2/3] STEP 6/10: USER devuser\n": "Step 6/10 : USER devuser\n",
		"echo STEP 1/2: inside a line\n":  "echo STEP 1/2: inside a line\n",
	} {
		if got := dockerBuildLog(in); got != want {
			t.Errorf("dockerBuildLog(%q) = %q, want %q", in, got, want)
		}
	}
}
