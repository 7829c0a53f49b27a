package images

import (
	"archive/tar"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ProjectDockerfile is where a project keeps its own image's Dockerfile.
const ProjectDockerfile = ".devenv/Dockerfile"

// HasProjectDockerfile reports whether the project at dir has its own image.
func HasProjectDockerfile(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, ProjectDockerfile))
	return err == nil && !info.IsDir()
}

// ProjectPlan builds <dir>/.devenv/Dockerfile with dir as the context into
// repo (devenv-project-<parent>-<basename>). Its inputs are the Dockerfile
// and every file its COPY and ADD instructions take from the context; one
// that cannot be read is an error, since the hash would not see it change.
func ProjectPlan(dir, repo string) (Plan, error) {
	dockerfile, err := os.ReadFile(filepath.Join(dir, ProjectDockerfile))
	if err != nil {
		return Plan{}, fmt.Errorf("read the project's Dockerfile: %w", err)
	}
	ignore := readIgnore(dir)
	var files [][]byte
	for _, src := range copySources(dockerfile) {
		matches, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(src)))
		sort.Strings(matches)
		for _, m := range matches {
			err := filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				rel, _ := filepath.Rel(dir, p)
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
					data, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					files = append(files, append([]byte(filepath.ToSlash(rel)+"\x00"), data...))
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
		DockerfileIn: ProjectDockerfile,
		Inputs:       inputs(dockerfile, nil, files...),
		Needs:        fromImages(dockerfile),
	}, nil
}

// copySources lists the context paths of COPY and ADD instructions; copies
// from other stages or images (--from) take nothing from the context.
func copySources(dockerfile []byte) []string {
	var srcs []string
	for _, line := range instructions(dockerfile) {
		fields := strings.Fields(line)
		if len(fields) < 3 {
			continue
		}
		if op := strings.ToUpper(fields[0]); op != "COPY" && op != "ADD" {
			continue
		}
		args, fromStage := []string{}, false
		for _, f := range fields[1:] {
			if strings.HasPrefix(f, "--from=") {
				fromStage = true
			}
			if !strings.HasPrefix(f, "--") {
				args = append(args, f)
			}
		}
		if fromStage || len(args) < 2 || strings.HasPrefix(args[0], "[") {
			continue
		}
		for _, a := range args[:len(args)-1] {
			if !strings.Contains(a, "://") {
				srcs = append(srcs, path.Clean(a))
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
	if rel == "." || rel == ProjectDockerfile || rel == ".devenv" {
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
