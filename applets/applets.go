// Package applets holds devenv's commands. Each applet is one file: a small
// function from its arguments, environment and standard streams to an error,
// which Main turns into the exit code and the one-line message.
package applets

import (
	"context"
	"io/fs"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"devenv/internal/environment"
	"devenv/internal/project"
)

// Stdio is an applet's standard streams, which its sessions get.
type Stdio = environment.Stdio

// Getenv looks up an environment variable.
type Getenv func(string) string

// call is one invocation of an applet.
type call struct {
	prog    string // how the user named it: "devenv list" or "devenv-list"
	usage   string // the applet's usage, to which --help adds the Flags section
	args    []string
	env     Getenv
	stdio   Stdio
	applets []applet // the table, for help; passed in to keep initialisation acyclic
	buildFS fs.FS    // the embedded build context
	// dockerContext is the global --context flag's value, "" when not given.
	dockerContext string
}

type applet struct {
	name    string // "list"; also reachable as "devenv-list"
	summary string
	usage   string         // synopsis and description; --help adds the Flags section
	flags   func(*flagSet) // declares the applet's flags; nil for none
	run     func(ctx context.Context, c *call) error
	hidden  bool // started by devenv itself: not in help, completion or links
}

// declared is a's flags, declared for --help and completion.
func (a applet) declared() *flagSet {
	s := newFlagSet(a.name)
	if a.flags != nil {
		a.flags(s)
	}
	return s
}

// help is what --help prints.
func (a applet) help() string {
	return a.usage + a.declared().section()
}

// table is every applet, in the order help lists them.
var table = []applet{
	startApplet,
	execApplet,
	sshApplet,
	sshConfigApplet,
	sshProxyApplet,
	portApplet,
	egressApplet,
	listApplet,
	stopApplet,
	worktreeApplet,
	cloneApplet,
	fetchApplet,
	buildApplet,
	updateApplet,
	newApplet,
	volumesApplet,
	agentsApplet,
	configApplet,
	initApplet,
	promptApplet,
	installApplet,
	doctorApplet,
	versionApplet,
	helpApplet,
	channelApplet,
}

func lookup(name string) (applet, bool) {
	for _, a := range table {
		if a.name == name {
			return a, true
		}
	}
	return applet{}, false
}

// Names returns every name an applet answers to as argv[0], sorted.
func Names() []string {
	names := []string{project.Program}
	for _, a := range table {
		if a.name != project.Program && a.name != "help" && !a.hidden {
			names = append(names, project.Program+"-"+a.name)
		}
	}
	sort.Strings(names)
	return names
}

// Main dispatches on argv[0] (devenv-list …) and then on the first argument
// (devenv list …); anything else goes to the default applet, which starts
// and attaches to an environment. It returns the process exit code.
func Main(argv []string, env Getenv, stdio Stdio, buildContext fs.FS) int {
	if env("COMP_LINE") != "" { // a shell asks for completions: see complete.go
		return runCompletion(env, buildContext)
	}
	dockerContext, argv, err := cutGlobalFlags(argv)
	if err != nil {
		return report(err, project.Program, stdio.Err)
	}
	a, prog, args := dispatch(argv)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	err = a.run(ctx, &call{prog: prog, usage: a.usage, args: args, env: env, stdio: stdio, applets: table, buildFS: buildContext, dockerContext: dockerContext})
	return report(err, prog, stdio.Err)
}

func dispatch(argv []string) (applet, string, []string) {
	base := project.Program
	if len(argv) > 0 {
		base = filepath.Base(argv[0])
		argv = argv[1:]
	}
	if name, ok := strings.CutPrefix(base, project.Program+"-"); ok {
		if a, ok := lookup(name); ok && a.name != project.Program {
			return a, base, argv
		}
	}
	if len(argv) > 0 && argv[0] == "--version" {
		return versionApplet, project.Program, argv[1:]
	}
	if len(argv) > 0 {
		if a, ok := lookup(argv[0]); ok && a.name != project.Program {
			return a, project.Program + " " + a.name, argv[1:]
		}
	}
	return startApplet, project.Program, argv
}

// pathArg is an applet's one optional PATH argument, "." when absent.
func pathArg(fs *flagSet) (string, error) {
	switch fs.NArg() {
	case 0:
		return ".", nil
	case 1:
		return fs.Arg(0), nil
	}
	return "", usageErrorf("too many arguments: %s", strings.Join(fs.Args(), " "))
}
