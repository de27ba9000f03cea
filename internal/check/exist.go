package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
)

// probeName is a name that exists wherever DNS works: when even its NS
// records are NXDOMAIN, the resolver is lying (a captive portal, a
// filtering or broken resolver), not the domains it was asked about.
const probeName = "com"

// existence says when the From or MAIL FROM domain does not exist
// (NXDOMAIN): receivers refuse such mail, and "no DMARC record" or "no SPF
// record" would understate it. It asks DNS only when the answers so far
// leave the question open: the From domain's existence is often proven by
// discovery already (a record at _dmarc.<from>, or the np= check), and the
// MAIL FROM domain's by its SPF query.
//
// In live mode (Config.Live), when every answer was NXDOMAIN, it first asks
// for a name that must exist (probeName): when that is NXDOMAIN too, the
// resolver answers NXDOMAIN for everything, the check has no verdict, and
// the finding says so instead of blaming the domains.
func (c *run) existence(ctx context.Context, trace *dns.Trace) {
	if ctx.Err() != nil {
		return
	}
	if c.cfg.Live && allNXDOMAIN(trace.Queries()) && c.resolverLies(ctx) {
		return
	}
	r := c.res
	if from := r.Author.Domain; from != "" && c.fromExists(ctx, from) == dmarc.NotExists {
		c.find(finding("message.from-domain-nxdomain",
			fmt.Sprintf("The From domain %s does not exist (DNS answers NXDOMAIN): receivers refuse mail from a domain that does not exist, whatever its authentication.", from),
			fmt.Sprintf("Send from a domain that exists, or correct the From address (%s).", r.Author.Address)))
	}
	if mf := r.Envelope.MailFromDomain; mf != "" && c.mailFromNXDOMAIN(mf) {
		c.find(finding("envelope.mail-from-nxdomain",
			fmt.Sprintf("The MAIL FROM (Return-Path) domain %s does not exist (DNS answers NXDOMAIN): it has no SPF record, bounces to it cannot be delivered, and receivers refuse mail from it.", mf),
			"Use a Return-Path at a domain that exists and publishes SPF (the ESP's bounce domain, or a custom one the ESP has set up)."))
	}
}

// fromExists tells whether the From domain exists: from discovery when it
// knows (a record or NODATA at _dmarc.<from> proves the name exists, RFC
// 8020; the np= check asked already), else by asking for its A records as
// discovery's own check does. ExistenceUnknown when DNS failed.
func (c *run) fromExists(ctx context.Context, from string) dmarc.Existence {
	d := c.disc
	if d == nil {
		return dmarc.ExistenceUnknown
	}
	if d.FromExists != "" {
		return d.FromExists
	}
	at := "_dmarc." + from
	for _, q := range d.Queries {
		if q.Name == at && q.Type == "TXT" && q.Status != "nxdomain" {
			if q.Status == "answer" || q.Status == "nodata" {
				return dmarc.Exists
			}
			return dmarc.ExistenceUnknown
		}
	}
	res, err := c.cfg.Resolver.Lookup(ctx, from, dns.TypeA)
	switch {
	case err != nil:
		return dmarc.ExistenceUnknown
	case res.Status == dns.StatusNXDomain && len(res.CNAMEs) == 0:
		return dmarc.NotExists
	}
	return dmarc.Exists
}

// mailFromNXDOMAIN tells whether SPF's query for the MAIL FROM domain's
// TXT records was NXDOMAIN.
func (c *run) mailFromNXDOMAIN(mf string) bool {
	for i := range c.spfResults {
		if res := &c.spfResults[i]; strings.EqualFold(string(res.Domain), mf) && res.NXDomain() {
			return true
		}
	}
	return c.spfAnalyze != nil && c.spfAnalyze.NXDomain && strings.EqualFold(c.spfAnalyze.Domain, mf)
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

// resolverLies asks for a name that must exist; when it is NXDOMAIN too,
// it replaces the verdict with "unknown" and says why.
func (c *run) resolverLies(ctx context.Context) bool {
	res, err := c.cfg.Resolver.Lookup(ctx, probeName, dns.TypeNS)
	if err != nil || res.Status != dns.StatusNXDomain {
		return false
	}
	r := c.res
	r.DNSBroken = true
	c.find(finding("dns.resolver-nxdomain",
		fmt.Sprintf("Every name this check asked was NXDOMAIN, and so was %s, which exists wherever DNS works: the resolver answers NXDOMAIN for everything (a captive portal, a filtering or broken resolver). Nothing it said can be trusted.", probeName),
		"Use another DNS resolver (--resolver 1.1.1.1, or your network's), or sign in to the network's portal, then run again."))
	v := &r.Verdict
	v.Disposition, v.Reject, v.SMTPReply, v.Probability = receiver.DispositionUnknown, false, "", 0
	v.Confidence = receiver.Low
	v.Summary = "no verdict: the DNS resolver answers NXDOMAIN for every name, so nothing it said can be trusted"
	v.Paths = nil
	return true
}
