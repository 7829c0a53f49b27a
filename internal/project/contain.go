package project

import "strings"

// Holds reports whether the project directory root holds dir: dir is root
// or lies below it. Both are canonical paths; "" holds nothing.
func Holds(root, dir string) bool {
	return root != "" && (dir == root || strings.HasPrefix(dir, strings.TrimSuffix(root, "/")+"/"))
}

// Deepest is the one rule for which project a directory belongs to: among
// items, the one whose project directory (root; ok false to pass over an
// item) holds dir and is the deepest, the first of equals; -1 when none
// does. `devenv .` in api/src joins api's environment rather than start one
// for src, and the prompt in api/src shows api's: both ask this.
func Deepest[T any](dir string, items []T, root func(T) (string, bool)) int {
	best, bestLen := -1, -1
	for i, it := range items {
		r, ok := root(it)
		if ok && Holds(r, dir) && len(r) > bestLen {
			best, bestLen = i, len(r)
		}
	}
	return best
}
