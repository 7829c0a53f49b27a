package settings

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// KeyInfo describes one key for documentation and `devenv config`.
type KeyInfo struct {
	Name     string // dotted: "cpus", "tools.default"
	Trust    Trust
	Variable string
	Applied  bool
	Example  string
	Doc      string
}

// Keys lists every key in table order.
func Keys() []KeyInfo {
	infos := make([]KeyInfo, len(keys))
	for i, k := range keys {
		infos[i] = KeyInfo{Name: k.Name, Trust: k.Trust, Variable: k.Variable, Applied: k.Applied, Example: k.Example, Doc: k.Doc}
	}
	return infos
}

// MarkdownTable is the README's settings table, generated from keys; a test
// keeps the README equal to it.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| Key | Example | Who may set it | Variable | Meaning |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, k := range keys {
		variable := ""
		if k.Variable != "" {
			variable = "`" + k.Variable + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", k.Name, k.Example, k.Trust, variable, strings.ReplaceAll(k.Doc, "|", `\|`))
	}
	return b.String()
}

// Text writes a key's effective value the way a TOML file would.
func (s Settings) Text(name string) string {
	v, ok := s.Value(name)
	if !ok {
		return ""
	}
	return tomlText(v)
}

func tomlText(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case []string:
		items := make([]string, len(x))
		for i, item := range x {
			items[i] = strconv.Quote(item)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]string:
		names := make([]string, 0, len(x))
		for name := range x {
			names = append(names, name)
		}
		sort.Strings(names)
		items := make([]string, len(names))
		for i, name := range names {
			items[i] = name + " = " + strconv.Quote(x[name])
		}
		if len(items) == 0 {
			return "{}"
		}
		return "{ " + strings.Join(items, ", ") + " }"
	case []Mount:
		items := make([]string, len(x))
		for i, m := range x {
			items[i] = fmt.Sprintf("{ source = %q, target = %q, readonly = %t }", m.Source, m.Target, m.ReadOnly)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case []Port:
		items := make([]string, len(x))
		for i, p := range x {
			items[i] = strconv.Itoa(p.Host)
			if p.Host != p.Container {
				items[i] = fmt.Sprintf("\"%d:%d\"", p.Host, p.Container)
			}
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// CheckText validates a value for key as a flag or variable would give it,
// so a command line can be refused before anything else happens.
func CheckText(name, text string) error {
	k, ok := lookup(name)
	if !ok || k.fromText == nil {
		return fmt.Errorf("%s cannot be set from the command line", name)
	}
	value, err := k.fromText(text)
	if err != nil {
		return err
	}
	s := Defaults()
	return k.set(&s, value, nil)
}
