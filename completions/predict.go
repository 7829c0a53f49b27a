package completions

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/posener/complete/v2"
	"github.com/posener/complete/v2/predict"
)

// Sources are where the predictions that are not fixed come from. Each is
// called at most once per completion, and only when its candidates are
// needed.
type Sources struct {
	Environments func() []string // names of the running environments
	Tools        func() []string // tool names for build --tool and --tools
	Templates    func() []string // template names for new --template
	Branches     func() []string // local branches of the repository the shell stands in
}

func from(f func() []string) complete.Predictor {
	return complete.PredictFunc(func(string) []string {
		if f == nil {
			return nil
		}
		return f()
	})
}

// dirs predicts directories the way a shell does: hidden ones only once a
// dot is typed, "~/" kept as typed, and no "./" for an empty word, except
// before a name that starts with "-".
func dirs() complete.Predictor {
	return complete.PredictFunc(func(prefix string) []string {
		home := os.Getenv("HOME")
		typed := prefix
		tilde := home != "" && (prefix == "~" || strings.HasPrefix(prefix, "~/"))
		if tilde {
			typed = home + "/" + strings.TrimPrefix(strings.TrimPrefix(prefix, "~"), "/")
		}
		showHidden := strings.HasPrefix(typed[strings.LastIndex(typed, "/")+1:], ".")
		var out []string
		for _, d := range predict.Dirs("*").Predict(typed) {
			if d == "./" && prefix == "" {
				continue
			}
			base := filepath.Base(strings.TrimSuffix(d, "/"))
			if strings.HasPrefix(base, ".") && base != "." && base != ".." && !showHidden {
				continue
			}
			if d != "./" && !strings.HasPrefix(prefix, "./") {
				d = strings.TrimPrefix(d, "./") // as typed: ".h" → ".hidden/"
			}
			if tilde {
				rel, ok := strings.CutPrefix(d, home)
				if !ok {
					continue
				}
				d = "~" + rel
			}
			if strings.HasPrefix(d, "-") {
				d = "./" + d // a directory, not a flag
			}
			out = append(out, d)
		}
		sort.Strings(out)
		return out
	})
}

// targets predicts what stop, exec and ssh take: an environment's name, "."
// or a project directory.
func targets(src Sources) complete.Predictor {
	return predict.Or(from(src.Environments), predict.Set{"."}, dirs())
}

// toolList predicts a comma-separated list of tools, one element at a time.
func toolList(tools func() []string) complete.Predictor {
	return complete.PredictFunc(func(prefix string) []string {
		head := prefix[:strings.LastIndex(prefix, ",")+1]
		chosen := map[string]bool{}
		for _, t := range strings.Split(head, ",") {
			chosen[t] = true
		}
		var out []string
		if tools != nil {
			for _, t := range tools() {
				if !chosen[t] {
					out = append(out, head+t)
				}
			}
		}
		return out
	})
}

// shells are the shells devenv integrates with.
var shells = predict.Set{"bash", "zsh", "fish"}
