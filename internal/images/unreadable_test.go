package images

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A file the inputs hash cannot read is an error that names it, never a
// file silently left out of the hash.
func TestProjectPlanUnreadableFile(t *testing.T) {
	if asNobody(t) {
		return
	}
	dir := t.TempDir()
	for name, text := range map[string]string{".devenv/Dockerfile": "FROM devenv:latest\nCOPY conf/ /etc/conf/\n", "conf/a": "1", "conf/secret": "2"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(dir, "conf", "secret")
	os.Chmod(secret, 0)
	if _, err := ProjectPlan(dir, "devenv-project-x-y"); err == nil || !strings.Contains(err.Error(), secret) {
		t.Errorf("ProjectPlan with an unreadable %s: %v, want an error naming it", secret, err)
	}
	os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("conf/secret\n"), 0o644)
	if _, err := ProjectPlan(dir, "devenv-project-x-y"); err != nil {
		t.Errorf("ProjectPlan with the unreadable file ignored: %v", err)
	}
}

func TestHostCACertificatesUnreadable(t *testing.T) {
	if asNobody(t) {
		return
	}
	dir := t.TempDir()
	if files, err := hostCACertificates(filepath.Join(dir, "none")); err != nil || len(files) != 0 {
		t.Errorf("no CA directory: %v, %v; want nothing and no error", files, err)
	}
	os.WriteFile(filepath.Join(dir, "work.crt"), []byte("cert"), 0o644)
	os.WriteFile(filepath.Join(dir, "locked.crt"), []byte("cert"), 0)
	locked := filepath.Join(dir, "locked.crt")
	if _, err := hostCACertificates(dir); err == nil || !strings.Contains(err.Error(), locked) {
		t.Errorf("unreadable %s: %v, want an error naming it", locked, err)
	}
	os.Remove(locked)
	if files, err := hostCACertificates(dir); err != nil || string(files[CAContextDir+"/work.crt"]) != "cert" {
		t.Errorf("hostCACertificates = %q, %v", files, err)
	}
}

// asNobody runs the calling test again as the user nobody when the tests
// run as root, who reads any file whatever its mode; it reports whether it
// did, and then the test is done.
func asNobody(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return false
	}
	// The test binary may sit in a directory only root may enter.
	bin := filepath.Join(t.TempDir(), "images.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(bin); d != os.TempDir(); d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "TMPDIR="+os.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	return true
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
