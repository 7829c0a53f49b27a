package shell

import (
	"context"
	"testing"
	"time"
)

// FuzzParseState: the prompt's state comes back from the shell, where
// anything may have happened to it. Whatever the text, reading it never
// panics, what it reads encodes to text that reads back the same, and a
// state that is not recent never vouches on its own for an environment:
// the engine is asked, and here it says nothing runs.
func FuzzParseState(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	valid := State{Checked: now.Add(-time.Second), Known: []Workspace{
		{Path: "/p/api", Name: "devenv-p-api", Port: 2222, Running: true},
		{Path: "/p/a b,c%'", Name: "devenv-p-a-b-c", Running: false},
	}}
	for _, seed := range []string{
		"", "1", "1 0 0", "2 0 0", "garbage", "\x00\xff",
		valid.Encode(),
		"1 99999999999 0 /p/api,devenv-p-api,22,r", // checked in the future
		"1 1 0 /p/api,devenv-p-api,22,r",           // long ago
		"1 x y /p,n,0,r",
		"1 0 0 /p,n,notaport,r",
		"1 0 0 %zz%,n,0,r",
		"1 -5 -5 /,root,0,r",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := ParseState(text)
		if again := ParseState(s.Encode()); again.Encode() != s.Encode() {
			t.Fatalf("%q reads as %q, which reads as %q", text, s.Encode(), again.Encode())
		}
		if age := now.Sub(s.Checked); age >= 0 && age < Refresh {
			return // recent: trusted for Refresh, by design
		}
		for _, w := range s.Known {
			nothingRuns := func(context.Context) ([]Workspace, error) { return nil, nil }
			if a, _ := Resolve(context.Background(), w.Path, s, now, false, nothingRuns); a.Status == Running {
				t.Fatalf("state %q checked at %v says %s runs at %v, unasked", text, s.Checked, a.Name, now)
			}
		}
	})
}
