package check

import (
	"fmt"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/report"
	"preflight/spf"
)

// spfRank orders SPF results from best to worst for DMARC purposes, so that
// with several sending IPs the worst one decides.
var spfRank = map[spf.Status]int{
	spf.StatusPass: 0, spf.StatusTempError: 1, spf.StatusNone: 2, spf.StatusNeutral: 3,
	spf.StatusSoftFail: 4, spf.StatusPermError: 5, spf.StatusFail: 6,
}

// conclude turns the raw results into the report: SPF, DKIM, DMARC, the
// verdict, findings and fixes.
func (c *run) conclude() {
	r := c.rep
	spfIn := c.concludeSPF()
	dkimIn, sigs := c.concludeDKIM()

	if c.author.Domain == "" {
		r.DMARC.Result = "none"
		r.DMARC.Explanation = "DMARC cannot be evaluated: the message has no usable From domain"
		c.predict(nil, sigs)
		return
	}
	if c.discErr != nil {
		r.DMARC.Result, r.DMARC.Error = "permerror", c.discErr.Error()
		c.predict(nil, sigs)
		return
	}
	// The plain evaluation (RFC semantics, the receiver's discovery) is
	// what dmarc.result reports; the receiver's own view (which may not
	// count some DKIM passes) drives the verdict and the fixes.
	ev := dmarc.Evaluate(dmarc.Input{Discovery: c.disc, SPF: spfIn, DKIM: dkimIn, Options: c.cfg.Receiver.DMARC})
	c.reportDMARC(&ev)
	for i := range r.DKIM {
		if i < len(ev.DKIM) {
			r.DKIM[i].Aligned, r.DKIM[i].Alignment = ev.DKIM[i].Aligned, ev.DKIM[i].Explanation
		}
	}
	r.SPF.Aligned = ev.SPF.Aligned
	if c.spfID != "" {
		r.SPF.Alignment = ev.SPF.Explanation
	}
	rev := c.predict(&ev, sigs)
	c.findingsAndFixes(rev)
}

// concludeSPF fills r.SPF and returns DMARC's SPF input.
func (c *run) concludeSPF() dmarc.SPFInput {
	r := c.rep
	r.SPF.Domain = c.spfID
	if c.spfID == "" {
		r.SPF.Result = ""
		r.SPF.Explanation = "the MAIL FROM (Return-Path) domain is unknown"
		return dmarc.SPFInput{}
	}
	if c.mailFrom != "" {
		r.SPF.Identity = "mailfrom"
	} else {
		r.SPF.Identity = "helo"
	}
	if c.spfAnalyze != nil {
		return c.concludeSPFNoIP()
	}
	worst := -1
	for i, res := range c.spfResults {
		pi := report.SPFIP{IP: c.ips[i].String(), Result: string(res.Status), Mechanism: res.Mechanism,
			Explanation: res.Explanation, Lookups: res.Lookups, VoidLookups: res.VoidLookups}
		if res.Err != nil {
			pi.Error = res.Err.Error()
		}
		r.SPF.PerIP = append(r.SPF.PerIP, pi)
		if worst < 0 || spfRank[res.Status] > spfRank[c.spfResults[worst].Status] {
			worst = i
		}
	}
	w := c.spfResults[worst]
	r.SPF.Result, r.SPF.Mechanism, r.SPF.Explanation = string(w.Status), w.Mechanism, w.Explanation
	r.SPF.Lookups, r.SPF.VoidLookups = w.Lookups, w.VoidLookups
	if w.Err != nil {
		r.SPF.Error = w.Err.Error()
	}
	if len(c.spfResults) > 1 {
		c.compareFamilies()
	}
	for _, res := range c.spfResults {
		if res.Lookups >= spf.HeadroomLookups && res.Status != spf.StatusPermError {
			c.find(finding("spf.lookups-headroom", fmt.Sprintf("Evaluating SPF for %s used %d of the 10 DNS lookups RFC 7208 allows; one more include from an ESP and every receiver returns permerror.", res.Domain, res.Lookups),
				"Remove includes you no longer use, or replace a and mx terms with ip4/ip6 ranges."))
			break
		}
	}
	return dmarc.SPFInput{Result: r.SPF.Result, Domain: c.spfID}
}

