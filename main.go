// Command preflight predicts whether a receiver such as QQ Mail would reject a
// message with "550 DMARC check failed", and explains which SPF or DKIM
// alignment is missing. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"preflight/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
