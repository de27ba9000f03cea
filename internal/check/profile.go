package check

import (
	"fmt"
	"strings"

	"preflight/internal/receiver"
	"preflight/report"
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

// predict asks the receiver profile for its answer over the receiver's
// view of DMARC (nil when DMARC could not be evaluated), and notes what the
// answer depends on: inferred rules, DKIM passes the receiver does not
// count, quarantine and pct= sampling.
func (c *run) predict() {
	r, p, d := c.res, c.res.Receiver, &c.res.DMARC
	if d.Evaluation == nil {
		r.Verdict = receiver.Verdict{Receiver: p.Name, Disposition: receiver.DispositionUnknown, Confidence: receiver.Low,
			Summary: "DMARC could not be evaluated (no usable From domain)"}
		return
	}
	s := r.SPF
	v := receiver.Predict(p, receiver.Input{DMARC: *d.ReceiverView, DKIMRules: d.DKIMRules,
		SPF: receiver.SPF{Result: s.Status, Domain: s.Domain, HELO: s.HELO, IP: s.IP, Assumed: s.Assumed}})
	// A rule may apply twice (two short keys): list it once.
	seen := map[string]bool{}
	rules := v.Rules[:0:0]
	for _, rule := range v.Rules {
		if rule.ID == "" || seen[rule.ID+rule.Text] {
			continue
		}
		seen[rule.ID+rule.Text] = true
		rules = append(rules, rule)
		if rule.Provenance == receiver.Inferred {
			c.assume(fmt.Sprintf("Receiver rule inferred, not documented (%s confidence): %s", rule.Confidence, rule.Text))
		}
	}
	v.Rules = rules
	r.Verdict = v
	if d.ReceiverView.Result != d.Evaluation.Result {
		c.find(finding("receiver.dkim-not-counted", fmt.Sprintf("By the RFCs DMARC gives %s, but %s does not count every passing DKIM signature (see the DKIM lines), so for it DMARC gives %s.",
			d.Evaluation.Result, p.DisplayName(), d.ReceiverView.Result),
			"Sign with a 2048-bit RSA key whose record has no t=y flag."))
	}
	if v.Disposition == receiver.DispositionQuarantine {
		c.find(finding("receiver.quarantine", v.Summary, ""))
	}
	if v.Probability > 0 && v.Probability < 1 {
		c.find(finding("receiver.pct-probability", fmt.Sprintf("pct=%d: the policy applies to a sample of failing mail, so the outcome is probabilistic (%.0f%% %s).", d.Evaluation.Percent, v.Probability*100, v.Disposition), ""))
	}
}

// ReceiverList is the report of `preflight receivers`: the named profiles
// (every profile when names is empty) with all their rules and sources.
func ReceiverList(names []string) (*report.ReceiverList, error) {
	profiles := receiver.Profiles()
	if len(names) > 0 {
		profiles = nil
		for _, n := range names {
			p, err := LookupProfile(n)
			if err != nil {
				return nil, err
			}
			profiles = append(profiles, p)
		}
	}
	l := &report.ReceiverList{Schema: report.ReceiversSchema, Receivers: []report.ReceiverProfile{}}
	for _, p := range profiles {
		reg, _ := receiver.ByID(p.Name)
		rp := report.ReceiverProfile{ID: p.Name, Name: p.DisplayName(), Hosted: reg.Hosted,
			Mailboxes: append([]string{}, reg.Mailboxes...), MXSuffixes: append([]string{}, reg.MXSuffixes...),
			About: p.About, Discovery: string(p.DMARC.Method), Bulk: p.Bulk != nil, Rules: []report.ReceiverRule{}}
		if rp.Discovery == "" {
			rp.Discovery = "rfc7489"
		}
		rp.Documented, rp.ThirdParty, rp.Inferred = p.Count()
		for _, r := range p.Rules() {
			rp.Rules = append(rp.Rules, report.ReceiverRule{Case: r.Case, Disposition: r.Disposition, Reply: r.Reply,
				Rule: report.Rule{ID: r.Rule.ID, Text: r.Rule.Text, Provenance: string(r.Rule.Provenance),
					Confidence: string(r.Rule.Confidence), Source: r.Rule.Source, Date: r.Rule.Date}})
		}
		l.Receivers = append(l.Receivers, rp)
	}
	return l, nil
}
