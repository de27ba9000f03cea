// Package cli is preflight's command line: subcommands, flags, exit codes.
package cli

import (
	"context"
	"io"
)

// Run runs preflight with args (without the program name) and returns the
// exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return 0
}
