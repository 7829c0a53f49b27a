package images

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"devenv/internal/project"
)

// ProjectPlan builds <dir>/.devenv/Dockerfile with dir as the context into
// repo (devenv-project-<parent>-<basename>). Its inputs are the Dockerfile
// and every file its COPY and ADD instructions take from the context. A
// source that resolves outside the project (.., an absolute path, a symlink
// leading out) is refused before anything is read: the project's files are
// untrusted, and hashing must never wander over the host. A file that
// cannot be read is an error, since the hash would not see it change.
func ProjectPlan(dir, repo string) (Plan, error) {
	dockerfile, err := os.ReadFile(filepath.Join(dir, project.Dockerfile))
	if err != nil {
		return Plan{}, fmt.Errorf("read the project's Dockerfile: %w", err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return Plan{}, fmt.Errorf("resolve %s: %w", dir, err)
	}
	sources := copySources(dockerfile)
	var matched [][]string
	for _, src := range sources {
		if err := insideContext(root, src); err != nil {
			return Plan{}, err
		}
		matches, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(src.path)))
		sort.Strings(matches)
		for _, m := range matches {
			if err := insideContext(root, copySource{path: m, instruction: src.instruction, resolved: true}); err != nil {
				return Plan{}, err
			}
		}
		matched = append(matched, matches)
	}
	ignore := readIgnore(root)
	var files [][]byte
	for _, matches := range matched {
		for _, m := range matches {
			err := filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				rel, _ := filepath.Rel(root, p)
				if ignore.match(filepath.ToSlash(rel)) {
					if d != nil && d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if err != nil {
					return err
				}
				if d.Type().IsRegular() {
					digest, err := fileDigest(p)
					if err != nil {
						return err
					}
					files = append(files, []byte(filepath.ToSlash(rel)+"\x00"+digest))
				}
				return nil
			})
			if err != nil {
				return Plan{}, fmt.Errorf("read what the project's Dockerfile copies: %w: make it readable, or list it in .dockerignore", err)
			}
		}
	}
	return Plan{
		Repo:         repo,
		ContextDir:   dir,
		DockerfileIn: project.Dockerfile,
		Inputs:       inputs(dockerfile, nil, files...),
		Needs:        fromImages(dockerfile),
	}, nil
}

// OutsideContextError: a COPY or ADD takes a file from outside the project.
type OutsideContextError struct{ Instruction, Dir string }

func (e *OutsideContextError) Error() string {
	return fmt.Sprintf("%s: %q takes files from outside the project: copy only from inside %s", project.Dockerfile, e.Instruction, e.Dir)
}

// insideContext checks that src stays within root: its text first (no ..,
// not absolute), then, once resolved, where its symlinks lead.
func insideContext(root string, src copySource) error {
	p := src.path
	if !src.resolved {
		if path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
			return &OutsideContextError{Instruction: src.instruction, Dir: root}
		}
		return nil
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil // gone or dangling: there is nothing to read
	}
	if real != root && !strings.HasPrefix(real, strings.TrimSuffix(root, "/")+"/") {
		return &OutsideContextError{Instruction: src.instruction, Dir: root}
	}
	return nil
}

// fileDigest hashes a file as it streams by: memory stays bounded
// whatever the size of the tree.
func fileDigest(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copySource is one context path a COPY or ADD takes, with its instruction.
type copySource struct {
	path        string
	instruction string
	resolved    bool // path is a host path found by globbing
}

// copySources lists the context paths of COPY and ADD instructions, in
// shell or JSON form; copies from other stages or images (--from) take
// nothing from the context.
func copySources(dockerfile []byte) []copySource {
	var srcs []copySource
	for _, line := range instructions(dockerfile) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		op := strings.ToUpper(fields[0])
		if op != "COPY" && op != "ADD" {
			continue
		}
		args, fromStage := []string{}, false
		rest := strings.TrimSpace(line[len(fields[0]):])
		for len(rest) > 0 && strings.HasPrefix(rest, "--") {
			flag, after, _ := strings.Cut(rest, " ")
			if strings.HasPrefix(flag, "--from=") {
				fromStage = true
			}
			rest = strings.TrimSpace(after)
		}
		if strings.HasPrefix(rest, "[") {
			if err := json.Unmarshal([]byte(rest), &args); err != nil {
				continue
			}
		} else {
			args = strings.Fields(rest)
		}
		if fromStage || len(args) < 2 {
			continue
		}
		for _, a := range args[:len(args)-1] {
			if !strings.Contains(a, "://") {
				srcs = append(srcs, copySource{path: path.Clean(a), instruction: line})
			}
		}
	}
	return srcs
}

// fromImages lists the images a Dockerfile's stages start from, leaving out
// its own stage names and arguments it cannot resolve.
func fromImages(dockerfile []byte) []string {
	args := map[string]string{}
	stages := map[string]bool{}
	var images []string
	seenFrom := false
	for _, line := range instructions(dockerfile) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "ARG":
			if !seenFrom {
				if k, v, ok := strings.Cut(fields[1], "="); ok {
					args[k] = strings.Trim(v, `"'`)
				}
			}
		case "FROM":
			seenFrom = true
			ref := ""
			for _, f := range fields[1:] {
				if !strings.HasPrefix(f, "--") {
					ref = f
					break
				}
			}
			if i := len(fields) - 2; i >= 1 && strings.EqualFold(fields[i], "AS") {
				stages[strings.ToLower(fields[i+1])] = true
			}
			ref = os.Expand(ref, func(k string) string { return args[k] })
			if ref != "" && !stages[strings.ToLower(ref)] && !strings.Contains(ref, "$") {
				if !strings.Contains(path.Base(ref), ":") && !strings.Contains(ref, "@") {
					ref += ":latest"
				}
				images = append(images, ref)
			}
		}
	}
	return images
}

// instructions joins continuation lines and drops comments.
func instructions(dockerfile []byte) []string {
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(dockerfile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	return out
}

// ignoreRules is a .dockerignore: patterns, with "!" exceptions, matched
// against slash-separated paths relative to the context and their parents.
type ignoreRules []string

func readIgnore(dir string) ignoreRules {
	rules := ignoreRules{".git"}
	data, err := os.ReadFile(filepath.Join(dir, ".dockerignore"))
	if err != nil {
		return rules
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules = append(rules, line)
	}
	return rules
}

func (r ignoreRules) match(rel string) bool {
	if rel == "." || rel == project.Dockerfile || rel == ".devenv" {
		return false
	}
	ignored := false
	for _, rule := range r {
		neg := strings.HasPrefix(rule, "!")
		pattern := strings.TrimPrefix(strings.TrimPrefix(rule, "!"), "/")
		pattern = strings.TrimSuffix(path.Clean(pattern), "/")
		if matchPathOrParent(pattern, rel) {
			ignored = !neg
		}
	}
	return ignored
}

func matchPathOrParent(pattern, rel string) bool {
	for p := rel; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if ok, _ := path.Match(pattern, p); ok {
			return true
		}
		if strings.HasPrefix(pattern, "**/") {
			if ok, _ := path.Match(strings.TrimPrefix(pattern, "**/"), path.Base(p)); ok {
				return true
			}
		}
	}
	return false
}

// writeContextDir writes dir as a tar build context, leaving out what its
// .dockerignore (and .git) excludes.
func writeContextDir(w io.Writer, dir string) error {
	ignore := readIgnore(dir)
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignore.match(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			link, _ = os.Readlink(p)
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return nil // sockets and such have no place in a context
		}
		hdr.Name = rel
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(tw, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pack the build context %s: %w", dir, err)
	}
	return tw.Close()
}
