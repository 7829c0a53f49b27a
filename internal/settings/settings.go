// Package settings reads devenv's two settings files, the user's
// ($XDG_CONFIG_HOME/devenv/config.toml) and the project's
// (<project>/.devenv/config.toml), and layers them under environment
// variables and flags. A project file arrives with every `git clone`, so it
// is untrusted: it may only make an environment stricter or set things that
// stay inside it. Which key may come from where is written once, in keys.
package settings

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Settings are the effective values of every key.
type Settings struct {
	Env               map[string]string
	CPUs              float64 // 0: no limit
	Memory            int64   // bytes; 0: no limit
	Pids              int64   // 0: no limit
	Mounts            []Mount
	Image             string // "": devenv's default image
	Tools             Tools
	Sudo              bool
	ForwardSSHAgent   bool
	Agents            string // "shared" or "per-project"
	Ports             []Port
	Network           Network
	SSHBind           string // "": devenv's default, 127.0.0.1
	EngineSharesFiles bool
}

// Mount is an extra host directory or file in the environment.
type Mount struct {
	Source   string `json:"source"` // absolute, symlinks resolved
	Target   string `json:"target"`
	ReadOnly bool   `json:"readonly"`
}

// Port forwards 127.0.0.1:Host on the host to Container in the environment.
type Port struct {
	Host      int `json:"host"`
	Container int `json:"container"`
}

// Tools is the [tools] table.
type Tools struct {
	Default  []string          // the tool set `devenv build` builds by default; nil: the image's own default
	Versions map[string]string // tool → pinned version
}

// Network is the [network] table.
type Network struct {
	Egress string   // "open", "allowlist" or "none"
	Allow  []string // destinations for "allowlist"
}

// Kind says which layer a value came from.
type Kind string

const (
	FromDefault  Kind = "default"
	FromUser     Kind = "user file"
	FromProject  Kind = "project file"
	FromVariable Kind = "variable"
	FromFlag     Kind = "flag"
)

// Source is where an effective value came from: the kind of layer and the
// file, variable or flag.
type Source struct {
	Kind  Kind   `json:"kind"`
	Where string `json:"where,omitempty"` // file path, variable name or flag; "" for the default
}

func (s Source) String() string {
	if s.Where == "" {
		return string(s.Kind)
	}
	return string(s.Kind) + " " + s.Where
}

// Request says what to load.
type Request struct {
	Getenv     func(string) string
	ProjectDir string            // canonical project directory; "" for none
	Flags      map[string]string // key name → value typed as a command-line flag
	// FlagNames names the flag behind each key in Flags, for messages
	// ("--cpus"); a missing entry shows the key's name.
	FlagNames map[string]string
}

// Result is the effective settings and how they came about.
type Result struct {
	Settings    Settings
	Sources     map[string]Source // key name → source of its effective value; env entries as "env.NAME"
	Ignored     []Ignored         // the project keys that did not take effect, in file order
	UserFile    string            // the user file's path, whether or not it exists
	ProjectFile string            // the project file's path; "" without a project
	// UserFileFound and ProjectFileFound say whether the files exist.
	UserFileFound, ProjectFileFound bool
}

// Ignored is a project key the trust rule set aside.
type Ignored struct {
	File    string `json:"file"`
	Key     string `json:"key"`
	Warning string `json:"warning"` // one line naming the file and the key and what to do, without a program prefix
}

// Defaults are the values when nothing sets a key.
func Defaults() Settings {
	return Settings{
		Sudo:    true,
		Agents:  "shared",
		Network: Network{Egress: "open"},
	}
}

// UserFile is the user's settings file: $XDG_CONFIG_HOME/devenv/config.toml,
// else ~/.config/devenv/config.toml. "" when neither variable is absolute.
func UserFile(getenv func(string) string) string {
	dir := configDir(getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "config.toml")
}

// ProjectFile is a project's settings file.
func ProjectFile(projectDir string) string {
	return filepath.Join(projectDir, ".devenv", "config.toml")
}

