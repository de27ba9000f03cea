package cli

import (
	"context"
	"strings"

	"github.com/spf13/pflag"

	"preflight/internal/check"
	"preflight/report"
)

func receiversCommand() *command {
	return &command{
		name:    "receivers",
		usage:   "receivers [flags] [RECEIVER...]",
		summary: "list the receiver profiles, their rules and the sources behind each rule",
		long: `Lists every receiver profile check can predict (or the ones named), with what
the receiver documents, each rule it applies — the case, what it does, its
exact SMTP reply — and where the rule comes from: documented (the receiver's
own pages), third-party (real bounces, vendor write-ups) or inferred, with a
confidence, the source and its date (-v, or --format json). Where a receiver
documents nothing its profile says so and follows the RFC with low
confidence.`,
		examples: []string{
			"preflight receivers",
			"preflight receivers gmail microsoft -v",
			"preflight receivers --format markdown > receivers.md",
			"preflight receivers -q",
		},
		formats: []string{"text", "json", "markdown"},
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			return func(ctx context.Context, e *env, args []string) error {
				var names []string
				for _, a := range args {
					for _, n := range strings.Split(a, ",") {
						if n = strings.TrimSpace(n); n != "" && n != "all" {
							names = append(names, n)
						}
					}
				}
				l, err := check.ReceiverList(names)
				if err != nil {
					return usageErrorf("%v", err)
				}
				return report.WriteReceivers(e.stdout, l, e.options())
			}
		},
	}
}
