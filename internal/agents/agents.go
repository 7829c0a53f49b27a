// Package agents keeps the AI agents' logins and state in devenv-managed
// directories ("agent homes") under the user's devenv state directory, one
// per tool, each mounted into environments as a whole directory where the
// tool looks. A directory mount lets the tools save by temp file plus rename,
// which a single-file mount refuses, and no host program reads these
// directories, so nothing an agent writes there reaches the host's tools.
//
// The host's own login is imported (copied, login files only) when a home is
// first created, never shared: the host's ~/.claude.json, with its
// mcpServers and hooks, is never mounted.
package agents

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// ContainerHome is devuser's home inside every environment.
const ContainerHome = "/home/devuser"

// Tool is one agent tool and where its home goes.
type Tool struct {
	Name   string   // as in tools/tools.tsv: claude-code
	Target string   // the directory mounted in the environment
	Env    []string // variables that point the tool at Target
	// Imports are the host's login files, copied into a new home.
	Imports []Import
	// Login is the file whose presence in a home means a login is there.
	Login string
}

// Import copies one host file into a home, through Filter when set.
type Import struct {
	Host func(getenv func(string) string) string // the host path; "" when unknowable
	// Dest is relative to the home.
	Dest   string
	Filter func([]byte) ([]byte, error)
}

func underHome(rel string) func(func(string) string) string {
	return func(getenv func(string) string) string {
		home := getenv("HOME")
		if !filepath.IsAbs(home) {
			return ""
		}
		return filepath.Join(home, rel)
	}
}

// claudeFile is where the host's Claude Code keeps name: in
// $CLAUDE_CONFIG_DIR when the host sets it, else in ~/.claude, where
// .claude.json lives beside the directory unless a newer Claude moved it in.
func claudeFile(name string) func(func(string) string) string {
	return func(getenv func(string) string) string {
		if dir := getenv("CLAUDE_CONFIG_DIR"); filepath.IsAbs(dir) {
			return filepath.Join(dir, name)
		}
		inside := underHome(filepath.Join(".claude", name))(getenv)
		if name != ".claude.json" {
			return inside
		}
		beside := underHome(".claude.json")(getenv)
		if _, err := os.Stat(beside); err != nil && inside != "" {
			if _, err := os.Stat(inside); err == nil {
				return inside
			}
		}
		return beside
	}
}

func xdgData(rel string) func(func(string) string) string {
	return func(getenv func(string) string) string {
		if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return filepath.Join(d, rel)
		}
		return underHome(filepath.Join(".local", "share", rel))(getenv)
	}
}

// Tools is every agent tool of the image, in listing order.
var Tools = []Tool{
	{
		Name:   "claude-code",
		Target: ContainerHome + "/.claude",
		// With CLAUDE_CONFIG_DIR set, Claude Code keeps .claude.json in
		// that directory too, not beside it in the home.
		Env: []string{"CLAUDE_CONFIG_DIR=" + ContainerHome + "/.claude"},
		Imports: []Import{
			{Host: claudeFile(".credentials.json"), Dest: ".credentials.json"},
			{Host: claudeFile(".claude.json"), Dest: ".claude.json", Filter: claudeLogin},
		},
		Login: ".credentials.json",
	},
	{
		Name:    "codex",
		Target:  ContainerHome + "/.codex",
		Env:     []string{"CODEX_HOME=" + ContainerHome + "/.codex"},
		Imports: []Import{{Host: underHome(".codex/auth.json"), Dest: "auth.json"}},
		Login:   "auth.json",
	},
	{
		Name:    "opencode",
		Target:  ContainerHome + "/.local/share/opencode",
		Imports: []Import{{Host: xdgData("opencode/auth.json"), Dest: "auth.json"}},
		Login:   "auth.json",
	},
	{
		Name:   "gemini-cli",
		Target: ContainerHome + "/.gemini",
		Imports: []Import{
			{Host: underHome(".gemini/oauth_creds.json"), Dest: "oauth_creds.json"},
			{Host: underHome(".gemini/google_accounts.json"), Dest: "google_accounts.json"},
		},
		Login: "oauth_creds.json",
	},
	{
		// Copilot CLI keeps its token with its settings in config.json
		// (or the system keychain): nothing is safe to import, so log in
		// inside once (or set GH_TOKEN).
		Name:   "copilot-cli",
		Target: ContainerHome + "/.copilot",
		Login:  "config.json",
	},
}

