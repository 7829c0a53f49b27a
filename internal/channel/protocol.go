// Package channel is warm exec: one resident SSH connection per running
// environment, held by a small devenv process on the host, through which
// `devenv exec` runs commands as new SSH sessions instead of new
// `runc exec`s. The holder listens on a Unix socket in devenv's 0700 state
// directory, so only the user reaches it; it never listens on a port.
//
// Between a client (devenv exec) and the holder, the socket carries frames:
// one type byte, a 4-byte big-endian length, the payload. The client sends a
// request, then stdin data, its end, signals and terminal sizes; the holder
// answers that the command started (or could not, so the client falls back
// to the engine), then stdout and stderr data as they come, and the exit.
package channel

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Frame types.
const (
	frameRequest     = 'r' // client: a Request, as JSON
	frameStdin       = 'i' // client: stdin bytes
	frameStdinClosed = 'c' // client: stdin ended
	frameSignal      = 's' // client: a signal's name (INT, TERM, …)
	frameResize      = 'w' // client: a Size, as JSON
	frameClose       = 'q' // client: close the channel (devenv stop); the holder echoes it
	frameStarted     = 'S' // holder: the command runs
	frameUnavailable = 'U' // holder: it could not be started; a reason
	frameStdout      = 'o' // holder: stdout bytes
	frameStderr      = 'e' // holder: stderr bytes
	frameExit        = 'x' // holder: an Exit, as JSON
	frameLost        = 'L' // holder: the connection broke while it ran
)

// maxFrame bounds a frame's payload; data travels in chunks below it.
const maxFrame = 1 << 20

// Request is one command to run.
type Request struct {
	// Dir is the host directory the session starts in, checked against the
	// environment's workspace; empty means the workspace itself.
	Dir string
	// WorkDir, when the caller resolved it, is where the session starts.
	WorkDir string
	// ContainerID, when the caller knows it, must be the holder's.
	ContainerID string
	Argv        []string
	Env         []string // NAME=value, set for the command
	Stdin       bool     // the command reads the caller's stdin; else it sees EOF at once
	TTY         bool
	Term        string
	Size        Size
}

// Size is a terminal's size in character cells.
type Size struct{ Rows, Cols uint32 }

// Exit is how the command ended: its status, or the signal that killed it.
type Exit struct {
	Code   int
	Signal string `json:",omitempty"`
}

// conn writes frames from many goroutines and reads them from one.
type conn struct {
	rw io.ReadWriter
	mu sync.Mutex
}

func (c *conn) write(kind byte, payload []byte) error {
	if len(payload) > maxFrame {
		return fmt.Errorf("frame of %d bytes", len(payload))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var head [5]byte
	head[0] = kind
	binary.BigEndian.PutUint32(head[1:], uint32(len(payload)))
	if _, err := c.rw.Write(append(head[:], payload...)); err != nil {
		return err
	}
	return nil
}

func (c *conn) writeJSON(kind byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.write(kind, data)
}

// read returns the next frame; io.EOF only at a frame boundary.
func (c *conn) read() (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(c.rw, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxFrame {
		return 0, nil, errors.New("oversized frame")
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(c.rw, payload); err != nil {
		return 0, nil, noEOF(err)
	}
	return head[0], payload, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// frameWriter sends what is written to it as frames of one kind.
type frameWriter struct {
	c    *conn
	kind byte
}

func (w frameWriter) Write(p []byte) (int, error) {
	for off := 0; off < len(p); off += maxFrame {
		end := min(off+maxFrame, len(p))
		if err := w.c.write(w.kind, p[off:end]); err != nil {
			return off, err
		}
	}
	return len(p), nil
}