// concludeSPFNoIP handles the plan case: no sending IP is known, so SPF is
// assumed to pass from the networks the policy authorises, and says so.
func (c *run) concludeSPFNoIP() dmarc.SPFInput {
	r, a := c.rep, c.spfAnalyze
	r.SPF.Lookups, r.SPF.VoidLookups = a.Lookups, a.MaxVoidLookups()
	for _, n := range a.Networks {
		r.SPF.Networks = append(r.SPF.Networks, n.String())
	}
	switch {
	case a.Status == spf.StatusTempError:
		r.SPF.Result, r.SPF.Error = string(spf.StatusTempError), errString(a.Err)
	case a.Status == spf.StatusNone:
		r.SPF.Result = string(spf.StatusNone)
		r.SPF.Explanation = fmt.Sprintf("%s publishes no SPF record, so SPF cannot pass from any IP", c.spfID)
	case a.Status == spf.StatusPermError:
		r.SPF.Result, r.SPF.Error = string(spf.StatusPermError), errString(a.Err)
	case len(a.Networks) == 0 && len(a.Unflattenable) == 0:
		r.SPF.Result = string(spf.StatusFail)
		r.SPF.Explanation = fmt.Sprintf("%s's SPF policy authorises no network at all", c.spfID)
	default:
		r.SPF.Result, r.SPF.Assumed = string(spf.StatusPass), true
		r.SPF.Explanation = fmt.Sprintf("no sending IP given: assumed to pass from a network %s authorises", c.spfID)
		c.assume(fmt.Sprintf("No sending IP (--ip) and no Received header: SPF for %s assumed to pass, as if the ESP sends from one of %s", c.spfID, networksSummary(r.SPF.Networks, a.Unflattenable)))
	}
	for _, w := range a.Warnings {
		c.find(spfWarning(w))
	}
	return dmarc.SPFInput{Result: r.SPF.Result, Domain: c.spfID}
}

func networksSummary(nets, unflat []string) string {
	var parts []string
	switch {
	case len(nets) > 4:
		parts = append(parts, strings.Join(nets[:4], ", ")+fmt.Sprintf(" and %d more networks", len(nets)-4))
	case len(nets) > 0:
		parts = append(parts, strings.Join(nets, ", "))
	}
	if len(unflat) > 0 {
		parts = append(parts, fmt.Sprintf("%d term(s) that cannot be listed", len(unflat)))
	}
	return strings.Join(parts, " plus ")
}

// compareFamilies notes when IPv4 and IPv6 senders get different results.
func (c *run) compareFamilies() {
	var v4, v6 []string
	res4, res6 := map[spf.Status]bool{}, map[spf.Status]bool{}
	for i, res := range c.spfResults {
		if c.ips[i].Unmap().Is4() {
			res4[res.Status] = true
			v4 = append(v4, fmt.Sprintf("%s %s", c.ips[i], res.Status))
		} else {
			res6[res.Status] = true
			v6 = append(v6, fmt.Sprintf("%s %s", c.ips[i], res.Status))
		}
	}
	if len(v4) == 0 || len(v6) == 0 {
		return
	}
	disjoint := true
	for s := range res4 {
		disjoint = disjoint && !res6[s]
	}
	if disjoint {
		c.find(finding("spf.family-differs", fmt.Sprintf("IPv4 and IPv6 senders get different SPF results for %s: %s; %s.", c.spfID, strings.Join(v4, ", "), strings.Join(v6, ", ")),
			fmt.Sprintf("Authorise the ESP's IPv6 pool in %s's SPF record (ip6:…), or make sure the ESP sends to QQ over IPv4 only.", c.spfID)))
	}
}

