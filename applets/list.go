package applets

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"devenv/completions"
	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/gitrepo"
	"devenv/internal/ports"
)

var listApplet = applet{
	name:    "list",
	summary: "list running environments",
	usage: `Usage: devenv list [--format table|json] [-q]

List the running devenv environments, sorted by name. BRANCH is the
project's git branch (detached@<sha> when HEAD is no branch), read from the
git files on the host.
`,
	flags: declare[listFlags],
	run:   runList,
}

type listFlags struct {
	format string
	quiet  bool
}

func (f *listFlags) declare(s *flagSet) {
	f.format = "table"
	s.String(&f.format, "format", "F", "table (default) or json", completions.OneOf("table", "json"))
	s.Bool(&f.quiet, "q", "print names only")
}

// listEntry is one environment in `devenv list --format json`.
type listEntry struct {
	Name    string            `json:"name"`
	Project string            `json:"project"`
	Branch  string            `json:"branch"` // the project's git branch, from the host's git files; "" when none
	Path    string            `json:"path"`
	SSH     string            `json:"ssh"`
	Status  string            `json:"status"`
	Started string            `json:"started"`
	Image   string            `json:"image"`
	Limits  *limits           `json:"limits,omitempty"` // --format json only
	Ports   []listPort        `json:"ports"`
	Tools   map[string]string `json:"tools,omitempty"` // tool → version, from the image's labels
}

// listPort is one forward of the ports setting in `devenv list --format json`.
type listPort struct {
	Host string `json:"host"` // 127.0.0.1:HOSTPORT
	Port int    `json:"port"` // inside the environment
}

// forwardsOf is what an environment's ports setting forwards, as it was at
// its start.
func forwardsOf(ct engine.Container) []listPort {
	out := []listPort{}
	for _, f := range ports.ParseLabel(ct.Labels[ports.Label]) {
		out = append(out, listPort{Host: f.HostAddress(), Port: f.Port})
	}
	return out
}

func portsColumn(forwards []listPort) string {
	parts := make([]string, len(forwards))
	for i, f := range forwards {
		parts[i] = fmt.Sprintf("%s→%d", f.Host, f.Port)
	}
	return strings.Join(parts, ",")
}

func runList(ctx context.Context, c *call) error {
	var f listFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if f.format != "table" && f.format != "json" {
		return usageErrorf("unknown format %q: use table or json", f.format)
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	running, err := eng.List(ctx)
	if err != nil {
		return err
	}
	entries := make([]listEntry, 0, len(running))
	staleness := environment.NewStaleness(eng)
	for _, ct := range running {
		path, ok := environment.WorkspacePath(ct)
		if !ok {
			path, _ = environment.ClonePath(ct)
		}
		image, status := ct.Image, ct.State
		if ref := ct.Labels[environment.ImageLabel]; ref != "" {
			stale, err := staleness.Stale(ctx, ct)
			if err != nil {
				return err
			}
			if stale {
				status = "stale"
			}
			image = ref
		}
		switch {
		case !eng.Endpoint().Remote() && environment.Orphaned(ct): // a remote engine's paths are not this host's
			status = "orphaned"
		case environment.SettingsStale(ct, c.env):
			status = "stale"
		}
		entries = append(entries, listEntry{
			Name:    ct.Name,
			Project: ct.Labels[environment.ProjectLabel],
			Branch:  gitrepo.BranchOf(path),
			Path:    path,
			SSH:     ct.SSHAddress(),
			Status:  status,
			Started: ct.Created.UTC().Format(time.RFC3339),
			Image:   image,
			Ports:   forwardsOf(ct),
			Tools:   toolVersions(ct.Labels),
		})
	}
	out := c.stdio.Out
	switch {
	case f.quiet:
		for _, e := range entries {
			fmt.Fprintln(out, e.Name)
		}
	case f.format == "json":
		if err := addLimits(ctx, eng, entries); err != nil {
			return err
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	default:
		tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
		fmt.Fprintln(tw, "NAME\tPROJECT\tBRANCH\tSSH\tPORTS\tSTATUS\tSTARTED")
		now := time.Now()
		for i, e := range entries {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Name, e.Project, dash(e.Branch), dash(e.SSH), dash(portsColumn(e.Ports)), e.Status, ago(now.Sub(running[i].Created)))
		}
		return tw.Flush()
	}
	return nil
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// ago renders a duration the way `docker ps` does.
func ago(d time.Duration) string {
	switch s := d.Seconds(); {
	case s < 1:
		return "Less than a second ago"
	case s < 60:
		return plural(int(s), "second")
	case d < 2*time.Minute:
		return "About a minute ago"
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute")
	case d < 2*time.Hour:
		return "About an hour ago"
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour")
	default:
		return plural(int(d.Hours()/24), "day")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s ago", unit)
	}
	return fmt.Sprintf("%d %ss ago", n, unit)
}
