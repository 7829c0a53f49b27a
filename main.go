// Command devenv gives every project directory its own long-lived Docker
// container. It is one binary with many names: argv[0] or the first argument
// picks the applet.
package main

import (
	"os"

	"devenv/applets"
)

func main() {
	os.Exit(applets.Main(os.Args, os.Getenv, applets.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, buildContext))
}
