package applets

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"devenv/internal/agents"
	"devenv/internal/environment"
)

var agentsApplet = applet{
	name:    "agents",
	summary: "list, import or log out the AI agents' logins",
	usage: `Usage: devenv agents [ls]
       devenv agents import [TOOL]
       devenv agents logout [TOOL]

Each agent tool (claude-code, codex, opencode, gemini-cli, copilot-cli)
keeps its login and state in an agent home under devenv's state directory,
mounted into environments where the tool looks. One home per tool serves
every environment (with agents = "per-project", each environment has its
own). A new home starts with a copy of the host's login files, never its
settings, hooks or MCP servers; after that the environments' login is
their own.

  ls      each tool, its home, and whether a login is there
  import  copy the host's login files into the shared home again
  logout  empty the tool's homes (all tools without TOOL)
`,
	run: runAgents,
}

func runAgents(ctx context.Context, c *call) error {
	verb, args := "ls", c.args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	flags := c.flags(nil)
	if err := c.parseFlags(flags, args); err != nil {
		return err
	}
	var tools []agents.Tool
	switch {
	case verb != "ls" && verb != "import" && verb != "logout":
		return usageErrorf("unknown agents command %q: use ls, import or logout", verb)
	case flags.NArg() > 1 || verb == "ls" && flags.NArg() > 0:
		return usageErrorf("too many arguments: %s", strings.Join(flags.Args(), " "))
	case flags.NArg() == 1:
		tool, ok := agents.Lookup(flags.Arg(0))
		if !ok {
			return usageErrorf("unknown agent tool %q: use one of %s", flags.Arg(0), strings.Join(agents.Names(), ", "))
		}
		tools = []agents.Tool{tool}
	default:
		tools = agents.Tools
	}
	store, err := environment.AgentStore(c.env)
	if err != nil {
		return err
	}
	switch verb {
	case "import":
		for _, tool := range tools {
			copied, err := store.Import(tool, "", c.env)
			if err != nil {
				return err
			}
			if len(copied) == 0 {
				fmt.Fprintf(c.stdio.Out, "%s: no login on the host to import\n", tool.Name)
				continue
			}
			fmt.Fprintf(c.stdio.Out, "%s: imported %s\n", tool.Name, strings.Join(copied, ", "))
		}
		return nil
	case "logout":
		for _, h := range store.List() {
			if !wanted(tools, h.Tool) {
				continue
			}
			tool, _ := agents.Lookup(h.Tool)
			emptied, err := store.Logout(tool, h.Environment)
			if err != nil {
				return err
			}
			if emptied {
				fmt.Fprintf(c.stdio.Out, "%s: emptied %s\n", h.Tool, h.Dir)
			}
		}
		return nil
	}
	w := tabwriter.NewWriter(c.stdio.Out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, "TOOL\tENVIRONMENT\tLOGIN\tHOME")
	for _, h := range store.List() {
		env, login := h.Environment, "no"
		if env == "" {
			env = "shared"
		}
		if h.LoggedIn {
			login = "yes"
		}
		home := h.Dir
		if !h.Exists {
			home += " (not created yet)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", h.Tool, env, login, home)
	}
	return w.Flush()
}

func wanted(tools []agents.Tool, name string) bool {
	for _, t := range tools {
		if t.Name == name {
			return true
		}
	}
	return false
}
