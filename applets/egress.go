package applets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"devenv/completions"
	"devenv/internal/egress"
	"devenv/internal/engine"
	"devenv/internal/environment"
)

var egressApplet = applet{
	name:    "egress",
	summary: "show what an environment tried to reach outside, allowed and refused",
	usage: `Usage: devenv egress [TARGET] [--format table|json]

Show the destinations the running environment TARGET (a project path or an
environment's name; default: the current directory) asked its egress proxy
for since it started, with how many requests were allowed and refused, so
you can widen [network] allow deliberately. Only environments whose
[network] egress is "allowlist" or "none" have a proxy.
`,
	flags: declare[egressFlags],
	run:   runEgress,
}

type egressFlags struct{ format string }

func (f *egressFlags) declare(s *flagSet) {
	f.format = "table"
	s.String(&f.format, "format", "F", "table (default) or json", completions.OneOf("table", "json"))
}

func runEgress(ctx context.Context, c *call) error {
	var f egressFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	target := "."
	if fs.NArg() > 0 { // flags may follow the target too
		target = fs.Arg(0)
		if err := c.parseFlags(fs, fs.Args()[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageErrorf("want one TARGET at most, then flags: unexpected %q", fs.Arg(0))
		}
	}
	if f.format != "table" && f.format != "json" {
		return usageErrorf("unknown format %q: use table or json", f.format)
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	t, err := runningTarget(ctx, eng, target)
	if err != nil {
		return err
	}
	name := t.Container.Name
	policy := t.Container.Labels[environment.EgressLabel]
	if policy == "" {
		return fmt.Errorf("%s has egress \"open\", so nothing records where it goes: set [network] egress = \"allowlist\" in its settings and restart it", name)
	}
	var log, stderr bytes.Buffer
	code, err := eng.Exec(ctx, egress.GatewayName(name), engine.ExecSpec{Cmd: []string{"cat", egress.AccessLog}}, engine.ExecIO{Out: &log, Err: &stderr})
	if errors.Is(err, engine.ErrNotFound) {
		return fmt.Errorf("the egress proxy of %s is gone, so it reaches nothing outside: stop it with `devenv stop %s` and start it again", name, name)
	}
	if err == nil && code != 0 {
		err = errors.New(oneLine(stderr.String()))
	}
	if err != nil {
		return fmt.Errorf("read the egress log of %s: %w", name, err)
	}
	tallies := egress.Tallies(log.String())
	if f.format == "json" {
		enc := json.NewEncoder(c.stdio.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(tallies)
	}
	tw := tabwriter.NewWriter(c.stdio.Out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "DESTINATION\tALLOWED\tREFUSED\tLAST")
	now := time.Now()
	for _, e := range tallies {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", e.Destination, e.Allowed, e.Refused, ago(now.Sub(e.Last)))
	}
	return tw.Flush()
}
