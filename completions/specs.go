package completions

import (
	"devenv/internal/agents"

	"github.com/posener/complete/v2"
	"github.com/posener/complete/v2/predict"
)

// arguments is how each command's positional arguments complete ("" is
// devenv itself); its flags come with the applet's declaration of them.
func arguments(src Sources, commands []string) map[string]func(pos int) complete.Predictor {
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
	return map[string]func(int) complete.Predictor{
		"":     first(dirs()),
		"exec": first(targets(src)),
		"stop": every(targets(src)),
		"ssh": func(pos int) complete.Predictor {
			switch pos {
			case 0:
				return targets(src)
			case 1:
				return predict.Set{"--"}
			}
			return nil
		},
		"config":    first(dirs()),
		"ssh-proxy": first(from(src.Environments)),
		"port":      first(targets(src)),
		"egress":    first(targets(src)),
		"update":    every(from(src.Tools)),
		"new":       first(dirs()),
		"clone":     first(dirs()),
		"fetch":     first(from(src.Environments)),
		"volumes":   first(predict.Set{"ls", "rm"}),
		"agents": func(pos int) complete.Predictor {
			switch pos {
			case 0:
				return predict.Set{"ls", "import", "logout"}
			case 1:
				return predict.Set(agents.Names())
			}
			return nil
		},
		"worktree": func(pos int) complete.Predictor {
			if pos == 0 {
				return predict.Set{"add", "ls", "rm"}
			}
			return from(src.Branches) // add BRANCH, rm BRANCH
		},
		"help": first(predict.Set(commands)),
		"init": first(shells),
	}
}
