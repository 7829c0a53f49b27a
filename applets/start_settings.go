package applets

import (
	"flag"

	"devenv/internal/settings"
)

// limitFlags are the settings a start may override on its command line;
// each flag is named as its key.
var limitFlags = []string{"cpus", "memory", "pids"}

// registerSettings adds --cpus, --memory and --pids; their values are
// checked here, so a bad one is a usage error before anything happens.
func (f *startFlags) registerSettings(fs *flag.FlagSet) {
	for _, key := range limitFlags {
		fs.Func(key, "", func(text string) error {
			if err := settings.CheckText(key, text); err != nil {
				return err
			}
			if f.settings == nil {
				f.settings = map[string]string{}
			}
			f.settings[key] = text
			return nil
		})
	}
}
