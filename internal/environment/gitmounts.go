package environment

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"devenv/internal/engine"
	"devenv/internal/gitrepo"
)

// gitInside makes git work in an environment whose project is a linked
// worktree or a submodule checkout, whose git directories lie outside the
// project, and keeps git inside from pruning what it cannot see.
//
// Mounts: the git directories the project's .git file leads to, read-write,
// where that file's paths lead inside the container (an absolute path is
// the host's own). Prune safety: inside, the other worktrees' directories
// are not there, so `git worktree prune` would delete their metadata on the
// host, and `git gc` with it (it prunes worktrees, and then the objects only
// they reach). So <common>/worktrees is read-only inside, with only the
// project's own entry writable, and the project's .git file is also where
// that entry's gitdir file says, so the project itself never looks gone.
// gitConfig keeps gc from trying what would fail there.
//
// A .git file that leads nowhere, or to a git directory that does not link
// back to the project, is a warning: the environment starts without git.
func gitInside(dir, workspace string, warnings io.Writer) (mounts []engine.Mount, env []string) {
	c, err := gitrepo.Open(dir)
	if err != nil {
		fmt.Fprintf(warnings, "devenv: git will not work in this environment: %v\n", err)
		return nil, nil
	}
	switch c.Kind {
	case gitrepo.None:
		return nil, nil
	case gitrepo.Main:
		if c.GitDir == filepath.Join(c.Dir, ".git") { // not a symlink that leads out of the project
			mounts = readOnlyWorktrees(c.GitDir, path.Join(workspace, ".git"), true)
		}
	case gitrepo.Linked:
		gitDir := containerPath(workspace, c.GitDirPointer)
		common := containerPath(gitDir, c.CommonDirPointer)
		mounts = append(mounts, engine.Mount{Source: c.CommonDir, Target: common})
		mounts = append(mounts, readOnlyWorktrees(c.CommonDir, common, false)...)
		mounts = append(mounts,
			engine.Mount{Source: c.GitDir, Target: gitDir},
			engine.Mount{Source: filepath.Join(dir, ".git"), Target: containerPath(gitDir, c.BackLinkPointer), ReadOnly: true})
	case gitrepo.Module:
		gitDir := containerPath(workspace, c.GitDirPointer)
		// A submodule nested deeper than the superproject's top level
		// climbs out of /workspaces with its relative paths: the project
		// is then also where its repository's core.worktree leads inside.
		if worktree := containerPath(gitDir, c.WorktreePointer); worktree != workspace {
			if reserved(worktree) || reserved(gitDir) {
				fmt.Fprintf(warnings, "devenv: git will not work in this environment: the submodule's repository finds %s by a relative path that leads to %s inside, which is the system's: run git for it on the host\n",
					dir, worktree)
				return nil, nil
			}
			mounts = append(mounts, engine.Mount{Source: dir, Target: worktree})
		}
		mounts = append(mounts, engine.Mount{Source: c.GitDir, Target: gitDir})
		mounts = append(mounts, readOnlyWorktrees(c.GitDir, gitDir, false)...)
	}
	return mounts, gitConfig
}

// readOnlyWorktrees mounts <common>/worktrees read-only at target/worktrees.
// For the main checkout it is made when missing, so that worktrees added
// while the environment runs are covered too.
func readOnlyWorktrees(common, target string, create bool) []engine.Mount {
	src := filepath.Join(common, "worktrees")
	if create {
		os.Mkdir(src, 0o777) // the umask applies, as for git's own
	}
	if info, err := os.Stat(src); err != nil || !info.IsDir() {
		return nil
	}
	return []engine.Mount{{Source: src, Target: path.Join(target, "worktrees"), ReadOnly: true}}
}

// containerPath is where a path written in a git file about base leads
// inside the container: an absolute one as it is, a relative one from base.
func containerPath(base, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(base, p)
}

// gitConfig is git configuration for every session in an environment of a
// git project, through the environment (git reads GIT_CONFIG_COUNT and
// GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n as if from the command line): gc
// neither prunes worktrees nor expires reflogs there, both of which would
// write into other worktrees' metadata, read-only inside. The host's own
// git gc still does both.
var gitConfig = []string{
	"GIT_CONFIG_COUNT=3",
	"GIT_CONFIG_KEY_0=gc.worktreePruneExpire", "GIT_CONFIG_VALUE_0=never",
	"GIT_CONFIG_KEY_1=gc.reflogExpire", "GIT_CONFIG_VALUE_1=never",
	"GIT_CONFIG_KEY_2=gc.reflogExpireUnreachable", "GIT_CONFIG_VALUE_2=never",
}

// reserved reports whether a mount at target would cover what the image
// itself needs: the root, the system's directories, the workspaces.
func reserved(target string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(path.Clean(target), "/"), "/")
	switch first {
	case "", "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt", "opt",
		"proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var", "workspaces":
		return true
	}
	return false
}
