package project

import (
	"path"
	"strings"
	"testing"
)

// FuzzDeepest: for canonical paths, Holds agrees with the path hierarchy
// (dir is root or has it as an ancestor, element by element: /a/api never
// holds /a/api2), and Deepest picks a holder with no deeper one beside it.
func FuzzDeepest(f *testing.F) {
	for _, seed := range [][4]string{
		{"/a/api/src", "/a/api", "/a", "/a/api2"},
		{"/a/api2", "/a/api", "/a/api/", "/"},
		{"/", "/", "/x", ""},
		{"/p/my app/x", "/p/my app", "/p/my", "/p/my app/x/y"},
		{"/a/b", "/a/b", "/a/b", "/a"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	canonical := func(p string) string { return path.Clean("/" + p) }
	ancestor := func(root, dir string) bool {
		for d := dir; ; d = path.Dir(d) {
			if d == root {
				return true
			}
			if d == "/" {
				return false
			}
		}
	}
	f.Fuzz(func(t *testing.T, dir, r1, r2, r3 string) {
		dir = canonical(dir)
		roots := []string{canonical(r1), canonical(r2), canonical(r3)}
		for _, r := range roots {
			if got, want := Holds(r, dir), ancestor(r, dir); got != want {
				t.Fatalf("Holds(%q, %q) = %v, want %v", r, dir, got, want)
			}
		}
		i := Deepest(dir, roots, func(r string) (string, bool) { return r, true })
		for j, r := range roots {
			switch {
			case i < 0 && Holds(r, dir):
				t.Fatalf("Deepest(%q, %q) = -1, but %q holds it", dir, roots, r)
			case i >= 0 && Holds(r, dir) && strings.Count(r, "/") > strings.Count(roots[i], "/") && r != "/":
				t.Fatalf("Deepest(%q, %q) = %q, but %q is deeper", dir, roots, roots[i], r)
			case i >= 0 && j < i && r == roots[i]:
				t.Fatalf("Deepest(%q, %q) = %d, not the first of equals %d", dir, roots, i, j)
			}
		}
		if i >= 0 && !Holds(roots[i], dir) {
			t.Fatalf("Deepest(%q, %q) = %q, which does not hold it", dir, roots, roots[i])
		}
		if Deepest(dir, roots, func(string) (string, bool) { return "", false }) != -1 {
			t.Fatal("Deepest picked an item it was told to pass over")
		}
	})
}
