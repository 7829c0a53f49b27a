package applets

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"devenv/completions"
	"devenv/internal/project"
)

// Every flag is declared with its help text, and with a placeholder and a
// way to complete exactly when it takes a value; nothing reaches the parser
// undeclared.
func TestFlagsAreDeclared(t *testing.T) {
	for _, a := range table {
		s := a.declared()
		parsed := 0
		s.parser.VisitAll(func(*flag.Flag) { parsed++ })
		if parsed != len(s.declared) {
			t.Errorf("%s: the parser has %d flags, %d are declared", a.name, parsed, len(s.declared))
		}
		for _, f := range s.declared {
			if strings.TrimSpace(f.help) == "" {
				t.Errorf("%s --%s: no help text", a.name, f.name)
			}
			if (f.arg != "") != f.values.TakesValue() {
				t.Errorf("%s --%s: placeholder %q, but takes a value: %v", a.name, f.name, f.arg, f.values.TakesValue())
			}
			if boolean, ok := s.parser.Lookup(f.name).Value.(interface{ IsBoolFlag() bool }); (ok && boolean.IsBoolFlag()) == (f.arg != "") {
				t.Errorf("%s --%s: a boolean flag must have no placeholder, any other one", a.name, f.name)
			}
		}
	}
}

// What an applet's --help prints comes from the flags its run function
// parses: the same as `devenv help APPLET`, from the table's declaration.
func TestHelpShowsParsedFlags(t *testing.T) {
	for _, a := range table {
		argv := []string{project.Program + "-" + a.name, "--help"}
		if a.name == project.Program {
			argv = []string{project.Program, "--help"}
		}
		var out, errs bytes.Buffer
		code := Main(argv, func(string) string { return "" }, Stdio{In: strings.NewReader(""), Out: &out, Err: &errs}, nil)
		if code != 0 || errs.Len() > 0 {
			t.Errorf("%s --help: exit %d, stderr %q", a.name, code, errs.String())
		}
		if out.String() != a.help() {
			t.Errorf("%s --help printed\n%s\nwant\n%s", a.name, out.String(), a.help())
		}
	}
}

func TestFlagsSection(t *testing.T) {
	var quiet bool
	var format string
	s := newFlagSet("test")
	s.String(&format, "format", "F", "table or json", completions.OneOf("table", "json"))
	s.Bool(&quiet, "q", "print names only,\nand nothing else")
	want := `
Flags:
  --format F  table or json
  -q          print names only,
              and nothing else
`
	if got := s.section(); got != want {
		t.Errorf("section:\n%s\nwant:\n%s", got, want)
	}
	if got := newFlagSet("none").section(); got != "" {
		t.Errorf("section without flags: %q, want nothing", got)
	}
}
