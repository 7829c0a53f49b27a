package applets

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"devenv/completions"
	"devenv/internal/engine"
	"devenv/internal/images"
	"devenv/internal/toolversions"
)

var updateApplet = applet{
	name:    "update",
	summary: "move tools to their newest versions and rebuild devenv:latest",
	usage: `Usage: devenv update [--check] [--tag NAME] [TOOL...]

Look up the newest version of each named tool (default: every tool of the
image whose version devenv pins) at its source (npm registry, Go module
proxy), record them as your pins in the user settings file
([tools] versions in $XDG_CONFIG_HOME/devenv/config.toml) and rebuild
devenv:latest with the image's tools; only the stages of the tools that
changed rebuild. A failed build keeps the old image and the old pins.
Environments still running on the old image show as stale in 'devenv list'.
To hold a tool back, pin its version in the settings file yourself.
`,
	flags: declare[updateFlags],
	run:   runUpdate,
}

type updateFlags struct {
	tag, context   string
	check, verbose bool
}

func (f *updateFlags) declare(s *flagSet) {
	s.Bool(&f.check, "check", "report what is behind; look up, but change and build nothing")
	s.String(&f.tag, "tag", "NAME", "update NAME:latest instead of devenv:latest", completions.AnyWord())
	s.String(&f.context, "context", "DIR", "build from DIR instead of the embedded context", completions.Directories())
	s.Bool(&f.verbose, "v", "print the full build log")
}

// updateLookupBudget bounds the look-ups of an explicit update, which
// waits for all of them: a little longer than a listing's.
const updateLookupBudget = 20 * time.Second

func runUpdate(ctx context.Context, c *call) error {
	var f updateFlags
	flags := c.flags(&f)
	if err := c.parseFlags(flags, c.args); err != nil {
		return err
	}
	if strings.Contains(f.tag, ":") {
		return usageErrorf("--tag takes a name without a tag: devenv adds :latest and a timestamp")
	}
	buildFS := c.buildContext(f.context)
	tools, err := images.Tools(buildFS)
	if err != nil {
		return err
	}
	store := c.toolPins()
	pins, err := store.Load()
	if err != nil {
		return err
	}
	repo := images.DevenvRepo
	if f.tag != "" {
		repo = f.tag
	}
	ref := repo + ":latest"

	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	labels, err := eng.ImageLabels(ctx, ref)
	if err != nil && !errors.Is(err, engine.ErrNotFound) {
		return err
	}
	set, err := c.defaultTools("")
	if err != nil {
		return err
	}
	if len(set) == 0 {
		set = images.DefaultTools(tools)
	}
	if names := labels[images.ToolsLabel]; names != "" {
		set = strings.Split(names, ",")
	}
	chosen, err := toolsToUpdate(tools, set, flags.Args(), ref)
	if err != nil {
		return err
	}

	lookupCtx, cancel := context.WithTimeout(ctx, updateLookupBudget)
	newest := c.toolSources().NewestAll(lookupCtx, chosen)
	cancel()
	rows := toolversions.Rows(chosen, pins, labels, newest)
	for _, r := range rows {
		if r.NewestErr != nil {
			return fmt.Errorf("the newest version of %s is unknown: %w; nothing changed", r.Tool.Name, r.NewestErr)
		}
	}
	// The image's labels decide: an image without them (or no image)
	// needs the build whatever the pins say.
	behind := 0
	for _, r := range rows {
		switch {
		case r.Image == r.Newest:
			fmt.Fprintf(c.stdio.Out, "%s %s current\n", r.Tool.Name, r.Newest)
		case r.Image == "":
			behind++
			fmt.Fprintf(c.stdio.Out, "%s (not in %s) -> %s\n", r.Tool.Name, ref, r.Newest)
		default:
			behind++
			fmt.Fprintf(c.stdio.Out, "%s %s -> %s\n", r.Tool.Name, r.Image, r.Newest)
		}
	}
	if f.check {
		return nil
	}

	updated := map[string]string{}
	for k, v := range pins {
		updated[k] = v
	}
	for _, r := range rows {
		updated[r.Tool.Name] = r.Newest
	}
	if behind == 0 {
		fmt.Fprintf(c.stdio.Out, "%s is current\n", ref)
		if maps.Equal(pins, updated) {
			return nil
		}
		return store.Save(updated)
	}
	plan, err := images.DevenvPlan(buildFS, set)
	if err != nil {
		return err
	}
	plan.Repo = repo
	b := c.builder(eng, f.context, f.verbose, images.Options{})
	b.Pins = func() (map[string]string, error) { return updated, nil }
	if err := b.Build(ctx, plan); err != nil {
		return err
	}
	if err := store.Save(updated); err != nil {
		return err
	}
	fmt.Fprintln(c.stdio.Out, plan.Latest())
	return nil
}

// toolsToUpdate checks the named tools (none: every pinnable tool of the
// image's set) against the tool list and the image.
func toolsToUpdate(tools []images.Tool, set, names []string, ref string) ([]images.Tool, error) {
	inSet := map[string]bool{}
	for _, n := range set {
		inSet[n] = true
	}
	var chosen []images.Tool
	if len(names) == 0 {
		for _, t := range tools {
			if inSet[t.Name] && t.Pinnable() {
				chosen = append(chosen, t)
			}
		}
		return chosen, nil
	}
	for _, n := range names {
		t, err := images.FindTool(tools, n)
		switch {
		case err != nil:
			return nil, err
		case !t.Pinnable():
			return nil, fmt.Errorf("%s comes from Debian trixie, whose version devenv does not pin: `devenv build --no-cache` takes trixie's newest", n)
		case !inSet[n]:
			return nil, fmt.Errorf("%s is not in %s (its tools: %s): `devenv build --tools` chooses an image's tools", n, ref, strings.Join(set, ","))
		}
		chosen = append(chosen, t)
	}
	return chosen, nil
}
