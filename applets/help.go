package applets

import (
	"context"
	"fmt"
	"strings"

	"devenv/internal/project"
)

var helpApplet = applet{
	name:    "help",
	summary: "show help for devenv or one of its commands",
	usage: `Usage: devenv help [COMMAND]
`,
	run: runHelp,
}

func runHelp(ctx context.Context, c *call) error {
	fs := c.flags(nil)
	if err := c.parseFlags(fs, c.args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		for _, a := range c.applets {
			if a.name == fs.Arg(0) || project.Program+"-"+a.name == fs.Arg(0) {
				fmt.Fprint(c.stdio.Out, a.help())
				return nil
			}
		}
		return usageErrorf("unknown command %q", fs.Arg(0))
	}
	var b strings.Builder
	b.WriteString("devenv gives every project directory its own long-lived Docker container.\n\nUsage:\n")
	for _, a := range c.applets {
		if a.hidden {
			continue
		}
		synopsis, _, _ := strings.Cut(strings.TrimPrefix(a.usage, "Usage: "), "\n")
		fmt.Fprintf(&b, "  %s\n      %s\n", synopsis, a.summary)
	}
	b.WriteString(`
Each command is also its own program: devenv-list is devenv list.
Run 'devenv COMMAND --help' for a command's flags.
'devenv --context NAME COMMAND' uses that docker CLI context's engine.
`)
	fmt.Fprint(c.stdio.Out, b.String())
	return nil
}
