package gitrepo

import (
	"path/filepath"
	"strings"
	"unicode"
)

// Branch is the branch the checkout's HEAD is on, or detached@<short sha>
// when HEAD names a commit; "" for no checkout, or a HEAD that says neither.
// What it returns is safe to print: a hostile HEAD yields "".
func (c Checkout) Branch() string {
	if c.Kind == None {
		return ""
	}
	head, err := readLine(filepath.Join(c.GitDir, "HEAD"))
	if err != nil {
		return ""
	}
	return branchOf(head)
}

// BranchOf is Open(dir).Branch(), "" for anything that is not a readable
// checkout.
func BranchOf(dir string) string {
	c, err := Open(dir)
	if err != nil {
		return ""
	}
	return c.Branch()
}

func branchOf(head string) string {
	if ref, ok := strings.CutPrefix(head, "ref: "); ok {
		ref = strings.TrimSpace(ref)
		name := strings.TrimPrefix(ref, "refs/heads/")
		if name == "" || !printable(name) {
			return ""
		}
		return name
	}
	if (len(head) == 40 || len(head) == 64) && isHex(head) {
		return "detached@" + head[:7]
	}
	return ""
}

// printable admits what a ref name may hold and a terminal shows as it is.
func printable(s string) bool {
	for _, r := range s {
		if r == utf8Error || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

const utf8Error = '\uFFFD'

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
