package applets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/terminal"
)

var volumesApplet = applet{
	name:    "volumes",
	summary: "list or remove the volumes of environments",
	usage: `Usage: devenv volumes [ls]
       devenv volumes rm [--yes] NAME...|--all

Each environment has two named volumes of its own, kept across 'devenv
stop': ENV.share at ~/.local/share and ENV.state at ~/.local/state, so what
one environment installs there never runs in another. Every environment
shares devenv-cache at ~/.cache, for caches only. devenv-data and
devenv-state, shared by earlier versions, are listed as legacy: no
environment mounts them any more.

'devenv volumes' lists each volume, its environment and its size;
'devenv volumes rm' removes the named ones, or --all, after asking.
`,
	flags: declare[volumesFlags],
	run:   runVolumes,
}

type volumesFlags struct{ all, yes bool }

func (f *volumesFlags) declare(s *flagSet) {
	s.Bool(&f.all, "all", "every devenv volume")
	s.Bool(&f.yes, "yes", "remove without asking")
}

func runVolumes(ctx context.Context, c *call) error {
	verb, args := "ls", c.args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	var f volumesFlags
	flags := c.flags(&f)
	if err := c.parseFlags(flags, args); err != nil {
		return err
	}
	switch {
	case verb != "ls" && verb != "rm":
		return usageErrorf("unknown volumes command %q: use ls or rm", verb)
	case verb == "ls" && (flags.NArg() > 0 || f.all || f.yes):
		return usageErrorf("volumes ls takes no arguments")
	case verb == "rm" && f.all && flags.NArg() > 0:
		return usageErrorf("give volume names or --all, not both")
	case verb == "rm" && !f.all && flags.NArg() == 0:
		return usageErrorf("volumes rm needs volume names or --all (see `devenv volumes`)")
	}
	eng, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	existing, err := eng.Volumes(ctx)
	if err != nil {
		return err
	}
	if verb == "ls" {
		sizes, err := eng.VolumeSizes(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(c.stdio.Out, 0, 0, 3, ' ', 0)
		fmt.Fprintln(w, "NAME\tENVIRONMENT\tSIZE")
		for _, v := range existing {
			owner := environment.VolumeOwner(v)
			if owner == "" {
				owner = "-"
			}
			size, measured := sizes[v.Name]
			fmt.Fprintf(w, "%s\t%s\t%s\n", v.Name, owner, humanSize(size, measured))
		}
		return w.Flush()
	}
	ours := map[string]bool{}
	for _, v := range existing {
		ours[v.Name] = true
	}
	var doomed []string
	if f.all {
		for _, v := range existing {
			doomed = append(doomed, v.Name)
		}
	} else {
		for _, name := range flags.Args() {
			if !ours[name] {
				return fmt.Errorf("no devenv volume %s: see `devenv volumes` for their names", name)
			}
			doomed = append(doomed, name)
		}
	}
	if len(doomed) == 0 {
		fmt.Fprintf(c.stdio.Err, "%s: no devenv volumes to remove\n", c.prog)
		return nil
	}
	if !f.yes {
		if !terminal.Is(c.stdio.In) {
			return fmt.Errorf("removing %s needs confirmation: run it on a terminal, or add --yes", strings.Join(doomed, ", "))
		}
		fmt.Fprintf(c.stdio.Err, "Remove %s and everything in them? [y/N] ", strings.Join(doomed, ", "))
		answer, _ := bufio.NewReader(c.stdio.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintf(c.stdio.Err, "%s: nothing removed\n", c.prog)
			return nil
		}
	}
	for _, name := range doomed {
		if err := eng.RemoveVolume(ctx, name); err != nil {
			if errors.Is(err, engine.ErrNameInUse) || strings.Contains(err.Error(), "in use") {
				return fmt.Errorf("volume %s is in use by a running environment: stop it first with `devenv stop`", name)
			}
			return err
		}
		fmt.Fprintln(c.stdio.Out, name)
	}
	return nil
}

// humanSize prints bytes as the docker CLI does (decimal units), "?" when
// the engine has not measured the volume.
func humanSize(n int64, measured bool) string {
	if !measured || n < 0 {
		return "?"
	}
	units := []string{"B", "kB", "MB", "GB", "TB"}
	f, i := float64(n), 0
	for f >= 1000 && i < len(units)-1 {
		f, i = f/1000, i+1
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}
