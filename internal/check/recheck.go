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
// what the bounce renderers show. When ctx is cancelled, the re-check is
// not checked and its note says it was interrupted.
func Recheck(ctx context.Context, cfg RecheckConfig, b *bounce.Bounce, d *bounce.Diagnosis) (*RecheckResult, error) {
	return newRechecker(cfg, b).recheck(ctx, d)
}

// rechecker re-checks the diagnoses of one bounce, running the check once
// per distinct (returned message, client IP, MAIL FROM, receiver): a DSN
// about 10,000 list members bounced by one server for one message needs one
// check, not 10,000. The returned message and MAIL FROM are the bounce's,
// so within one bounce the key is the client IP and the receiver.
type rechecker struct {
	cfg    RecheckConfig
	b      *bounce.Bounce
	msg    *Message
	msgErr error
	parsed bool
	checks map[recheckKey]*Result
	// shared, when set, holds the checks instead of checks: a mailbox
	// shares them across its bounces (RecheckCache).
	shared *RecheckCache
}

type recheckKey struct {
	ip       netip.Addr
	receiver string
}

func newRechecker(cfg RecheckConfig, b *bounce.Bounce) *rechecker {
	return &rechecker{cfg: cfg, b: b, checks: map[recheckKey]*Result{}}
}

// message parses the returned message once.
func (rk *rechecker) message() (*Message, error) {
	if !rk.parsed {
		rk.msg, rk.msgErr = ParseMessage(rk.b.Message(), "returned message")
		rk.parsed = true
	}
	return rk.msg, rk.msgErr
}

func (rk *rechecker) recheck(ctx context.Context, d *bounce.Diagnosis) (*RecheckResult, error) {
	if !d.NeedsRecheck() {
		return nil, nil
	}
	b := rk.b
	if b.Original == nil {
		return &RecheckResult{Status: RecheckNotChecked, Note: "the bounce did not return the original message or its headers, so the DNS cannot be re-checked against it; re-run preflight check on the message you sent"}, nil
	}
	msg, err := rk.message()
	if err != nil {
		return &RecheckResult{Status: RecheckNotChecked, Note: "the returned message could not be read: " + strings.TrimPrefix(err.Error(), "check: ")}, nil
	}
	profile := receiver.QQ
	if p, err := receiver.Lookup(d.Receiver); err == nil && d.Receiver != "" {
		profile = p
	}
	key := recheckKey{receiver: profile.Name}
	if ip, err := netip.ParseAddr(d.ClientIP); err == nil {
		key.ip = ip
	}
	var sk recheckCacheKey
	var res *Result
	if rk.shared != nil {
		sk = cacheKey(msg, b, profile, key.ip)
		res = rk.shared.get(sk)
	} else {
		res = rk.checks[key]
	}
	if res == nil {
		if ctx.Err() != nil {
			return interruptedRecheck(), nil
		}
		plan := Plan{HeadersOnly: b.HeadersOnly}
		if key.ip.IsValid() {
			plan.IPs = []netip.Addr{key.ip}
			plan.Assumptions = append(plan.Assumptions, fmt.Sprintf("Sending IP %s taken from the receiver's reply", d.ClientIP))
		}
		if _, ok := ReturnPath(msg); !ok && b.EnvelopeSender != "" {
			plan.MailFrom, plan.MailFromSet = b.EnvelopeSender, true
			plan.Assumptions = append(plan.Assumptions, fmt.Sprintf("MAIL FROM %s taken from the bounce (%s)", b.EnvelopeSender, b.EnvelopeSenderSource))
		}
		r, err := rk.cfg.Resolver()
		if err != nil {
			return nil, err
		}
		res = Check(ctx, Config{Resolver: r, Now: rk.cfg.Now, Receiver: profile}, msg, plan)
		if ctx.Err() != nil {
			// Its lookups may have been cut short: no verdict rather
			// than a wrong one.
			return interruptedRecheck(), nil
		}
		if rk.shared != nil {
			rk.shared.put(sk, res)
		} else {
			rk.checks[key] = res
		}
	}
	return recheckOutcome(res, d, profile, b.HeadersOnly), nil
}

func interruptedRecheck() *RecheckResult {
	return &RecheckResult{Status: RecheckNotChecked, Note: "interrupted before the re-check finished"}
}

// recheckOutcome compares a re-check with one diagnosis: the same check
// may answer several recipients whose replies differ.
func recheckOutcome(res *Result, d *bounce.Diagnosis, profile *receiver.Profile, headersOnly bool) *RecheckResult {
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
	if headersOnly {
		rc.Note += " Only the headers came back, so DKIM body hashes could not be checked."
	}
	return rc
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
