package report

import (
	"fmt"
	"strings"
)

// domainText writes one block per domain: the verdict line first (alone
// with Quiet), then DMARC, SPF, MX, DKIM, BIMI, MTA-STS and TLS-RPT, what
// each receiver would do with a message that fails DMARC, the findings and
// the DNS summary. Records and SMTP replies are never wrapped: they are
// copied whole. Several domains end with a count per status.
type domainText struct {
	t      *textWriter
	n      int
	counts map[string]int
}

func (d *domainText) Add(raw *DomainAudit) error {
	t := d.t
	if d.counts == nil {
		d.counts = map[string]int{}
	}
	d.counts[raw.Status]++
	if d.n > 0 && !t.o.Quiet {
		t.printf("%s\n", strings.Repeat("─", 60))
	}
	d.n++
	a := safeValue(*raw) // every string from DNS is untrusted
	color := ansiGreen
	switch a.Status {
	case DomainFail:
		color = ansiRed
	case DomainWarn, DomainTempError, DomainError:
		color = ansiYellow
	}
	// The verdict line is not wrapped.
	t.printf("%s\n", t.paint(ansiBold+color, DomainVerdictLine(&a)))
	if t.o.Quiet || a.Error != "" {
		return t.err
	}
	t.line(0, 0, "")
	t.domainDMARC(&a)
	if a.Exists != "nxdomain" {
		t.domainSPF(a.SPF)
		t.domainMX(&a)
		t.domainDKIM(&a)
		t.domainTXT("BIMI:", a.BIMI)
		t.domainTXT("MTA-STS:", a.MTASTS)
		t.domainTXT("TLS-RPT:", a.TLSRPT)
	}
	t.domainReceivers(&a)
	t.domainFindings(raw.Findings)
	t.line(0, 0, "")
	t.dnsSummary(a.DNS, "")
	return t.err
}

func (d *domainText) Close() error {
	if d.n < 2 {
		return d.t.err
	}
	t := d.t
	if !t.o.Quiet {
		t.printf("%s\n", strings.Repeat("═", 60))
	}
	c := d.counts
	t.printf("Audited %d domains: %d ok, %d with warnings, %d with problems", d.n, c[DomainOK], c[DomainWarn], c[DomainFail])
	if c[DomainTempError] > 0 {
		t.printf(", %d incomplete (temporary DNS failure)", c[DomainTempError])
	}
	if c[DomainError] > 0 {
		t.printf(", %d not audited (not a domain)", c[DomainError])
	}
	t.printf(".\n")
	return t.err
}

// record writes a record on a line of its own after the 9-column gutter,
// quoted and never wrapped, so it can be copied whole.
func (t *textWriter) record(s string) {
	t.printf("%s%s\n", strings.Repeat(" ", 9), quoted(s))
}

// labelled writes the first line of a block: the label in the gutter.
func (t *textWriter) labelled(label, s string) {
	t.line(0, 9, fmt.Sprintf("%-9s%s", label, s))
}

func (t *textWriter) domainDMARC(a *DomainAudit) {
	d := a.DMARC
	at := "_dmarc." + d.RecordDomain
	switch d.Status {
	case "found":
		s := fmt.Sprintf("%s=%s applies — record at %s, organizational domain %s", orDefault(d.PolicyTag, "p"), orDefault(d.Policy, "none"), at, d.OrgDomain)
		if d.Pct > 0 && d.Pct < 100 {
			s += fmt.Sprintf("; pct=%d", d.Pct)
		}
		if d.Testing {
			s += "; t=y (testing)"
		}
		t.labelled("DMARC:", s)
		t.record(d.Record)
	case "none":
		t.labelled("DMARC:", "none — "+orDefault(d.Error, "no DMARC record"))
	case "multiple":
		t.labelled("DMARC:", fmt.Sprintf("%d records at %s: no policy applies (RFC 7489 §6.6.3)", len(d.Records), at))
		for _, r := range d.Records {
			t.record(r)
		}
	case "invalid", "no-policy":
		t.labelled("DMARC:", fmt.Sprintf("%s — record at %s", d.Error, at))
		t.record(d.Record)
	case "temperror":
		t.labelled("DMARC:", "unknown — "+d.Error)
	default:
		t.labelled("DMARC:", "not checked")
	}
	for _, r := range d.Reports {
		s := r.Tag + " " + r.URI
		switch r.Authorization {
		case "internal":
			s += " (same organization)"
		case "authorized":
			s += " — authorized by " + r.Query
		case "unauthorized":
			s += " — NOT authorized: no \"v=DMARC1\" record at " + r.Query + ", so receivers send these reports nowhere"
		case "unknown":
			s += " — authorization unknown (temporary DNS failure at " + r.Query + ")"
		case "unchecked":
			s += " (not a mailto: address: not checked)"
		}
		t.line(9, 2, s)
	}
	switch alt := d.Alternative; {
	case alt != nil:
		t.line(9, 2, fmt.Sprintf("RFC 9989 discovery (DNS tree walk) differs: it finds %s at _dmarc.%s, organizational domain %s", quoteOrNone(alt.Record), alt.RecordDomain, alt.OrgDomain))
	case t.o.Verbose && d.Status != "" && d.Status != "temperror":
		t.line(9, 2, "RFC 7489 (Public Suffix List) and RFC 9989 (DNS tree walk) discovery agree")
	}
}

