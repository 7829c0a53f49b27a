package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdHTTPGet fetches URL N times at once (default 1) on fresh connections
// and checks that every answer is a 200 with the same body, which it writes
// to stdout, or to FILE with -o. With !, it asserts that the fetch fails.
//
//	httpget [-n N] [-o FILE] URL
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	n, out := 1, ""
	for len(args) > 1 {
		switch args[0] {
		case "-n":
			var err error
			n, err = strconv.Atoi(args[1])
			ts.Check(err)
		case "-o":
			out = ts.MkAbs(args[1])
		default:
			ts.Fatalf("usage: httpget [-n N] [-o FILE] URL")
		}
		args = args[2:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: httpget [-n N] [-o FILE] URL")
	}
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	bodies := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(args[0])
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			bodies[i], errs[i] = io.ReadAll(resp.Body)
			if errs[i] == nil && resp.StatusCode != http.StatusOK {
				errs[i] = fmt.Errorf("status %s", resp.Status)
			}
		}()
	}
	wg.Wait()
	failed := 0
	for i := range n {
		if errs[i] == nil && !bytes.Equal(bodies[i], bodies[0]) {
			errs[i] = fmt.Errorf("answer %d differs from the first (%d bytes, not %d)", i, len(bodies[i]), len(bodies[0]))
		}
		if errs[i] != nil {
			failed++
			fmt.Fprintf(ts.Stderr(), "request %d: %v\n", i, errs[i])
		}
	}
	switch {
	case neg && failed == 0:
		ts.Fatalf("httpget: %d requests succeeded, want failure", n)
	case neg:
		return
	case failed > 0:
		ts.Fatalf("httpget: %d of %d requests failed", failed, n)
	}
	if out != "" {
		ts.Check(os.WriteFile(out, bodies[0], 0o644))
		return
	}
	ts.Stdout().Write(bodies[0])
}

// cmdAwaitListen waits until something accepts TCP connections at ADDR
// (up to a minute), e.g. a forward started in the background.
//
//	awaitlisten ADDR
func cmdAwaitListen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: awaitlisten ADDR")
	}
	deadline := time.Now().Add(time.Minute)
	for {
		conn, err := net.DialTimeout("tcp", args[0], time.Second)
		if err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("nothing listens at %s: %v", args[0], err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
