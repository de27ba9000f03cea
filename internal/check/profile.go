package check

import (
	"fmt"
	"net/netip"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/internal/receiver"
	"preflight/report"
	"preflight/spf"
)

// Profile is the receiver whose answer is predicted (package receiver).
type Profile = receiver.Profile

// ProfileNames lists the receiver profiles.
func ProfileNames() []string { return receiver.Names() }

// LookupProfile returns the named receiver profile.
func LookupProfile(name string) (*Profile, error) {
	p, err := receiver.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("unknown receiver %q (use %s)", name, strings.Join(receiver.Names(), ", "))
	}
	return p, nil
}

// countsDKIM says whether the receiver counts a passing signature, and why
// not when it does not.
func countsDKIM(p *Profile, s dkim.Result) (bool, string) {
	if s.Result != dkim.StatusPass {
		return false, ""
	}
	res, rule := p.JudgeDKIM(s)
	if res == dkim.StatusPass {
		return true, ""
	}
	why := "the receiver does not count it"
	if rule != nil {
		why = fmt.Sprintf("%s [%s, %s confidence]", rule.Text, rule.Provenance, rule.Confidence)
	}
	return false, why
}

// predict asks the receiver profile for its answer. ev is the plain DMARC
// evaluation (nil when DMARC could not be evaluated); the profile evaluates
// again with its own DKIM judgement, and that evaluation is returned for the
// explanation and the fixes.
func (c *run) predict(ev *dmarc.Evaluation, sigs []dkim.Result) *dmarc.Evaluation {
	p := c.cfg.Receiver
	v := &c.rep.Verdict
	v.Receiver, v.ReceiverName = p.Name, p.DisplayName()
	if ev == nil {
		v.Disposition, v.Confidence = "unknown", "low"
		v.Summary = "DMARC could not be evaluated (no usable From domain)"
		return nil
	}
	judged, rules := p.DKIMView(sigs)
	rev := *ev
	if len(rules) > 0 {
		din := ev.Input
		din.DKIM = judged
		rev = dmarc.Evaluate(din)
	}
	ip, _ := netip.ParseAddr(c.worstIP())
	in := receiver.Input{DMARC: rev, DKIMRules: rules, SPF: receiver.SPF{Result: spf.Status(c.rep.SPF.Result), Domain: c.spfID,
		HELO: c.rep.SPF.Identity == "helo", IP: ip, Assumed: c.rep.SPF.Assumed}}
	pv := receiver.Predict(p, in)
	v.Disposition, v.Reject, v.SMTPReply = string(pv.Disposition), pv.Reject, pv.SMTPReply
	v.Confidence, v.Summary = pv.Confidence.Coarse(), pv.Summary
	if pv.Probability > 0 && pv.Probability < 1 {
		v.Probability = pv.Probability
	}
	for _, path := range pv.Paths {
		v.Paths = append(v.Paths, report.Path{Name: path.Name, Disposition: string(path.Disposition), SMTPReply: path.SMTPReply,
			Confidence: string(path.Confidence), Probability: path.Probability})
	}
	seen := map[string]bool{}
	for _, r := range pv.Rules {
		if r.ID == "" || seen[r.ID+r.Text] {
			continue
		}
		seen[r.ID+r.Text] = true
		v.Rules = append(v.Rules, report.Rule{ID: r.ID, Text: r.Text, Provenance: string(r.Provenance), Confidence: string(r.Confidence), Source: r.Source})
		if r.Provenance == receiver.Inferred {
			c.assume(fmt.Sprintf("Receiver rule inferred, not documented (%s confidence): %s", r.Confidence, r.Text))
		}
	}
	if rev.Result != ev.Result {
		c.find(finding("receiver.dkim-not-counted", fmt.Sprintf("By the RFCs DMARC gives %s, but %s does not count every passing DKIM signature (see the DKIM lines), so for it DMARC gives %s.",
			ev.Result, p.DisplayName(), rev.Result),
			"Sign with a 2048-bit RSA key whose record has no t=y flag."))
	}
	if pv.Disposition == receiver.DispositionQuarantine {
		c.find(finding("receiver.quarantine", pv.Summary, ""))
	}
	if v.Probability > 0 {
		c.find(finding("receiver.pct-probability", fmt.Sprintf("pct=%d: the policy applies to a sample of failing mail, so the outcome is probabilistic (%.0f%% %s).", ev.Percent, v.Probability*100, v.Disposition), ""))
	}
	return &rev
}

// worstIP is the sending IP whose SPF result decided.
func (c *run) worstIP() string {
	for _, p := range c.rep.SPF.PerIP {
		if p.Result == c.rep.SPF.Result {
			return p.IP
		}
	}
	if len(c.rep.Envelope.IPs) > 0 {
		return c.rep.Envelope.IPs[0]
	}
	return ""
}
