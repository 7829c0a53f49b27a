package applets

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"

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

Flags:
  --stage base|devenv  build devenv-base:latest or devenv:latest
  --tool NAME          build one tool's stage alone as devenv-tool-NAME:latest
  --tools a,b,c        build devenv:latest with just these tools
  --project PATH       build PATH/.devenv/Dockerfile, with PATH as context
  --tag NAME           tag the image NAME instead of its usual name
  --context DIR        build from DIR instead of the embedded context (also $DEVENV_CONTEXT)
  --no-cache           do not use the build cache
  --pull               pull newer base images
  -v                   print the full build log
  --list-tools         list the tools: source, set, the version pinned, the one in
                       devenv:latest (or --tag NAME) and the newest their source serves
`,
	run: runBuild,
}

func runBuild(ctx context.Context, c *call) error {
	flags := newFlagSet(c)
	stage := flags.String("stage", "", "")
	tool := flags.String("tool", "", "")
	toolList := flags.String("tools", "", "")
	projectDir := flags.String("project", "", "")
	tag := flags.String("tag", "", "")
	contextDir := flags.String("context", "", "")
	noCache := flags.Bool("no-cache", false, "")
	pull := flags.Bool("pull", false, "")
	verbose := flags.Bool("v", false, "")
	listTools := flags.Bool("list-tools", false, "")
	if err := c.parseFlags(flags, c.args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usageErrorf("unexpected argument %q", flags.Arg(0))
	}
	buildFS := c.buildContext(*contextDir)
	if *listTools {
		ref := images.DevenvRepo + ":latest"
		if *tag != "" {
			ref = *tag + ":latest"
		}
		return printTools(ctx, c, buildFS, ref)
	}
	chosen := 0
	for _, set := range []bool{*stage != "", *tool != "", *toolList != "", *projectDir != ""} {
		if set {
			chosen++
		}
	}
	if chosen > 1 && !(chosen == 2 && *stage == "devenv" && *toolList != "") {
		return usageErrorf("choose one of --stage, --tool, --tools, --project")
	}
	if *stage != "" && *stage != "base" && *stage != "devenv" {
		return usageErrorf("unknown stage %q: use base or devenv", *stage)
	}
	if strings.Contains(*tag, ":") {
		return usageErrorf("--tag takes a name without a tag: devenv adds :latest and a timestamp")
	}

	defaultTools, err := c.defaultTools(*toolList)
	if err != nil {
		return err
	}
	plan, err := buildPlan(buildFS, *stage, *tool, *toolList, *projectDir, defaultTools)
	if err != nil {
		return err
	}
	if *tag != "" {
		plan.Repo = *tag
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	b := c.builder(eng, *contextDir, *verbose, images.Options{NoCache: *noCache, Pull: *pull})
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
