package main

import (
	"context"
	"net/http"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdImageLabel puts one label of a local image in VAR and prints it.
//
//	imagelabel VAR REF LABEL
func (d *docker) cmdImageLabel(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: imagelabel VAR REF LABEL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	labels, err := d.eng.ImageLabels(ctx, args[1])
	ts.Check(err)
	ts.Setenv(args[0], labels[args[2]])
	ts.Logf("%s=%s", args[0], labels[args[2]])
}

// cmdImageID puts the ID of a local image in VAR.
//
//	imageid VAR REF
func (d *docker) cmdImageID(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: imageid VAR REF")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id, err := d.eng.ImageID(ctx, args[1])
	ts.Check(err)
	ts.Setenv(args[0], id)
}

// cmdNeedReach fails the scenario, saying so, when URL does not answer:
// the scenarios that talk to the real npm registry or Go module proxy
// cannot pass without them.
//
//	needreach URL
func cmdNeedReach(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: needreach URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
	ts.Check(err)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.Fatalf("this scenario needs %s, which is unreachable: %v", args[0], err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		ts.Fatalf("this scenario needs %s, which answers %s", args[0], resp.Status)
	}
}
