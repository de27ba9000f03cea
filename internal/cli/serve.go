package cli

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"preflight/internal/check"
	"preflight/internal/serve"
)

func serveCommand() *command {
	var listen, receiver string
	var concurrency int
	var timeout time.Duration
	return &command{
		name:    "serve",
		usage:   "serve [flags]",
		summary: "a page for support engineers: paste a bounce, a message or a plan, get the diagnosis",
		long: `Serves one page on loopback where a bounce, a message (or only its headers), or
a plan (From, Return-Path, DKIM d=:s=, IP) is pasted or dropped, and shows the
diagnosis check and bounce give: the verdict first, the alignment picture, each
finding with its fix and the DNS records to publish with a copy button. The
page loads nothing from elsewhere and nothing pasted is stored or logged.
POST /api/v1/check takes {"input": "...", "receiver": "qq", "plan": {...}} and
returns the preflight/v1 objects of --format json (JSON Lines). All requests
share one DNS cache; the DNS flags are those of every command.`,
		examples: []string{
			"preflight serve --zone testdata/demo/demo.zone        # the offline demo, at http://127.0.0.1:8025/",
			"preflight serve --listen 127.0.0.1:9000 --receiver all",
			`curl -s http://127.0.0.1:8025/api/v1/check -d '{"plan":{"from":"news@brand.example","mail_from":"bounce@esp.example","ip":"192.0.2.10"}}'`,
		},
		dns: true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			fs.StringVar(&listen, "listen", "127.0.0.1:8025", "address to listen on (loopback unless you mean to share it)")
			fs.StringVar(&receiver, "receiver", "qq", "default receiver profile of the page ("+strings.Join(check.ProfileNames(), ", ")+" or all)")
			fs.IntVar(&concurrency, "concurrency", serve.DefaultConcurrency, "checks run at once; more requests wait")
			fs.DurationVar(&timeout, "request-timeout", serve.DefaultTimeout, "longest a request may take (DNS included)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usageErrorf("serve takes no arguments (got %q)", args[0])
				}
				if concurrency < 1 || timeout <= 0 {
					return usageErrorf("--concurrency must be at least 1 and --request-timeout positive")
				}
				if receiver != "all" {
					if _, err := check.LookupProfile(receiver); err != nil {
						return usageErrorf("unknown --receiver %q (use %s or all)", receiver, strings.Join(check.ProfileNames(), ", "))
					}
				}
				r, err := e.resolver()
				if err != nil {
					return err
				}
				ln, err := net.Listen("tcp", listen)
				if err != nil {
					return inputError(fmt.Errorf("--listen %s: %w", listen, err))
				}
				addr := ln.Addr().String()
				cfg := serve.Config{Resolver: r, Now: func() time.Time { return e.now }, Receiver: receiver,
					Timeout: timeout, Concurrency: concurrency}
				if e.langSet {
					cfg.Lang = e.lang // the page's language when the browser names none
				}
				if e.nowFlag == "" {
					cfg.Now = time.Now
				}
				if serve.IsLoopback(addr) {
					cfg.Hosts = serve.LoopbackHosts(addr)
				} else {
					fmt.Fprintf(e.stderr, "preflight serve: %s is not a loopback address: anyone who can reach it can use this page\n", addr)
				}
				fmt.Fprintf(e.stderr, "preflight serve: listening on http://%s/ (Ctrl-C to stop)\n", addr)
				if err := serve.Serve(ctx, ln, serve.New(cfg)); err != nil {
					return err
				}
				return nil
			}
		},
	}
}
