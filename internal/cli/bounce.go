package cli

import (
	"context"
	"encoding/json"
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
		formats: []string{"text", "json", "markdown"},
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
	rcs := make([]*check.RecheckResult, len(a.Diagnoses))
	cfg := check.RecheckConfig{Resolver: e.resolver, Now: func() time.Time { return e.now }}
	for i := range a.Diagnoses {
		d := &a.Diagnoses[i]
		rc, err := check.Recheck(ctx, cfg, a.Bounce, d)
		if err != nil {
			return err
		}
		if rc != nil {
			rcs[i] = rc
			rc.Apply(d)
		}
	}
	switch e.format {
	case "json":
		return writeBounceJSON(e.stdout, a)
	case "markdown":
		return writeBounceMarkdown(e.stdout, a, rcs, e.verbose)
	}
	return writeBounceText(e, a, rcs)
}

// writeBounceJSON writes one object per recipient (JSON Lines), URLs left
// readable (no HTML escaping of &).
func writeBounceJSON(w io.Writer, a *bounce.Analysis) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range a.Diagnoses {
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return nil
}

func writeBounceText(e *env, a *bounce.Analysis, rcs []*check.RecheckResult) error {
	w := e.stdout
	b := a.Bounce
	if e.quiet {
		for _, d := range a.Diagnoses {
			retry := "no retry"
			if d.Retry {
				retry = "retry can help"
			}
			if d.Recheck != "" {
				retry += "; re-check: " + strings.ReplaceAll(d.Recheck, "-", " ")
			}
			fmt.Fprintf(w, "%s: %s %s (%s, %s)\n", report.Safe(orDash(d.Recipient)), orUnknown(d.Receiver),
				report.Safe(strings.TrimSpace(d.Code+" "+d.Reason)), d.Category, retry)
		}
		return nil
	}
	fmt.Fprintf(w, "%s, %d recipient(s)\n", describeBounce(b), len(a.Diagnoses))
	width := termWidth(w)
	if e.verbose {
		if b.ArrivalDate != "" {
			field(w, width, "arrived", report.Safe(b.ArrivalDate))
		}
		if b.EnvelopeSender != "" {
			field(w, width, "sender", report.Safe(b.EnvelopeSender)+" (from "+b.EnvelopeSenderSource+")")
		}
	}
	for i, d := range a.Diagnoses {
		fmt.Fprintln(w)
		who := d.ReceiverName
		if who == "" {
			who = "unknown receiver"
		}
		fmt.Fprintf(w, "%s — %s: %s\n", report.Safe(orDash(d.Recipient)), who, report.Safe(strings.TrimSpace(d.Code+" "+d.Reason)))
		retry := "retrying will not help"
		if d.Retry {
			retry = "a retry can help"
		}
		field(w, width, "category", fmt.Sprintf("%s · %s · confidence %s", d.Category, retry, d.Confidence))
		field(w, width, "reply", report.Safe(d.Reply))
		if d.RemoteMTA != "" || d.Stage != "" {
			remote := report.Safe(orDash(d.RemoteMTA))
			if d.Stage != "" {
				remote += " (in reply to " + report.Safe(d.Stage) + ")"
			}
			field(w, width, "remote", remote)
		}
		if d.ClientIP != "" {
			field(w, width, "client IP", d.ClientIP+" (as the receiver saw the sender)")
		}
		field(w, width, "meaning", d.Meaning)
		field(w, width, "action", d.Action)
		if d.HelpURL != "" {
			field(w, width, "help", report.Safe(d.HelpURL))
		}
		switch d.Returned {
		case "message":
			field(w, width, "returned", "the original message")
		case "headers":
			if d.NeedsRecheck() {
				field(w, width, "returned", "the original headers only (a DKIM body hash cannot be checked)")
			} else {
				field(w, width, "returned", "the original headers only")
			}
		}
		for _, n := range d.Notes {
			field(w, width, "note", report.Safe(n))
		}
		if e.verbose {
			if d.ReceiverEvidence != "" {
				field(w, width, "receiver", "recognised from the "+report.Safe(d.ReceiverEvidence))
			}
			if d.Rule != "" {
				field(w, width, "rule", d.Rule+" — "+d.Provenance)
			}
			if d.DSNStatus != "" {
				field(w, width, "status", report.Safe(d.DSNStatus))
			}
		}
		if rcs[i] != nil {
			writeRecheckText(e, rcs[i])
		}
	}
	return nil
}

