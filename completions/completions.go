// Package completions is devenv's command-line completion: the command tree
// of devenv and of each applet's own name (devenv-stop …), with predictors
// for flag values and arguments. The completion algorithm itself is
// github.com/posener/complete/v2's, fed from COMP_LINE; this package decides
// which part of the tree the line is in before handing it over, because a
// multicall binary's command is the line's first word and because
// complete/v2's own subcommand handling can offer neither directories nor
// flags next to subcommand names.
package completions

import (
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/posener/complete/v2"
	"github.com/posener/complete/v2/predict"

	"devenv/internal/project"
)

// Flag is one flag of a command.
type Flag struct {
	Name  string             // without dashes
	Value complete.Predictor // predicts its value; nil for a boolean flag
}

// Command is how one command's line completes.
type Command struct {
	Flags []Flag
	// Args predicts the positional argument at index pos; nil, or a nil
	// result, predicts nothing.
	Args func(pos int) complete.Predictor
}

// App is an applet as the dispatcher knows it.
type App struct {
	Name  string    // "stop"; project.Program for the default applet
	Flags []AppFlag // as the applet declares them, in the order of its --help
}

// AppFlag is a flag as its applet declares it.
type AppFlag struct {
	Name   string // without dashes
	Values Values // how its value completes; the zero Values for a boolean flag
}

// Tree is every command devenv completes.
type Tree struct {
	commands map[string]Command // "" is devenv itself
	offered  []string           // what may follow "devenv ": the applets
}

// New builds the tree for the applets apps, with values from src.
func New(apps []App, src Sources) *Tree {
	src.Environments = once(src.Environments)
	src.Tools = once(src.Tools)
	src.Templates = once(src.Templates)
	src.Branches = once(src.Branches)
	var offered []string
	for _, a := range apps {
		if a.Name != project.Program {
			offered = append(offered, a.Name)
		}
	}
	t := &Tree{commands: map[string]Command{}, offered: offered}
	for name, args := range arguments(src, offered) {
		t.commands[name] = Command{Args: args}
	}
	for _, a := range apps {
		name := a.Name
		if name == project.Program {
			name = ""
		}
		cmd := t.commands[name]
		for _, f := range a.Flags {
			cmd.Flags = append(cmd.Flags, Flag{Name: f.Name, Value: f.Values.predictor(src)})
		}
		t.commands[name] = cmd
	}
	return t
}

func once(f func() []string) func() []string {
	if f == nil {
		return nil
	}
	return sync.OnceValue(f)
}

// For returns the completer for a command line cut at the cursor, or nil
// when nothing is to be offered: the program name itself is being typed, or
// the words after "--" are a command for somewhere else. The candidates are
// written as q says; line is text as complete/v2 is to read it.
func (t *Tree) For(text string, q Quoting) (c complete.Completer, line string) {
	l := parseLine(text)
	if len(l.words) == 0 {
		return nil, text
	}
	text = q.retype(text, l.cur)
	name, args, sub := "", l.words[1:], false
	if applet, ok := strings.CutPrefix(path.Base(l.words[0]), project.Program+"-"); ok {
		if _, known := t.commands[applet]; known {
			name = applet
		}
	}
	if name == "" && len(args) > 0 && slices.Contains(t.offered, args[0]) {
		name, args, sub = args[0], args[1:], true
	}
	if slices.Contains(args, "--") {
		return nil, text
	}
	cmd := t.commands[name]
	if name == "" && len(args) == 0 {
		// The first word after devenv: an applet's name, or the start
		// applet's PATH.
		cmd.Args = func(int) complete.Predictor { return predict.Or(predict.Set(t.offered), dirs()) }
	}
	lf := &leaf{cmd: cmd, pos: position(cmd, args), dashes: dashes(l), quoting: q}
	if sub {
		return &parent{name: name, child: lf}, text
	}
	return lf, text
}

// position counts the positional arguments before the current word.
func position(cmd Command, args []string) int {
	pos := 0
	for i := 0; i < len(args); i++ {
		name, hasValue, ok := flagName(args[i])
		if !ok {
			pos++
			continue
		}
		if f, known := cmd.flag(name); known && f.Value != nil && !hasValue {
			i++ // its value
		}
	}
	return pos
}

func (c Command) flag(name string) (Flag, bool) {
	for _, f := range c.Flags {
		if f.Name == name {
			return f, true
		}
	}
	return Flag{}, false
}

// dashes is how complete/v2 will prefix the flag names it offers for this
// line: the current word's dashes, or those of a just completed -flag=value,
// else one dash.
func dashes(l line) string {
	w := l.cur
	if w == "" && len(l.words) > 0 {
		last := l.words[len(l.words)-1]
		if _, hasValue, ok := flagName(last); ok && hasValue {
			w = last
		}
	}
	switch {
	case strings.HasPrefix(w, "--"):
		return "--"
	case w == "" || w == "-":
		return "" // one dash, and nothing of the name typed yet
	case strings.HasPrefix(w, "-"):
		return "-"
	}
	return ""
}

// leaf completes one command's flags and arguments.
type leaf struct {
	cmd     Command
	pos     int
	dashes  string
	quoting Quoting
}

func (l *leaf) SubCmdList() []string                { return nil }
func (l *leaf) SubCmdGet(string) complete.Completer { return nil }

// FlagList names the flags so that complete/v2, which prefixes them with the
// dashes typed (one by default), offers long flags as --name and short ones
// as -n.
func (l *leaf) FlagList() []string {
	var names []string
	for _, f := range l.cmd.Flags {
		long := len(f.Name) > 1
		switch {
		case l.dashes == "--":
			if long {
				names = append(names, f.Name)
			}
		case l.dashes == "" && long:
			names = append(names, "-"+f.Name)
		default:
			names = append(names, f.Name)
		}
	}
	return names
}

// FlagGet predicts the value of a flag. complete/v2 also asks it after a
// boolean flag, and offers only what it answers: the arguments then, and the
// flags when nothing is typed yet.
func (l *leaf) FlagGet(name string) complete.Predictor {
	f, ok := l.cmd.flag(strings.TrimLeft(name, "-"))
	if !ok {
		return nil
	}
	if f.Value != nil {
		return l.quoting.wrap(f.Value)
	}
	return l.quoting.wrap(complete.PredictFunc(func(prefix string) []string {
		var out []string
		if p := l.args(); p != nil {
			out = p.Predict(prefix)
		}
		if prefix == "" {
			for _, f := range l.cmd.Flags {
				if len(f.Name) > 1 {
					out = append(out, "--"+f.Name)
				} else {
					out = append(out, "-"+f.Name)
				}
			}
		}
		return out
	}))
}

func (l *leaf) ArgsGet() complete.Predictor {
	if p := l.args(); p != nil {
		return l.quoting.wrap(p)
	}
	return nil
}

func (l *leaf) args() complete.Predictor {
	if l.cmd.Args == nil {
		return nil
	}
	if p := l.cmd.Args(l.pos); p != nil {
		return p
	}
	return nil
}

// parent is devenv with one applet named: complete/v2 steps into it.
type parent struct {
	name  string
	child *leaf
}

func (p *parent) SubCmdList() []string { return []string{p.name} }
func (p *parent) SubCmdGet(name string) complete.Completer {
	if name == p.name {
		return p.child
	}
	return nil
}
func (p *parent) FlagList() []string                { return nil }
func (p *parent) FlagGet(string) complete.Predictor { return nil }
func (p *parent) ArgsGet() complete.Predictor       { return nil }
