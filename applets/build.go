package applets

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"devenv/completions"
	"devenv/internal/environment"
	"devenv/internal/images"
	"devenv/internal/project"
)

var buildApplet = applet{
	name:    "build",
	summary: "build devenv's images or a project's image",
	usage: `Usage: devenv build [FLAGS]

Build an image through the Docker engine from the build context embedded in
devenv (or --context DIR). With no flag, build what 'devenv .' needs here:
the project's image when ./.devenv/Dockerfile exists, else devenv:latest.
Missing prerequisites are built first. Images are tagged :latest and
:<yyyymmdd.hhmmss>; a failed build leaves the previous :latest in place.
`,
	flags: declare[buildFlags],
	run:   runBuild,
}

type buildFlags struct {
	stage, tool, tools, project, tag, context string
	noCache, pull, verbose, listTools         bool
}

func (f *buildFlags) declare(s *flagSet) {
	s.String(&f.stage, "stage", "base|devenv", "build devenv-base:latest or devenv:latest", completions.OneOf("base", "devenv"))
	s.String(&f.tool, "tool", "NAME", "build one tool's stage alone as devenv-tool-NAME:latest", completions.Tools())
	s.String(&f.tools, "tools", "a,b,c", "build devenv:latest with just these tools", completions.ToolList())
	s.String(&f.project, "project", "PATH", "build PATH/.devenv/Dockerfile, with PATH as context", completions.Directories())
	s.String(&f.tag, "tag", "NAME", "tag the image NAME instead of its usual name", completions.AnyWord())
	s.String(&f.context, "context", "DIR", "build from DIR instead of the embedded context (also $DEVENV_CONTEXT)", completions.Directories())
	s.Bool(&f.noCache, "no-cache", "do not use the build cache")
	s.Bool(&f.pull, "pull", "pull newer base images")
	s.Bool(&f.verbose, "v", "print the full build log")
	s.Bool(&f.listTools, "list-tools", "list the tools: source, set, the version pinned, the one in\ndevenv:latest (or --tag NAME) and the newest their source serves")
}

func runBuild(ctx context.Context, c *call) error {
	var f buildFlags
	flags := c.flags(&f)
	if err := c.parseFlags(flags, c.args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usageErrorf("unexpected argument %q", flags.Arg(0))
	}
	buildFS := c.buildContext(f.context)
	if f.listTools {
		ref := images.DevenvRepo + ":latest"
		if f.tag != "" {
			ref = f.tag + ":latest"
		}
		return printTools(ctx, c, buildFS, ref)
	}
	chosen := 0
	for _, set := range []bool{f.stage != "", f.tool != "", f.tools != "", f.project != ""} {
		if set {
			chosen++
		}
	}
	if chosen > 1 && !(chosen == 2 && f.stage == "devenv" && f.tools != "") {
		return usageErrorf("choose one of --stage, --tool, --tools, --project")
	}
	if f.stage != "" && f.stage != "base" && f.stage != "devenv" {
		return usageErrorf("unknown stage %q: use base or devenv", f.stage)
	}
	if strings.Contains(f.tag, ":") {
		return usageErrorf("--tag takes a name without a tag: devenv adds :latest and a timestamp")
	}

	defaultTools, err := c.defaultTools(f.tools)
	if err != nil {
		return err
	}
	plan, err := buildPlan(buildFS, f.stage, f.tool, f.tools, f.project, defaultTools)
	if err != nil {
		return err
	}
	if f.tag != "" {
		plan.Repo = f.tag
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	b := c.builder(eng, f.context, f.verbose, images.Options{NoCache: f.noCache, Pull: f.pull})
	if err := b.Build(ctx, plan); err != nil {
		return err
	}
	fmt.Fprintln(c.stdio.Out, plan.Latest())
	return nil
}

// buildPlan picks what to build from the flags; with none, what `devenv .`
// needs in the current directory.
func buildPlan(buildFS fs.FS, stage, tool, toolList, projectDir string, defaultTools []string) (images.Plan, error) {
	switch {
	case stage == "base":
		return images.BasePlan(buildFS)
	case toolList != "" || stage == "devenv":
		return images.DevenvPlan(buildFS, defaultTools)
	case tool != "":
		return images.ToolPlan(buildFS, tool)
	}
	if projectDir == "" {
		cwd, err := os.Getwd()
		if err != nil {
			return images.Plan{}, err
		}
		if !project.HasDockerfile(cwd) {
			return images.DevenvPlan(buildFS, defaultTools)
		}
		projectDir = cwd
	}
	dir, err := environment.Canonical(projectDir)
	if err != nil {
		return images.Plan{}, err
	}
	if !project.HasDockerfile(dir) {
		return images.Plan{}, fmt.Errorf("%s has no %s: create one with `devenv new %s`", projectDir, project.Dockerfile, projectDir)
	}
	return images.ProjectPlan(dir, strings.TrimSuffix(project.Identify(dir).ProjectImage(), ":latest"))
}
