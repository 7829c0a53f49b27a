package applets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/environment"
	"devenv/internal/terminal"
)

var volumesApplet = applet{
	name:    "volumes",
	summary: "list or remove the volumes environments share",
	usage: `Usage: devenv volumes [ls]
       devenv volumes rm [--yes]

Every environment mounts three named volumes at devuser's XDG directories,
so plugin installs and caches survive 'devenv stop':
  devenv-data   ~/.local/share
  devenv-cache  ~/.cache
  devenv-state  ~/.local/state
'devenv stop' never removes them; 'devenv volumes rm' does, after asking.

Flags:
  --yes  remove without asking
`,
	run: runVolumes,
}

func runVolumes(ctx context.Context, c *call) error {
	verb, args := "ls", c.args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	flags := newFlagSet(c)
	yes := flags.Bool("yes", false, "")
	if err := c.parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usageErrorf("unexpected argument %q", flags.Arg(0))
	}
	if verb != "ls" && verb != "rm" {
		return usageErrorf("unknown volumes command %q: use ls or rm", verb)
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
	ours := map[string]bool{}
	for _, name := range existing {
		ours[name] = true
	}
	var present []string
	for _, name := range environment.VolumeNames() {
		if ours[name] {
			present = append(present, name)
		}
	}
	if verb == "ls" {
		for _, name := range present {
			fmt.Fprintln(c.stdio.Out, name)
		}
		return nil
	}
	if len(present) == 0 {
		fmt.Fprintf(c.stdio.Err, "%s: no devenv volumes to remove\n", c.prog)
		return nil
	}
	if !*yes {
		if !terminal.Is(c.stdio.In) {
			return fmt.Errorf("removing %s needs confirmation: run it on a terminal, or add --yes", strings.Join(present, ", "))
		}
		fmt.Fprintf(c.stdio.Err, "Remove %s and everything in them? [y/N] ", strings.Join(present, ", "))
		answer, _ := bufio.NewReader(c.stdio.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintf(c.stdio.Err, "%s: nothing removed\n", c.prog)
			return nil
		}
	}
	for _, name := range present {
		if err := eng.RemoveVolume(ctx, name); err != nil {
			if errors.Is(err, engine.ErrNameInUse) {
				return fmt.Errorf("volume %s is in use by a running environment: stop them first with `devenv stop --all`", name)
			}
			return err
		}
		fmt.Fprintln(c.stdio.Out, name)
	}
	return nil
}
