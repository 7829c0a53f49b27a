package applets

import "testing"

// COMP_POINT counts characters, as bash, zsh and fish do.
func TestCursor(t *testing.T) {
	for _, c := range []struct {
		line, point string
		want        int
	}{
		{"devenv stop ", "12", 12},
		{"devenv stop ", "", 12},
		{"devenv stop ", "x", 12},
		{"devenv stop ", "99", 12},
		{"devenv é x", "9", 10}, // characters, not bytes
		{"devenv é x", "8", 9},
	} {
		if got := cursor(c.line, c.point); got != c.want {
			t.Errorf("cursor(%q, %q) = %d, want %d", c.line, c.point, got, c.want)
		}
	}
}
