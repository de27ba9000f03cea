package audit

import (
	"fmt"
	"strings"

	"preflight/dns"
	"preflight/report"
)

// The TXT policy records the audit looks at: presence and basic syntax
// only (the MTA-STS policy file is not fetched, BIMI logos and VMCs are
// not downloaded).

// tag is one name=value pair of a tag-list record.
type tag struct{ name, value string }

// tagList splits a "k=v; k=v" record (the DKIM/DMARC tag-list grammar the
// BIMI, MTA-STS and TLS-RPT records share), trimming blanks. A part
// without "=" is an error; an empty part (a trailing ";") is not.
func tagList(rec string) ([]tag, error) {
	var out []tag
	for _, part := range strings.Split(rec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not a name=value tag", part)
		}
		out = append(out, tag{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return out, nil
}

// versionOf returns the value of the first tag when it is v=, else "".
func versionOf(rec string) string {
	first, _, _ := strings.Cut(rec, ";")
	k, v, ok := strings.Cut(first, "=")
	if !ok || strings.TrimSpace(k) != "v" {
		return ""
	}
	return strings.TrimSpace(v)
}

// checkBIMI checks a BIMI assertion record (draft-brand-indicators-for-
// message-identification §4.2): v=BIMI1 first; l= (the SVG logo) and a=
// (the mark certificate) each empty or an https: URL; no tag twice. It
// returns what is wrong, or "".
func checkBIMI(rec string) string {
	tags, err := tagList(rec)
	if err != nil {
		return err.Error()
	}
	seen := map[string]bool{}
	for i, t := range tags {
		name := strings.ToLower(t.name)
		if seen[name] {
			return fmt.Sprintf("the tag %s= appears twice", name)
		}
		seen[name] = true
		switch {
		case i == 0 && (t.name != "v" || t.value != "BIMI1"):
			return "the record must start with v=BIMI1"
		case name == "l" || name == "a":
			for _, u := range strings.Split(t.value, ",") {
				if u = strings.TrimSpace(u); u != "" && !strings.HasPrefix(strings.ToLower(u), "https://") {
					return fmt.Sprintf("%s= must be an https: URL (or empty), not %q", name, u)
				}
			}
		}
	}
	if !seen["l"] {
		return "there is no l= tag (the logo's https: URL; l= empty declines BIMI)"
	}
	return ""
}

// checkMTASTS checks an MTA-STS TXT record (RFC 8461 §3.1): v=STSv1 first,
// id= of 1 to 32 letters and digits, extension names of letters, digits,
// "_", "-" and ".".
func checkMTASTS(rec string) string {
	tags, err := tagList(rec)
	if err != nil {
		return err.Error()
	}
	id := false
	for i, t := range tags {
		switch {
		case i == 0 && (t.name != "v" || t.value != "STSv1"):
			return "the record must start with v=STSv1"
		case i == 0:
		case t.name == "id":
			if id {
				return "id= appears twice"
			}
			id = true
			if len(t.value) < 1 || len(t.value) > 32 || !alnum(t.value) {
				return fmt.Sprintf("id=%s must be 1 to 32 letters and digits", t.value)
			}
		case !extName(t.name):
			return fmt.Sprintf("%q is not a valid tag name", t.name)
		}
	}
	if !id {
		return "there is no id= tag (it tells senders when the policy changed)"
	}
	return ""
}

// checkTLSRPT checks a TLS-RPT record (RFC 8460 §3): v=TLSRPTv1 first,
// rua= with one or more comma-separated mailto: or https: addresses.
func checkTLSRPT(rec string) string {
	tags, err := tagList(rec)
	if err != nil {
		return err.Error()
	}
	rua := false
	for i, t := range tags {
		switch {
		case i == 0 && (t.name != "v" || t.value != "TLSRPTv1"):
			return "the record must start with v=TLSRPTv1"
		case i == 0:
		case t.name == "rua":
			if rua {
				return "rua= appears twice"
			}
			rua = true
			for _, u := range strings.Split(t.value, ",") {
				l := strings.ToLower(strings.TrimSpace(u))
				if !strings.HasPrefix(l, "mailto:") && !strings.HasPrefix(l, "https://") {
					return fmt.Sprintf("rua= address %q is neither mailto: nor https:", strings.TrimSpace(u))
				}
			}
		case !extName(t.name):
			return fmt.Sprintf("%q is not a valid tag name", t.name)
		}
	}
	if !rua {
		return "there is no rua= tag (where reports go)"
	}
	return ""
}

func alnum(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// extName is RFC 8461's sts-ext-name (and RFC 8460's tlsrpt-ext-name):
// (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
func extName(s string) bool {
	if s == "" || len(s) > 32 || !alnum(s[:1]) {
		return false
	}
	for _, c := range s[1:] {
		if !(alnum(string(c)) || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// policyTXT reads one TXT policy answer: the records whose first tag is
// v=<version> (others at the name are ignored, as the RFCs say), exactly
// one of which must be valid by check.
func policyTXT(l lookup, version string, check func(string) string) report.DomainTXT {
	m := report.DomainTXT{Name: l.name}
	switch {
	case l.err != nil && dns.IsTemporary(l.err):
		m.Status, m.Error = "temperror", plain(l.err)
		return m
	case l.err != nil: // a name too long to ask holds no record
		m.Status, m.Error = "none", plain(l.err)
		return m
	case l.res.Status != dns.StatusAnswer:
		m.Status = "none"
		return m
	}
	for _, txt := range l.res.TXT() {
		if strings.EqualFold(versionOf(txt), version) {
			m.Records = append(m.Records, txt)
		}
	}
	switch len(m.Records) {
	case 0:
		m.Status = "none"
	case 1:
		m.Status = "found"
		if p := check(m.Records[0]); p != "" {
			m.Status, m.Problem = "invalid", p
		}
	default:
		m.Status, m.Problem = "invalid", fmt.Sprintf("%d records: senders use none of them", len(m.Records))
	}
	return m
}

// concludeTXT fills BIMI, MTA-STS and TLS-RPT and their findings.
func (r *run) concludeTXT() {
	a, d := r.a, r.d.String()
	a.BIMI = policyTXT(r.bimi, "BIMI1", checkBIMI)
	a.MTASTS = policyTXT(r.mtasts, "STSv1", checkMTASTS)
	a.TLSRPT = policyTXT(r.tlsrpt, "TLSRPTv1", checkTLSRPT)
	if r.nxdomain() {
		return
	}
	for _, x := range []struct {
		what string
		m    report.DomainTXT
	}{{"BIMI", a.BIMI}, {"MTA-STS", a.MTASTS}, {"TLS-RPT", a.TLSRPT}} {
		if x.m.Status == "temperror" {
			r.finding("domain.temperror", fmt.Sprintf("The %s record at %s could not be looked up (%s).", x.what, x.m.Name, x.m.Error), retryFix)
		}
	}
	if a.BIMI.Status == "invalid" {
		r.finding("bimi.invalid", fmt.Sprintf("The BIMI record at %s is not valid: %s.", a.BIMI.Name, a.BIMI.Problem),
			"Publish one record with the https: URL of the SVG logo (and of the mark certificate, if you have one):",
			fmt.Sprintf("default._bimi.%s. TXT \"v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem\"", d))
	}
	if a.BIMI.Status == "found" && !enforced(a.DMARC) {
		r.finding("bimi.dmarc-not-enforced",
			fmt.Sprintf("%s publishes BIMI, but its DMARC policy is %s: receivers show a BIMI logo only under p=quarantine or p=reject applied to all mail.", d, policyWords(a.DMARC)),
			"Move DMARC to p=quarantine or p=reject (without pct= below 100) once reports show all your mail passes.")
	}
	if a.MTASTS.Status == "invalid" {
		r.finding("mtasts.invalid", fmt.Sprintf("The MTA-STS record at %s is not valid: %s.", a.MTASTS.Name, a.MTASTS.Problem),
			fmt.Sprintf("Publish one record, and change id= whenever the policy file at https://mta-sts.%s/.well-known/mta-sts.txt changes:", d),
			fmt.Sprintf("_mta-sts.%s. TXT \"v=STSv1; id=20260101000000\"", d))
	}
	if a.TLSRPT.Status == "invalid" {
		r.finding("tlsrpt.invalid", fmt.Sprintf("The TLS-RPT record at %s is not valid: %s.", a.TLSRPT.Name, a.TLSRPT.Problem),
			"Publish one record:",
			fmt.Sprintf("_smtp._tls.%s. TXT \"v=TLSRPTv1; rua=mailto:tls-reports@%s\"", d, d))
	}
	if a.MTASTS.Status == "found" && a.TLSRPT.Status == "none" {
		r.finding("tlsrpt.missing", fmt.Sprintf("%s publishes MTA-STS but no TLS-RPT record at %s: senders whose TLS delivery to it fails cannot tell you.", d, a.TLSRPT.Name), "")
	}
}

// enforced reports whether a DMARC policy is at enforcement for BIMI:
// quarantine or reject, applied to all mail.
func enforced(m report.DomainDMARC) bool {
	return m.Status == "found" && (m.Policy == "quarantine" || m.Policy == "reject") && (m.Pct == 0 || m.Pct == 100)
}

func policyWords(m report.DomainDMARC) string {
	switch {
	case m.Status != "found":
		return "missing or unusable"
	case m.Pct > 0 && m.Pct < 100:
		return fmt.Sprintf("%s=%s with pct=%d", m.PolicyTag, m.Policy, m.Pct)
	}
	return m.PolicyTag + "=" + m.Policy
}
