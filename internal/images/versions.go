package images

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
)

// Labels an image of devenv's carries about its tools, so list, doctor and
// `build --list-tools` know what is installed without running anything.
const (
	// ToolLabelPrefix + a tool's name is the version installed in the image.
	ToolLabelPrefix = "devenv.tool."
	// ToolsLabel is the image's tool set, comma-separated in list order, so
	// `devenv update` rebuilds the same set.
	ToolsLabel = "devenv.tools"
)

// Versioned is how a tool's version is chosen at build time: the build
// argument of its Dockerfile that holds it and the Dockerfile's default.
// Debian tools have none: their version is trixie's.
type Versioned struct {
	Arg     string // e.g. CLAUDE_CODE_VERSION
	Default string // e.g. 2.1.332
}

var versionArgLine = regexp.MustCompile(`^ARG\s+([A-Z0-9_]+_VERSION)=(\S+)\s*$`)

// versionOf finds a tool's version argument in its Dockerfile: the ARG named
// after the tool (claude-code: CLAUDE_CODE_VERSION), else the only *_VERSION
// ARG there is (golang: GO_VERSION, which Dockerfile.yq shares so both
// stages keep one toolchain layer).
func versionOf(name string, dockerfile []byte) (Versioned, bool) {
	own := strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_VERSION"
	var found []Versioned
	sc := bufio.NewScanner(bytes.NewReader(dockerfile))
	for sc.Scan() {
		if m := versionArgLine.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
			if m[1] == own {
				return Versioned{Arg: m[1], Default: strings.Trim(m[2], `"'`)}, true
			}
			found = append(found, Versioned{Arg: m[1], Default: strings.Trim(m[2], `"'`)})
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Versioned{}, false
}

// Pinnable reports whether the tool's version is chosen by a build argument.
func (t Tool) Pinnable() bool { return t.Version.Arg != "" }

// Ecosystem is the part of the source before the colon: debian, npm, go, github.
func (t Tool) Ecosystem() string {
	kind, _, _ := strings.Cut(t.Source, ":")
	return kind
}

// Package is the part of the source after the colon: the npm package, the
// Go module, the Debian packages (comma-separated) or the GitHub repository.
func (t Tool) Package() string {
	_, pkg, _ := strings.Cut(t.Source, ":")
	return pkg
}

// FindTool returns the named tool of the list.
func FindTool(tools []Tool, name string) (Tool, error) {
	for _, t := range tools {
		if t.Name == name {
			return t, nil
		}
	}
	return Tool{}, fmt.Errorf("unknown tool %q: `devenv build --list-tools` lists them", name)
}

// versionSyntax is what a pinned version may look like: it becomes a build
// argument that the tool Dockerfiles put into shell commands.
var versionSyntax = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$`)

// PinError is a pin that cannot be used: unknown tool, a tool whose
// version cannot be chosen, or a malformed version.
type PinError struct{ Tool, Version, Reason string }

func (e *PinError) Error() string {
	return fmt.Sprintf("tool version %s = %q: %s", e.Tool, e.Version, e.Reason)
}

// CheckPins refuses pins that name no tool of the list, a tool that cannot
// be pinned, or a version that is not a plain version string.
func CheckPins(tools []Tool, pins map[string]string) error {
	for _, name := range sortedNames(pins) {
		v := pins[name]
		t, err := FindTool(tools, name)
		switch {
		case err != nil:
			return &PinError{name, v, "no such tool (`devenv build --list-tools` lists them)"}
		case !t.Pinnable():
			return &PinError{name, v, "its version is Debian trixie's and cannot be pinned"}
		case !versionSyntax.MatchString(v):
			return &PinError{name, v, "not a version (digits, letters and . + _ - only)"}
		}
	}
	return nil
}

// WithPins sets the plan's tool versions: pins (tool name → version, the
// user's) override the Dockerfiles' ARG defaults. The chosen versions
// become build arguments (only the pins: the defaults are in the
// Dockerfiles already), part of the inputs, and labels on the image.
func (p Plan) WithPins(pins map[string]string) (Plan, error) {
	if len(p.Tools) == 0 {
		return p, nil
	}
	if err := CheckPins(p.Tools, selectedPins(p.Tools, pins)); err != nil {
		return Plan{}, err
	}
	args := map[string]string{}
	for k, v := range p.Args {
		args[k] = v
	}
	labels := map[string]string{}
	for k, v := range p.Labels {
		labels[k] = v
	}
	for _, t := range p.Tools {
		if !t.Pinnable() {
			continue
		}
		version := t.Version.Default
		if pin, ok := pins[t.Name]; ok {
			version = pin
			args[t.Version.Arg] = pin
		}
		labels[ToolLabelPrefix+t.Name] = version
	}
	p.Args, p.Labels = args, labels
	p.Inputs = inputs(p.Dockerfile, p.Args)
	return p, nil
}

// selectedPins is the part of pins for the plan's tools; pins of other
// tools are kept for other builds and not checked against this one.
func selectedPins(tools []Tool, pins map[string]string) map[string]string {
	out := map[string]string{}
	for _, t := range tools {
		if v, ok := pins[t.Name]; ok {
			out[t.Name] = v
		}
	}
	return out
}

// UserPins is the part of pins that differs from the Dockerfiles' defaults:
// the versions a build chooses that devenv itself did not pin.
func UserPins(tools []Tool, pins map[string]string) map[string]string {
	out := map[string]string{}
	for _, t := range tools {
		if v, ok := pins[t.Name]; ok && v != t.Version.Default {
			out[t.Name] = v
		}
	}
	return out
}

func sortedNames(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// toolSetLabel names the selected tools for ToolsLabel.
func toolSetLabel(tools []Tool) string {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Name
	}
	return strings.Join(names, ",")
}

// readVersions fills each tool's Version from its Dockerfile in context; a
// tool without a Dockerfile is left without one (plans report that).
func readVersions(context fs.FS, tools []Tool) {
	for i := range tools {
		if data, err := fs.ReadFile(context, "tools/Dockerfile."+tools[i].Name); err == nil {
			tools[i].Version, _ = versionOf(tools[i].Name, data)
		}
	}
}
