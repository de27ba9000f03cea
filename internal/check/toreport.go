package check

import (
	"net/netip"
	"sort"
	"strings"

	"preflight/dmarc"
	"preflight/dns"
	"preflight/report"
)

// toReport converts a finished Result to the report model: the JSON
// contract and what every renderer reads. It is the one place the typed
// results become strings, and it runs once, when the check ends.
func toReport(r *Result) *report.Report {
	rep := &report.Report{
		Schema:      report.Schema,
		Message:     report.MessageInfo{Path: r.Path, From: r.Author.Address, FromDomain: r.Author.Domain, Subject: r.Subject, MessageID: r.MessageID},
		DKIM:        []report.DKIM{},
		Findings:    append([]report.Finding{}, r.Findings...),
		Fixes:       append([]report.Fix{}, r.Fixes...),
		Assumptions: append([]string{}, r.Assumptions...),
		Envelope:    reportEnvelope(r.Envelope),
	}
	if r.Err != nil {
		rep.Error = r.Err.Error()
		return rep
	}
	ev := r.DMARC.Evaluation
	rep.SPF = reportSPF(r.SPF, r.Envelope.IPs, ev)
	for i, s := range r.DKIM {
		d := s.DKIM
		rd := report.DKIM{Domain: string(d.Domain), Selector: d.Selector, Result: string(d.Result), Reason: d.Reason,
			Cause: string(d.Cause), Algorithm: d.Algorithm, KeyBits: d.KeyBits, Assumed: d.Assumed, Simulated: d.Simulated,
			HeadersOnly: d.HeadersOnly, Counted: s.Counted, Note: s.NotCounted}
		if ev != nil && i < len(ev.DKIM) {
			rd.Aligned, rd.Alignment = ev.DKIM[i].Aligned, ev.DKIM[i].Explanation
		}
		rep.DKIM = append(rep.DKIM, rd)
	}
	rep.DMARC = reportDMARC(&r.DMARC)
	rep.Verdict = reportVerdict(r)
	rep.Verdicts = reportVerdicts(r)
	report.SortFindings(rep.Findings)
	rep.DNS = reportDNS(r.DNS)
	return rep
}

func reportEnvelope(env Envelope) report.Envelope {
	e := report.Envelope{MailFrom: env.MailFrom, MailFromDomain: env.MailFromDomain, MailFromSource: string(env.MailFromSource),
		IPs: []string{}, IPSource: string(env.IPSource), HELO: env.HELO, Assumed: append([]string{}, env.Assumed...)}
	if env.Null {
		e.MailFrom = "<>"
	}
	for _, ip := range env.IPs {
		e.IPs = append(e.IPs, ip.String())
	}
	return e
}

func reportSPF(s SPFOutcome, ips []netip.Addr, ev *dmarc.Evaluation) report.SPF {
	rs := report.SPF{Domain: s.Domain, Result: string(s.Status), Mechanism: s.Mechanism, Explanation: s.Explanation,
		Error: errString(s.Err), Lookups: s.Lookups, VoidLookups: s.VoidLookups, Assumed: s.Assumed}
	if s.Domain != "" {
		rs.Identity = "mailfrom"
		if s.HELO {
			rs.Identity = "helo"
		}
	}
	for i, res := range s.PerIP {
		rs.PerIP = append(rs.PerIP, report.SPFIP{IP: ips[i].String(), Result: string(res.Status), Mechanism: res.Mechanism,
			Explanation: res.Explanation, Lookups: res.Lookups, VoidLookups: res.VoidLookups, Error: errString(res.Err)})
	}
	if s.Analysis != nil {
		rs.Networks = networks(s.Analysis)
	}
	if ev != nil {
		rs.Aligned = ev.SPF.Aligned
		if s.Domain != "" {
			rs.Alignment = ev.SPF.Explanation
		}
	}
	return rs
}

