package applets

import (
	"context"
	"fmt"

	"devenv/internal/project"
	"devenv/shell"
)

var initApplet = applet{
	name:    "init",
	summary: "print the shell integration: completion and prompt variables",
	usage: `Usage: devenv init [--prompt] [bash|zsh|fish]

Print the code that gives your shell completion for devenv and its applet
names, and variables that follow the directory you stand in. Load it from
your shell's startup file (default shell: $SHELL):
  ~/.bashrc                   eval "$(devenv init bash)"
  ~/.zshrc, after compinit    eval "$(devenv init zsh)"
  ~/.config/fish/config.fish  devenv init fish | source

At each prompt, the hook keeps these current (see 'devenv prompt --help'):
  DEVENV_NAME      the environment's name, e.g. devenv-local-api
  DEVENV_STATUS    running or stopped; unset where no environment belongs
  DEVENV_SSH_PORT  its SSH port while it runs (a shell variable, not exported)
  DEVENV_PROMPT    a segment for your prompt: ⬢ local-api, or ⬡ when stopped
Use $DEVENV_PROMPT in PS1, RPROMPT or fish_right_prompt, or in a starship
env_var module. A prompt in an unchanged directory starts no process.

The code calls this binary by its absolute path ($DEVENV_BIN overrides it),
is safe to load twice, prints nothing, keeps $? and leaves your prompt alone
unless --prompt asks otherwise.
`,
	flags: declare[initFlags],
	run:   runInit,
}

type initFlags struct{ prompt bool }

func (f *initFlags) declare(s *flagSet) {
	s.Bool(&f.prompt, "prompt", "also put $DEVENV_PROMPT in front of the prompt")
}

func runInit(ctx context.Context, c *call) error {
	var f initFlags
	fs := c.flags(&f)
	// Flags may follow the shell too, as in `devenv init zsh --prompt`.
	var shells []string
	for args := c.args; ; args = fs.Args()[1:] {
		if err := c.parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		shells = append(shells, fs.Arg(0))
	}
	name := c.env("SHELL")
	switch len(shells) {
	case 0:
		if name == "" {
			return usageErrorf("name the shell: bash, zsh or fish")
		}
	case 1:
		name = shells[0]
	default:
		return usageErrorf("too many arguments: want one shell")
	}
	sh, ok := shell.Lookup(name)
	if !ok {
		return usageErrorf("unknown shell %q: want bash, zsh or fish", name)
	}
	bin, err := c.binary()
	if err != nil {
		return err
	}
	names := []string{project.Program}
	for _, n := range pathApplets {
		names = append(names, project.Program+"-"+n)
	}
	code, err := sh.Snippet(shell.Options{Bin: bin, Names: names, Prompt: f.prompt})
	if err != nil {
		return err
	}
	fmt.Fprint(c.stdio.Out, code)
	return nil
}
