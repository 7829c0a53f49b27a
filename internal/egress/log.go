package egress

import (
	"net"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Tally is what an environment tried to reach at one destination.
type Tally struct {
	Destination string    `json:"destination"` // host:port
	Allowed     int       `json:"allowed"`
	Refused     int       `json:"refused"`
	Last        time.Time `json:"last"`
}

// Tallies reads Squid's access log in logFormat and counts the requests
// per destination, sorted by destination. Lines that carry no destination
// (a connection that sent no request) are skipped.
func Tallies(log string) []Tally {
	byDest := map[string]*Tally{}
	for _, line := range strings.Split(log, "\n") {
		f := strings.Fields(line)
		if len(f) != 6 || f[4] == "-" || f[5] == "-" {
			continue
		}
		secs, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		dest := net.JoinHostPort(f[4], f[5])
		t := byDest[dest]
		if t == nil {
			t = &Tally{Destination: dest}
			byDest[dest] = t
		}
		if strings.Contains(f[1], "DENIED") {
			t.Refused++
		} else {
			t.Allowed++
		}
		if at := time.Unix(secs, 0).UTC(); at.After(t.Last) {
			t.Last = at
		}
	}
	out := make([]Tally, 0, len(byDest))
	for _, t := range byDest {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Destination < out[j].Destination })
	return out
}
