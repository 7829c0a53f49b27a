package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs script with the real shell and returns its stdout.
func run(t *testing.T, sh Shell, script string, env ...string) string {
	t.Helper()
	path, err := exec.LookPath(sh.Name)
	if err != nil {
		t.Skipf("%s is not installed", sh.Name)
	}
	args := []string{"-c", script}
	if sh.Name == "fish" {
		args = []string{"--no-config", "-c", script}
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s: %v\n%s%s", sh.Name, err, out, stderr)
	}
	return string(out)
}

func TestSnippetSyntax(t *testing.T) {
	check := map[string][]string{"bash": {"-n"}, "zsh": {"-n"}, "fish": {"--no-execute"}}
	for _, sh := range shells {
		for _, prompt := range []bool{false, true} {
			code, err := sh.Snippet(Options{Bin: "/opt/it's here/devenv", Names: []string{"devenv", "devenv-stop"}, Prompt: prompt})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(code, "<no value>") {
				t.Errorf("%s: the template left a hole", sh.Name)
			}
			path, err := exec.LookPath(sh.Name)
			if err != nil {
				t.Logf("%s is not installed: syntax not checked", sh.Name)
				continue
			}
			file := filepath.Join(t.TempDir(), "snippet")
			os.WriteFile(file, []byte(code), 0o644)
			if out, err := exec.Command(path, append(check[sh.Name], file)...).CombinedOutput(); err != nil {
				t.Errorf("%s %v (prompt %v): %v\n%s", sh.Name, check[sh.Name], prompt, err, out)
			}
		}
	}
}

// Every shell reads back exactly what was quoted for it.
func TestQuote(t *testing.T) {
	texts := []string{"", "plain", "it's", `back\slash`, `\'`, "$HOME `x` $(x) \"q\"", "new\nline", "⬢ local-api", "*?[a]{b,c}~"}
	for _, sh := range shells {
		var script strings.Builder
		for _, text := range texts {
			script.WriteString("printf '%s|' " + sh.Quote(text) + "\n")
		}
		got := run(t, sh, script.String())
		if want := strings.Join(texts, "|") + "|"; got != want {
			t.Errorf("%s read back\n%q\nwant\n%q", sh.Name, got, want)
		}
	}
}

// The answer sets the variables, exports those a starship module reads,
// and never exports DEVENV_SSH_PORT, nor touches one the user exported.
func TestAnswerInShells(t *testing.T) {
	state := State{Checked: time.Unix(1700000000, 0), Known: []Workspace{{Path: "/w/it's", Name: "devenv-w-it-s", Port: 40001, Running: true}}}
	running := Answer{Name: "devenv-w-it-s", Status: Running, Port: 40001, TTL: Refresh}
	show := map[string]string{
		"bash": `echo "$DEVENV_NAME|$DEVENV_STATUS|$DEVENV_PROMPT|${DEVENV_SSH_PORT-unset}|$__devenv_ttl|$__devenv_state"; env | grep '^DEVENV_\(NAME\|STATUS\|PROMPT\|SSH_PORT\)=' | wc -l`,
		"fish": `echo "$DEVENV_NAME|$DEVENV_STATUS|$DEVENV_PROMPT|"(set -q DEVENV_SSH_PORT; and echo $DEVENV_SSH_PORT; or echo unset)"|$__devenv_ttl|$__devenv_state"; env | grep '^DEVENV_\(NAME\|STATUS\|PROMPT\|SSH_PORT\)=' | wc -l`,
	}
	show["zsh"] = show["bash"]
	for _, sh := range shells {
		set := sh.Answer(running, state)
		empty := sh.Answer(Answer{TTL: Discover}, state)
		script := set + show[sh.Name] + "\n" + empty + show[sh.Name] + "\n"
		want := "devenv-w-it-s|running|⬢ w-it-s|40001|3|" + state.Encode() + "\n3\n" +
			"|||unset|30|" + state.Encode() + "\n0\n"
		if got := run(t, sh, script); got != want {
			t.Errorf("%s:\n%s\ngave\n%s\nwant\n%s", sh.Name, script, got, want)
		}
		// A port the user exported is theirs: devenv reads it as the port
		// for new environments.
		want = "devenv-w-it-s|running|⬢ w-it-s|2222|3|" + state.Encode() + "\n4\n" +
			"|||2222|30|" + state.Encode() + "\n1\n"
		if got := run(t, sh, script, "DEVENV_SSH_PORT=2222"); got != want {
			t.Errorf("%s with DEVENV_SSH_PORT exported:\n%s\ngave\n%s\nwant\n%s", sh.Name, script, got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	for name, want := range map[string]string{"bash": "bash", "/usr/bin/zsh": "zsh", "-fish": "fish", "/bin/-bash": "bash", "tcsh": "", "": ""} {
		sh, ok := Lookup(name)
		if sh.Name != want || ok != (want != "") {
			t.Errorf("Lookup(%q) = %q, %v; want %q", name, sh.Name, ok, want)
		}
	}
}
