package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// execScenarios are the scenarios about running commands with devenv
// exec: TestScriptExecPaths runs each of them once through the channel and
// once through the engine (DEVENV_EXEC_PATH), after TestScript ran them the
// default way.
var execScenarios = []string{
	"exec", "subdir", "kill", "race", "mounts", "paths", "collision",
	"wx-exact", "wx-signal", "wx-tty", "session-env",
}

// TestScriptExecPaths proves both ways of devenv exec keep one behaviour.
// The two runs take turns, since their environments share names.
func TestScriptExecPaths(t *testing.T) {
	d := dockerState(t)
	var files []string
	for _, s := range execScenarios {
		files = append(files, filepath.Join("testdata", "scripts", s+".txtar"))
	}
	for _, via := range []string{"channel", "engine"} {
		t.Run(via, func(t *testing.T) {
			testscript.Run(t, testscript.Params{
				Files:               files,
				RequireExplicitExec: true,
				RequireUniqueNames:  true,
				Setup: func(env *testscript.Env) error {
					if err := d.setup(env); err != nil {
						return err
					}
					env.Setenv("DEVENV_EXEC_PATH", via)
					return nil
				},
				Condition: func(cond string) (bool, error) {
					if path, ok := strings.CutPrefix(cond, "execpath:"); ok {
						return path == via, nil
					}
					return d.condition(cond)
				},
				Cmds: scriptCommands(d),
			})
		})
	}
}
