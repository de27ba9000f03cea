package check

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/internal/receiver"
)

// ReceiverOutcome is one receiver's reading of a message: the DKIM results
// it counts, the DMARC evaluation over them (shared with every receiver of
// the same dialect that counts the same), and its verdict.
type ReceiverOutcome struct {
	Profile *Profile
	// DKIM holds one entry per signature of Result.DKIM, judged by this
	// receiver.
	DKIM []Signature
	// View is the DMARC evaluation this receiver's verdict follows; nil
	// when DMARC was not evaluated. FirstRecord is the evaluation with the
	// first of several DMARC records, when there are several.
	View        *dmarc.Evaluation
	FirstRecord *dmarc.Evaluation
	DKIMRules   []receiver.Rule
	Verdict     receiver.Verdict
}

// profiles are the receivers a check predicts for: Config.Receivers, else
// Config.Receiver, else QQ.
func (c Config) profiles() []*Profile {
	if len(c.Receivers) > 0 {
		return c.Receivers
	}
	if c.Receiver != nil {
		return []*Profile{c.Receiver}
	}
	return []*Profile{receiver.QQ}
}

// chooseReceivers settles the receivers of this check: with
// Config.AutoReceivers, those serving the message's To and Cc recipients
// (by mailbox domain, in order of first appearance); otherwise, or when no
// recipient is at a known mailbox provider, the configured ones.
func (c *run) chooseReceivers() {
	r := c.res
	r.Multi = len(c.cfg.Receivers) > 1 || c.cfg.AutoReceivers
	fallback := c.cfg.profiles()
	if !c.cfg.AutoReceivers {
		r.setReceivers(fallback)
		return
	}
	var chosen []*Profile
	var unknown []string
	if c.msg != nil {
		for _, d := range recipientDomains(c.msg, 200) {
			known, ok := receiver.ForMailbox(d)
			switch {
			case ok && known.Profile != nil:
				if !slices.Contains(chosen, known.Profile) {
					chosen = append(chosen, known.Profile)
				}
			case !slices.Contains(unknown, d):
				unknown = append(unknown, d)
			}
		}
	}
	names := func(ps []*Profile) string {
		var n []string
		for _, p := range ps {
			n = append(n, p.DisplayName())
		}
		return strings.Join(n, ", ")
	}
	switch {
	case len(chosen) == 0 && c.msg == nil:
		c.assume(fmt.Sprintf("--receiver auto: a plan has no recipients; predicting for %s", names(fallback)))
		chosen = fallback
	case len(chosen) == 0:
		what := "no To or Cc recipient"
		if len(unknown) > 0 {
			what = "no To or Cc recipient at a known mailbox provider (" + clipList(unknown, 5) + ")"
		}
		c.assume(fmt.Sprintf("--receiver auto: %s; predicting for %s", what, names(fallback)))
		chosen = fallback
	default:
		c.assume(fmt.Sprintf("--receiver auto: receivers chosen from the To and Cc recipients: %s", names(chosen)))
		if len(unknown) > 0 {
			c.assume(fmt.Sprintf("--receiver auto: no profile for the recipient domains %s (a company domain may be hosted by any provider)", clipList(unknown, 5)))
		}
	}
	r.setReceivers(chosen)
}

func (r *Result) setReceivers(ps []*Profile) {
	r.Receiver = ps[0]
	r.Receivers = make([]ReceiverOutcome, len(ps))
	for i, p := range ps {
		r.Receivers[i].Profile = p
	}
}

func clipList(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(" and %d more", len(s)-n)
}

