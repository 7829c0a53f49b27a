package settings

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/distribution/reference"
)

// Trust says which files may set a key.
type Trust int

const (
	// Both: the project file may set it and wins over the user file; its
	// effect stays inside the environment.
	Both Trust = iota
	// Narrowing: the project file may only make it stricter than the user
	// file (or the default) has it; stricter wins.
	Narrowing
	// UserOnly: it widens what the environment reaches on the host, so a
	// project file's value is ignored with a warning.
	UserOnly
)

func (t Trust) String() string {
	switch t {
	case Both:
		return "project, user"
	case Narrowing:
		return "user; project only stricter"
	}
	return "user only"
}

// key is one setting: its name as written in the TOML file, who may set it,
// how it is read and validated, and its documentation.
type key struct {
	Name     string // dotted, as in the file: "cpus", "network.egress"
	Trust    Trust
	Variable string // the environment variable that sets it; "" for none
	Applied  bool   // shapes the container at create: counted in Hash, needs a restart
	Example  string // a TOML line, for the README
	Doc      string // one line, for the README and `devenv config --help`

	// set validates a decoded TOML value and stores it.
	set func(s *Settings, v any, l *loader) error
	// get is the effective value as plain data.
	get func(s *Settings) any
	// fromText reads a variable's or flag's text into a TOML value; nil
	// when no variable or flag can set the key.
	fromText func(string) (any, error)
	// narrower reports whether proposed is at least as strict as base;
	// only for Narrowing keys.
	narrower func(base, proposed Settings) bool
	// checkHost validates the effective value against the host.
	checkHost func(s *Settings, getenv func(string) string) error
}

// tables are the TOML tables that group keys.
var tables = []string{"tools", "network"}

func isTable(name string) bool { return slices.Contains(tables, name) }