// Lookup finds a tool by name.
func Lookup(name string) (Tool, bool) {
	for _, t := range Tools {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// Names lists the tools' names.
func Names() []string {
	names := make([]string, len(Tools))
	for i, t := range Tools {
		names[i] = t.Name
	}
	return names
}

// claudeLoginKeys are the parts of ~/.claude.json that make up a login.
// Everything else (mcpServers, hooks, projects, settings) stays behind.
var claudeLoginKeys = []string{"oauthAccount", "primaryApiKey", "customApiKeyResponses", "userID", "hasCompletedOnboarding", "lastOnboardingVersion"}

func claudeLogin(data []byte) ([]byte, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	login := map[string]json.RawMessage{}
	for _, k := range claudeLoginKeys {
		if v, ok := all[k]; ok {
			login[k] = v
		}
	}
	if len(login) == 0 {
		return nil, nil
	}
	return json.MarshalIndent(login, "", "  ")
}

// Store is where the agent homes of one host user's devenv state live:
//
//	agents/TOOL/                 the home every environment shares (default)
//	agents/environments/NAME/TOOL/   environment NAME's own, with agents = "per-project"
type Store struct {
	dir      string
	uid, gid int // owner of new homes when devenv runs as root (devuser's IDs)
}

// Open returns the store under stateDir (devenv's state directory). New
// homes are owned by uid:gid when devenv runs as root, so devuser, whose
// IDs those are, can write them.
func Open(stateDir string, uid, gid int) Store {
	return Store{dir: filepath.Join(stateDir, "agents"), uid: uid, gid: gid}
}

// Home is the directory of tool's home: the shared one when env is "",
// else environment env's own.
func (s Store) Home(tool Tool, env string) string {
	if env == "" {
		return filepath.Join(s.dir, tool.Name)
	}
	return filepath.Join(s.dir, "environments", env, tool.Name)
}

// Ensure creates tool's home unless it exists, importing the host's login
// into it, and returns its path.
func (s Store) Ensure(tool Tool, env string, getenv func(string) string) (string, error) {
	home := s.Home(tool, env)
	if _, err := os.Lstat(home); err == nil {
		return home, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(home), 0o700); err != nil {
		return "", fmt.Errorf("create agent home %s: %w", home, err)
	}
	// Built aside and renamed into place, so a home is either complete
	// or absent, and two starts racing import once.
	tmp, err := os.MkdirTemp(filepath.Dir(home), "."+tool.Name+"-")
	if err != nil {
		return "", fmt.Errorf("create agent home %s: %w", home, err)
	}
	defer os.RemoveAll(tmp)
	if _, err := s.importInto(tool, tmp, getenv); err != nil {
		return "", err
	}
	if err := s.own(tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, home); err != nil {
		if _, statErr := os.Stat(home); statErr == nil {
			return home, nil // another start made it first
		}
		return "", fmt.Errorf("create agent home %s: %w", home, err)
	}
	return home, nil
}

// Import copies the host's login files into tool's home again, replacing
// those there, and returns the ones copied.
func (s Store) Import(tool Tool, env string, getenv func(string) string) ([]string, error) {
	home, err := s.Ensure(tool, env, getenv)
	if err != nil {
		return nil, err
	}
	copied, err := s.importInto(tool, home, getenv)
	if err != nil {
		return nil, err
	}
	return copied, s.own(home)
}

func (s Store) importInto(tool Tool, home string, getenv func(string) string) ([]string, error) {
	var copied []string
	for _, imp := range tool.Imports {
		src := imp.Host(getenv)
		if src == "" {
			continue
		}
		info, err := os.Stat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", src, err)
		}
		if imp.Filter != nil {
			if data, err = imp.Filter(data); err != nil {
				return nil, fmt.Errorf("import %s: %w", src, err)
			}
			if data == nil {
				continue
			}
		}
		if err := writeFile(filepath.Join(home, imp.Dest), data); err != nil {
			return nil, fmt.Errorf("import %s: %w", src, err)
		}
		copied = append(copied, imp.Dest)
	}
	return copied, nil
}

// writeFile replaces path by rename and never follows a symlink there:
// what an environment left in a home must not redirect devenv's writes.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".import-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// own gives a home and what it holds to devuser's IDs when devenv runs as
// root; otherwise the user's own files are devuser's already.
func (s Store) own(dir string) error {
	if os.Getuid() != 0 || s.uid == 0 {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	})
}

// Logout empties tool's home, keeping the directory (a running environment
// has it mounted, and an absent home would import the host's login again).
func (s Store) Logout(tool Tool, env string) (bool, error) {
	home := s.Home(tool, env)
	entries, err := os.ReadDir(home)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(home, e.Name())); err != nil {
			return false, fmt.Errorf("empty %s: %w", home, err)
		}
	}
	return len(entries) > 0, nil
}

// Home describes one existing agent home.
type HomeInfo struct {
	Tool        string
	Environment string // "" for the shared home
	Dir         string
	Exists      bool
	LoggedIn    bool
}

// List describes the shared home of every tool, then every environment's
// own homes, sorted by environment.
func (s Store) List() []HomeInfo {
	var out []HomeInfo
	describe := func(t Tool, env string) HomeInfo {
		h := HomeInfo{Tool: t.Name, Environment: env, Dir: s.Home(t, env)}
		if info, err := os.Stat(h.Dir); err == nil && info.IsDir() {
			h.Exists = true
			_, err := os.Stat(filepath.Join(h.Dir, t.Login))
			h.LoggedIn = err == nil
		}
		return h
	}
	for _, t := range Tools {
		out = append(out, describe(t, ""))
	}
	entries, _ := os.ReadDir(filepath.Join(s.dir, "environments"))
	var envs []string
	for _, e := range entries {
		if e.IsDir() {
			envs = append(envs, e.Name())
		}
	}
	sort.Strings(envs)
	for _, env := range envs {
		for _, t := range Tools {
			if h := describe(t, env); h.Exists {
				out = append(out, h)
			}
		}
	}
	return out
}