// concludeDKIM fills r.DKIM and returns DMARC's DKIM input and every
// signature result (verified, simulated, expected).
func (c *run) concludeDKIM() ([]dmarc.DKIMInput, []dkim.Result) {
	r := c.rep
	var all []dkim.Result
	if c.dkimErr != nil {
		c.find(finding("dkim.unreadable", fmt.Sprintf("The message could not be read for DKIM verification: %v", c.dkimErr), "Check that the file is a complete RFC 5322 message."))
	}
	if c.dkimRep != nil {
		all = append(all, c.dkimRep.Signatures...)
		for _, f := range c.dkimRep.Findings {
			c.find(f)
		}
	}
	simulated := -1
	if c.dkimSim != nil {
		simulated = len(all)
		all = append(all, *c.dkimSim)
	}
	all = append(all, c.dkimExpect...)
	var in []dmarc.DKIMInput
	for i, s := range all {
		d := report.DKIM{Domain: string(s.Domain), Selector: s.Selector, Result: string(s.Result), Reason: s.Reason,
			Cause: string(s.Cause), Algorithm: s.Algorithm, KeyBits: s.KeyBits, Assumed: s.Assumed, Simulated: i == simulated, HeadersOnly: s.HeadersOnly}
		d.Counted, d.Note = countsDKIM(c.cfg.Receiver, s)
		r.DKIM = append(r.DKIM, d)
		in = append(in, dmarc.DKIMInput{Domain: string(s.Domain), Selector: s.Selector, Result: string(s.Result)})
		for _, f := range s.Findings {
			c.find(f)
		}
		if s.HeadersOnly && s.Assumed {
			c.assume(fmt.Sprintf("Only the headers came back: DKIM d=%s s=%s verified over its signed header fields and counted as %s; its body hash could not be checked", s.Domain, s.Selector, s.Result))
		} else if s.Assumed {
			c.assume(fmt.Sprintf("DKIM d=%s s=%s is expected to be added by the ESP (--expect-dkim): counted as %s on the strength of its key record alone", s.Domain, s.Selector, s.Result))
		}
	}
	return in, all
}

// reportDMARC copies the evaluation into the report.
func (c *run) reportDMARC(ev *dmarc.Evaluation) {
	d := &c.rep.DMARC
	d.Result, d.Discovery = string(ev.Result), string(ev.Method)
	d.RecordDomain, d.Record, d.OrgDomain = string(ev.Found.RecordDomain), ev.Found.RecordText, string(ev.OrgDomain)
	d.Policy, d.PolicyTag, d.Pct, d.Testing = string(ev.Policy), ev.PolicyTag, ev.Percent, ev.Testing
	if rec := ev.Found.Record; rec != nil {
		d.ADKIM, d.ASPF = string(rec.ADKIM), string(rec.ASPF)
	}
	if ev.Err != nil {
		d.Error = ev.Err.Error()
	}
	d.Explanation = strings.Join(ev.Notes, "; ")
	if c.disc != nil && c.disc.Disagree() {
		other := c.disc.Method(dmarc.MethodTreeWalk)
		if ev.Method == dmarc.MethodTreeWalk {
			other = c.disc.Method(dmarc.MethodPSL)
		}
		v := &report.DMARCView{Discovery: string(other.Method), RecordDomain: string(other.RecordDomain), Record: other.RecordText, OrgDomain: string(other.OrgDomain),
			Status: string(other.Status), OrgDomainUnknown: other.OrgErr != nil}
		if other.Record != nil {
			v.Policy = string(other.Record.Policy)
		}
		d.Alternative = v
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func spfWarning(w spf.Warning) report.Finding {
	f := w.Finding
	if f.Severity == report.SeverityError && f.Fix == "" {
		f.Fix = "Correct the SPF record as described."
	}
	return f
}

// finding builds a catalogued finding.
func finding(id, detail, fix string) report.Finding { return report.NewFinding(id, detail, fix) }
