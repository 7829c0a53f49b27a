package agents

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func getenvFor(home string) func(string) string {
	return func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
}

func TestClaudeLoginKeepsOnlyTheLogin(t *testing.T) {
	out, err := claudeLogin([]byte(`{"oauthAccount":{"emailAddress":"a@b"},"userID":"u","mcpServers":{"x":{"command":"evil"}},"hooks":{},"projects":{},"theme":"dark"}`))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	keys := []string{}
	for k := range got {
		keys = append(keys, k)
	}
	if len(keys) != 2 || got["userID"] != "u" || got["oauthAccount"] == nil {
		t.Fatalf("claudeLogin kept %v, want oauthAccount and userID only", keys)
	}
	if out, _ := claudeLogin([]byte(`{"mcpServers":{}}`)); out != nil {
		t.Fatalf("a file with no login gave %s, want nothing", out)
	}
}

func TestEnsureImportsOnceAndLogoutKeepsTheHome(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".codex"), 0o700)
	os.WriteFile(filepath.Join(home, ".codex", "auth.json"), []byte("host"), 0o600)
	store := Open(filepath.Join(t.TempDir(), "state"), 1000, 1000)
	codex, _ := Lookup("codex")

	dir, err := store.Ensure(codex, "", getenvFor(home))
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "auth.json")); string(data) != "host" {
		t.Fatalf("auth.json = %q, want the host's", data)
	}
	// the environment refreshes; a second Ensure must not import again
	os.WriteFile(filepath.Join(dir, "auth.json"), []byte("refreshed"), 0o600)
	if _, err := store.Ensure(codex, "", getenvFor(home)); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "auth.json")); string(data) != "refreshed" {
		t.Fatalf("auth.json = %q after a second Ensure, want the refreshed one", data)
	}
	if emptied, err := store.Logout(codex, ""); err != nil || !emptied {
		t.Fatalf("Logout = %v, %v", emptied, err)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Fatalf("after logout the home holds %v (%v), want it empty and present", entries, err)
	}
	if _, err := store.Ensure(codex, "", getenvFor(home)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth.json")); err == nil {
		t.Fatal("Ensure imported again after logout")
	}
}

func TestImportNeverFollowsASymlinkInTheHome(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".codex"), 0o700)
	os.WriteFile(filepath.Join(home, ".codex", "auth.json"), []byte("host"), 0o600)
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("untouched"), 0o600)
	store := Open(filepath.Join(t.TempDir(), "state"), 1000, 1000)
	codex, _ := Lookup("codex")
	dir, err := store.Ensure(codex, "", getenvFor(home))
	if err != nil {
		t.Fatal(err)
	}
	// an environment replaces auth.json with a link to a host file
	os.Remove(filepath.Join(dir, "auth.json"))
	os.Symlink(victim, filepath.Join(dir, "auth.json"))
	copied, err := store.Import(codex, "", getenvFor(home))
	if err != nil || !reflect.DeepEqual(copied, []string{"auth.json"}) {
		t.Fatalf("Import = %v, %v", copied, err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "untouched" {
		t.Fatalf("the import wrote through the link: victim = %q", data)
	}
}

func TestHomesAreApartPerEnvironmentAndStateDir(t *testing.T) {
	a := Open("/state/a", 0, 0)
	b := Open("/state/b", 0, 0)
	claude, _ := Lookup("claude-code")
	homes := map[string]bool{a.Home(claude, ""): true, a.Home(claude, "devenv-x-y"): true, b.Home(claude, ""): true}
	if len(homes) != 3 {
		t.Fatalf("homes overlap: %v", homes)
	}
}

func TestClaudeFilesFollowTheHost(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".claude"), 0o700)
	os.WriteFile(filepath.Join(home, ".claude", ".claude.json"), []byte(`{"userID":"moved"}`), 0o600)
	if got := claudeFile(".claude.json")(getenvFor(home)); got != filepath.Join(home, ".claude", ".claude.json") {
		t.Errorf("with only ~/.claude/.claude.json: %s", got)
	}
	os.WriteFile(filepath.Join(home, ".claude.json"), []byte(`{"userID":"beside"}`), 0o600)
	if got := claudeFile(".claude.json")(getenvFor(home)); got != filepath.Join(home, ".claude.json") {
		t.Errorf("with ~/.claude.json: %s", got)
	}
	custom := func(k string) string {
		if k == "CLAUDE_CONFIG_DIR" {
			return "/cfg"
		}
		return getenvFor(home)(k)
	}
	if got := claudeFile(".credentials.json")(custom); got != "/cfg/.credentials.json" {
		t.Errorf("with CLAUDE_CONFIG_DIR: %s", got)
	}
}
