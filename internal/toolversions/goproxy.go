package toolversions

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// goToolchain is the module every Go release is published as, one version
// per release and platform: v0.0.1-go1.27.3.linux-amd64.
const goToolchain = "golang.org/toolchain"

// goList reads the proxy's list of a module's versions.
func (s *Sources) goList(ctx context.Context, mod string) ([]string, error) {
	escaped, err := module.EscapePath(mod)
	if err != nil {
		return nil, err
	}
	body, err := s.get(ctx, s.GoProxy+"/"+escaped+"/@v/list")
	if err != nil {
		return nil, fmt.Errorf("Go module %s: %w", mod, err)
	}
	defer body.Close()
	var versions []string
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		if v := strings.TrimSpace(sc.Text()); v != "" {
			versions = append(versions, v)
		}
	}
	return versions, sc.Err()
}

// goModuleNewest is the highest release (no pre-release) of a module,
// without the "v" the tool Dockerfiles add.
func (s *Sources) goModuleNewest(ctx context.Context, mod string) (string, error) {
	versions, err := s.goList(ctx, mod)
	if err != nil {
		return "", err
	}
	best := ""
	for _, v := range versions {
		if semver.IsValid(v) && semver.Prerelease(v) == "" && semver.Build(v) == "" && (best == "" || semver.Compare(v, best) > 0) {
			best = v
		}
	}
	if best == "" {
		return "", fmt.Errorf("Go module %s: the proxy lists no release", mod)
	}
	return strings.TrimPrefix(best, "v"), nil
}

// goToolchainNewest is the newest Go release for the images' platform.
func (s *Sources) goToolchainNewest(ctx context.Context) (string, error) {
	versions, err := s.goList(ctx, goToolchain)
	if err != nil {
		return "", err
	}
	suffix := ".linux-" + s.Arch
	best := ""
	for _, v := range versions {
		goVersion, ok := strings.CutPrefix(strings.TrimSuffix(v, suffix), "v0.0.1-go")
		if !ok || !strings.HasSuffix(v, suffix) {
			continue
		}
		// As semver, 1.27.3 compares as it should; 1.27rc1 is invalid and
		// left out with the other pre-releases.
		if semver.IsValid("v"+goVersion) && semver.Prerelease("v"+goVersion) == "" &&
			(best == "" || semver.Compare("v"+goVersion, "v"+best) > 0) {
			best = goVersion
		}
	}
	if best == "" {
		return "", fmt.Errorf("Go module %s: the proxy lists no release for linux-%s", goToolchain, s.Arch)
	}
	return best, nil
}

// goVersionInfo is the proxy's address for one version of a module, in the
// form the tool Dockerfiles take it (no "v"; a Go release for toolchains).
func (s *Sources) goVersionInfo(mod, version string) string {
	v := "v" + version
	if mod == goToolchain {
		v = "v0.0.1-go" + version + ".linux-" + s.Arch
	}
	escaped, _ := module.EscapePath(mod)
	escapedVersion, _ := module.EscapeVersion(v)
	return s.GoProxy + "/" + escaped + "/@v/" + escapedVersion + ".info"
}
