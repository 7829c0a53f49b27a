package applets

import (
	"context"
	"path/filepath"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/project"
	"devenv/internal/settings"
)

// contextFlag is the one global flag: --context NAME picks a docker CLI
// context for this invocation, before the applet's own arguments
// (devenv --context colima list), as the docker CLI takes it.
const contextFlag = "--context"

// cutContextFlag removes a leading --context NAME (or --context=NAME) from
// args and returns the name.
func cutContextFlag(args []string) (name string, rest []string, err error) {
	if len(args) == 0 {
		return "", args, nil
	}
	if v, ok := strings.CutPrefix(args[0], contextFlag+"="); ok {
		if v == "" {
			return "", nil, usageErrorf("%s needs a context name", contextFlag)
		}
		return v, args[1:], nil
	}
	if args[0] != contextFlag {
		return "", args, nil
	}
	if len(args) < 2 || args[1] == "" || strings.HasPrefix(args[1], "-") {
		return "", nil, usageErrorf("%s needs a context name", contextFlag)
	}
	return args[1], args[2:], nil
}

// engineOptions is where this invocation looks for the engine.
func (c *call) engineOptions() engine.Options {
	return engine.Options{Getenv: c.env, Context: c.dockerContext}
}

// connect opens the engine this invocation uses.
func (c *call) connect(ctx context.Context) (*engine.Client, error) {
	return engine.Connect(ctx, c.engineOptions())
}

// withContextFlag passes this invocation's --context on to a devenv command
// line it writes for later (ssh-config's ProxyCommand). A program named for
// one applet (devenv-ssh-proxy) takes no global flag, so it gets the
// context the way the docker CLI would (DOCKER_HOST would win over it).
func (c *call) withContextFlag(argv []string) []string {
	if c.dockerContext == "" || len(argv) == 0 {
		return argv
	}
	if namesApplet(argv[0], c.applets) {
		return append([]string{"env", "DOCKER_HOST=", "DOCKER_CONTEXT=" + c.dockerContext}, argv...)
	}
	return append([]string{argv[0], contextFlag, c.dockerContext}, argv[1:]...)
}

// cutGlobalFlags takes the global flags from argv (program name first).
// Only `devenv --context NAME …` has them: a program named for one applet
// (devenv-build) passes every argument to it, and its flags may share the
// name (devenv build --context DIR).
func cutGlobalFlags(argv []string) (dockerContext string, rest []string, err error) {
	if len(argv) == 0 || namesApplet(argv[0], table) {
		return "", argv, nil
	}
	name, args, err := cutContextFlag(argv[1:])
	if err != nil {
		return "", nil, err
	}
	return name, append([]string{argv[0]}, args...), nil
}

// engineSharesFiles is the user's engine_shares_files setting: a remote
// engine that sees this machine's paths may bind-mount them.
func (c *call) engineSharesFiles() (bool, error) {
	r, err := settings.Load(settings.Request{Getenv: c.env})
	if err != nil {
		return false, err
	}
	return r.Settings.EngineSharesFiles, nil
}

// namesApplet reports whether a program's name picks one applet
// (devenv-ssh-proxy), as dispatch reads argv[0].
func namesApplet(argv0 string, applets []applet) bool {
	name, ok := strings.CutPrefix(filepath.Base(argv0), project.Program+"-")
	if !ok {
		return false
	}
	for _, a := range applets {
		if a.name == name && a.name != project.Program {
			return true
		}
	}
	return false
}