// describeBounce names what the input was.
func describeBounce(b *bounce.Bounce) string {
	var s string
	switch b.Kind {
	case bounce.KindDSN:
		s = "Delivery status notification"
	case bounce.KindMessage:
		s = "Bounce message (no delivery-status part)"
	case bounce.KindLog:
		s = "MTA log"
	case bounce.KindFields:
		s = "Delivery-status fields"
	case bounce.KindJSON:
		s = "ESP bounce event (JSON)"
	default:
		s = "SMTP reply"
	}
	if b.ReportingMTA != "" {
		s += " from " + report.Safe(b.ReportingMTA)
	}
	return s
}

// field writes "  label:  text", wrapping text to width under itself.
func field(w io.Writer, width int, label, text string) {
	const indent = 13
	prefix := fmt.Sprintf("  %-*s", indent-2, label+":")
	lines := wrapWords(text, max(20, width-indent))
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintf(w, "%s%s\n", prefix, l)
		} else {
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), l)
		}
	}
}

// wrapWords splits text into lines of at most width runes, breaking at
// spaces; a longer word (a URL) gets a line of its own.
func wrapWords(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		wl := len([]rune(word))
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

func writeBounceMarkdown(w io.Writer, a *bounce.Analysis, rcs []*check.RecheckResult, verbose bool) error {
	b := a.Bounce
	fmt.Fprintf(w, "# Bounce diagnosis\n\n%s, %d recipient(s).\n", describeBounce(b), len(a.Diagnoses))
	if b.ArrivalDate != "" || b.EnvelopeSender != "" {
		fmt.Fprintln(w)
		if b.ArrivalDate != "" {
			fmt.Fprintf(w, "- Arrival date: %s\n", mdText(b.ArrivalDate))
		}
		if b.EnvelopeSender != "" {
			fmt.Fprintf(w, "- Envelope sender: %s (from %s)\n", mdCode(b.EnvelopeSender), mdText(b.EnvelopeSenderSource))
		}
	}
	for i, d := range a.Diagnoses {
		fmt.Fprintf(w, "\n## %s: %s\n\n", mdText(orDash(d.Recipient)), mdText(d.Reason))
		fmt.Fprintf(w, "| | |\n|---|---|\n")
		row := func(k, v string) {
			if v != "" {
				fmt.Fprintf(w, "| %s | %s |\n", k, v)
			}
		}
		receiver := d.ReceiverName
		if receiver == "" {
			receiver = "unknown"
		}
		row("Receiver", mdText(receiver))
		row("Reply", mdCode(d.Reply))
		row("Code", mdCode(strings.TrimSpace(d.Code+" "+d.Enhanced)))
		row("Category", string(d.Category))
		row("Retry helps", yesNo(d.Retry))
		row("Confidence", string(d.Confidence))
		row("Remote MTA", mdCode(d.RemoteMTA))
		row("Client IP", mdCode(d.ClientIP))
		if d.HelpURL != "" {
			row("Help", "<"+mdText(d.HelpURL)+">")
		}
		row("Returned", d.Returned)
		fmt.Fprintf(w, "\n**What it means.** %s\n\n**What to do.** %s\n", mdText(d.Meaning), mdText(d.Action))
		if len(d.Notes) > 0 {
			fmt.Fprintln(w)
			for _, n := range d.Notes {
				fmt.Fprintf(w, "- %s\n", mdText(n))
			}
		}
		if verbose && d.Rule != "" {
			fmt.Fprintf(w, "\nRule `%s` (%s).\n", d.Rule, mdText(d.Provenance))
		}
		if rcs[i] != nil {
			if err := writeRecheckMarkdown(w, rcs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// mdText makes untrusted text safe in a Markdown table cell or paragraph.
func mdText(s string) string {
	s = report.Safe(s)
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ")
	return r.Replace(s)
}

// mdCode renders s as inline code, choosing a fence longer than any run of
// backticks inside it.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(report.Safe(s), "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
