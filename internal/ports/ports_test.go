package ports

import "testing"

func TestParse(t *testing.T) {
	good := map[string]Forward{"3000": {3000, 3000}, "8080:80": {8080, 80}, "65535:1": {65535, 1}}
	for spec, want := range good {
		if got, err := Parse(spec); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", spec, got, err, want)
		}
	}
	for _, spec := range []string{"", "0", "65536", "a", "80:", ":80", "1:2:3", "-1", "+80", " 80", "127.0.0.1:80:80"} {
		if _, err := Parse(spec); err == nil {
			t.Errorf("Parse(%q) succeeded", spec)
		}
	}
}

func TestLooksLikeSpec(t *testing.T) {
	for arg, want := range map[string]bool{"3000": true, "8080:80": true, "70000": true, "web": false, ".": false, "3000:": false, "./3000": false, "devenv-x-y": false} {
		if got := LooksLikeSpec(arg); got != want {
			t.Errorf("LooksLikeSpec(%q) = %v", arg, got)
		}
	}
}

func TestLabelRoundTrip(t *testing.T) {
	fs := []Forward{{3000, 3000}, {8080, 80}}
	got := ParseLabel(FormatLabel(fs))
	if len(got) != 2 || got[0] != fs[0] || got[1] != fs[1] {
		t.Fatalf("round trip: %v", got)
	}
}