func (t *textWriter) domainSPF(s DomainSPF) {
	switch s.Status {
	case "found":
		t.printf("%-9s%s\n", "SPF:", quoted(s.Record))
		var costs []string
		for _, term := range s.Terms {
			if term.Lookups > 0 {
				costs = append(costs, fmt.Sprintf("%s %d", term.Term, term.Lookups))
			}
		}
		line := fmt.Sprintf("%d of 10 DNS lookups, worst case", s.Lookups)
		if len(costs) > 0 {
			line += " (" + strings.Join(costs, ", ") + ")"
		}
		line += fmt.Sprintf("; void lookups %d for IPv4 senders, %d for IPv6 (limit 2)", s.VoidLookups4, s.VoidLookups6)
		t.line(9, 2, line)
		t.line(9, 2, "unlisted hosts get "+allWords(s.All))
		nets := s.Networks
		more := ""
		if len(nets) > 8 && !t.o.Verbose {
			more = fmt.Sprintf(" and %d more (-v lists them)", len(nets)-8)
			nets = nets[:8]
		}
		if len(nets) > 0 {
			t.line(9, 2, fmt.Sprintf("authorises %d network(s): %s%s", len(s.Networks), strings.Join(nets, ", "), more))
		}
		if len(s.Unflattenable) > 0 {
			t.line(9, 2, fmt.Sprintf("plus %d term(s) decided per message: %s", len(s.Unflattenable), strings.Join(s.Unflattenable, "; ")))
		}
	case "none":
		t.labelled("SPF:", "none — "+orDefault(s.Error, "no SPF record"))
	case "permerror":
		t.labelled("SPF:", "permerror — "+s.Error)
		if s.Record != "" {
			t.record(s.Record)
		}
	case "temperror":
		t.labelled("SPF:", "unknown — "+s.Error)
	default:
		t.labelled("SPF:", "not checked")
	}
}

// allWords says what SPF gives hosts the record does not list.
func allWords(all string) string {
	switch all {
	case "fail":
		return "fail (-all)"
	case "softfail":
		return "softfail (~all)"
	case "neutral":
		return "neutral (?all): that protects nothing"
	case "pass":
		return "pass (+all): anyone may send as the domain"
	case "redirect":
		return "what the redirect= target says"
	}
	return "neutral (no all term)"
}

func (t *textWriter) domainMX(a *DomainAudit) {
	m := a.MX
	switch m.Status {
	case "found":
		t.labelled("MX:", strings.Join(m.Hosts, ", "))
	case "null":
		t.labelled("MX:", "0 . — null MX (RFC 7505): the domain receives no mail")
	case "none":
		if len(m.Addresses) > 0 {
			t.labelled("MX:", "none — mail to the domain falls back to its address: "+strings.Join(m.Addresses, ", "))
		} else {
			t.labelled("MX:", "none, and no A or AAAA record either: the domain cannot receive mail")
		}
	case "nxdomain":
		t.labelled("MX:", "none — the domain does not exist")
	case "temperror":
		t.labelled("MX:", "unknown — "+m.Error)
	default:
		t.labelled("MX:", "not checked")
	}
}

func (t *textWriter) domainDKIM(a *DomainAudit) {
	if len(a.DKIM) == 0 {
		t.labelled("DKIM:", "not checked (give --selector NAME, or --selector common)")
		return
	}
	var lines, absent []string
	for _, k := range a.DKIM {
		switch k.Status {
		case "ok":
			s := fmt.Sprintf("%s: usable key, %s, %d bits", k.Selector, orDefault(k.Algorithm, "rsa"), k.KeyBits)
			if k.Testing {
				s += ", t=y (testing)"
			}
			lines = append(lines, s)
		case "none":
			if k.Common && !t.o.Verbose {
				absent = append(absent, k.Selector)
				continue
			}
			lines = append(lines, fmt.Sprintf("%s: no key at %s", k.Selector, k.Name))
		case "temperror":
			lines = append(lines, fmt.Sprintf("%s: unknown — temporary DNS failure at %s", k.Selector, k.Name))
		default:
			lines = append(lines, fmt.Sprintf("%s: unusable (%s) — %s", k.Selector, k.Cause, k.Reason))
		}
	}
	if len(absent) > 0 {
		what := "no key at the other common selectors"
		if len(lines) == 0 {
			what = "no key at any common selector"
		}
		lines = append(lines, fmt.Sprintf("%s (%s)", what, strings.Join(absent, ", ")))
	}
	t.block("DKIM:", lines)
}

