package worktree

import (
	"reflect"
	"testing"
)

func TestParseList(t *testing.T) {
	out := "worktree /src/api\x00HEAD 1111111111111111111111111111111111111111\x00branch refs/heads/main\x00\x00" +
		"worktree /src/api-feature-x\x00HEAD 2222222222222222222222222222222222222222\x00branch refs/heads/feature/x\x00\x00" +
		"worktree /src/api-gone\x00HEAD 3333333333333333333333333333333333333333\x00detached\x00prunable gitdir file points to non-existent location\x00\x00"
	want := []Worktree{
		{Path: "/src/api", Head: "1111111111111111111111111111111111111111", Branch: "main", Main: true},
		{Path: "/src/api-feature-x", Head: "2222222222222222222222222222222222222222", Branch: "feature/x"},
		{Path: "/src/api-gone", Head: "3333333333333333333333333333333333333333", Prunable: true},
	}
	got := parseList(out)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if l := got[2].Label(); l != "detached@3333333" {
		t.Errorf("label %q", l)
	}
	if parseList("") != nil {
		t.Errorf("empty output gave worktrees")
	}
}

func TestDefaultPath(t *testing.T) {
	r := Repo{Main: "/src/api"}
	for branch, want := range map[string]string{
		"fix":           "/src/api-fix",
		"feature/x":     "/src/api-feature-x",
		"user/a/b":      "/src/api-user-a-b",
		"release-1.2.3": "/src/api-release-1.2.3",
	} {
		if got := r.DefaultPath(branch); got != want {
			t.Errorf("DefaultPath(%q) = %q, want %q", branch, got, want)
		}
	}
}
