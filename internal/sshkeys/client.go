package sshkeys

import (
	"strings"

	"devenv/internal/shellquote"
)

// Option is one ssh_config keyword and its value.
type Option struct{ Key, Value string }

// ClientOptions are what every connection to the environment alias uses,
// from devenv ssh and from devenv ssh-config alike: devenv's key alone (an
// agent full of keys would use up sshd's MaxAuthTries), and the host key
// devenv pinned for alias, checked strictly against devenv's known_hosts
// only, which ssh must never rewrite.
func (s Store) ClientOptions(alias string) []Option {
	return []Option{
		{"IdentityFile", s.IdentityFile()},
		{"IdentitiesOnly", "yes"},
		{"UserKnownHostsFile", s.KnownHostsFile()},
		{"GlobalKnownHostsFile", "/dev/null"},
		{"HostKeyAlias", alias},
		{"StrictHostKeyChecking", "yes"},
		{"UpdateHostKeys", "no"},
	}
}

// ConfigLine is o as an ssh_config line, without indentation.
func (o Option) ConfigLine() string { return o.Key + " " + o.value() }

// Arg is o as the argument of ssh -o.
func (o Option) Arg() string { return o.Key + "=" + o.value() }

// value escapes what ssh would otherwise interpret: ssh expands %-tokens in
// these keywords, and splits other values at blanks and quotes. A
// ProxyCommand is handed to the shell whole, so it arrives shell-quoted
// (ProxyCommand) and only its %s are doubled.
func (o Option) value() string {
	switch o.Key {
	case "ProxyCommand":
		return strings.ReplaceAll(o.Value, "%", "%%")
	case "IdentityFile", "UserKnownHostsFile", "GlobalKnownHostsFile", "ControlPath":
		return quoteWord(strings.ReplaceAll(o.Value, "%", "%%"))
	}
	return quoteWord(o.Value)
}

// quoteWord quotes a value the way ssh's own argument splitting undoes.
func quoteWord(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\"'\\#=") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}

// ProxyCommand is the option that reaches a host through argv instead of
// the network, with argv quoted for the shell ssh runs it with.
func ProxyCommand(argv ...string) Option {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = shellquote.POSIXWord(a)
	}
	return Option{"ProxyCommand", strings.Join(words, " ")}
}
