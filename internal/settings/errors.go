package settings

import (
	"fmt"
	"strings"
)

// Error is bad settings input: a file that does not parse or cannot be read,
// an unknown key, a wrong type, a value out of range. It is a usage error:
// nothing is started.
type Error struct {
	File      string // the settings file; "" for a variable or flag
	Line, Col int    // 0 when unknown
	Key       string // dotted key; "" for a file-level problem
	Where     string // the variable or flag, when not from a file
	Problem   string // cause and fix
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Col)
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Where != "":
		b.WriteString(e.Where + ": ")
	}
	if e.Key != "" && e.Where == "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// suggest returns the known key nearest to name, or "" when none is close.
func suggest(name string) string {
	best, bestDist := "", 1<<30
	consider := func(candidate, answer string) {
		if d := distance(name, candidate); d < bestDist {
			best, bestDist = answer, d
		}
	}
	for _, k := range keys {
		consider(k.Name, k.Name)
		consider(k.Name[strings.LastIndex(k.Name, ".")+1:], k.Name)
	}
	for _, t := range tables {
		consider(t, "["+t+"]")
	}
	if bestDist > max(2, len(name)/3) {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
