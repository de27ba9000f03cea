package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

	"preflight/internal/bounce"
	"preflight/report"
)

func bounceCommand() *command {
	return &command{
		name:    "bounce",
		usage:   "bounce [flags] FILE|FOLDER|MBOX|-...",
		summary: "explain bounces (a DSN, log lines, an SMTP reply, a mailbox): what they mean, what to do",
		long: `Reads a bounce — a delivery status notification (RFC 3464), Postfix, Exim,
sendmail or Exchange log lines or NDR text, an ESP's bounce event as JSON
(Amazon SES, SendGrid, Mailgun, Postmark), or a bare SMTP reply, wrapped or
multi-line — and for every bounced recipient says which receiver answered,
what its reply means, whether retrying can help, and what to change. QQ's
replies carry no enhanced status code: one in the DSN (5.0.0, 5.3.0) was
invented by a relay and is not used. A reply preflight does not know is
reported as such, with what could be parsed. Feedback reports, automatic
replies and delivery notifications are named as such, not diagnosed.

Several FILEs, a FOLDER (every file in it, recursively; a Maildir's cur/
and new/), an MBOX file and - (stdin, a message or an mbox) may be given:
then every message gets one line and the run ends with a triage summary —
bounces per category and receiver, and authentication failures per From
and Return-Path domain with the fix. The re-check runs once per distinct
(receiver, From, MAIL FROM, IP, DKIM) combination, not once per bounce.

Exit 0 when every input was read (notices and messages that are not
bounces are counted in the summary); 2 on a usage error, when a file or a
message could not be read (the run goes on and says which), or when a
single input is not a bounce.`,
		examples: []string{
			"preflight bounce internal/bounce/testdata/postfix-qq-dmarc.eml",
			"preflight bounce --zone testdata/demo/demo.zone internal/cli/testdata/bounce/triage.mbox",
			"preflight bounce --format json ~/Maildir/.Bounces > triage.jsonl",
			"grep status=bounced /var/log/mail.log | preflight bounce -",
			"echo '550 Mailbox not found.' | preflight bounce --format json -",
			"preflight bounce --format markdown bounce.eml > ticket.md",
		},
		formats: []string{"text", "json", "markdown", "junit", "github", "html"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			jobs := fs.Int("jobs", runtime.GOMAXPROCS(0), "messages of a mailbox parsed at once (output stays in input order)")
			return func(ctx context.Context, e *env, args []string) error { return runBounce(ctx, e, args, *jobs) }
		},
	}
}

// runBounce reads the inputs one message at a time. One input that is one
// message is explained in full (a notice as its own kind, a non-bounce as
// an error, exit 2); anything more is a mailbox run (bounceJob).
func runBounce(ctx context.Context, e *env, args []string, jobs int) error {
	if len(args) == 0 {
		return usageErrorf("want a FILE, FOLDER or MBOX (or - for stdin), got none")
	}
	stdin := 0
	for _, a := range args {
		if a == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErrorf("- (stdin) given twice")
	}
	if stdin > 0 {
		e.promptPaste(report.PasteBounce) // at a terminal: say what to paste, how to end
	}
	in := newBounceInputs(e.stdin, args)
	defer in.close()
	first, ok := in.next()
	if !ok {
		return inputError(errors.New("no message to read"))
	}
	if jobs < 1 {
		return usageErrorf("--jobs must be at least 1")
	}
	r := newBounceJob(ctx, e)
	r.jobs = jobs
	p := r.parse(first)
	if in.expanded {
		return r.batch(in, p)
	}
	// One argument that is one message: is there another? (An mbox or a
	// folder already said so.)
	second, more := in.next()
	if more {
		return r.batch(in, p, second)
	}
	if e.format == "junit" || e.format == "github" {
		return r.batch(in, p) // the CI formats always carry the summary
	}
	return r.single(p)
}

// bounceError is the one-line error of a single input that is not a
// bounce or could not be read.
func bounceError(source string, err error) error {
	switch {
	case errors.Is(err, bounce.ErrTooLarge):
		return inputError(fmt.Errorf("%s: the input is larger than %d MiB, the limit of a bounce", source, bounce.MaxInput>>20))
	case errors.Is(err, bounce.ErrNotBounce):
		return inputError(fmt.Errorf("%s: %s", source, strings.TrimPrefix(err.Error(), "bounce: ")))
	}
	return inputError(err)
}
