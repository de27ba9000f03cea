package dmarc

import (
	"fmt"

	"preflight/report/finding"
)

// Lint reviews a parsed record for what a sender should know before relying
// on it: the parse warnings (unknown tags, the p=none fallback, tag order)
// and advice on policy strength, sampling, test mode and reporting. It is
// pure. It does not say whether a message passes; Evaluate does.
func Lint(r *Record) []finding.Finding {
	if r == nil {
		return nil
	}
	var out []finding.Finding
	add := func(id, format string, args ...any) {
		out = append(out, finding.New(id, fmt.Sprintf(format, args...), ""))
	}
	for _, w := range r.Warnings {
		add("dmarc.record-warning", "%s", w.String())
	}
	if r.Policy == PolicyNone {
		add("dmarc.policy-none", "p=none only monitors: receivers deliver mail that fails DMARC as they would without DMARC")
	}
	if r.SubdomainPolicy != "" && rank(r.SubdomainPolicy) < rank(r.Policy) {
		add("dmarc.sp-weaker", "sp=%s is weaker than p=%s: mail from subdomains without their own record gets the weaker policy", r.SubdomainPolicy, r.Policy)
	}
	if r.Has("pct") && r.Percent < 100 && r.Policy != PolicyNone {
		add("dmarc.pct-sampling", "pct=%d: the policy applies to %d%% of failing mail; RFC 7489 §6.6.4 receivers treat the rest one step softer, RFC 9989 receivers ignore pct (it is historic)", r.Percent, r.Percent)
	}
	if r.Testing {
		add("dmarc.testing", "t=y asks RFC 9989 receivers to apply one step less (reject → quarantine, quarantine → none); receivers that know only RFC 7489 ignore it")
	}
	if len(r.AggregateReports) == 0 {
		add("dmarc.no-rua", "no rua=: the domain gets no aggregate reports, so failures at receivers go unseen")
	}
	if r.ADKIM == AlignStrict || r.ASPF == AlignStrict {
		add("dmarc.strict-subdomain", "strict alignment (adkim=%s, aspf=%s): a subdomain such as bounce.<domain> or a DKIM d= of a parent or sibling does not align", r.ADKIM, r.ASPF)
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
