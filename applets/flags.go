package applets

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"devenv/completions"
)

// flagSet is an applet's flags. Each flag is declared once, with the
// placeholder for its value, its help text and how its value completes; from
// that one declaration come the parser, the Flags section of --help and the
// flag's completion.
type flagSet struct {
	parser   *flag.FlagSet
	declared []declaredFlag // in the order --help lists them
	only     []string       // when set, the parser takes only these
}

type declaredFlag struct {
	name   string
	arg    string // the value's placeholder in --help ("N"); "" for a boolean flag
	help   string // may run over several lines
	values completions.Values
}

// flagDeclarer is an applet's flag values, which declare binds to the flags.
type flagDeclarer interface{ declare(*flagSet) }

// declare is the flags of F, for --help and completion.
func declare[F any, P interface {
	*F
	flagDeclarer
}](s *flagSet) {
	P(new(F)).declare(s)
}

func newFlagSet(prog string) *flagSet {
	parser := flag.NewFlagSet(prog, flag.ContinueOnError)
	parser.SetOutput(io.Discard)
	return &flagSet{parser: parser}
}

// String declares a flag with a value; the value *p holds now is its
// default.
func (s *flagSet) String(p *string, name, arg, help string, values completions.Values) {
	if s.parses(name) {
		s.parser.StringVar(p, name, *p, help)
	}
	s.add(declaredFlag{name: name, arg: arg, help: help, values: values})
}

// Bool declares a flag that takes no value.
func (s *flagSet) Bool(p *bool, name, help string) {
	if s.parses(name) {
		s.parser.BoolVar(p, name, *p, help)
	}
	s.add(declaredFlag{name: name, help: help})
}

// Func declares a flag with a value that set checks and keeps.
func (s *flagSet) Func(name, arg, help string, values completions.Values, set func(string) error) {
	if s.parses(name) {
		s.parser.Func(name, help, set)
	}
	s.add(declaredFlag{name: name, arg: arg, help: help, values: values})
}

func (s *flagSet) add(f declaredFlag) {
	s.declared = append(s.declared, f)
}

func (s *flagSet) parses(name string) bool {
	return s.only == nil || slices.Contains(s.only, name)
}

// Parse parses args. The flags end at the first argument that is not one;
// Args returns the rest.
func (s *flagSet) Parse(args []string) error { return s.parser.Parse(args) }

func (s *flagSet) Args() []string   { return s.parser.Args() }
func (s *flagSet) NArg() int        { return s.parser.NArg() }
func (s *flagSet) Arg(i int) string { return s.parser.Arg(i) }

// section is the Flags section of --help: each flag with its placeholder,
// then its help text, in a column.
func (s *flagSet) section() string {
	if len(s.declared) == 0 {
		return ""
	}
	heads := make([]string, len(s.declared))
	width := 0
	for i, f := range s.declared {
		heads[i] = "-" + f.name
		if len(f.name) > 1 {
			heads[i] = "--" + f.name
		}
		if f.arg != "" {
			heads[i] += " " + f.arg
		}
		width = max(width, len(heads[i]))
	}
	var b strings.Builder
	b.WriteString("\nFlags:\n")
	for i, f := range s.declared {
		for j, text := range strings.Split(f.help, "\n") {
			head := heads[i]
			if j > 0 {
				head = ""
			}
			fmt.Fprintf(&b, "  %-*s  %s\n", width, head, text)
		}
	}
	return b.String()
}

// completion is the flags as completions knows them.
func (s *flagSet) completion() []completions.AppFlag {
	flags := make([]completions.AppFlag, 0, len(s.declared))
	for _, f := range s.declared {
		flags = append(flags, completions.AppFlag{Name: f.name, Values: f.values})
	}
	return flags
}

// flags declares v's flags for this call; v is nil for an applet without
// flags.
func (c *call) flags(v flagDeclarer) *flagSet {
	s := newFlagSet(c.prog)
	if v != nil {
		v.declare(s)
	}
	return s
}

// flagsFor declares v's flags for a subcommand that takes only those named;
// its --help still lists them all.
func (c *call) flagsFor(v flagDeclarer, names ...string) *flagSet {
	s := newFlagSet(c.prog)
	s.only = names
	v.declare(s)
	return s
}

// parseFlags parses args with s; --help prints the usage and its Flags
// section to stdout and ends the applet with status 0.
func (c *call) parseFlags(s *flagSet, args []string) error {
	if err := s.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.stdio.Out, c.usage+s.section())
			return errHelpShown
		}
		return usageErrorf("%v", err)
	}
	return nil
}
