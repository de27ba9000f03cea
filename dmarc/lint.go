package dmarc

import "fmt"

// Severity of a lint finding.
type Severity string

// The severities.
const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
)

// Finding is one remark about a DMARC record, with a stable ID.
type Finding struct {
	ID       string
	Severity Severity
	Tag      string // the tag concerned, "" for the record
	Text     string
}

// Lint reviews a parsed record for what a sender should know before relying
// on it: the parse warnings (unknown tags, the p=none fallback, tag order)
// and advice on policy strength, sampling, test mode and reporting. It is
// pure. It does not say whether a message passes; Evaluate does.
func Lint(r *Record) []Finding {
	if r == nil {
		return nil
	}
	var out []Finding
	add := func(id string, sev Severity, tag, format string, args ...any) {
		out = append(out, Finding{ID: id, Severity: sev, Tag: tag, Text: fmt.Sprintf(format, args...)})
	}
	for _, w := range r.Warnings {
		add("dmarc.record-warning", SeverityWarning, w.Tag, "%s", w.Text)
	}
	if r.Policy == PolicyNone {
		add("dmarc.policy-none", SeverityInfo, "p", "p=none only monitors: receivers deliver mail that fails DMARC as they would without DMARC")
	}
	if r.SubdomainPolicy != "" && rank(r.SubdomainPolicy) < rank(r.Policy) {
		add("dmarc.sp-weaker", SeverityInfo, "sp", "sp=%s is weaker than p=%s: mail from subdomains without their own record gets the weaker policy", r.SubdomainPolicy, r.Policy)
	}
	if r.Has("pct") && r.Percent < 100 && r.Policy != PolicyNone {
		add("dmarc.pct-partial", SeverityInfo, "pct", "pct=%d: the policy applies to %d%% of failing mail; RFC 7489 §6.6.4 receivers treat the rest one step softer, RFC 9989 receivers ignore pct (it is historic)", r.Percent, r.Percent)
	}
	if r.Testing {
		add("dmarc.test-mode", SeverityInfo, "t", "t=y asks RFC 9989 receivers to apply one step less (reject → quarantine, quarantine → none); receivers that know only RFC 7489 ignore it")
	}
	if len(r.AggregateReports) == 0 {
		add("dmarc.no-rua", SeverityInfo, "rua", "no rua=: the domain gets no aggregate reports, so failures at receivers go unseen")
	}
	if r.ADKIM == AlignStrict || r.ASPF == AlignStrict {
		add("dmarc.strict-alignment", SeverityInfo, "adkim", "strict alignment (adkim=%s, aspf=%s): a subdomain such as bounce.<domain> or a DKIM d= of a parent or sibling does not align", r.ADKIM, r.ASPF)
	}
	return out
}

func rank(p Policy) int {
	switch p {
	case PolicyQuarantine:
		return 1
	case PolicyReject:
		return 2
	}
	return 0
}
