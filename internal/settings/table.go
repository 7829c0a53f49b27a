package settings

import (
	"fmt"
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
