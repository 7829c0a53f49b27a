package settings

import (
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// loader applies layers to one Result.
type loader struct {
	getenv func(string) string
	res    *Result
}

// layer applies one file's keys, in the order the file names them.
func (l *loader) layer(data []byte, file string, kind Kind) error {
	values, meta, err := parse(data, file)
	if err != nil {
		return err
	}
	base := l.res.Settings.clone() // what the project layer may only narrow
	for _, path := range meta.Keys() {
		name := strings.Join(path, ".")
		if isTable(name) {
			if t := meta.Type(path...); t != "Hash" {
				return &Error{File: file, Key: name, Problem: fmt.Sprintf("is a %s: write it as a table, [%s]", typeName(t), name)}
			}
			continue
		}
		if withinKey(path) {
			continue // a part of a key's own table or array, such as env.NAME
		}
		k, ok := lookup(name)
		if !ok {
			problem := fmt.Sprintf("unknown key %q", name)
			if s := suggest(path[len(path)-1]); s != "" {
				problem += fmt.Sprintf(": did you mean %q?", s)
			} else {
				problem += ": README.md's Settings section lists the keys"
			}
			return &Error{File: file, Problem: problem}
		}
		value := lookupValue(values, path)
		source := Source{Kind: kind, Where: file}
		if kind == FromProject {
			if warning, ignore := l.projectMay(k, value, base, file); ignore {
				l.res.Ignored = append(l.res.Ignored, Ignored{File: file, Key: name, Warning: warning})
				continue
			}
		}
		if err := l.set(k, value, source); err != nil {
			return &Error{File: file, Key: name, Problem: err.Error()}
		}
	}
	return nil
}

// parse decodes TOML; a syntax error names the file, line and column.
func parse(data []byte, file string) (map[string]any, toml.MetaData, error) {
	values := map[string]any{}
	meta, err := toml.Decode(string(data), &values)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, meta, &Error{File: file, Line: pe.Position.Line, Col: max(pe.Position.Col, 1), Problem: "TOML syntax: " + pe.Message}
		}
		return nil, meta, &Error{File: file, Problem: "TOML: " + err.Error()}
	}
	return values, meta, nil
}

// projectMay decides whether a project file's value for k takes effect;
// when not, it returns the warning.
func (l *loader) projectMay(k *key, value any, base Settings, file string) (string, bool) {
	switch k.Trust {
	case Both:
		return "", false
	case Narrowing:
		proposed := base.clone()
		if err := k.set(&proposed, value, l); err != nil {
			return "", false // the error is reported by the caller's set
		}
		if k.narrower(base, proposed) {
			return "", false
		}
		return fmt.Sprintf("%s: %s = %s ignored: a project file may only make it stricter; put it in your user file %s",
			file, k.Name, tomlText(k.get(&proposed)), orUnknown(l.res.UserFile)), true
	}
	return fmt.Sprintf("%s: %s ignored: only your user file may set it, as it widens what the environment reaches on the host; put it in %s",
		file, k.Name, orUnknown(l.res.UserFile)), true
}

func orUnknown(path string) string {
	if path == "" {
		return "$XDG_CONFIG_HOME/devenv/config.toml"
	}
	return path
}

// set validates value and makes it k's effective value.
func (l *loader) set(k *key, value any, source Source) error {
	if err := k.set(&l.res.Settings, value, l); err != nil {
		return err
	}
	if k.Name == "env" {
		for name := range value.(map[string]any) {
			l.res.Sources["env."+name] = source
		}
	}
	l.res.Sources[k.Name] = source
	return nil
}

// setText applies a variable's or flag's text.
func (l *loader) setText(k *key, text string, source Source) error {
	value, err := k.fromText(text)
	if err == nil {
		err = l.set(k, value, source)
	}
	if err != nil {
		return &Error{Where: source.Where, Key: k.Name, Problem: err.Error()}
	}
	return nil
}

// checkHost runs the checks that look at the host, on effective values only:
// an ignored project value never touches the host.
func (l *loader) checkHost() error {
	for _, k := range keys {
		if k.checkHost == nil {
			continue
		}
		if err := k.checkHost(&l.res.Settings, l.getenv); err != nil {
			src := l.res.Sources[k.Name]
			e := &Error{Key: k.Name, Problem: err.Error()}
			switch src.Kind {
			case FromUser, FromProject:
				e.File = src.Where
			default:
				e.Where = src.Where
			}
			return e
		}
	}
	return nil
}

// lookupValue walks the decoded tables along path.
func lookupValue(values map[string]any, path []string) any {
	var v any = values
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// withinKey reports whether path lies inside a known key's value.
func withinKey(path []string) bool {
	for i := 1; i < len(path); i++ {
		if _, ok := lookup(strings.Join(path[:i], ".")); ok {
			return true
		}
	}
	return false
}

func typeName(tomlType string) string {
	switch tomlType {
	case "Hash":
		return "table"
	case "ArrayHash":
		return "array of tables"
	case "Array":
		return "array"
	case "":
		return "value"
	}
	return strings.ToLower(tomlType)
}

func (s Settings) clone() Settings {
	c := s
	c.Env = cloneMap(s.Env)
	c.Mounts = append([]Mount(nil), s.Mounts...)
	c.Tools.Default = append([]string(nil), s.Tools.Default...)
	if s.Tools.Default == nil {
		c.Tools.Default = nil
	}
	c.Tools.Versions = cloneMap(s.Tools.Versions)
	c.Ports = append([]Port(nil), s.Ports...)
	c.Network.Allow = append([]string(nil), s.Network.Allow...)
	return c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
