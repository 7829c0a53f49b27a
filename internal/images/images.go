// Package images turns devenv's build context (embedded in the binary, or a
// directory) and a project's .devenv/Dockerfile into image builds: which
// Dockerfile, which inputs, which tags, and whether an image is stale.
package images

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Image repositories devenv builds.
const (
	BaseRepo    = "devenv-base"
	DevenvRepo  = "devenv"
	ToolPrefix  = "devenv-tool-"
	InputsLabel = "devenv.inputs" // sha256 of what an image was built from
)

// Plan is one image to build.
type Plan struct {
	Repo         string            // repository; tagged :latest and :<yyyymmdd.hhmmss>
	Dockerfile   []byte            // for embedded builds, the whole text
	Files        map[string][]byte // for embedded builds, context files beside it
	ContextDir   string            // for project builds: the directory sent as context
	DockerfileIn string            // for project builds: the Dockerfile's path in ContextDir
	Target       string            // stage to stop at, for single tools
	Args         map[string]string // build arguments
	Inputs       string            // sha256 of everything the image is built from
	Needs        []string          // images that must exist first (FROM)
	Tools        []Tool            // the tools it installs, in list order
	Labels       map[string]string // labels beyond devenv's own (tool versions)
}

// Latest is the :latest reference of the plan's image.
func (p Plan) Latest() string { return p.Repo + ":latest" }

// Tags are the references a build writes.
func (p Plan) Tags(now time.Time) []string {
	return []string{p.Repo + ":" + now.UTC().Format("20060102.150405"), p.Latest()}
}

// Tool is one entry of tools/tools.tsv.
type Tool struct {
	Name    string
	Source  string // debian:jq, npm:opencode-ai, go:golang.org/toolchain, …
	Default bool   // in the default set
	Check   string // a command that proves it works
	Version Versioned
}

// Tools reads tools/tools.tsv from the build context.
func Tools(context fs.FS) ([]Tool, error) {
	data, err := fs.ReadFile(context, "tools/tools.tsv")
	if err != nil {
		return nil, fmt.Errorf("read the tool list: %w", err)
	}
	var tools []Tool
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("tools/tools.tsv: bad line %q", line)
		}
		t := Tool{Name: f[0], Source: f[1], Default: f[2] == "default"}
		if len(f) > 3 {
			t.Check = f[3]
		}
		tools = append(tools, t)
	}
	readVersions(context, tools)
	return tools, nil
}

// DefaultTools names the tools of the default set, in list order.
func DefaultTools(tools []Tool) []string {
	var names []string
	for _, t := range tools {
		if t.Default {
			names = append(names, t.Name)
		}
	}
	return names
}

