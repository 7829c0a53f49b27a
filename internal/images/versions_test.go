package images

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestVersionOf(t *testing.T) {
	for _, c := range []struct{ name, dockerfile, arg, def string }{
		{"claude-code", "ARG BASE=x\nARG CLAUDE_CODE_VERSION=2.1.332\n", "CLAUDE_CODE_VERSION", "2.1.332"},
		{"golang", "ARG GO_VERSION=1.27.3\n", "GO_VERSION", "1.27.3"},
		{"yq", "ARG GO_VERSION=1.27.3\nARG YQ_VERSION=4.54.3\n", "YQ_VERSION", "4.54.3"},
		{"jq", "RUN apt-get install jq\n", "", ""},
		{"two", "ARG A_VERSION=1\nARG B_VERSION=2\n", "", ""},
	} {
		v, _ := versionOf(c.name, []byte(c.dockerfile))
		if v.Arg != c.arg || v.Default != c.def {
			t.Errorf("%s: %+v, want %s=%s", c.name, v, c.arg, c.def)
		}
	}
}

// The shipped tool Dockerfiles: every tool whose source is a registry has
// a version argument, Debian's tools have none.
func TestShippedToolsHaveVersions(t *testing.T) {
	tools, err := Tools(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range tools {
		if tool.Pinnable() == (tool.Ecosystem() == "debian") {
			t.Errorf("%s (%s): version %+v", tool.Name, tool.Source, tool.Version)
		}
	}
}

func pinContext() fstest.MapFS {
	return fstest.MapFS{
		"tools/tools.tsv":          {Data: []byte("jq\tdebian:jq\tdefault\tjq --version\nnpmtool\tnpm:npmtool\tdefault\tnpmtool --version\nother\tnpm:other\toptional\tother -v\n")},
		"tools/Dockerfile.jq":      {Data: []byte("FROM base AS tool_jq\n")},
		"tools/Dockerfile.npmtool": {Data: []byte("FROM base AS tool_npmtool\nARG NPMTOOL_VERSION=1.0.0\n")},
		"tools/Dockerfile.other":   {Data: []byte("FROM base AS tool_other\nARG OTHER_VERSION=3.0.0\n")},
		"Dockerfile.devenv":        {Data: []byte("FROM base AS devenv\n# BEGIN TOOLS\n# END TOOLS\n")},
	}
}

func TestPinsBecomeArgsLabelsAndInputs(t *testing.T) {
	plan, err := DevenvPlan(pinContext(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Labels[ToolLabelPrefix+"npmtool"] != "1.0.0" || plan.Labels[ToolsLabel] != "jq,npmtool" || len(plan.Args) != 0 {
		t.Fatalf("defaults: labels %v args %v", plan.Labels, plan.Args)
	}
	pinned, err := plan.WithPins(map[string]string{"npmtool": "0.9.0", "other": "2.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	if pinned.Args["NPMTOOL_VERSION"] != "0.9.0" || pinned.Labels[ToolLabelPrefix+"npmtool"] != "0.9.0" {
		t.Fatalf("pinned: labels %v args %v", pinned.Labels, pinned.Args)
	}
	if _, ok := pinned.Args["OTHER_VERSION"]; ok {
		t.Fatal("a pin of a tool outside the set became a build argument")
	}
	if pinned.Inputs == plan.Inputs {
		t.Fatal("a pin did not change the inputs")
	}
	if plan.Labels[ToolLabelPrefix+"npmtool"] != "1.0.0" {
		t.Fatal("WithPins changed the plan it was called on")
	}
}

func TestCheckPins(t *testing.T) {
	tools, _ := Tools(pinContext())
	var pe *PinError
	for pins, reason := range map[string]string{
		"nope=1":        "no such tool",
		"jq=1.7":        "cannot be pinned",
		"npmtool=1;ls":  "not a version",
		"npmtool=":      "not a version",
		"other=$(true)": "not a version",
	} {
		name, v, _ := strings.Cut(pins, "=")
		err := CheckPins(tools, map[string]string{name: v})
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), reason) {
			t.Errorf("%s: %v, want %q", pins, err, reason)
		}
	}
	if err := CheckPins(tools, map[string]string{"npmtool": "1.2.3-beta.1+x"}); err != nil {
		t.Error(err)
	}
}

// Every build (devenv build, the first-use build) goes through
// Builder.pinned: all the user's pins are checked, and the source is asked
// only about the versions devenv did not pin itself.
func TestBuilderPinned(t *testing.T) {
	var asked []string
	b := Builder{
		Context: pinContext(),
		Pins:    func() (map[string]string, error) { return map[string]string{"npmtool": "0.9.0", "other": "2.0.0"}, nil },
		HasVersion: func(_ context.Context, tool Tool, version string) error {
			asked = append(asked, tool.Name+"@"+version)
			if version == "0.9.0" {
				return nil
			}
			return errors.New("no such version")
		},
	}
	plan, _ := DevenvPlan(pinContext(), nil)
	pinned, err := b.pinned(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if pinned.Args["NPMTOOL_VERSION"] != "0.9.0" || strings.Join(asked, ",") != "npmtool@0.9.0" {
		t.Fatalf("args %v, asked %v", pinned.Args, asked)
	}
	withOther, _ := DevenvPlan(pinContext(), []string{"other"})
	if _, err := b.pinned(context.Background(), withOther); err == nil || err.Error() != "no such version" {
		t.Fatalf("a version the source lacks: %v", err)
	}
	b.Pins = func() (map[string]string, error) { return map[string]string{"nope": "1"}, nil }
	if _, err := b.pinned(context.Background(), withOther); err == nil || !strings.Contains(err.Error(), "no such tool") {
		t.Fatalf("a pin of an unknown tool, even outside the plan: %v", err)
	}
	base := Plan{Repo: BaseRepo}
	if _, err := b.pinned(context.Background(), base); err != nil {
		t.Fatalf("a plan without tools: %v", err)
	}
}
