package egress

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"devenv/internal/engine"
)

// Image is the gateway's image: Debian's Squid on debian:trixie-slim.
const Image = "devenv-egress:latest"

// dockerfile installs Squid from Debian's packages; perl-base, for the
// relays, is Essential.
const dockerfile = `FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends squid \
 && rm -rf /var/lib/apt/lists/*
LABEL devenv=true
`

const inputsLabel = "devenv.inputs"

// EnsureImage builds Image when it is missing or was built from another
// Dockerfile; build output goes to log.
func EnsureImage(ctx context.Context, eng *engine.Client, log io.Writer) error {
	sum := sha256.Sum256([]byte(dockerfile))
	inputs := hex.EncodeToString(sum[:])
	if label, err := eng.ImageLabel(ctx, Image, inputsLabel); err == nil && label == inputs {
		return nil
	}
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))})
	tw.Write([]byte(dockerfile))
	if err := tw.Close(); err != nil {
		return err
	}
	fmt.Fprintf(log, "devenv: building %s (Squid from Debian's packages) for the egress policy\n", Image)
	var output bytes.Buffer
	_, err := eng.Build(ctx, engine.BuildSpec{
		Context: &tarball, Dockerfile: "Dockerfile", Tags: []string{Image},
		Labels: map[string]string{inputsLabel: inputs, engine.DevenvLabel: "true"},
	}, func(e engine.BuildEvent) { output.WriteString(e.Stream) })
	if err != nil {
		return fmt.Errorf("build %s, the egress proxy's image (it needs Debian's package mirror): %w", Image, err)
	}
	return nil
}
