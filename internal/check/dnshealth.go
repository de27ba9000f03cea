package check

import (
	"context"
	"errors"
	"fmt"

	"preflight/dns"
	"preflight/internal/receiver"
)

// probeName is a name that exists wherever DNS works: when even its NS
// records are NXDOMAIN, the resolver is lying (a captive portal, a
// filtering or broken resolver), not the domains it was asked about.
const probeName = "com"

// resolverSanity, in live mode (Config.Live), asks for a name that must
// exist when every answer of the check was NXDOMAIN: when that is NXDOMAIN
// too, the resolver answers NXDOMAIN for everything (a captive portal, a
// filtering or broken resolver), so the "domain does not exist" findings
// and verdicts are its lie, not the domains' fault: they give way to one
// finding, and there is no verdict (exit 3).
func (c *run) resolverSanity(ctx context.Context, trace *dns.Trace) {
	if !c.cfg.Live || ctx.Err() != nil || !allNXDOMAIN(trace.Queries()) {
		return
	}
	res, err := c.cfg.Resolver.Lookup(ctx, probeName, dns.TypeNS)
	if err != nil || res.Status != dns.StatusNXDomain {
		return
	}
	r := c.res
	r.DNSBroken = true
	kept := r.Findings[:0]
	for _, f := range r.Findings {
		if f.ID != "message.domain-not-found" && f.ID != "envelope.domain-not-found" {
			kept = append(kept, f)
		}
	}
	r.Findings = kept
	r.Fixes = nil // made for verdicts that rest on the lie
	c.find(finding("dns.resolver-nxdomain",
		fmt.Sprintf("Every name this check asked was NXDOMAIN, and so was %s, which exists wherever DNS works: the resolver answers NXDOMAIN for everything (a captive portal, a filtering or broken resolver). Nothing it said can be trusted.", probeName),
		"Use another DNS resolver (--resolver 1.1.1.1, or your network's), or sign in to the network's portal, then run again."))
	noVerdict(&r.Verdict)
	for i := range r.Receivers {
		noVerdict(&r.Receivers[i].Verdict)
	}
}

// noVerdict makes v "unknown": the DNS it rests on cannot be trusted.
func noVerdict(v *receiver.Verdict) {
	v.Disposition, v.Reject, v.SMTPReply, v.Probability = receiver.DispositionUnknown, false, "", 0
	v.Confidence = receiver.Low
	v.Summary = "no verdict: the DNS resolver answers NXDOMAIN for every name, so nothing it said can be trusted"
	v.Paths = nil
}

// timeouts says which flag to raise when DNS ran out of time: the
// message's --deadline (Config.Deadline) ran out, or questions got no
// answer within the per-query --timeout.
func (c *run) timeouts(ctx context.Context, trace *dns.Trace) {
	if c.cfg.Deadline > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		c.find(finding("dns.deadline",
			fmt.Sprintf("The DNS of this message took longer than --deadline %s: the questions unanswered by then count as temporary failures.", c.cfg.Deadline),
			fmt.Sprintf("Raise --deadline (e.g. --deadline %s), or ask a faster DNS server with --resolver.", 2*c.cfg.Deadline)))
		return
	}
	n := 0
	for _, q := range trace.Queries() {
		if q.Timeout && !q.Cached {
			n++
		}
	}
	if n == 0 {
		return
	}
	within := "the per-query timeout"
	if c.cfg.Timeout > 0 {
		within = "--timeout " + c.cfg.Timeout.String()
	}
	c.find(finding("dns.timeout",
		fmt.Sprintf("%d DNS question(s) got no answer within %s from any server, each asked twice over every server.", n, within),
		"Raise --timeout (e.g. --timeout 5s) if the servers are slow, or ask another server with --resolver; --deadline bounds the whole message."))
}

// allNXDOMAIN reports whether every answer of qs was NXDOMAIN (and there
// was one).
func allNXDOMAIN(qs []dns.Query) bool {
	for _, q := range qs {
		if q.Status != "nxdomain" {
			return false
		}
	}
	return len(qs) > 0
}