func (t *textWriter) domainTXT(label string, r DomainTXT) {
	switch r.Status {
	case "found":
		t.printf("%-9s%s\n", label, quoted(r.Records[0]))
	case "none":
		t.labelled(label, "none at "+r.Name)
	case "invalid":
		t.labelled(label, fmt.Sprintf("invalid — %s (at %s)", r.Problem, r.Name))
		for _, rec := range r.Records {
			t.record(rec)
		}
	case "temperror":
		t.labelled(label, "unknown — "+r.Error)
	default:
		t.labelled(label, "not checked")
	}
}

// domainReceivers says, per receiver, what it does with a message from the
// domain that fails DMARC. SMTP replies are not wrapped.
func (t *textWriter) domainReceivers(a *DomainAudit) {
	if len(a.Receivers) == 0 {
		return
	}
	t.line(0, 0, "")
	t.line(0, 0, t.paint(ansiBold, fmt.Sprintf("If a message from %s fails DMARC:", a.Domain)))
	for _, r := range a.Receivers {
		t.printf("  %s: %s (confidence: %s)\n", r.DisplayName(), ReceiverOutcome(a, r), r.Confidence)
		if t.o.Verbose {
			for _, ru := range r.Rules {
				t.line(4, 4, fmt.Sprintf("- %s [%s, %s confidence] %s", ru.ID, ru.Provenance, ru.Confidence, ru.Text))
			}
		}
	}
}

// ReceiverOutcome says in a few words what receiver r does with a message
// from a's domain that fails DMARC: "rejected: 550 …", "accepted, then
// delivered to spam", "delivered: p=none asks for no action".
func ReceiverOutcome(a *DomainAudit, r Verdict) string {
	policy := ""
	if a.DMARC.Policy != "" {
		policy = orDefault(a.DMARC.PolicyTag, "p") + "=" + a.DMARC.Policy
	}
	switch r.Disposition {
	case DispositionReject:
		s := "rejected"
		if r.Probability > 0 && r.Probability < 1 {
			s = fmt.Sprintf("rejected %.0f%% of the time (pct=%d)", r.Probability*100, a.DMARC.Pct)
		}
		if r.SMTPReply != "" {
			s += ": " + r.SMTPReply
		}
		return s
	case DispositionQuarantine:
		return "accepted, then delivered to spam (" + policy + ")"
	case DispositionAccept:
		switch {
		case a.Exists == "nxdomain" && a.DMARC.Status != "found":
			return "no DMARC policy applies, but the domain does not exist: receivers that check the sender's domain refuse the message"
		case a.DMARC.Status != "found":
			return "delivered: no DMARC policy applies"
		case a.DMARC.Policy == "none":
			return "delivered: " + policy + " asks for no action"
		}
		return "delivered (" + policy + ")"
	case DispositionDefer:
		return "deferred (4xx): " + r.Summary
	}
	return "unknown — " + r.Summary
}

// domainFindings lists problems and warnings with their fixes, and notes
// by title. A fix is prose (wrapped); the records it publishes follow,
// each on a line of its own, written whole.
func (t *textWriter) domainFindings(fs []DomainFinding) {
	var errs, warns, infos []DomainFinding
	for _, f := range fs {
		switch f.Severity {
		case SeverityError:
			errs = append(errs, f)
		case SeverityWarn:
			warns = append(warns, f)
		default:
			infos = append(infos, f)
		}
	}
	group := func(head, color, mark string, fs []DomainFinding, detail bool) {
		if len(fs) == 0 {
			return
		}
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiBold, head))
		for _, f := range fs {
			t.line(2, 2, t.paint(color, mark)+" "+Safe(f.Title)+t.paint(ansiDim, " ["+Safe(f.ID)+"]"))
			if detail && f.Detail != "" {
				t.line(4, 0, Safe(f.Detail))
			}
			if !detail {
				continue
			}
			if f.Fix != "" {
				t.line(4, 5, "Fix: "+Safe(f.Fix))
			}
			for _, rec := range f.Records {
				t.printf("%s%s\n", strings.Repeat(" ", 9), Safe(rec))
			}
		}
	}
	group("Problems:", ansiRed, "✗", errs, true)
	group("Warnings:", ansiYellow, "!", warns, true)
	group("Notes:", "", "·", infos, t.o.Verbose)
}

// quoteOrNone quotes a record, or says there is none.
func quoteOrNone(s string) string {
	if s == "" {
		return "no record"
	}
	return quoted(s)
}
