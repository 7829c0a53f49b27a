package channel

import (
	"bytes"
	"io"
	"testing"
)

func TestFramesRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	c := &conn{rw: &buf}
	big := bytes.Repeat([]byte{0, 1, 2, 255}, maxFrame/2) // two frames' worth
	if _, err := (frameWriter{c, frameStdout}).Write(big); err != nil {
		t.Fatal(err)
	}
	if err := c.write(frameStdinClosed, nil); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for {
		kind, payload, err := c.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if kind == frameStdout {
			got = append(got, payload...)
		} else if kind != frameStdinClosed || len(payload) != 0 {
			t.Fatalf("frame %q %d bytes", kind, len(payload))
		}
	}
	if !bytes.Equal(got, big) {
		t.Fatalf("got %d bytes back, want %d", len(got), len(big))
	}
}

func TestTruncatedFrame(t *testing.T) {
	c := &conn{rw: bytes.NewBuffer([]byte{frameStdout, 0, 0, 0, 9, 'a'})}
	if _, _, err := c.read(); err != io.ErrUnexpectedEOF {
		t.Fatalf("got %v, want unexpected EOF", err)
	}
}

func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		exit Exit
		want int
	}{{Exit{}, 0}, {Exit{Code: 42}, 42}, {Exit{Signal: "INT"}, 130}, {Exit{Signal: "TERM"}, 143}, {Exit{Signal: "KILL"}, 137}, {Exit{Signal: "WEIRD"}, 137}} {
		if got := tc.exit.Status(); got != tc.want {
			t.Errorf("%+v: status %d, want %d", tc.exit, got, tc.want)
		}
	}
}