// reportDMARC writes dmarc.result: the plain evaluation, as RFC 7489 (or
// 9989) has it, whatever the receiver counts.
func reportDMARC(d *DMARCOutcome) report.DMARC {
	ev := d.Evaluation
	if ev == nil {
		return report.DMARC{Result: string(d.Result), Explanation: d.Why, Error: errString(d.Err)}
	}
	rd := report.DMARC{Result: string(ev.Result), Discovery: string(ev.Method),
		RecordDomain: string(ev.Found.RecordDomain), Record: ev.Found.RecordText, OrgDomain: string(ev.OrgDomain),
		Policy: string(ev.Policy), PolicyTag: ev.PolicyTag, Pct: ev.Percent, Testing: ev.Testing,
		Error: errString(ev.Err), Explanation: strings.Join(ev.Notes, "; ")}
	if rec := ev.Found.Record; rec != nil {
		rd.ADKIM, rd.ASPF = string(rec.ADKIM), string(rec.ASPF)
	}
	for _, a := range d.Authors {
		rd.Authors = append(rd.Authors, report.DMARCAuthor{Domain: string(a.From), Result: string(a.Result), Policy: string(a.Policy), RecordDomain: string(a.Found.RecordDomain)})
	}
	if other := d.Alternative(); other != nil {
		v := &report.DMARCView{Discovery: string(other.Method), RecordDomain: string(other.RecordDomain), Record: other.RecordText, OrgDomain: string(other.OrgDomain),
			Status: string(other.Status), OrgDomainUnknown: other.OrgErr != nil}
		if other.Record != nil {
			v.Policy = string(other.Record.Policy)
		}
		rd.Alternative = v
	}
	return rd
}

func reportVerdict(r *Result) report.Verdict {
	if len(r.Receivers) == 0 {
		return report.Verdict{Receiver: r.Verdict.Receiver, Disposition: r.Verdict.Disposition, Confidence: r.Verdict.Confidence.Coarse(), Summary: r.Verdict.Summary}
	}
	return outcomeVerdict(r.Receivers[0])
}

// reportVerdicts lists every receiver's verdict when several were asked
// for; nil otherwise.
func reportVerdicts(r *Result) []report.Verdict {
	if !r.Multi {
		return nil
	}
	out := []report.Verdict{}
	for _, o := range r.Receivers {
		out = append(out, outcomeVerdict(o))
	}
	return out
}

func outcomeVerdict(o ReceiverOutcome) report.Verdict {
	v := o.Verdict
	rv := report.Verdict{Receiver: v.Receiver, Disposition: v.Disposition, Reject: v.Reject, SMTPReply: v.SMTPReply,
		Confidence: v.Confidence.Coarse(), Summary: v.Summary}
	if o.Profile != nil {
		rv.ReceiverName = o.Profile.DisplayName()
	}
	if v.Probability > 0 && v.Probability < 1 {
		rv.Probability = v.Probability
	}
	for _, p := range v.Paths {
		rv.Paths = append(rv.Paths, report.Path{Name: p.Name, Disposition: p.Disposition, SMTPReply: p.SMTPReply,
			Confidence: string(p.Confidence), Probability: p.Probability, Why: p.Why})
	}
	for _, a := range v.Alternatives {
		rv.Alternatives = append(rv.Alternatives, report.Alternative{Disposition: a.Disposition, SMTPReply: a.SMTPReply,
			Confidence: a.Confidence.Coarse(), When: a.When})
	}
	for _, rule := range v.Rules {
		rv.Rules = append(rv.Rules, report.Rule{ID: rule.ID, Text: rule.Text, Provenance: string(rule.Provenance),
			Confidence: string(rule.Confidence), Source: rule.Source, Date: rule.Date})
	}
	return rv
}

// reportDNS summarises the queries and lists them in a stable order: the
// lookups ran concurrently, so the order they finished in is noise.
func reportDNS(qs []dns.Query) report.DNS {
	st := dns.Summarize(qs)
	d := report.DNS{Queries: st.Queries, Lookups: st.Lookups, Failures: st.Failures, ElapsedMS: st.Elapsed.Milliseconds()}
	for _, q := range qs {
		d.Log = append(d.Log, report.Query{Name: q.Name, Type: q.Type.String(), Status: q.Status,
			Rcode: q.Rcode, Answers: q.Answers, Source: q.Source, Cached: q.Cached})
	}
	sort.SliceStable(d.Log, func(i, j int) bool {
		a, b := d.Log[i], d.Log[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Type < b.Type
	})
	return d
}
