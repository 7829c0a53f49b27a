package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeContext lays out a context the way `docker context create` does.
func writeContext(t *testing.T, dir, name, meta string, tlsFiles ...string) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	metaDir := filepath.Join(dir, "contexts", "meta", id)
	if err := os.MkdirAll(metaDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(metaDir, "meta.json"), []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range tlsFiles {
		tlsDir := filepath.Join(dir, "contexts", "tls", id, "docker")
		if err := os.MkdirAll(tlsDir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tlsDir, f), []byte("pem"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestResolve(t *testing.T) {
	cfg := t.TempDir()
	writeContext(t, cfg, "alt", `{"Name":"alt","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///alt.sock","SkipTLSVerify":false}}}`)
	writeContext(t, cfg, "secure", `{"Name":"secure","Endpoints":{"docker":{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":false}}}`, "ca.pem", "cert.pem", "key.pem")
	writeContext(t, cfg, "insecure", `{"Name":"insecure","Endpoints":{"docker":{"Host":"tcp://10.0.0.6:2376","SkipTLSVerify":true}}}`)
	os.WriteFile(filepath.Join(cfg, "config.json"), []byte(`{"auths":{},"currentContext":"alt"}`), 0o644)
	tlsDir := filepath.Join(cfg, "contexts", "tls", func() string { s := sha256.Sum256([]byte("secure")); return hex.EncodeToString(s[:]) }(), "docker")
	certs := t.TempDir()
	os.WriteFile(filepath.Join(certs, "ca.pem"), nil, 0o600)

	for _, tc := range []struct {
		name string
		flag string
		env  map[string]string
		want Endpoint
	}{
		{"config.json", "", nil, Endpoint{Host: "unix:///alt.sock", Context: "alt", Source: FromConfig}},
		{"DOCKER_CONTEXT beats config.json", "", map[string]string{"DOCKER_CONTEXT": "secure"},
			Endpoint{Host: "tcp://10.0.0.5:2376", Context: "secure", Source: FromDockerContext,
				TLS: &TLSFiles{CA: filepath.Join(tlsDir, "ca.pem"), Cert: filepath.Join(tlsDir, "cert.pem"), Key: filepath.Join(tlsDir, "key.pem")}}},
		{"DOCKER_HOST beats DOCKER_CONTEXT", "", map[string]string{"DOCKER_CONTEXT": "secure", "DOCKER_HOST": "tcp://h:2375"},
			Endpoint{Host: "tcp://h:2375", Source: FromDockerHost}},
		{"flag beats DOCKER_HOST", "insecure", map[string]string{"DOCKER_HOST": "tcp://h:2375"},
			Endpoint{Host: "tcp://10.0.0.6:2376", Context: "insecure", Source: FromFlag, TLS: &TLSFiles{SkipVerify: true}}},
		{"default context by name", "", map[string]string{"DOCKER_CONTEXT": "default"},
			Endpoint{Host: DefaultHost, Source: FromDockerContext}},
		{"DOCKER_TLS_VERIFY with DOCKER_CERT_PATH", "", map[string]string{"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": certs},
			Endpoint{Host: "tcp://h:2376", Source: FromDockerHost, TLS: &TLSFiles{CA: filepath.Join(certs, "ca.pem")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"DOCKER_CONFIG": cfg}
			for k, v := range tc.env {
				env[k] = v
			}
			got, err := Resolve(Options{Getenv: func(k string) string { return env[k] }, Context: tc.flag})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v (TLS %+v), want %+v (TLS %+v)", got, got.TLS, tc.want, tc.want.TLS)
			}
		})
	}

	// No config.json and nothing set: the default socket.
	got, err := Resolve(Options{Getenv: func(k string) string {
		return map[string]string{"HOME": t.TempDir()}[k]
	}})
	if err != nil || got != (Endpoint{Host: DefaultHost, Source: FromDefault}) {
		t.Errorf("empty environment: got %+v, %v", got, err)
	}
}

func TestRemote(t *testing.T) {
	for host, want := range map[string]bool{
		"unix:///var/run/docker.sock": false,
		"tcp://127.0.0.1:2375":        false,
		"tcp://localhost:2375":        false,
		"tcp://[::1]:2375":            false,
		"tcp://10.0.0.5:2376":         true,
		"tcp://build.example:2376":    true,
		"ssh://me@127.0.0.1":          true,
	} {
		if got := (Endpoint{Host: host}).Remote(); got != want {
			t.Errorf("%s: Remote() = %v, want %v", host, got, want)
		}
	}
}

func TestSSHArgv(t *testing.T) {
	for host, want := range map[string][]string{
		"ssh://build":                    {"ssh", "-o", "ConnectTimeout=30", "-T", "--", "build", "docker", "system", "dial-stdio"},
		"ssh://me@build:2222":            {"ssh", "-o", "ConnectTimeout=30", "-T", "-l", "me", "-p", "2222", "--", "build", "docker", "system", "dial-stdio"},
		"ssh://me@build/run/docker.sock": {"ssh", "-o", "ConnectTimeout=30", "-T", "-l", "me", "--", "build", "docker", "--host", "unix:///run/docker.sock", "system", "dial-stdio"},
	} {
		got, err := sshArgv(host)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, %v; want %q", host, got, err, want)
		}
	}
	for _, bad := range []string{"ssh://", "ssh://me:secret@build", "ssh://build?x=1"} {
		if _, err := sshArgv(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