// Templates names the project templates of the build context, sorted.
func Templates(context fs.FS) []string {
	entries, _ := fs.ReadDir(context, "templates")
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutPrefix(e.Name(), "Dockerfile."); ok && !e.IsDir() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Template returns a project template's Dockerfile.
func Template(context fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(context, path.Join("templates", "Dockerfile."+name))
	if err != nil {
		return nil, fmt.Errorf("no template %q: `devenv new --list` lists them", name)
	}
	return data, nil
}

// UserIDs are the IDs devuser gets, so files in /workspaces belong to the
// user on the host. Root on the host maps to 1000: devuser is never UID 0.
func UserIDs() (uid, gid int) {
	uid, gid = os.Getuid(), os.Getgid()
	if uid == 0 || gid == 0 {
		return 1000, 1000
	}
	return uid, gid
}

// BasePlan builds Dockerfile.base for the host user's IDs, with the host's
// extra CA certificates: behind a proxy that inspects TLS (common at work),
// npm, the go command and curl in the environment need them as the host does.
func BasePlan(context fs.FS) (Plan, error) {
	dockerfile, err := fs.ReadFile(context, "Dockerfile.base")
	if err != nil {
		return Plan{}, fmt.Errorf("read Dockerfile.base: %w", err)
	}
	uid, gid := UserIDs()
	args := map[string]string{"USER_UID": strconv.Itoa(uid), "USER_GID": strconv.Itoa(gid)}
	files, err := hostCACertificates(HostCADir)
	if err != nil {
		return Plan{}, err
	}
	var contents [][]byte
	for _, name := range sortedKeys(files) {
		contents = append(contents, append([]byte(name+"\x00"), files[name]...))
	}
	return Plan{Repo: BaseRepo, Dockerfile: dockerfile, Files: files, Args: args, Inputs: inputs(dockerfile, args, contents...)}, nil
}

// HostCADir is where Debian-like hosts keep locally added CA certificates.
const HostCADir = "/usr/local/share/ca-certificates"

// CAContextDir is where the base build finds the host's CA certificates in
// its context; Dockerfile.base copies it whether or not it holds any.
const CAContextDir = "ca-certificates"

// hostCACertificates reads the .crt files under dir, none when there is no
// dir. One that cannot be read is an error: the base image would lack it.
func hostCACertificates(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case p == dir && errors.Is(err, fs.ErrNotExist):
			return filepath.SkipAll
		case err != nil:
			return err
		case d.IsDir() || !strings.HasSuffix(p, ".crt"):
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[CAContextDir+"/"+strings.ReplaceAll(strings.TrimPrefix(p, dir+"/"), "/", "-")] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the host's CA certificates for the base image: %w: make it readable, or remove it", err)
	}
	return files, nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DevenvPlan composes the tool stages and Dockerfile.devenv for the given
// tools (the default set when empty) into one Dockerfile, as
// Dockerfile.devenv's header describes.
func DevenvPlan(context fs.FS, names []string) (Plan, error) {
	tools, err := Tools(context)
	if err != nil {
		return Plan{}, err
	}
	if len(names) == 0 {
		names = DefaultTools(tools)
	}
	selected, err := selectTools(tools, names)
	if err != nil {
		return Plan{}, err
	}
	devenv, err := fs.ReadFile(context, "Dockerfile.devenv")
	if err != nil {
		return Plan{}, fmt.Errorf("read Dockerfile.devenv: %w", err)
	}
	var b bytes.Buffer
	for _, t := range selected {
		stage, err := fs.ReadFile(context, "tools/Dockerfile."+t.Name)
		if err != nil {
			return Plan{}, fmt.Errorf("read the Dockerfile of tool %s: %w", t.Name, err)
		}
		b.Write(stage)
		b.WriteString("\n")
	}
	block, err := replaceToolBlock(devenv, selected)
	if err != nil {
		return Plan{}, err
	}
	b.Write(block)
	plan := Plan{Repo: DevenvRepo, Dockerfile: b.Bytes(), Needs: []string{BaseRepo + ":latest"},
		Tools: selected, Labels: map[string]string{ToolsLabel: toolSetLabel(selected)}}
	return plan.WithPins(nil)
}

// ToolPlan builds one tool's stage alone, as devenv-tool-<name>.
func ToolPlan(context fs.FS, name string) (Plan, error) {
	tools, err := Tools(context)
	if err != nil {
		return Plan{}, err
	}
	selected, err := selectTools(tools, []string{name})
	if err != nil {
		return Plan{}, err
	}
	stage, err := fs.ReadFile(context, "tools/Dockerfile."+name)
	if err != nil {
		return Plan{}, fmt.Errorf("read the Dockerfile of tool %s: %w", name, err)
	}
	plan := Plan{Repo: ToolPrefix + name, Dockerfile: stage, Target: StageName(name), Needs: []string{BaseRepo + ":latest"},
		Tools: selected, Labels: map[string]string{ToolsLabel: name}}
	return plan.WithPins(nil)
}

// StageName is a tool's stage in the composed Dockerfile.
func StageName(tool string) string { return "tool_" + strings.ReplaceAll(tool, "-", "_") }

func selectTools(tools []Tool, names []string) ([]Tool, error) {
	byName := map[string]Tool{}
	for _, t := range tools {
		byName[t.Name] = t
	}
	want := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if _, ok := byName[n]; !ok {
			return nil, fmt.Errorf("unknown tool %q: `devenv build --list-tools` lists them", n)
		}
		want[n] = true
	}
	var out []Tool // in list order, whatever order they were asked in
	for _, t := range tools {
		if want[t.Name] {
			out = append(out, t)
		}
	}
	return out, nil
}

const beginTools, endTools = "# BEGIN TOOLS", "# END TOOLS"

// replaceToolBlock rewrites the lines between the TOOLS markers to one COPY
// per selected tool.
func replaceToolBlock(devenv []byte, tools []Tool) ([]byte, error) {
	// The markers count only as whole lines: the file's header names them.
	text := "\n" + string(devenv)
	begin := strings.Index(text, "\n"+beginTools+"\n")
	end := strings.Index(text, "\n"+endTools+"\n")
	if begin < 0 || end < begin {
		return nil, fmt.Errorf("Dockerfile.devenv has no %q … %q block", beginTools, endTools)
	}
	var b strings.Builder
	b.WriteString(text[1 : begin+len(beginTools)+2])
	for _, t := range tools {
		fmt.Fprintf(&b, "COPY --from=%s /opt/devenv/tools/%s/ /opt/devenv/tools/%s/\n", StageName(t.Name), t.Name, t.Name)
	}
	b.WriteString(text[end+1:])
	return []byte(b.String()), nil
}

// inputs hashes a Dockerfile with its build arguments and files.
func inputs(dockerfile []byte, args map[string]string, files ...[]byte) string {
	h := sha256.New()
	h.Write(dockerfile)
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "\x00arg %s=%s", k, args[k])
	}
	for _, f := range files {
		fmt.Fprintf(h, "\x00file %d\x00", len(f))
		h.Write(f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
