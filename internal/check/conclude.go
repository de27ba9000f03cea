package check

import (
	"context"
	"fmt"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/internal/receiver"
	"preflight/report"
	"preflight/spf"
)

// spfRank orders SPF results from best to worst for DMARC purposes, so that
// with several sending IPs the worst one decides.
var spfRank = map[spf.Status]int{
	spf.StatusPass: 0, spf.StatusTempError: 1, spf.StatusNone: 2, spf.StatusNeutral: 3,
	spf.StatusSoftFail: 4, spf.StatusPermError: 5, spf.StatusFail: 6,
}

// conclude turns the raw results into the typed outcome: SPF, DKIM, DMARC,
// the verdicts, findings and fixes. DMARC is evaluated here and only here,
// once per view (evaluateViews): the plain evaluation over every DKIM
// result as verified, and each receiver's over the results it counts, in
// its dialect, shared between receivers that need the same one.
func (c *run) conclude(ctx context.Context) {
	r := c.res
	spfIn := c.concludeSPF()
	dkimIn := c.concludeDKIM()
	if c.cfg.Bulk {
		c.bulk = &receiver.BulkFacts{FCrDNS: c.fcrdns, FCrDNSDetail: c.fcrNote}
		c.unsubscribeFacts(c.bulk)
	}
	defer c.domainFindings()
	defer c.bulkReport()

	d := &r.DMARC
	d.Discovery = c.disc
	switch {
	case r.Author.Domain == "":
		d.Result, d.Why = dmarc.ResultNone, "DMARC cannot be evaluated: the message has no usable From domain"
		c.predictAll()
		return
	case c.discErr != nil:
		d.Result, d.Err = dmarc.ResultPermError, c.discErr
		c.predictAll()
		return
	}
	c.evaluateViews(dmarc.Input{Discovery: c.disc, SPF: spfIn, DKIM: dkimIn})
	c.predictAll()
	c.findingsAndFixes(ctx, d.ReceiverView)
	c.proveFixes(ctx)
}

// concludeSPF settles the SPF outcome and returns DMARC's SPF input.
func (c *run) concludeSPF() dmarc.SPFInput {
	s, env := &c.res.SPF, &c.res.Envelope
	s.Worst = -1
	if len(env.IPs) > 0 {
		s.IP = env.IPs[0]
	}
	if s.Domain == "" {
		s.Explanation = "the MAIL FROM (Return-Path) domain is unknown"
		return dmarc.SPFInput{}
	}
	if c.spfAnalyze != nil {
		return c.concludeSPFNoIP()
	}
	s.PerIP = c.spfResults
	for i, res := range s.PerIP {
		if s.Worst < 0 || spfRank[res.Status] > spfRank[s.PerIP[s.Worst].Status] {
			s.Worst = i
		}
	}
	w := s.PerIP[s.Worst]
	s.Status, s.Mechanism, s.Explanation, s.Err = w.Status, w.Mechanism, w.Explanation, w.Err
	s.Lookups, s.VoidLookups, s.IP = w.Lookups, w.VoidLookups, env.IPs[s.Worst]
	if len(s.PerIP) > 1 {
		c.compareFamilies()
	}
	for _, res := range s.PerIP {
		if res.Lookups >= spf.HeadroomLookups && res.Status != spf.StatusPermError {
			c.find(finding("spf.lookups-headroom", fmt.Sprintf("Evaluating SPF for %s used %d of the 10 DNS lookups RFC 7208 allows; one more include from an ESP and every receiver returns permerror.", res.Domain, res.Lookups),
				"Remove includes you no longer use, or replace a and mx terms with ip4/ip6 ranges."))
			break
		}
	}
	return dmarc.SPFInput{Result: string(s.Status), Domain: s.Domain}
}