// recipientDomains returns the distinct domains of the To and Cc
// addresses, at most max of them. An address list that does not parse is
// read leniently: every word with an "@" counts.
func recipientDomains(m *Message, max int) []string {
	var out []string
	add := func(addr string) {
		at := strings.LastIndexByte(addr, '@')
		if at < 0 {
			return
		}
		d, err := NormalizeDomain(strings.Trim(addr[at+1:], "<>,; \t"))
		if err == nil && !slices.Contains(out, d) && len(out) < max {
			out = append(out, d)
		}
	}
	for _, h := range []string{"To", "Cc"} {
		for _, v := range m.Get(h) {
			list, err := (&mail.AddressParser{WordDecoder: &decoder}).ParseList(v)
			if err != nil {
				for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
					add(w)
				}
				continue
			}
			for _, a := range list {
				add(a.Address)
			}
		}
	}
	return out
}

// evaluateViews evaluates DMARC once per view: the plain evaluation (the
// primary receiver's dialect over every DKIM result as verified), then, for
// each receiver, the evaluation over the DKIM results it counts in its own
// dialect — taken from a receiver that already needed the same one. With
// several DMARC records, each dialect's reading of the first record too.
func (c *run) evaluateViews(in dmarc.Input) {
	r, d := c.res, &c.res.DMARC
	views := map[string]*dmarc.Evaluation{}
	authors := map[string][]*dmarc.Evaluation{}
	// eval evaluates one view: for every author domain of the From field
	// when it has several, combined (RFC 7489 §6.6.1).
	eval := func(in dmarc.Input) *dmarc.Evaluation {
		key := fmt.Sprintf("%+v|%v", in.Options, in.DKIM)
		if ev, ok := views[key]; ok {
			return ev
		}
		ev := dmarc.Evaluate(in)
		each := []*dmarc.Evaluation{&ev}
		for i, od := range c.others {
			if od == nil || c.otherErrs[i] != nil {
				continue
			}
			oin := in
			oin.Discovery = od
			oev := dmarc.Evaluate(oin)
			each = append(each, &oev)
		}
		if len(each) > 1 {
			var evs []dmarc.Evaluation
			for _, e := range each {
				evs = append(evs, *e)
			}
			ev = dmarc.Combine(evs)
		}
		views[key], authors[key] = &ev, each
		return &ev
	}
	in.Options = r.Receiver.DMARC
	d.Evaluation = eval(in)
	d.Result = d.Evaluation.Result
	if each := authors[fmt.Sprintf("%+v|%v", in.Options, in.DKIM)]; len(each) > 1 {
		d.Authors = each
	}
	for i := range r.Receivers {
		o := &r.Receivers[i]
		pin := in
		pin.Options = o.Profile.DMARC
		pin.DKIM = nil
		for j, s := range o.DKIM {
			pin.DKIM = append(pin.DKIM, dmarc.DKIMInput{Domain: in.DKIM[j].Domain, Selector: in.DKIM[j].Selector, Result: string(s.Judged)})
			if s.Rule != nil {
				o.DKIMRules = append(o.DKIMRules, *s.Rule)
			}
		}
		o.View = eval(pin)
		if o.View.Found.Status == dmarc.DiscoveryMultiple {
			first := pin
			first.Options.FirstOfMultiple = true
			o.FirstRecord = eval(first)
		}
	}
	primary := r.Receivers[0]
	d.ReceiverView, d.DKIMRules = primary.View, primary.DKIMRules
}

// judgeAll has every receiver judge every signature; the primary
// receiver's judgement is Result.DKIM's.
func (c *run) judgeAll(all []dkim.Result) {
	r := c.res
	for i := range r.Receivers {
		o := &r.Receivers[i]
		o.DKIM = nil
		for _, s := range all {
			o.DKIM = append(o.DKIM, judge(o.Profile, s))
		}
	}
	r.DKIM = append([]Signature(nil), r.Receivers[0].DKIM...)
}

