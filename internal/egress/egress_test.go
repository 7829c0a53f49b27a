package egress

import (
	"strings"
	"testing"
)

func TestParseDestination(t *testing.T) {
	good := []string{"github.com", "*.npmjs.org", "registry.npmjs.org:443", "10.1.2.3", "192.0.2.0/24", "[::1]:443", "2001:db8::/32", "localhost"}
	for _, e := range good {
		if _, err := ParseDestination(e); err != nil {
			t.Errorf("ParseDestination(%q): %v", e, err)
		}
	}
	bad := []string{"", "exa_mple.com", "*.*.com", "10.0.0.0/33", "192.0.2.1/24", "github.com:0", "github.com:x", "-a.com", "a..com", "*.", "1.2.3", "http://x.com", "a b"}
	for _, e := range bad {
		if _, err := ParseDestination(e); err == nil {
			t.Errorf("ParseDestination(%q) succeeded", e)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Policy{Mode: Open, Allow: []string{"a.com"}}).Validate(); err == nil {
		t.Error("allow with open accepted")
	}
	if err := (Policy{Mode: Allowlist, Allow: []string{"a.com"}}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestSquidConfigDeniesLast(t *testing.T) {
	conf, err := SquidConfig(Policy{Mode: Allowlist, Allow: []string{"a.com:443", "*.b.org"}}, []string{"172.20.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"acl inside src 172.20.0.0/16\nhttp_access deny !inside\n", "acl dest0 dstdomain -n a.com\nacl port0 port 443\nhttp_access allow dest0 port0\n", `acl dest1 dstdom_regex -n -i \.b\.org$`} {
		if !strings.Contains(conf, want) {
			t.Errorf("config lacks %q:\n%s", want, conf)
		}
	}
	if !strings.HasSuffix(conf, "http_access deny all\n") {
		t.Errorf("config does not end by refusing everything else:\n%s", conf)
	}
	none, _ := SquidConfig(Policy{Mode: None, Allow: []string{"a.com"}}, nil)
	if strings.Contains(none, "http_access allow") {
		t.Errorf("none allows something:\n%s", none)
	}
}

func TestTallies(t *testing.T) {
	log := "1796408781 NONE_NONE 0 - - -\n1796408781 TCP_MISS 200 GET a.com 80\n1796408790 TCP_DENIED 403 CONNECT b.com 443\n1796408795 TCP_TUNNEL 200 CONNECT a.com 80\n"
	got := Tallies(log)
	if len(got) != 2 || got[0].Destination != "a.com:80" || got[0].Allowed != 2 || got[1].Refused != 1 || got[0].Last.Unix() != 1796408795 {
		t.Fatalf("Tallies = %+v", got)
	}
}
