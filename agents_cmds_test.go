package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"devenv/internal/environment"
	"devenv/internal/statedir"
)

// cmdMountRule checks the rule for what an environment mounts: nothing of
// the host is writable but the project and devenv's agent homes (which no
// host program reads); volumes are the environment's own or the shared
// cache; the SSH agent's socket only when forwarded. It prints one line per
// kind of mount and fails naming every mount that breaks the rule.
//
//	mountrule NAME
func (d *docker) cmdMountRule(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mountrule NAME")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := d.eng.Inspect(ctx, args[0])
	ts.Check(err)
	state, err := statedir.Dir(ts.Getenv)
	ts.Check(err)
	agentHomes := filepath.Join(state, "agents") + "/"
	volumes := map[string]bool{
		environment.CacheVolume:                        true,
		environment.EnvironmentVolume(c.Name, "share"): true,
		environment.EnvironmentVolume(c.Name, "state"): true,
	}
	project, _ := environment.WorkspacePath(c)
	counts := map[string]int{}
	var broken []string
	for _, m := range c.Mounts {
		switch {
		case m.Volume && volumes[m.Source]:
			counts["volume"]++
		case m.Volume:
			broken = append(broken, fmt.Sprintf("%s: volume %s is not this environment's", m.Target, m.Source))
		case m.ReadOnly:
			counts["read-only"]++
		case strings.HasPrefix(m.Target, "/workspaces/") && m.Source == project:
			counts["project"]++
		case strings.HasPrefix(m.Source, agentHomes):
			counts["agent home"]++
		case m.Target == environment.SSHAgentSocket:
			counts["ssh agent"]++
		default:
			broken = append(broken, fmt.Sprintf("%s: host path %s is writable", m.Target, m.Source))
		}
	}
	for _, kind := range []string{"project", "agent home", "volume", "read-only", "ssh agent"} {
		fmt.Fprintf(ts.Stdout(), "%s %d\n", kind, counts[kind])
	}
	if len(broken) > 0 {
		ts.Fatalf("mounts that break the rule:\n%s", strings.Join(broken, "\n"))
	}
}
