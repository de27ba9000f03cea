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
	data, err := readBounce(e, name)
	if err != nil {
		return err
	}
	if name == "-" {
		name = "stdin"
	}
	b, err := bounce.ParseBytes(data)
	if err != nil {
		if errors.Is(err, bounce.ErrNotBounce) || errors.Is(err, bounce.ErrTooLarge) {
			return inputError(fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "bounce: ")))
		}
		return inputError(err)
	}
	a := bounce.Diagnose(b)
	cfg := check.RecheckConfig{Resolver: e.resolver, Now: func() time.Time { return e.now }}
	rb, err := check.ExplainBounce(ctx, cfg, a)
	if err != nil {
		return err
	}
	return report.WriteBounce(e.stdout, rb, e.options())
}

// readBounce reads FILE (- for stdin) up to bounce.MaxInput: a regular file
// over it is refused from its size, a stream (stdin, a FIFO, /dev/zero)
// once it has given one byte more.
func readBounce(e *env, name string) ([]byte, error) {
	shown := name
	var in io.Reader = e.stdin
	if name == "-" {
		shown = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, inputError(err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > bounce.MaxInput {
			return nil, inputError(bounceTooLarge(shown))
		}
		in = f
	}
	data, ok, err := check.ReadAtMost(in, bounce.MaxInput)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", shown, err))
	}
	if !ok {
		return nil, inputError(bounceTooLarge(shown))
	}
	return data, nil
}

func bounceTooLarge(name string) error {
	return fmt.Errorf("%s: the input is larger than %d MiB, the limit of a bounce", name, bounce.MaxInput>>20)
}