// keys is every setting, in the order the README and `devenv config` list them.
var keys = []*key{
	{
		Name: "env", Trust: Both, Applied: true,
		Example: `env = { EDITOR = "nvim" }`,
		Doc:     "variables set in every way in (login shell, exec, ssh); the project's names win over the user's",
		set: func(s *Settings, v any, _ *loader) error {
			m, ok := v.(map[string]any)
			if !ok {
				return typeErr("a table of NAME = \"value\"", v)
			}
			merged := cloneMap(s.Env)
			if merged == nil {
				merged = map[string]string{}
			}
			for name, raw := range m {
				value, ok := raw.(string)
				if !ok {
					return fmt.Errorf("%s: %w", name, typeErr("a string", raw))
				}
				if !envName.MatchString(name) {
					return fmt.Errorf("%q is not a variable name: use letters, digits and _, not starting with a digit", name)
				}
				if strings.HasPrefix(name, "DEVENV_") {
					return fmt.Errorf("%s: names starting with DEVENV_ are devenv's own", name)
				}
				if strings.ContainsAny(value, "\x00\n\r") {
					return fmt.Errorf("%s: the value has a newline or NUL; use a single line", name)
				}
				merged[name] = value
			}
			s.Env = merged
			return nil
		},
		get: func(s *Settings) any { return orEmptyMap(s.Env) },
	},
	{
		Name: "cpus", Trust: Both, Variable: "DEVENV_CPUS", Applied: true,
		Example: `cpus = 2.5`,
		Doc:     "CPUs the environment may use; 0: no limit",
		set: func(s *Settings, v any, _ *loader) error {
			f, err := number(v)
			if err != nil {
				return err
			}
			if f != 0 && (f < 0.01 || f > 1024) {
				return fmt.Errorf("%v is out of range: use 0.01 to 1024, or 0 for no limit", f)
			}
			s.CPUs = f
			return nil
		},
		get:      func(s *Settings) any { return s.CPUs },
		fromText: floatText,
	},
	{
		Name: "memory", Trust: Both, Variable: "DEVENV_MEMORY", Applied: true,
		Example: `memory = "4g"`,
		Doc:     "memory limit: bytes, or a number with k, m, g or t; \"0\": no limit",
		set: func(s *Settings, v any, _ *loader) error {
			text, ok := v.(string)
			if i, isInt := v.(int64); isInt {
				text, ok = strconv.FormatInt(i, 10), true
			}
			if !ok {
				return typeErr(`a size such as "4g"`, v)
			}
			n, err := parseSize(text)
			if err != nil {
				return err
			}
			s.Memory = n
			return nil
		},
		get:      func(s *Settings) any { return FormatSize(s.Memory) },
		fromText: func(t string) (any, error) { return t, nil },
	},
	{
		Name: "pids", Trust: Both, Variable: "DEVENV_PIDS", Applied: true,
		Example: `pids = 4096`,
		Doc:     "most processes the environment may run at once; unset: no limit",
		set: func(s *Settings, v any, _ *loader) error {
			i, ok := v.(int64)
			if !ok {
				return typeErr("a whole number", v)
			}
			if i < 16 || i > 1<<22 {
				return fmt.Errorf("%d is out of range: use 16 to %d", i, 1<<22)
			}
			s.Pids = i
			return nil
		},
		get:      func(s *Settings) any { return s.Pids },
		fromText: intText,
	},
	{
		Name: "mounts", Trust: UserOnly, Applied: true,
		Example: `mounts = [{ source = "~/data", target = "/data", readonly = true }]`,
		Doc:     "extra host paths in the environment, read-only unless readonly = false; never $HOME, /, devenv's own directories or the Docker socket",
		set:     setMounts,
		get: func(s *Settings) any {
			if s.Mounts == nil {
				return []Mount{}
			}
			return s.Mounts
		},
		checkHost: checkMounts,
	},
	{
		Name: "image", Trust: Both, Variable: "DEVENV_IMAGE", Applied: true,
		Example: `image = "devenv:20260101.120000"`,
		Doc:     "the image for a project without .devenv/Dockerfile; default devenv:latest",
		set: func(s *Settings, v any, _ *loader) error {
			text, ok := v.(string)
			if !ok {
				return typeErr("an image reference", v)
			}
			if _, err := reference.ParseNormalizedNamed(text); err != nil {
				return fmt.Errorf("%q is not an image reference (%v): write it as NAME or NAME:TAG", text, err)
			}
			s.Image = text
			return nil
		},
		get:      func(s *Settings) any { return s.Image },
		fromText: func(t string) (any, error) { return t, nil },
	},
	{
		Name: "tools.default", Trust: UserOnly, Variable: "DEVENV_TOOLS",
		Example: `default = ["claude-code", "codex"]`,
		Doc:     "the tool set `devenv build` puts in devenv:latest when --tools is not given",
		set: func(s *Settings, v any, _ *loader) error {
			list, err := stringList(v, toolName, "a tool name (lower-case letters, digits, -)")
			if err != nil {
				return err
			}
			s.Tools.Default = list
			return nil
		},
		get: func(s *Settings) any {
			if s.Tools.Default == nil {
				return []string{}
			}
			return s.Tools.Default
		},
		fromText: listText,
	},
	{
		Name: "tools.versions", Trust: UserOnly,
		Example: `versions = { claude-code = "2.1.340" }`,
		Doc:     "pinned versions, tool → version, for `devenv build`",
		set: func(s *Settings, v any, _ *loader) error {
			m, ok := v.(map[string]any)
			if !ok {
				return typeErr("a table of tool = \"version\"", v)
			}
			versions := cloneMap(s.Tools.Versions)
			if versions == nil {
				versions = map[string]string{}
			}
			for tool, raw := range m {
				version, ok := raw.(string)
				if !ok {
					return fmt.Errorf("%s: %w", tool, typeErr("a version string", raw))
				}
				if !toolName.MatchString(tool) {
					return fmt.Errorf("%q is not a tool name: use lower-case letters, digits and -", tool)
				}
				if !versionText.MatchString(version) {
					return fmt.Errorf("%s: %q is not a version: use letters, digits, . + - _", tool, version)
				}
				versions[tool] = version
			}
			s.Tools.Versions = versions
			return nil
		},
		get: func(s *Settings) any { return orEmptyMap(s.Tools.Versions) },
	},
	{
		Name: "sudo", Trust: Narrowing, Applied: true,
		Example: `sudo = false`,
		Doc:     "false: no sudo, no-new-privileges, every capability dropped but sshd's; nothing in the project can become root-owned (stricter wins)",
		set:     setBool(func(s *Settings) *bool { return &s.Sudo }),
		get:     func(s *Settings) any { return s.Sudo },
		narrower: func(base, proposed Settings) bool {
			return !proposed.Sudo || base.Sudo
		},
	},
	{
		Name: "forward_ssh_agent", Trust: Narrowing, Applied: true,
		Example: `forward_ssh_agent = true`,
		Doc:     "forward the host's SSH agent into the environment (and devenv ssh -A); a project file cannot turn it on",
		set:     setBool(func(s *Settings) *bool { return &s.ForwardSSHAgent }),
		get:     func(s *Settings) any { return s.ForwardSSHAgent },
		narrower: func(base, proposed Settings) bool {
			return !proposed.ForwardSSHAgent || base.ForwardSSHAgent
		},
	},
	{
		Name: "agents", Trust: Narrowing, Applied: true,
		Example: `agents = "per-project"`,
		Doc:     `"shared" or "per-project": one agent home per tool for every environment, or each environment its own (see devenv agents)`,
		set: func(s *Settings, v any, _ *loader) error {
			text, err := oneOf(v, "shared", "per-project")
			s.Agents = text
			return err
		},
		get: func(s *Settings) any { return s.Agents },
		narrower: func(base, proposed Settings) bool {
			return proposed.Agents == "per-project" || base.Agents == "shared"
		},
	},
	{
		Name: "ports", Trust: Both, Applied: true,
		Example: `ports = [3000, "8080:80"]`,
		Doc:     "ports forwarded from 127.0.0.1 on the host to localhost inside while the environment runs: PORT, or \"HOST:PORT\"",
		set:     setPorts,
		get: func(s *Settings) any {
			if s.Ports == nil {
				return []Port{}
			}
			return s.Ports
		},
	},
	{
		Name: "network.egress", Trust: Narrowing, Applied: true,
		Example: `egress = "allowlist"`,
		Doc:     `"open", "allowlist" or "none": what the environment may reach outside, enforced by a proxy outside it`,
		set: func(s *Settings, v any, _ *loader) error {
			text, err := oneOf(v, egressOrder...)
			if err == nil {
				s.Network.Egress = text
			}
			return err
		},
		get: func(s *Settings) any { return s.Network.Egress },
		narrower: func(base, proposed Settings) bool {
			return slices.Index(egressOrder, proposed.Network.Egress) >= slices.Index(egressOrder, base.Network.Egress)
		},
	},
	{
		Name: "network.allow", Trust: Narrowing, Applied: true,
		Example: `allow = ["github.com", "*.npmjs.org"]`,
		Doc:     "destinations an allowlist lets through; a project may only name ones the user allows",
		set: func(s *Settings, v any, _ *loader) error {
			list, err := stringList(v, destination, "a host, *.domain, IP address or CIDR, with an optional :port")
			if err == nil {
				s.Network.Allow = list
			}
			return err
		},
		get: func(s *Settings) any {
			if s.Network.Allow == nil {
				return []string{}
			}
			return s.Network.Allow
		},
		narrower: func(base, proposed Settings) bool {
			if base.Network.Egress != "allowlist" {
				return true // open allows everything, none nothing
			}
			for _, d := range proposed.Network.Allow {
				if !slices.Contains(base.Network.Allow, d) {
					return false
				}
			}
			return true
		},
	},
	{
		Name: "ssh_bind", Trust: UserOnly, Applied: true,
		Example: `ssh_bind = "127.0.0.1"`,
		Doc:     "the host address sshd is published on; default 127.0.0.1; reserved",
		set: func(s *Settings, v any, _ *loader) error {
			text, ok := v.(string)
			if !ok {
				return typeErr("an IP address", v)
			}
			if net.ParseIP(text) == nil {
				return fmt.Errorf("%q is not an IP address: write it as 127.0.0.1 or ::1", text)
			}
			s.SSHBind = text
			return nil
		},
		get: func(s *Settings) any { return s.SSHBind },
	},
	{
		Name: "engine_shares_files", Trust: UserOnly,
		Example: `engine_shares_files = true`,
		Doc:     "the engine is remote (ssh://, TCP not to loopback) but sees this host's paths, so devenv may bind-mount a project there",
		set:     setBool(func(s *Settings) *bool { return &s.EngineSharesFiles }),
		get:     func(s *Settings) any { return s.EngineSharesFiles },
	},
}

