package applets

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"devenv/completions"
	"devenv/internal/environment"
	"devenv/internal/settings"
)

var configApplet = applet{
	name:    "config",
	summary: "show the effective settings for a project and where each came from",
	usage: `Usage: devenv config [--format text|json] [PATH]

Print the settings an environment for the project at PATH (default: the
current directory) starts with: every key, its effective value and where it
came from (default, user file, project file, variable, flag), and the keys
of the project file that the trust rule ignored. Inside a running
environment's tree, the project is that environment's.

Files: the user's $XDG_CONFIG_HOME/devenv/config.toml (default
~/.config/devenv/config.toml) and the project's PATH/.devenv/config.toml.
A project file may only make an environment stricter: keys that widen what
it reaches on the host are honoured from the user file only. README.md's
"Settings" section lists the keys.
`,
	flags: declare[configFlags],
	run:   runConfig,
}

type configFlags struct{ format string }

func (f *configFlags) declare(s *flagSet) {
	f.format = "text"
	s.String(&f.format, "format", "F", "text (default) or json", completions.OneOf("text", "json"))
}

// configEntry is one key in `devenv config --format json`.
type configEntry struct {
	Key    string          `json:"key"`
	Value  any             `json:"value"`
	Source settings.Source `json:"source"`
}

type configReport struct {
	UserFile         string             `json:"user_file"`
	UserFileFound    bool               `json:"user_file_found"`
	ProjectFile      string             `json:"project_file"`
	ProjectFileFound bool               `json:"project_file_found"`
	Settings         []configEntry      `json:"settings"`
	Ignored          []settings.Ignored `json:"ignored"`
}

func runConfig(ctx context.Context, c *call) error {
	var f configFlags
	fs := c.flags(&f)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	path, err := pathArg(fs)
	if err != nil {
		return err
	}
	if f.format != "text" && f.format != "json" {
		return usageErrorf("unknown format %q: use text or json", f.format)
	}
	dir, err := environment.Canonical(path)
	if err != nil {
		return err
	}
	// Without an engine there is no running environment to join: the
	// directory is the project.
	if running, err := environment.RunningWithin(ctx, c.engineOptions(), 3*time.Second); err == nil {
		dir = environment.ProjectOf(running, dir)
	}
	res, err := settings.Load(settings.Request{Getenv: c.env, ProjectDir: dir})
	if err != nil {
		return err
	}
	report := configReport{
		UserFile: res.UserFile, UserFileFound: res.UserFileFound,
		ProjectFile: res.ProjectFile, ProjectFileFound: res.ProjectFileFound,
		Ignored: res.Ignored,
	}
	if report.Ignored == nil {
		report.Ignored = []settings.Ignored{}
	}
	for _, k := range settings.Keys() {
		if k.Name == "env" && len(res.Settings.Env) > 0 {
			// Each variable has a source of its own: the files merge.
			for _, name := range sortedKeys(res.Settings.Env) {
				report.Settings = append(report.Settings, configEntry{Key: "env." + name, Value: res.Settings.Env[name], Source: res.Sources["env."+name]})
			}
			continue
		}
		value, _ := res.Settings.Value(k.Name)
		report.Settings = append(report.Settings, configEntry{Key: k.Name, Value: value, Source: res.Sources[k.Name]})
	}
	out := c.stdio.Out
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	fmt.Fprintf(out, "user file:    %s%s\n", res.UserFile, absent(res.UserFileFound))
	fmt.Fprintf(out, "project file: %s%s\n\n", res.ProjectFile, absent(res.ProjectFileFound))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tFROM")
	for _, e := range report.Settings {
		text := res.Settings.Text(e.Key)
		if name, ok := strings.CutPrefix(e.Key, "env."); ok {
			text = strconv.Quote(res.Settings.Env[name])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Key, text, brief(e.Source))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintln(out, "\nignored:")
		for _, i := range res.Ignored {
			fmt.Fprintf(out, "  %s\n", i.Warning)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func absent(found bool) string {
	if found {
		return ""
	}
	return " (none)"
}

// brief names a source without the file's path, which the header shows.
func brief(s settings.Source) string {
	if s.Kind == settings.FromUser || s.Kind == settings.FromProject {
		return string(s.Kind)
	}
	return s.String()
}
