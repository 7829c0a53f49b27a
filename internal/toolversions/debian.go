package toolversions

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"strings"
)

// Debian's candidate for a package is the version apt in the image would
// install: trixie's, or trixie-updates' or trixie-security's when they
// carry a newer one (they only ever carry newer ones).
func (s *Sources) debianCandidate(ctx context.Context, packages string) (string, error) {
	pkg, _, _ := strings.Cut(packages, ",")
	s.debianOnce.Do(func() { s.debian, s.debianErr = s.readDebian(ctx) })
	if s.debianErr != nil {
		return "", s.debianErr
	}
	v, ok := s.debian[pkg]
	if !ok {
		return "", fmt.Errorf("Debian trixie has no package %s", pkg)
	}
	return v, nil
}

// debianSuites are the indexes apt reads in the image, lowest priority
// first: a later suite's version of a package wins.
var debianSuites = []string{
	"/debian/dists/trixie/main",
	"/debian/dists/trixie-updates/main",
	"/debian-security/dists/trixie-security/main",
}

func (s *Sources) readDebian(ctx context.Context) (map[string]string, error) {
	versions := map[string]string{}
	for i, suite := range debianSuites {
		err := s.readPackages(ctx, s.Debian+suite+"/binary-"+s.Arch+"/Packages.gz", versions)
		if errors.Is(err, errNotFound) && i > 0 {
			continue // a suite with nothing in it yet
		}
		if err != nil {
			return nil, fmt.Errorf("Debian trixie index: %w", err)
		}
	}
	return versions, nil
}

// readPackages reads the Package and Version fields of a Packages index.
func (s *Sources) readPackages(ctx context.Context, u string, into map[string]string) error {
	body, err := s.get(ctx, u)
	if err != nil {
		return err
	}
	defer body.Close()
	gz, err := gzip.NewReader(body)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	pkg := ""
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "Package: "); ok {
			pkg = name
		} else if v, ok := strings.CutPrefix(line, "Version: "); ok && pkg != "" {
			into[pkg] = v
			pkg = ""
		}
	}
	return sc.Err()
}
