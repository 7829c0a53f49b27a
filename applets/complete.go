package applets

import (
	"io/fs"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/posener/complete/v2"

	"devenv/completions"
	"devenv/internal/images"
	"devenv/internal/project"
	"devenv/shell"
)

// runCompletion answers a shell's completion request: the line being typed
// is in COMP_LINE, the cursor in COMP_POINT. It runs before any other
// dispatch because the shell may call the binary under any name and with any
// arguments (bash's `complete -C` passes "cmd word prev"): only the first word
// of the line says which command is being completed.
//
// complete/v2 prints the candidates on the process's standard output, one a
// line, and exits; it prints nothing else there as long as the tree never
// meets an unknown subcommand, which completions.Tree.For sees to.
func runCompletion(env Getenv, buildContext fs.FS) int {
	text := env("COMP_LINE")
	text = text[:cursor(text, env("COMP_POINT"))]
	apps := make([]completions.App, 0, len(table))
	for _, a := range table {
		apps = append(apps, completions.App{Name: a.name, Flags: a.declared().completion()})
	}
	c, text := completions.New(apps, sources(env, buildContext)).For(text, quoting(env))
	if c == nil {
		return 0
	}
	// complete/v2 reads its input from the process environment. It also
	// installs itself into the user's rc files when COMP_INSTALL=1: never.
	os.Setenv("COMP_LINE", text)
	os.Setenv("COMP_POINT", strconv.Itoa(len(text)))
	os.Unsetenv("COMP_INSTALL")
	os.Unsetenv("COMP_UNINSTALL")
	defer func() { recover() }() // a failing predictor offers nothing, and says nothing
	complete.Complete(project.Program, c)
	return 0
}

// quoting is how the shell that asks writes words: its snippet names it in
// $DEVENV_COMPLETE_SHELL. A caller that names none (`complete -C devenv
// devenv` in bash, a snippet loaded before there was this variable) is
// answered as bash is, since bash inserts what it gets as it is.
func quoting(env Getenv) completions.Quoting {
	sh, ok := shell.Lookup(env("DEVENV_COMPLETE_SHELL"))
	if !ok {
		sh, _ = shell.Lookup("bash")
	}
	return completions.Quoting{Quote: sh.Candidate, Unquote: sh.Unquote}
}

// sources are where completion finds what is not fixed: the engine for the
// running environments (within completeTimeout, or
// $DEVENV_COMPLETE_TIMEOUT), and the build context ($DEVENV_CONTEXT, else
// the embedded one) for tools and templates.
func sources(env Getenv, buildContext fs.FS) completions.Sources {
	if dir := env("DEVENV_CONTEXT"); dir != "" {
		buildContext = os.DirFS(dir)
	}
	return completions.Sources{
		Environments: func() []string {
			return runningNames(engineTimeout(env, "DEVENV_COMPLETE_TIMEOUT", completeTimeout))
		},
		Tools: func() []string {
			if buildContext == nil {
				return nil
			}
			tools, _ := images.Tools(buildContext)
			names := make([]string, 0, len(tools))
			for _, t := range tools {
				names = append(names, t.Name)
			}
			return names
		},
		Templates: func() []string {
			if buildContext == nil {
				return nil
			}
			return images.Templates(buildContext)
		},
		Branches: func() []string {
			return worktreeBranches(engineTimeout(env, "DEVENV_COMPLETE_TIMEOUT", completeTimeout))
		},
	}
}

// cursor turns COMP_POINT, which bash, zsh and fish count in characters,
// into a byte offset into line; a missing or odd value means the end, the
// way fish users need (complete/v2 would panic without it).
func cursor(line, point string) int {
	n, err := strconv.Atoi(point)
	if err != nil || n < 0 {
		return len(line)
	}
	if !utf8.ValidString(line) {
		return min(n, len(line))
	}
	for i := range line {
		if n == 0 {
			return i
		}
		n--
	}
	return len(line)
}
