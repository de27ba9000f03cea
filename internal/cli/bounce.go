package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"preflight/internal/bounce"
	"preflight/internal/check"
	"preflight/report"
)

func bounceCommand() *command {
	return &command{
		name:    "bounce",
		usage:   "bounce [flags] FILE|-",
		summary: "explain a bounce (DSN, log line or SMTP reply): what it means, what to do",
		long: `Reads a bounce — a delivery status notification (RFC 3464), Postfix, Exim,
sendmail or Exchange log lines or NDR text, an ESP's bounce event as JSON
(Amazon SES, SendGrid, Mailgun, Postmark), or a bare SMTP reply, wrapped or
multi-line — and for every bounced recipient says which receiver answered,
what its reply means, whether retrying can help, and what to change. QQ's
replies carry no enhanced status code: one in the DSN (5.0.0, 5.3.0) was
invented by a relay and is not used. A reply preflight does not know is
reported as such, with what could be parsed. FILE - reads standard input.
Exit 0 when the input was diagnosed, 2 when it is not a bounce.`,
		examples: []string{
			"preflight bounce internal/bounce/testdata/postfix-qq-dmarc.eml",
			"grep status=bounced /var/log/mail.log | preflight bounce -",
			"echo '550 Mailbox not found.' | preflight bounce --format json -",
			"preflight bounce --format markdown bounce.eml > ticket.md",
		},
		formats: []string{"text", "json", "markdown", "html"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			return runBounce
		},
	}
}

func runBounce(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return usageErrorf("want one FILE (or - for stdin), got %d argument(s)", len(args))
	}
	name := args[0]
	var in io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return inputError(err)
		}
		defer f.Close()
		in = f
	} else {
		name = "stdin"
	}
	a, err := bounce.Analyze(in)
	if err != nil {
		if errors.Is(err, bounce.ErrNotBounce) || errors.Is(err, bounce.ErrTooLarge) {
			return inputError(fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "bounce: ")))
		}
		return inputError(err)
	}
	cfg := check.RecheckConfig{Resolver: e.resolver, Now: func() time.Time { return e.now }}
	b, err := check.ExplainBounce(ctx, cfg, a)
	if err != nil {
		return err
	}
	return report.WriteBounce(e.stdout, b, e.options())
}
