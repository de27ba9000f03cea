package check

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"preflight/dns"
	"preflight/internal/bounce"
	"preflight/internal/receiver"
	"preflight/report"
)

// RecheckStatus is what re-checking a bounce found: the words of the bounce
// JSON contract's "recheck" field.
type RecheckStatus string

// The re-check outcomes, in the report's words.
const (
	RecheckStillFails RecheckStatus = report.RecheckStillFails // today's DNS still gets the message rejected
	RecheckNowPasses  RecheckStatus = report.RecheckNowPasses  // today's DNS lets it through
	RecheckNotChecked RecheckStatus = report.RecheckNotChecked // nothing to check against, or no verdict
)

// RecheckResult is the outcome of Recheck.
type RecheckResult struct {
	Status RecheckStatus
	// Note says the outcome in words, for the diagnosis.
	Note string
	// Check is the check of the returned message; nil when none could run.
	Check *Result
}

// RecheckConfig is what a re-check needs from its caller. The receiver is
// not part of it: the bounce names the receiver.
type RecheckConfig struct {
	// Resolver returns the resolver to check with. It is called only when
	// there is a message to check, so a bounce that needs no DNS (not
	// about authentication, or without the original) needs no resolver.
	Resolver func() (dns.Resolver, error)
	Now      func() time.Time
}

// Recheck re-runs the check pipeline on what an authentication bounce
// carries: the returned message or its headers (Bounce.Original), the
// client IP the receiver printed in its reply (else the Received headers),
// the MAIL FROM of the Return-Path header (else the envelope sender the
// bounce names), and the profile of the receiver that bounced it (QQ when
// preflight has none for it). It returns nil when the bounce is not about
// authentication (Diagnosis.NeedsRecheck), and an error only when the
// resolver cannot be had. It does not change the diagnosis; Report gives
// what the bounce renderers show.
func Recheck(ctx context.Context, cfg RecheckConfig, b *bounce.Bounce, d *bounce.Diagnosis) (*RecheckResult, error) {
	if !d.NeedsRecheck() {
		return nil, nil
	}
	if b.Original == nil {
		return &RecheckResult{Status: RecheckNotChecked, Note: "the bounce did not return the original message or its headers, so the DNS cannot be re-checked against it; re-run preflight check on the message you sent"}, nil
	}
	msg, err := ParseMessage(b.Message(), "returned message")
	if err != nil {
		return &RecheckResult{Status: RecheckNotChecked, Note: "the returned message could not be read: " + strings.TrimPrefix(err.Error(), "check: ")}, nil
	}
	plan := Plan{HeadersOnly: b.HeadersOnly}
	if ip, err := netip.ParseAddr(d.ClientIP); err == nil {
		plan.IPs = []netip.Addr{ip}
		plan.Assumptions = append(plan.Assumptions, fmt.Sprintf("Sending IP %s taken from the receiver's reply", d.ClientIP))
	}
	if _, ok := ReturnPath(msg); !ok && b.EnvelopeSender != "" {
		plan.MailFrom, plan.MailFromSet = b.EnvelopeSender, true
		plan.Assumptions = append(plan.Assumptions, fmt.Sprintf("MAIL FROM %s taken from the bounce (%s)", b.EnvelopeSender, b.EnvelopeSenderSource))
	}
	profile := receiver.QQ
	if p, err := receiver.Lookup(d.Receiver); err == nil && d.Receiver != "" {
		profile = p
	}
	r, err := cfg.Resolver()
	if err != nil {
		return nil, err
	}
	res := Check(ctx, Config{Resolver: r, Now: cfg.Now, Receiver: profile}, msg, plan)
	rc := &RecheckResult{Check: res}
	v := res.Verdict
	switch {
	case v.Reject && sameReason(d.Reason, v.SMTPReply):
		rc.Status = RecheckStillFails
		rc.Note = "With today's DNS the message would still be rejected: " + v.SMTPReply
	case v.Reject:
		rc.Status = RecheckStillFails
		rc.Note = fmt.Sprintf("The cause of the bounce (%s) is gone with today's DNS (SPF %s, DMARC %s), but the message would now be rejected for another reason: %s",
			d.Reason, orDash(string(res.SPF.Status)), res.DMARC.Result, v.SMTPReply)
	case v.Disposition == receiver.DispositionDefer || v.Disposition == receiver.DispositionUnknown:
		rc.Status = RecheckNotChecked
		rc.Note = "The re-check could not decide: " + v.Summary
	default:
		rc.Status = RecheckNowPasses
		rc.Note = fmt.Sprintf("With today's DNS the message would pass (%s, DMARC %s). If nothing was changed since the bounce, DNS may have been fixed meanwhile — or the bounce came from a path this check cannot see (a different IP, a forwarder, a modified body).", profile.DisplayName(), res.DMARC.Result)
	}
	if b.HeadersOnly {
		rc.Note += " Only the headers came back, so DKIM body hashes could not be checked."
	}
	return rc, nil
}

// Report converts the re-check to the report model (the check, recheck and
// recheck_note fields of the bounce JSON contract); nil for no re-check.
func (rc *RecheckResult) Report() *report.Recheck {
	if rc == nil {
		return nil
	}
	out := &report.Recheck{Status: string(rc.Status), Note: rc.Note}
	if rc.Check != nil {
		out.Report = rc.Check.Report
	}
	return out
}

// sameReason reports whether a predicted SMTP reply gives the bounce's
// reason ("DMARC check failed" in "550 DMARC check failed. http://…").
func sameReason(reason, reply string) bool {
	return reason != "" && strings.Contains(strings.ToLower(reply), strings.ToLower(reason))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
