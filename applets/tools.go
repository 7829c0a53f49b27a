package applets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/tabwriter"
	"time"

	"devenv/internal/images"
	"devenv/internal/settings"
	"devenv/internal/toolpins"
	"devenv/internal/toolversions"
)

// Lookups of newest versions are bounded: listing waits at most this long
// for all of them together, and checking one pin before a build as long.
const lookupBudget = 5 * time.Second

// toolPins is where the user's tool versions live: the [tools] versions
// key of the user settings file, read by the settings package (which checks
// it like every key) and rewritten, that one line only, by toolpins.
func (c *call) toolPins() toolpins.Store { return settingsPins{c.env} }

type settingsPins struct{ env Getenv }

func (p settingsPins) Load() (map[string]string, error) {
	res, err := settings.Load(settings.Request{Getenv: p.env})
	if err != nil {
		return nil, err
	}
	return res.Settings.Tools.Versions, nil
}

func (p settingsPins) Save(pins map[string]string) error {
	path := settings.UserFile(p.env)
	if path == "" {
		return errors.New("cannot record the tool versions: neither XDG_CONFIG_HOME nor HOME is an absolute path")
	}
	return toolpins.File{Path: path}.Save(pins)
}

func (c *call) toolSources() *toolversions.Sources { return toolversions.FromEnv(c.env) }

// hasVersion refuses a pin its source says it lacks; a source that cannot
// be asked lets the build try (and fail clearly if the version is missing).
func (c *call) hasVersion(ctx context.Context, t images.Tool, version string) error {
	ctx, cancel := context.WithTimeout(ctx, lookupBudget)
	defer cancel()
	err := c.toolSources().Has(ctx, t, version)
	var missing *toolversions.NoVersionError
	if errors.As(err, &missing) {
		return err
	}
	return nil
}

// imageToolLabels reads ref's labels; a missing image or engine has none.
func (c *call) imageToolLabels(ctx context.Context, ref string) map[string]string {
	eng, err := c.connect(ctx)
	if err != nil {
		return nil
	}
	defer eng.Close()
	labels, err := eng.ImageLabels(ctx, ref)
	if err != nil {
		return nil
	}
	return labels
}

// printTools lists the tools with their versions: pinned (by devenv, or by
// the user's settings), in the image ref, and the newest their sources
// serve, looked up in parallel within lookupBudget.
func printTools(ctx context.Context, c *call, buildFS fs.FS, ref string) error {
	tools, err := images.Tools(buildFS)
	if err != nil {
		return err
	}
	pins, err := c.toolPins().Load()
	if err != nil {
		return err
	}
	lookupCtx, cancel := context.WithTimeout(ctx, lookupBudget)
	defer cancel()
	newest := make(chan map[string]toolversions.Result, 1)
	go func() { newest <- c.toolSources().NewestAll(lookupCtx, tools) }()
	labels := c.imageToolLabels(ctx, ref)
	rows := toolversions.Rows(tools, pins, labels, <-newest)

	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 3, ' ', 0)
	fmt.Fprintf(tw, "TOOL\tSOURCE\tSET\tPINNED\t%s\tNEWEST\tSTATE\n", ref)
	for _, r := range rows {
		set := "optional"
		if r.Tool.Default {
			set = "default"
		}
		pinned := r.Pinned
		switch {
		case !r.Tool.Pinnable() && r.Tool.Ecosystem() == "debian":
			pinned = "trixie"
		case r.UserPin:
			pinned += " (settings)"
		}
		newestShown := r.Newest
		if newestShown == "" && !errors.Is(r.NewestErr, toolversions.ErrNotLookedUp) {
			newestShown = "?"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Tool.Name, r.Tool.Source, set,
			toolversions.Dash(pinned), toolversions.Dash(r.Image), toolversions.Dash(newestShown), r.State())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeTrimmed(c.stdio.Out, table.String())
	for _, p := range toolversions.Problems(rows) {
		fmt.Fprintf(c.stdio.Err, "%s: newest versions unknown: %s\n", c.prog, p)
	}
	return nil
}

// writeTrimmed writes a table without the padding tabwriter leaves after
// an empty last cell.
func writeTrimmed(w io.Writer, table string) {
	for _, line := range strings.SplitAfter(table, "\n") {
		if line != "" {
			io.WriteString(w, strings.TrimRight(line, " \n")+"\n")
		}
	}
}