// configDir is devenv's configuration directory; the XDG spec says to
// ignore a relative XDG_CONFIG_HOME.
func configDir(getenv func(string) string) string {
	if xdg := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "devenv")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".config", "devenv")
	}
	return ""
}

// Load reads the user file and the project's file and applies, key by key,
// flag > variable > project file > user file > default, except that a
// project file's value for a key it may not set is ignored with a warning.
// A file that does not exist is no error; one that cannot be read is.
func Load(req Request) (Result, error) {
	getenv := req.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	res := Result{Settings: Defaults(), Sources: map[string]Source{}, UserFile: UserFile(getenv)}
	for _, k := range keys {
		res.Sources[k.Name] = Source{Kind: FromDefault}
	}
	l := &loader{getenv: getenv, res: &res}
	if res.UserFile != "" {
		data, err := readFile(res.UserFile)
		if err != nil {
			return Result{}, err
		}
		res.UserFileFound = data != nil
		if data != nil {
			if err := l.layer(data, res.UserFile, FromUser); err != nil {
				return Result{}, err
			}
		}
	}
	if req.ProjectDir != "" {
		res.ProjectFile = ProjectFile(req.ProjectDir)
		data, err := readFile(res.ProjectFile)
		if err != nil {
			return Result{}, err
		}
		res.ProjectFileFound = data != nil
		if data != nil {
			if err := l.layer(data, res.ProjectFile, FromProject); err != nil {
				return Result{}, err
			}
		}
	}
	for _, k := range keys {
		if k.Variable == "" || k.fromText == nil {
			continue
		}
		if text := getenv(k.Variable); text != "" {
			if err := l.setText(k, text, Source{Kind: FromVariable, Where: k.Variable}); err != nil {
				return Result{}, err
			}
		}
	}
	for _, k := range keys {
		text, ok := req.Flags[k.Name]
		if !ok {
			continue
		}
		if k.fromText == nil {
			return Result{}, fmt.Errorf("settings: key %s has no text form for a flag", k.Name)
		}
		name := req.FlagNames[k.Name]
		if name == "" {
			name = "--" + k.Name
		}
		if err := l.setText(k, text, Source{Kind: FromFlag, Where: name}); err != nil {
			return Result{}, err
		}
	}
	if err := l.checkHost(); err != nil {
		return Result{}, err
	}
	return res, nil
}

// maxFileSize bounds what is read: a settings file is a few lines.
const maxFileSize = 1 << 20

// readFile returns nil, nil for a file that does not exist. The project
// file lies where the environment can write, so it may be anything: only
// a regular file is read (a FIFO would block devenv), and only so much.
func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, &Error{File: path, Problem: "cannot read it (" + cause(err) + "): make it readable or remove it"}
	case !info.Mode().IsRegular():
		return nil, &Error{File: path, Problem: "cannot read it (not a regular file): make it one or remove it"}
	case info.Size() > maxFileSize:
		return nil, &Error{File: path, Problem: "cannot read it (larger than 1 MiB): a settings file is a few lines"}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &Error{File: path, Problem: "cannot read it (" + cause(err) + "): make it readable or remove it"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &Error{File: path, Problem: "cannot read it (" + cause(err) + "): make it readable or remove it"}
	}
	if len(data) > maxFileSize {
		return nil, &Error{File: path, Problem: "cannot read it (larger than 1 MiB): a settings file is a few lines"}
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Hash identifies the values that shape a container when it is created, so
// a running environment can be told apart from its current settings.
func (s Settings) Hash() string {
	values := make([]any, 0, len(keys))
	for _, k := range keys {
		if k.Applied {
			values = append(values, k.Name, k.get(&s))
		}
	}
	data, err := json.Marshal(values)
	if err != nil { // a value JSON cannot carry (NaN): its text still tells changes apart
		data = fmt.Appendf(nil, "%#v", values)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// Value is a key's effective value in plain data (JSON-ready), for output.
func (s Settings) Value(key string) (any, bool) {
	k, ok := lookup(key)
	if !ok {
		return nil, false
	}
	return k.get(&s), true
}

// HashLabel is the container label that records the settings hash at start.
const HashLabel = "devenv.settings"
