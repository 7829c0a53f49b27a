package applets

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"devenv/completions"
	"devenv/internal/doctor"
	"devenv/internal/images"
	"devenv/internal/toolversions"
)

var doctorApplet = applet{
	name:    "doctor",
	summary: "check the engine, images, state directory and ssh client",
	usage: `Usage: devenv doctor [--format table|json]

Say which engine devenv uses and how it was chosen (the --context flag,
DOCKER_HOST, DOCKER_CONTEXT, config.json's currentContext, the Podman
fallback or the default socket), its version, API, OS, whether it is
rootless or remote; whether devenv's images are built and current; which
tools in the image are behind what their sources serve (looked up as
devenv build --list-tools does, a few seconds at most); the state directory
and its permissions; the ssh client. Each finding names its fix. Exit status
1 when something blocks use.
`,
	flags: declare[doctorFlags],
	run:   runDoctor,
}

type doctorFlags struct{ format string }

func (f *doctorFlags) declare(s *flagSet) {
	f.format = "table"
	s.String(&f.format, "format", "F", "table (default) or json", completions.OneOf("table", "json"))
}

func runDoctor(ctx context.Context, c *call) error {
	var f doctorFlags
	fs := c.flags(&f)
	format := &f.format
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if *format != "table" && *format != "json" {
		return usageErrorf("unknown format %q: use table or json", *format)
	}
	r := doctor.Examine(ctx, doctor.Inputs{
		Engine: c.engineOptions(), Getenv: c.env, BuildContext: c.buildFS, EngineSharesFiles: c.engineSharesFiles,
	})
	if r.Engine.Info != nil {
		r.Findings = append(r.Findings, c.toolsFinding(ctx))
	}
	if *format == "json" {
		enc := json.NewEncoder(c.stdio.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		w := tabwriter.NewWriter(c.stdio.Out, 0, 4, 2, ' ', 0)
		for _, f := range r.Findings {
			fmt.Fprintf(w, "%s\t%s\t%s\n", f.Check, strings.ToUpper(f.Status), f.Detail)
			if f.Fix != "" {
				fmt.Fprintf(w, "\t\tfix: %s\n", f.Fix)
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if r.Blocked() {
		return exitStatus(1)
	}
	return nil
}

// toolsFinding says which tools of the image new environments start from
// are behind their sources, from the image's labels and the same bounded
// lookups as devenv build --list-tools.
func (c *call) toolsFinding(ctx context.Context) doctor.Finding {
	ref := c.env("DEVENV_IMAGE")
	if ref == "" {
		ref = images.DevenvRepo + ":latest"
	}
	check := "tools in " + ref
	tools, err := images.Tools(c.buildFS)
	if err != nil {
		return doctor.Finding{Check: check, Status: doctor.Warn, Detail: oneLine(err.Error())}
	}
	pins, err := c.toolPins().Load()
	if err != nil {
		return doctor.Finding{Check: check, Status: doctor.Warn, Detail: oneLine(err.Error()), Fix: "fix the user settings file"}
	}
	lookupCtx, cancel := context.WithTimeout(ctx, lookupBudget)
	defer cancel()
	newest := make(chan map[string]toolversions.Result, 1)
	go func() { newest <- c.toolSources().NewestAll(lookupCtx, tools) }()
	rows := toolversions.Rows(tools, pins, c.imageToolLabels(ctx, ref), <-newest)
	var behind []string
	for _, r := range rows {
		// Only the tools the image has (its labels say which).
		if r.Image != "" && r.Behind() {
			behind = append(behind, fmt.Sprintf("%s %s (newest %s)", r.Tool.Name, r.Image, r.Newest))
		}
	}
	if len(behind) > 0 {
		return doctor.Finding{Check: check, Status: doctor.Warn, Detail: "behind: " + strings.Join(behind, ", "), Fix: "devenv update (or devenv update TOOL...)"}
	}
	if problems := toolversions.Problems(rows); len(problems) > 0 {
		return doctor.Finding{Check: check, Status: doctor.OK, Detail: "newest versions unknown: " + strings.Join(problems, "; ")}
	}
	return doctor.Finding{Check: check, Status: doctor.OK, Detail: "no tool is behind its source (devenv build --list-tools shows each)"}
}
