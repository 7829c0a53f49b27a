package images

import (
	"devenv/internal/project"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCopySources(t *testing.T) {
	got := copySources([]byte(`FROM devenv:latest
# COPY commented.txt /x
COPY a.txt b/ /dst/
COPY --chown=devuser:devuser ./c.txt /dst/c.txt
COPY --from=builder /out /out
ADD https://example.com/x.tgz /tmp/
ADD d.tar \
    /opt/
COPY ["e f.txt", "/dst/"]
RUN echo COPY nothing
`))
	var paths []string
	for _, src := range got {
		paths = append(paths, src.path)
	}
	want := []string{"a.txt", "b", "c.txt", "d.tar", "e f.txt"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("copySources = %q, want %q", paths, want)
	}
}

func TestFromImages(t *testing.T) {
	got := fromImages([]byte(`ARG BASE=devenv
ARG VERSION=1.2
FROM ${BASE} AS build
FROM build AS again
FROM --platform=linux/amd64 golang:${VERSION}
FROM debian@sha256:abc
FROM registry.local:5000/team/img
`))
	want := []string{"devenv:latest", "golang:1.2", "debian@sha256:abc", "registry.local:5000/team/img:latest"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fromImages = %q, want %q", got, want)
	}
}

func TestDevenvPlanComposesSelectedTools(t *testing.T) {
	context := fstest.MapFS{
		"tools/tools.tsv":     {Data: []byte("# name\tsource\tset\tcheck\njq\tdebian:jq\tdefault\tjq --version\nrg\tdebian:ripgrep\tdefault\trg -V\nuv\tgithub:uv\toptional\tuv -V\n")},
		"tools/Dockerfile.jq": {Data: []byte("FROM base AS tool_jq\n")},
		"tools/Dockerfile.rg": {Data: []byte("FROM base AS tool_rg\n")},
		"tools/Dockerfile.uv": {Data: []byte("FROM base AS tool_uv\n")},
		"Dockerfile.devenv":   {Data: []byte("FROM base AS devenv\n# BEGIN TOOLS\nCOPY --from=tool_old /x /x\n# END TOOLS\nUSER devuser\n")},
	}
	plan, err := DevenvPlan(context, []string{"rg", "jq"})
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM base AS tool_jq\n\nFROM base AS tool_rg\n\nFROM base AS devenv\n# BEGIN TOOLS\n" +
		"COPY --from=tool_jq /opt/devenv/tools/jq/ /opt/devenv/tools/jq/\n" +
		"COPY --from=tool_rg /opt/devenv/tools/rg/ /opt/devenv/tools/rg/\n# END TOOLS\nUSER devuser\n"
	if string(plan.Dockerfile) != want {
		t.Fatalf("composed:\n%s\nwant:\n%s", plan.Dockerfile, want)
	}
	def, _ := DevenvPlan(context, nil)
	if strings.Contains(string(def.Dockerfile), "tool_uv") || !strings.Contains(string(def.Dockerfile), "tool_rg") {
		t.Fatalf("default set wrong:\n%s", def.Dockerfile)
	}
	if def.Inputs != plan.Inputs {
		t.Fatal("the default set and the same tools named differ")
	}
	if jqOnly, _ := DevenvPlan(context, []string{"jq"}); jqOnly.Inputs == plan.Inputs {
		t.Fatal("different tool sets share an inputs hash")
	}
	if _, err := DevenvPlan(context, []string{"nope"}); err == nil {
		t.Fatal("unknown tool accepted")
	}
}

func TestProjectInputsFollowCopiedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".devenv/Dockerfile", "FROM devenv:latest\nCOPY conf/ /etc/conf/\n")
	write("conf/a", "1")
	write("other", "x")
	inputs := func() string {
		p, err := ProjectPlan(dir, "devenv-project-x-y")
		if err != nil {
			t.Fatal(err)
		}
		return p.Inputs
	}
	first := inputs()
	write("other", "changed")
	if inputs() != first {
		t.Fatal("a file the Dockerfile does not copy changed the inputs")
	}
	write("conf/a", "2")
	if inputs() == first {
		t.Fatal("a copied file changed but the inputs did not")
	}
}

func TestIgnoreRules(t *testing.T) {
	rules := ignoreRules{".git", "node_modules", "*.log", "!keep.log", "**/tmp"}
	for path, want := range map[string]bool{
		".git/config": true, "node_modules/x/y.js": true, "a.log": true, "keep.log": false,
		"src/tmp/x": true, "src/main.go": false, ".devenv/Dockerfile": false,
	} {
		if got := rules.match(path); got != want {
			t.Errorf("match(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestProjectPlanRefusesSourcesOutside(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("s"), 0o644)
	for _, copy := range []string{
		"COPY ../secret /x",
		"ADD /etc/passwd /x",
		`COPY ["../secret", "/x"]`,
		"COPY --chown=1:1 a/../../secret /x",
		"COPY link/secret /x",
		"COPY l* /x",
	} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, ".devenv"), 0o755)
		os.Symlink(outside, filepath.Join(dir, "link"))
		os.WriteFile(filepath.Join(dir, project.Dockerfile), []byte("FROM devenv:latest\n"+copy+"\n"), 0o644)
		_, err := ProjectPlan(dir, "devenv-project-x-y")
		if err == nil || !strings.Contains(err.Error(), "outside the project") || !strings.Contains(err.Error(), strings.Fields(copy)[0]) {
			t.Errorf("%s: err = %v, want it refused as outside the project", copy, err)
		}
	}
}
