package cli

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"preflight/internal/bounce"
	"preflight/internal/check"
	"preflight/report"
)

// runRecheck re-runs the check pipeline on what an authentication bounce
// carries (issue 7 part 3): the returned message or its headers, the client
// IP QQ printed in its reply (else the Received headers), the MAIL FROM from
// the Return-Path header (else the envelope sender the bounce names), and
// the receiver that bounced it. It returns nil when there is nothing to
// re-check.
func runRecheck(ctx context.Context, e *env, b *bounce.Bounce, d *bounce.Diagnosis) (*report.Recheck, error) {
	if !d.NeedsRecheck() {
		return nil, nil
	}
	if b.Original == nil {
		return &report.Recheck{Status: report.RecheckNotChecked, Note: "the bounce did not return the original message or its headers, so the DNS cannot be re-checked against it; re-run preflight check on the message you sent"}, nil
	}
	msg, err := check.ParseMessage(b.Message(), "returned message")
	if err != nil {
		return &report.Recheck{Status: report.RecheckNotChecked, Note: "the returned message could not be read: " + strings.TrimPrefix(err.Error(), "check: ")}, nil
	}
	plan := check.Plan{HeadersOnly: b.HeadersOnly}
	if ip, err := netip.ParseAddr(d.ClientIP); err == nil {
		plan.IPs = []netip.Addr{ip}
	}
	if _, ok := check.ReturnPath(msg); !ok && b.EnvelopeSender != "" {
		plan.MailFrom, plan.MailFromSet = b.EnvelopeSender, true
	}
	name := d.Receiver
	if _, err := check.LookupProfile(name); err != nil || name == "" {
		name = "qq"
	}
	profile, _ := check.LookupProfile(name)
	r, err := e.resolver()
	if err != nil {
		return nil, err
	}
	rep := check.Check(ctx, check.Config{Resolver: r, Now: func() time.Time { return e.now }, Receiver: profile}, msg, plan)
	rep.Message.Path = "returned message"
	if len(plan.IPs) > 0 {
		rep.Assumptions = append(rep.Assumptions, fmt.Sprintf("Sending IP %s taken from the receiver's reply", d.ClientIP))
	}
	if plan.MailFromSet {
		rep.Assumptions = append(rep.Assumptions, fmt.Sprintf("MAIL FROM %s taken from the bounce (%s)", b.EnvelopeSender, b.EnvelopeSenderSource))
	}
	rc := &report.Recheck{Report: rep}
	switch {
	case rep.Verdict.Reject && sameReason(d.Reason, rep.Verdict.SMTPReply):
		rc.Status = report.RecheckStillFails
		rc.Note = "With today's DNS the message would still be rejected: " + rep.Verdict.SMTPReply
	case rep.Verdict.Reject:
		rc.Status = report.RecheckStillFails
		rc.Note = fmt.Sprintf("The cause of the bounce (%s) is gone with today's DNS (SPF %s, DMARC %s), but the message would now be rejected for another reason: %s",
			d.Reason, orDash(rep.SPF.Result), rep.DMARC.Result, rep.Verdict.SMTPReply)
	case rep.Verdict.Disposition == "defer" || rep.Verdict.Disposition == "unknown":
		rc.Status = report.RecheckNotChecked
		rc.Note = "The re-check could not decide: " + rep.Verdict.Summary
	default:
		rc.Status = report.RecheckNowPasses
		rc.Note = fmt.Sprintf("With today's DNS the message would pass (%s, DMARC %s). If nothing was changed since the bounce, DNS may have been fixed meanwhile — or the bounce came from a path this check cannot see (a different IP, a forwarder, a modified body).", report.ReceiverName(name), rep.DMARC.Result)
	}
	if b.HeadersOnly {
		rc.Note += " Only the headers came back, so DKIM body hashes could not be checked."
	}
	return rc, nil
}

// sameReason reports whether a predicted SMTP reply gives the bounce's
// reason ("DMARC check failed" in "550 DMARC check failed. http://…").
func sameReason(reason, reply string) bool {
	return reason != "" && strings.Contains(strings.ToLower(reply), strings.ToLower(reason))
}
