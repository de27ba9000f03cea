// Command preflight predicts whether a receiver such as QQ Mail would reject a
// message with "550 DMARC check failed", and explains which SPF or DKIM
// alignment is missing. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"preflight/internal/cli"
)

// grace is how long an interrupted run may take to print what finished
// before main exits anyway: a read of a terminal, a FIFO or a slow file
// cannot be interrupted from inside the process.
const grace = 2 * time.Second

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }()

	select {
	case code := <-done:
		os.Exit(code)
	case sig := <-sigs:
		cancel()
		code := cli.ExitInterrupted // 128 + SIGINT
		if sig == syscall.SIGTERM {
			code = 128 + int(syscall.SIGTERM)
		}
		select {
		case <-done: // Run printed what had finished
		case <-sigs: // a second signal: leave now
			fmt.Fprintln(os.Stderr, "preflight: interrupted")
		case <-time.After(grace):
			fmt.Fprintln(os.Stderr, "preflight: interrupted")
		}
		os.Exit(code)
	}
}