// concludeSPFNoIP handles the plan case: no sending IP is known, so SPF is
// assumed to pass from the networks the policy authorises, and says so.
func (c *run) concludeSPFNoIP() dmarc.SPFInput {
	s, a := &c.res.SPF, c.spfAnalyze
	s.Analysis = a
	s.Lookups, s.VoidLookups = a.Lookups, a.MaxVoidLookups()
	switch {
	case a.Status == spf.StatusTempError:
		s.Status, s.Err = spf.StatusTempError, a.Err
	case a.Status == spf.StatusNone:
		s.Status = spf.StatusNone
		s.Explanation = fmt.Sprintf("%s publishes no SPF record, so SPF cannot pass from any IP", s.Domain)
	case a.Status == spf.StatusPermError:
		s.Status, s.Err = spf.StatusPermError, a.Err
	case len(a.Networks) == 0 && len(a.Unflattenable) == 0:
		s.Status = spf.StatusFail
		s.Explanation = fmt.Sprintf("%s's SPF policy authorises no network at all", s.Domain)
	default:
		s.Status, s.Assumed = spf.StatusPass, true
		s.Explanation = fmt.Sprintf("no sending IP given: assumed to pass from a network %s authorises", s.Domain)
		c.assume(fmt.Sprintf("No sending IP (--ip) and no Received header: SPF for %s assumed to pass, as if the ESP sends from one of %s", s.Domain, networksSummary(networks(a), a.Unflattenable)))
	}
	for _, w := range a.Warnings {
		c.find(spfWarning(w))
	}
	return dmarc.SPFInput{Result: string(s.Status), Domain: s.Domain}
}

// networks lists the networks an SPF policy authorises, as written.
func networks(a *spf.Analysis) []string {
	var out []string
	for _, n := range a.Networks {
		out = append(out, n.String())
	}
	return out
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
	s, ips := &c.res.SPF, c.res.Envelope.IPs
	var v4, v6 []string
	res4, res6 := map[spf.Status]bool{}, map[spf.Status]bool{}
	for i, res := range s.PerIP {
		if ips[i].Unmap().Is4() {
			res4[res.Status] = true
			v4 = append(v4, fmt.Sprintf("%s %s", ips[i], res.Status))
		} else {
			res6[res.Status] = true
			v6 = append(v6, fmt.Sprintf("%s %s", ips[i], res.Status))
		}
	}
	if len(v4) == 0 || len(v6) == 0 {
		return
	}
	disjoint := true
	for st := range res4 {
		disjoint = disjoint && !res6[st]
	}
	if disjoint {
		c.find(finding("spf.family-differs", fmt.Sprintf("IPv4 and IPv6 senders get different SPF results for %s: %s; %s.", s.Domain, strings.Join(v4, ", "), strings.Join(v6, ", ")),
			fmt.Sprintf("Authorise the ESP's IPv6 pool in %s's SPF record (ip6:…), or make sure the ESP sends to QQ over IPv4 only.", s.Domain)))
	}
}

// concludeDKIM collects every signature result (verified, simulated,
// expected), has every receiver judge each (judgeAll), and returns DMARC's
// DKIM input: every result as verified.
func (c *run) concludeDKIM() (verified []dmarc.DKIMInput) {
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
	if c.dkimSim != nil {
		all = append(all, *c.dkimSim)
	}
	all = append(all, c.dkimExpect...)
	c.judgeAll(all)
	for _, s := range all {
		verified = append(verified, dmarc.DKIMInput{Domain: string(s.Domain), Selector: s.Selector, Result: string(s.Result)})
		unrecorded := s.Result == dkim.StatusTempError && c.notRecorded(s.Err)
		for _, f := range s.Findings {
			if unrecorded && f.ID == "dkim.key-temporary" {
				continue // dns.not-recorded says it
			}
			c.find(f)
		}
		if s.HeadersOnly && s.Assumed {
			c.assume(fmt.Sprintf("Only the headers came back: DKIM d=%s s=%s verified over its signed header fields and counted as %s; its body hash could not be checked", s.Domain, s.Selector, s.Result))
		} else if s.Assumed {
			c.assume(fmt.Sprintf("DKIM d=%s s=%s is expected to be added by the ESP (--expect-dkim): counted as %s on the strength of its key record alone", s.Domain, s.Selector, s.Result))
		}
	}
	return verified
}

// judge is the receiver's reading of one signature: the result it counts,
// the rule that changed it, and whether a pass counts (and why not).
func judge(p *Profile, s dkim.Result) Signature {
	sig := Signature{DKIM: s}
	sig.Judged, sig.Rule = p.JudgeDKIM(s)
	if s.Result != dkim.StatusPass {
		return sig
	}
	sig.Counted = sig.Judged == dkim.StatusPass
	if !sig.Counted {
		sig.NotCounted = "the receiver does not count it"
		if sig.Rule != nil {
			sig.NotCounted = fmt.Sprintf("%s [%s, %s confidence]", sig.Rule.Text, sig.Rule.Provenance, sig.Rule.Confidence)
		}
	}
	return sig
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
