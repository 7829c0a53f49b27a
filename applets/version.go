package applets

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

var versionApplet = applet{
	name:    "version",
	summary: "print devenv's version, its Go version and the engine's",
	usage: `Usage: devenv version
       devenv --version

Print devenv's version (the module version, or the VCS revision it was
built from, +dirty when the tree had changes), the Go version it was built
with, and the version of the Docker engine when one answers.
`,
	run: runVersion,
}

func runVersion(ctx context.Context, c *call) error {
	fs := c.flags(nil)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	out := c.stdio.Out
	fmt.Fprintf(out, "devenv %s\n", buildVersion())
	if info, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(out, "go %s\n", info.GoVersion)
	}
	// The engine is extra: its absence is no failure here.
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	eng, err := c.connect(ctx)
	if err != nil {
		fmt.Fprintf(out, "engine none answered (%s)\n", oneLine(err.Error()))
		return nil
	}
	defer eng.Close()
	version, api, err := eng.ServerVersion(ctx)
	if err != nil {
		fmt.Fprintf(out, "engine %s did not say its version (%s)\n", eng.Host(), oneLine(err.Error()))
		return nil
	}
	fmt.Fprintf(out, "engine %s, API %s, at %s\n", version, api, eng.Host())
	return nil
}

// buildVersion is the module's version when devenv was installed as a
// module (go install devenv@v1.2.3), else the VCS revision the binary was
// built from, with +dirty for uncommitted changes.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return "(devel)"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified == "true" {
		revision += "+dirty"
	}
	return strings.TrimSpace(revision)
}
