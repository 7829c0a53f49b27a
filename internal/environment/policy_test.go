package environment

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"devenv/internal/engine"
	"devenv/internal/settings"
)

func TestCheckProjectDirRefusesHomeRootAndDevenvsOwn(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "src", "api"), 0o755)
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	for _, dir := range []string{"/", home, filepath.Join(home, ".local"), filepath.Join(home, ".config")} {
		var refused *ProjectRefusedError
		if err := checkProjectDir(dir, getenv); !errors.As(err, &refused) {
			t.Errorf("checkProjectDir(%s) = %v, want it refused", dir, err)
		}
	}
	if err := checkProjectDir(filepath.Join(home, "src", "api"), getenv); err != nil {
		t.Errorf("a project under the home was refused: %v", err)
	}
}

func TestPrivileges(t *testing.T) {
	with := privilegesFor(settings.Settings{Sudo: true})
	if !slices.Contains(with.capDrop, "MKNOD") || with.noNewPrivileges || with.user != ContainerUser {
		t.Errorf("with sudo: %+v, want MKNOD dropped, devuser, no no-new-privileges", with)
	}
	without := privilegesFor(settings.Settings{Sudo: false})
	if !slices.Equal(without.capDrop, []string{"ALL"}) || !without.noNewPrivileges {
		t.Errorf("without sudo: %+v, want every capability dropped and no-new-privileges", without)
	}
	for _, c := range without.capAdd {
		if c == "MKNOD" || c == "CHOWN" || c == "FOWNER" || c == "FSETID" || c == "DAC_OVERRIDE" || c == "SYS_ADMIN" {
			t.Errorf("without sudo, %s is given back", c)
		}
	}
}

func TestVolumeOwner(t *testing.T) {
	for _, c := range []struct {
		v    engine.Volume
		want string
	}{
		{engine.Volume{Name: "devenv-cache"}, "shared"},
		{engine.Volume{Name: "devenv-data"}, "legacy"},
		{engine.Volume{Name: "devenv-state"}, "legacy"},
		{engine.Volume{Name: "devenv-x-api.share", Labels: map[string]string{VolumeEnvironmentLabel: "devenv-x-api"}}, "devenv-x-api"},
		{engine.Volume{Name: "something-else"}, ""},
	} {
		if got := VolumeOwner(c.v); got != c.want {
			t.Errorf("VolumeOwner(%s) = %q, want %q", c.v.Name, got, c.want)
		}
	}
	// an environment's volume name never collides with a legacy one
	if EnvironmentVolume("devenv", "state") == "devenv-state" {
		t.Error("environment volume names collide with the legacy ones")
	}
}
