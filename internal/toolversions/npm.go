package toolversions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// npmPath is a package's path on the registry: a scoped name's slash
// escaped, as npm itself sends it.
func npmPath(pkg string) string { return strings.Replace(pkg, "/", "%2f", 1) }

// npmNewest is the version the package's "latest" dist-tag names: what
// `npm install pkg` installs.
func (s *Sources) npmNewest(ctx context.Context, pkg string) (string, error) {
	body, err := s.get(ctx, s.NPM+"/"+npmPath(pkg)+"/latest")
	if err != nil {
		return "", fmt.Errorf("npm package %s: %w", pkg, err)
	}
	defer body.Close()
	var doc struct {
		Version string `json:"version"`
	}
	if err := json.NewDecoder(body).Decode(&doc); err != nil || doc.Version == "" {
		return "", fmt.Errorf("npm package %s: the registry's answer has no version", pkg)
	}
	return doc.Version, nil
}
