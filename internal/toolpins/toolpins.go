// Package toolpins keeps the user's tool versions: the
//
//	[tools]
//	versions = { claude-code = "2.1.340", yq = "4.54.3" }
//
// table of the user settings file. It reads and rewrites only that one
// line and leaves every other line of the file as it is.
//
// The settings package reads the key (with the file's other keys); this
// package only writes it, as `devenv update` records what it moved to.
package toolpins

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Store is where the user's pins live.
type Store interface {
	Load() (map[string]string, error)
	Save(map[string]string) error
}

// File is the user settings file.
type File struct{ Path string }

var (
	tableHeader = regexp.MustCompile(`^\s*\[([^\]]*)\]\s*(#.*)?$`)
	versionsKey = regexp.MustCompile(`^\s*versions\s*=\s*(.*)$`)
	pinPair     = regexp.MustCompile(`^\s*("?)([A-Za-z0-9_-]+)("?)\s*=\s*"([^"\\]*)"\s*$`)
)

// Load reads the pins; a missing file or table is no pins.
func (f File) Load() (map[string]string, error) {
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	lines := strings.Split(string(data), "\n")
	i := versionsLine(lines)
	if i < 0 {
		return map[string]string{}, nil
	}
	pins, err := parseInline(versionsKey.FindStringSubmatch(lines[i])[1])
	if err != nil {
		return nil, fmt.Errorf("%s:%d: [tools] versions: %w", f.Path, i+1, err)
	}
	return pins, nil
}

// Save writes pins as the [tools] versions line, adding the table when
// the file has none.
func (f File) Save(pins map[string]string) error {
	data, err := os.ReadFile(f.Path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", f.Path, err)
	}
	line := "versions = " + formatInline(pins)
	text := strings.TrimSuffix(string(data), "\n")
	lines := strings.Split(text, "\n")
	if text == "" {
		lines = nil
	}
	for _, l := range lines {
		if m := tableHeader.FindStringSubmatch(l); m != nil && strings.TrimSpace(m[1]) == "tools.versions" {
			return fmt.Errorf("%s writes the tool versions as a [tools.versions] table: make it one line under [tools], versions = { name = \"version\" }, so devenv can update it", f.Path)
		}
	}
	switch i, tools := versionsLine(lines), toolsTable(lines); {
	case i >= 0:
		lines[i] = line
	case tools >= 0:
		lines = append(lines[:tools+1], append([]string{line}, lines[tools+1:]...)...)
	default:
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, "[tools]", line)
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return fmt.Errorf("save the tool versions: %w", err)
	}
	tmp := f.Path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("save the tool versions: %w", err)
	}
	if err := os.Rename(tmp, f.Path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save the tool versions: %w", err)
	}
	return nil
}

// toolsTable is the line index of the [tools] header, or -1.
func toolsTable(lines []string) int {
	for i, l := range lines {
		if m := tableHeader.FindStringSubmatch(l); m != nil && strings.TrimSpace(m[1]) == "tools" {
			return i
		}
	}
	return -1
}

// versionsLine is the line index of versions = … in the [tools] table, or -1.
func versionsLine(lines []string) int {
	start := toolsTable(lines)
	if start < 0 {
		return -1
	}
	for i := start + 1; i < len(lines); i++ {
		if tableHeader.MatchString(lines[i]) {
			return -1
		}
		if versionsKey.MatchString(lines[i]) {
			return i
		}
	}
	return -1
}

// parseInline reads { name = "version", … } (an inline table of strings on
// one line, as Save writes it).
func parseInline(s string) (map[string]string, error) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "}"); i >= 0 && strings.HasPrefix(strings.TrimSpace(s[i+1:]), "#") {
		s = s[:i+1]
	}
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return nil, errors.New(`want an inline table on one line: { name = "version", … }`)
	}
	pins := map[string]string{}
	body := strings.TrimSpace(s[1 : len(s)-1])
	if body == "" {
		return pins, nil
	}
	for _, pair := range strings.Split(body, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		m := pinPair.FindStringSubmatch(pair)
		if m == nil || m[1] != m[3] {
			return nil, fmt.Errorf(`bad entry %q: want name = "version"`, strings.TrimSpace(pair))
		}
		pins[m[2]] = m[4]
	}
	return pins, nil
}

func formatInline(pins map[string]string) string {
	names := make([]string, 0, len(pins))
	for n := range pins {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s = %q", n, pins[n])
	}
	if len(parts) == 0 {
		return "{}"
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}