var egressOrder = []string{"open", "allowlist", "none"}

var (
	envName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	toolName    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	versionText = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.+_-]*$`)
	destination = regexp.MustCompile(`^(\*\.)?[A-Za-z0-9][A-Za-z0-9.:/_-]*$`)
)

func lookup(name string) (*key, bool) {
	for _, k := range keys {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

func typeErr(want string, got any) error {
	return fmt.Errorf("wrong type: want %s, got %s", want, tomlTypeOf(got))
}

func tomlTypeOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return "a date or time"
}

func number(v any) (float64, error) {
	switch n := v.(type) {
	case int64:
		return float64(n), nil
	case float64:
		if n != n { // NaN
			return 0, fmt.Errorf("nan is not a number of CPUs")
		}
		return n, nil
	}
	return 0, typeErr("a number", v)
}

func setBool(field func(*Settings) *bool) func(*Settings, any, *loader) error {
	return func(s *Settings, v any, _ *loader) error {
		b, ok := v.(bool)
		if !ok {
			return typeErr("true or false", v)
		}
		*field(s) = b
		return nil
	}
}

func oneOf(v any, choices ...string) (string, error) {
	text, ok := v.(string)
	if !ok {
		return "", typeErr("one of "+quoteAll(choices), v)
	}
	if !slices.Contains(choices, text) {
		return "", fmt.Errorf("%q is not allowed: use one of %s", text, quoteAll(choices))
	}
	return text, nil
}

func quoteAll(choices []string) string {
	q := make([]string, len(choices))
	for i, c := range choices {
		q[i] = strconv.Quote(c)
	}
	return strings.Join(q, ", ")
}

func stringList(v any, valid *regexp.Regexp, what string) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, typeErr("an array of strings", v)
	}
	list := make([]string, 0, len(items))
	for _, item := range items {
		text, ok := item.(string)
		if !ok {
			return nil, typeErr("an array of strings", item)
		}
		if !valid.MatchString(text) {
			return nil, fmt.Errorf("%q is not %s", text, what)
		}
		list = append(list, text)
	}
	return list, nil
}

func setPorts(s *Settings, v any, _ *loader) error {
	items, ok := v.([]any)
	if !ok {
		return typeErr(`an array of ports such as [3000, "8080:80"]`, v)
	}
	ports := make([]Port, 0, len(items))
	for _, item := range items {
		var p Port
		switch x := item.(type) {
		case int64:
			p = Port{Host: int(min(max(x, -1), 1<<20)), Container: int(min(max(x, -1), 1<<20))}
		case string:
			host, container, ok := strings.Cut(x, ":")
			h, err1 := strconv.Atoi(host)
			c, err2 := strconv.Atoi(container)
			if !ok || err1 != nil || err2 != nil {
				return fmt.Errorf("%q is not a port forward: write PORT or \"HOST:PORT\", such as \"8080:80\"", x)
			}
			p = Port{Host: h, Container: c}
		default:
			return typeErr(`a port number or "HOST:PORT"`, item)
		}
		if p.Host < 1 || p.Host > 65535 || p.Container < 1 || p.Container > 65535 {
			return fmt.Errorf("%s is out of range: ports are 1 to 65535", show(item))
		}
		ports = append(ports, p)
	}
	s.Ports = ports
	return nil
}

func floatText(t string) (any, error) {
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return nil, fmt.Errorf("%q is not a number", t)
	}
	return f, nil
}

func intText(t string) (any, error) {
	i, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%q is not a whole number", t)
	}
	return i, nil
}

func listText(t string) (any, error) {
	var list []any
	for _, item := range strings.Split(t, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	if list == nil {
		list = []any{}
	}
	return list, nil
}

func orEmptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// show writes a plain value the way a TOML file would.
func show(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "nothing"
	}
	return fmt.Sprint(v)
}
