package toolversions

import (
	"errors"
	"strings"

	"golang.org/x/mod/semver"

	"devenv/internal/images"
)

// Row is what is known of one tool's versions.
type Row struct {
	Tool      images.Tool
	Pinned    string // the version a build installs: the user's pin, else devenv's; "" when not pinnable
	UserPin   bool   // Pinned comes from the user's settings
	Image     string // the version in the image (its label); "" when unknown
	Newest    string // the newest the source serves; "" when unknown
	NewestErr error
}

// Rows combines the tool list, the user's pins, an image's labels and
// the newest versions (any of the last three may be empty).
func Rows(tools []images.Tool, pins, imageLabels map[string]string, newest map[string]Result) []Row {
	rows := make([]Row, len(tools))
	for i, t := range tools {
		r := Row{Tool: t, Image: imageLabels[images.ToolLabelPrefix+t.Name]}
		if t.Pinnable() {
			r.Pinned = t.Version.Default
			if v, ok := pins[t.Name]; ok {
				r.Pinned, r.UserPin = v, true
			}
		}
		if res, ok := newest[t.Name]; ok {
			r.Newest, r.NewestErr = res.Version, res.Err
		}
		rows[i] = r
	}
	return rows
}

// Installed is the version the image has, else the one a build would install.
func (r Row) Installed() string {
	if r.Image != "" {
		return r.Image
	}
	return r.Pinned
}

// Behind reports whether the source serves a newer version than Installed.
// Versions that do not compare as semantic versions (Debian's) are behind
// when they differ.
func (r Row) Behind() bool {
	have := r.Installed()
	if r.Newest == "" || have == "" || have == r.Newest {
		return false
	}
	a, b := "v"+have, "v"+r.Newest
	if semver.IsValid(a) && semver.IsValid(b) {
		return semver.Compare(b, a) > 0
	}
	return true
}

// State is "behind", "current", or "" when the newest is unknown.
func (r Row) State() string {
	switch {
	case r.Newest == "" || r.Installed() == "":
		return ""
	case r.Behind():
		return "behind"
	}
	return "current"
}

// Problems are the distinct reasons newest versions are unknown, one per
// source, leaving out the sources devenv does not ask.
func Problems(rows []Row) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rows {
		if r.NewestErr == nil || errors.Is(r.NewestErr, ErrNotLookedUp) {
			continue
		}
		msg := r.NewestErr.Error()
		var unreachable *UnreachableError
		if errors.As(r.NewestErr, &unreachable) {
			msg = unreachable.Error()
		}
		if !seen[msg] {
			seen[msg] = true
			out = append(out, msg)
		}
	}
	return out
}

// Dash shows an unknown value as "-".
func Dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