// predictAll asks each receiver's profile for its answer over its view of
// DMARC (none when DMARC could not be evaluated) and the facts every
// receiver shares, and notes what the primary receiver's answer depends on.
func (c *run) predictAll() {
	r := c.res
	for i := range r.Receivers {
		o := &r.Receivers[i]
		p := o.Profile
		if o.View == nil {
			o.Verdict = receiver.Verdict{Receiver: p.Name, Disposition: receiver.DispositionUnknown, Confidence: receiver.Low,
				Summary: "DMARC could not be evaluated (no usable From domain)"}
			continue
		}
		o.Verdict = receiver.Predict(p, c.predictInput(o))
		// A rule may apply twice (two short keys): list it once.
		seen := map[string]bool{}
		rules := o.Verdict.Rules[:0:0]
		for _, rule := range o.Verdict.Rules {
			if rule.ID == "" || seen[rule.ID+rule.Text] {
				continue
			}
			seen[rule.ID+rule.Text] = true
			rules = append(rules, rule)
		}
		o.Verdict.Rules = rules
	}
	primary := &r.Receivers[0]
	r.Verdict = primary.Verdict
	if primary.View == nil {
		return
	}
	for _, rule := range r.Verdict.Rules {
		if rule.Provenance == receiver.Inferred {
			c.assume(fmt.Sprintf("Receiver rule inferred, not documented (%s confidence): %s", rule.Confidence, rule.Text))
		}
	}
	if len(r.Receivers) > 1 {
		c.assume("The other receivers' rules, each with its provenance and confidence, are listed in the JSON output (verdicts[].rules) and by preflight receivers")
	}
	c.receiverFindings()
}

// predictInput gathers what Predict looks at for one receiver.
func (c *run) predictInput(o *ReceiverOutcome) receiver.Input {
	r, s := c.res, c.res.SPF
	in := receiver.Input{DMARC: *o.View, FirstRecord: o.FirstRecord, DKIMRules: o.DKIMRules,
		SPF:     receiver.SPF{Result: s.Status, Domain: s.Domain, HELO: s.HELO, IP: s.IP, Assumed: s.Assumed},
		Domains: c.domains, Authors: max(r.Author.Count, 1), Bulk: c.bulk}
	for _, sig := range o.DKIM {
		in.DKIMSigned = true
		in.DKIMPass = in.DKIMPass || sig.Judged == dkim.StatusPass
		in.DKIMTempError = in.DKIMTempError || sig.Judged == dkim.StatusTempError
	}
	return in
}

// receiverFindings notes what the verdicts depend on: DKIM passes a
// receiver does not count, the primary receiver's quarantine and pct=
// sampling.
func (c *run) receiverFindings() {
	r, d := c.res, &c.res.DMARC
	var notCounting []string
	for _, o := range r.Receivers {
		if o.View != nil && o.View.Result != d.Evaluation.Result && len(o.DKIMRules) > 0 {
			notCounting = append(notCounting, o.Profile.DisplayName())
		}
	}
	if len(notCounting) > 0 {
		who := strings.Join(notCounting, ", ")
		view := r.Receivers[0].View.Result
		for _, o := range r.Receivers {
			if o.Profile.DisplayName() == notCounting[0] {
				view = o.View.Result
			}
		}
		c.find(finding("receiver.dkim-not-counted", fmt.Sprintf("By the RFCs DMARC gives %s, but %s does not count every passing DKIM signature (see the DKIM lines and the receiver rules), so there DMARC gives %s.",
			d.Evaluation.Result, who, view),
			"Sign with a 2048-bit RSA key (rsa-sha256) whose record has no t=y flag; keep an Ed25519 signature only beside an RSA one."))
	}
	v := r.Verdict
	if v.Disposition == receiver.DispositionQuarantine {
		c.find(finding("receiver.quarantine", v.Summary, ""))
	}
	if v.Probability > 0 && v.Probability < 1 {
		c.find(finding("receiver.pct-probability", fmt.Sprintf("pct=%d: the policy applies to a sample of failing mail, so the outcome is probabilistic (%.0f%% %s).", d.Evaluation.Percent, v.Probability*100, v.Disposition), ""))
	}
}
