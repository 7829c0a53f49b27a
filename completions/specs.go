package completions

import (
	"devenv/internal/agents"

	"github.com/posener/complete/v2"
	"github.com/posener/complete/v2/predict"
)

// specs is what usage texts cannot say: how flag values and positional
// arguments complete, per command ("" is devenv itself). For a command in
// the applet table, its usage text decides which flags exist and these only
// lend them predictors; a command not in the table yet (an applet still being
// written) completes from its spec alone.
func specs(src Sources, commands []string) map[string]Command {
	something := predict.Something
	environments := from(src.Environments)
	first := func(p complete.Predictor) func(int) complete.Predictor {
		return func(pos int) complete.Predictor {
			if pos == 0 {
				return p
			}
			return nil
		}
	}
	every := func(p complete.Predictor) func(int) complete.Predictor {
		return func(int) complete.Predictor { return p }
	}
	startFlags := []Flag{{"port", something}, {"name", something}, {"ssh-agent", nil}}
	return map[string]Command{
		"":       {Flags: startFlags, Args: first(dirs())},
		"exec":   {Flags: startFlags, Args: first(targets(src))},
		"list":   {Flags: []Flag{{"format", predict.Set{"table", "json"}}, {"q", nil}}},
		"doctor": {Flags: []Flag{{"format", predict.Set{"table", "json"}}}},
		"stop": {
			Flags: []Flag{{"all", nil}, {"name", environments}},
			Args:  every(targets(src)),
		},
		"ssh": {
			Flags: startFlags,
			Args: func(pos int) complete.Predictor {
				switch pos {
				case 0:
					return targets(src)
				case 1:
					return predict.Set{"--"}
				}
				return nil
			},
		},
		"config":     {Flags: []Flag{{"format", predict.Set{"text", "json"}}}, Args: first(dirs())},
		"ssh-config": {Flags: []Flag{{"write", nil}, {"proxy", nil}}},
		"ssh-proxy":  {Args: first(environments)},
		"port":       {Args: first(targets(src))},
		"egress":     {Flags: []Flag{{"format", predict.Set{"table", "json"}}}, Args: first(targets(src))},
		"build": {Flags: []Flag{
			{"stage", predict.Set{"base", "devenv"}},
			{"tool", from(src.Tools)},
			{"tools", toolList(src.Tools)},
			{"project", dirs()},
			{"context", dirs()},
			{"tag", something},
			{"no-cache", nil},
			{"pull", nil},
			{"v", nil},
			{"list-tools", nil},
		}},
		"update": {
			Flags: []Flag{{"check", nil}, {"tag", something}, {"context", dirs()}, {"v", nil}},
			Args:  every(from(src.Tools)),
		},
		"new": {
			Flags: []Flag{{"template", from(src.Templates)}, {"force", nil}, {"list", nil}},
			Args:  first(dirs()),
		},
		"volumes": {Flags: []Flag{{"all", nil}, {"yes", nil}}, Args: first(predict.Set{"ls", "rm"})},
		"agents": {Args: func(pos int) complete.Predictor {
			switch pos {
			case 0:
				return predict.Set{"ls", "import", "logout"}
			case 1:
				return predict.Set(agents.Names())
			}
			return nil
		}},
		"help": {Args: first(predict.Set(commands))},
		"init": {
			Flags: []Flag{{"prompt", nil}},
			Args:  first(shells),
		},
		"worktree": {
			Flags: []Flag{{"base", from(src.Branches)}, {"path", dirs()}, {"format", predict.Set{"table", "json"}}, {"force", nil}},
			Args: func(pos int) complete.Predictor {
				if pos == 0 {
					return predict.Set{"add", "ls", "rm"}
				}
				return from(src.Branches) // add BRANCH, rm BRANCH
			},
		},
		"install": {Flags: []Flag{{"dir", dirs()}, {"uninstall", nil}}},
		"prompt": {Flags: []Flag{
			{"shell", shells},
			{"state", something},
			{"refresh", nil},
		}},
	}
}
