package applets

import (
	"devenv/completions"
	"devenv/internal/settings"
)

// limitFlags are the settings a start may override on its command line;
// each flag is named as its key.
var limitFlags = []struct{ key, arg, help string }{
	{"cpus", "N", "limit CPUs when starting (setting cpus; default: $DEVENV_CPUS, else the settings files)"},
	{"memory", "M", "limit memory when starting, such as 4g (setting memory)"},
	{"pids", "N", "limit processes when starting (setting pids)"},
}

// declareSettings adds --cpus, --memory and --pids; their values are
// checked here, so a bad one is a usage error before anything happens.
func (f *startFlags) declareSettings(s *flagSet) {
	for _, l := range limitFlags {
		s.Func(l.key, l.arg, l.help, completions.AnyWord(), func(text string) error {
			if err := settings.CheckText(l.key, text); err != nil {
				return err
			}
			if f.settings == nil {
				f.settings = map[string]string{}
			}
			f.settings[l.key] = text
			return nil
		})
	}
}
