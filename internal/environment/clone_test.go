package environment

import "testing"

func TestCloneName(t *testing.T) {
	for source, want := range map[string]string{
		"https://example.org/team/api.git": "devenv-clone-api",
		"git@example.org:api.git":          "devenv-clone-api",
		"../src/my repo/":                  "devenv-clone-my-repo",
		"/":                                "devenv-clone-repo",
	} {
		if got := CloneName(source); got != want {
			t.Errorf("CloneName(%q) = %q, want %q", source, got, want)
		}
	}
}

func TestCloneSourceURL(t *testing.T) {
	for _, url := range []string{"https://example.org/x.git", "ssh://git@h/x", "git@example.org:x.git"} {
		if src, err := parseCloneSource(url); err != nil || src.URL != url {
			t.Errorf("parseCloneSource(%q) = %+v, %v; want the URL", url, src, err)
		}
	}
	if _, err := parseCloneSource("no-such-dir-or-url"); err == nil {
		t.Error("parseCloneSource took a word that is neither a directory nor a URL")
	}
}
