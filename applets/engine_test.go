package applets

import (
	"reflect"
	"testing"
)

func TestCutGlobalFlags(t *testing.T) {
	for _, tc := range []struct {
		argv, rest []string
		context    string
		usage      bool
	}{
		{argv: []string{"devenv", "--context", "alt", "list", "-q"}, context: "alt", rest: []string{"devenv", "list", "-q"}},
		{argv: []string{"/usr/bin/devenv", "--context=alt", "."}, context: "alt", rest: []string{"/usr/bin/devenv", "."}},
		{argv: []string{"devenv", "list", "--context", "alt"}, rest: []string{"devenv", "list", "--context", "alt"}},
		// a program named for one applet passes its flags on: build has --context DIR
		{argv: []string{"devenv-build", "--context", "dir"}, rest: []string{"devenv-build", "--context", "dir"}},
		{argv: []string{"/opt/bin/devenv-dev", "--context", "alt", "list"}, context: "alt", rest: []string{"/opt/bin/devenv-dev", "list"}},
		{argv: []string{"devenv", "--context"}, usage: true},
		{argv: []string{"devenv", "--context", "--help"}, usage: true},
		{argv: []string{"devenv", "--context="}, usage: true},
	} {
		context, rest, err := cutGlobalFlags(tc.argv)
		if tc.usage {
			if _, ok := err.(*usageError); !ok {
				t.Errorf("%q: got %v, want a usage error", tc.argv, err)
			}
			continue
		}
		if err != nil || context != tc.context || !reflect.DeepEqual(rest, tc.rest) {
			t.Errorf("%q: got %q %q %v, want %q %q", tc.argv, context, rest, err, tc.context, tc.rest)
		}
	}
}

func TestWithContextFlag(t *testing.T) {
	c := &call{dockerContext: "alt", applets: table}
	if got, want := c.withContextFlag([]string{"/bin/devenv", "ssh-proxy"}), []string{"/bin/devenv", "--context", "alt", "ssh-proxy"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := c.withContextFlag([]string{"/bin/devenv-ssh-proxy"}), []string{"env", "DOCKER_HOST=", "DOCKER_CONTEXT=alt", "/bin/devenv-ssh-proxy"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := (&call{}).withContextFlag([]string{"/bin/devenv", "ssh-proxy"}); len(got) != 2 {
		t.Errorf("no flag: got %q", got)
	}
}
