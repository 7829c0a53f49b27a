package main

import "embed"

// buildContext is what `devenv build` builds from when no --context is
// given, so the binary alone can make every image it needs.
//
//go:embed Dockerfile.base Dockerfile.devenv tools templates
var buildContext embed.FS
