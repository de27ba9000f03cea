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
	rcs := make([]*report.Recheck, len(a.Diagnoses))
	cfg := check.RecheckConfig{Resolver: e.resolver, Now: func() time.Time { return e.now }}
	for i := range a.Diagnoses {
		rc, err := check.Recheck(ctx, cfg, a.Bounce, &a.Diagnoses[i])
		if err != nil {
			return err
		}
		rcs[i] = rc.Report()
	}
	return report.WriteBounce(e.stdout, bounceReport(a, rcs), e.options())
}

// bounceReport converts an analysis and its re-checks (nil where there was
// none) into the report model the renderers take.
func bounceReport(a *bounce.Analysis, rcs []*report.Recheck) *report.Bounce {
	b := a.Bounce
	out := &report.Bounce{
		Kind:                 string(b.Kind),
		ReportingMTA:         b.ReportingMTA,
		ArrivalDate:          b.ArrivalDate,
		EnvelopeSender:       b.EnvelopeSender,
		EnvelopeSenderSource: b.EnvelopeSenderSource,
		Diagnoses:            make([]report.BounceDiagnosis, len(a.Diagnoses)),
	}
	for i, d := range a.Diagnoses {
		out.Diagnoses[i] = report.BounceDiagnosis{
			Receiver: d.Receiver, Code: d.Code, Enhanced: d.Enhanced, Reason: d.Reason,
			Category: string(d.Category), Retry: d.Retry, Meaning: d.Meaning, Action: d.Action,
			HelpURL: d.HelpURL, Recipient: d.Recipient, Recheck: rcs[i],
			ReceiverName: d.ReceiverName, ReceiverEvidence: d.ReceiverEvidence,
			Confidence: string(d.Confidence), Recognised: d.Recognised, Rule: d.Rule, Provenance: d.Provenance,
			Reply: d.Reply, RemoteMTA: d.RemoteMTA, ClientIP: d.ClientIP, Stage: d.Stage,
			DSNStatus: d.DSNStatus, DSNAction: d.DSNAction, OriginalRecipient: d.OriginalRecipient,
			Returned: d.Returned, Notes: d.Notes,
		}
	}
	return out
}
