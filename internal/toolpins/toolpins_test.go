package toolpins

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSaveKeepsTheRestOfTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "devenv", "config.toml")
	f := File{Path: path}
	if pins, err := f.Load(); err != nil || len(pins) != 0 {
		t.Fatalf("missing file: %v %v", pins, err)
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("# mine\n[ssh]\nport = 2222\n\n[tools]\nother = 1\n\n[x]\ny = 2\n"), 0o644)
	if err := f.Save(map[string]string{"yq": "4.1.0", "claude-code": "2.1.300"}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := "# mine\n[ssh]\nport = 2222\n\n[tools]\nversions = { claude-code = \"2.1.300\", yq = \"4.1.0\" }\nother = 1\n\n[x]\ny = 2\n"
	if string(data) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", data, want)
	}
	if err := f.Save(map[string]string{"yq": "4.2.0"}); err != nil {
		t.Fatal(err)
	}
	pins, err := f.Load()
	if err != nil || !reflect.DeepEqual(pins, map[string]string{"yq": "4.2.0"}) {
		t.Fatalf("reload: %v %v", pins, err)
	}
}

func TestSaveAddsTheTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte("[ssh]\nport = 1\n"), 0o644)
	File{path}.Save(map[string]string{"yq": "1"})
	data, _ := os.ReadFile(path)
	if string(data) != "[ssh]\nport = 1\n\n[tools]\nversions = { yq = \"1\" }\n" {
		t.Fatalf("got:\n%s", data)
	}
}

func TestLoadRefusesWhatItCannotRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	for _, text := range []string{"[tools]\nversions = yq\n", "[tools]\nversions = { yq = 4 }\n", "[tools]\nversions = { yq = \"1\"\n"} {
		os.WriteFile(path, []byte(text), 0o644)
		if _, err := (File{path}).Load(); err == nil {
			t.Errorf("%q accepted", text)
		}
	}
	os.WriteFile(path, []byte("[tools]\nversions = { \"yq\" = \"1\", fnm = \"2\" } # held back\n[other]\nversions = { a = \"b\" }\n"), 0o644)
	pins, err := File{path}.Load()
	if err != nil || !reflect.DeepEqual(pins, map[string]string{"yq": "1", "fnm": "2"}) {
		t.Fatalf("%v %v", pins, err)
	}
}
