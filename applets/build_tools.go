package applets

import (
	"devenv/internal/settings"
)

// defaultTools is the tool set devenv:latest gets: --tools, else
// $DEVENV_TOOLS, else the user file's [tools] default; nil leaves the
// choice to the image's own default set.
func (c *call) defaultTools(flag string) ([]string, error) {
	req := settings.Request{Getenv: c.env, FlagNames: map[string]string{"tools.default": "--tools"}}
	if flag != "" {
		req.Flags = map[string]string{"tools.default": flag}
	}
	res, err := settings.Load(req)
	if err != nil {
		return nil, err
	}
	return res.Settings.Tools.Default, nil
}
