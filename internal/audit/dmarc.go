package audit

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"preflight/dmarc"
	"preflight/dns"
	"preflight/report"
)

// reportAuth is the RFC 7489 §7.1 verdict on one rua= or ruf= address.
type reportAuth struct {
	tag, uri string
	dest     dns.Domain
	query    string
	// status is internal, authorized, unauthorized, unknown or unchecked
	// (the words of report.DomainReportURI.Authorization).
	status string
	err    error
}

// primary is the discovery whose record the audit describes: RFC 7489's
// (QQ Mail's method), or RFC 9989's when only the tree walk found one.
func primary(disc *dmarc.Discovery) *dmarc.Found {
	switch {
	case disc.RFC7489.Record != nil:
		return &disc.RFC7489
	case disc.RFC9989.Record != nil:
		return &disc.RFC9989
	}
	return nil
}

// authorizeReports checks every rua= and ruf= address of the record that
// applies (RFC 7489 §7.1): a mailto: destination whose organizational
// domain differs from that of the domain the record came from must publish
// "<record domain>._report._dmarc.<destination host>" TXT "v=DMARC1", or
// receivers send it nothing. The questions go out concurrently.
func authorizeReports(ctx context.Context, res dns.Resolver, disc *dmarc.Discovery) []reportAuth {
	f := primary(disc)
	if f == nil {
		return nil
	}
	rd := f.RecordDomain
	rdOrg, _ := dmarc.OrgDomain(rd)
	var out []reportAuth
	for _, l := range []struct {
		tag  string
		uris []dmarc.URI
	}{{"rua", f.Record.AggregateReports}, {"ruf", f.Record.FailureReports}} {
		for _, u := range l.uris {
			ra := reportAuth{tag: l.tag, uri: u.URI, status: "unchecked"}
			addr, ok := strings.CutPrefix(strings.ToLower(u.URI), "mailto:")
			if ok {
				addr, _, _ = strings.Cut(addr, "?")
				if i := strings.LastIndexByte(addr, '@'); i >= 0 {
					if d, err := dns.ParseDomain(addr[i+1:]); err == nil {
						ra.dest = d
					}
				}
			}
			if ra.dest != "" {
				ra.status = "internal"
				if org, _ := dmarc.OrgDomain(ra.dest); org != rdOrg {
					ra.query = rd.String() + "._report._dmarc." + ra.dest.String()
				}
			}
			out = append(out, ra)
		}
	}
	var wg sync.WaitGroup
	for i := range out {
		if out[i].query == "" {
			continue
		}
		wg.Add(1)
		go func(ra *reportAuth) {
			defer wg.Done()
			r, err := res.Lookup(ctx, ra.query, dns.TypeTXT)
			switch {
			case err != nil && dns.IsTemporary(err):
				ra.status, ra.err = "unknown", err
			case err != nil:
				ra.status, ra.err = "unauthorized", err
			default:
				ra.status = "unauthorized"
				for _, txt := range r.TXT() {
					if isDMARC1(txt) {
						ra.status = "authorized"
					}
				}
			}
		}(&out[i])
	}
	wg.Wait()
	return out
}

// isDMARC1 reports whether a TXT record starts with the tag v=DMARC1, as
// an RFC 7489 §7.1 authorization record must.
func isDMARC1(txt string) bool {
	first, _, _ := strings.Cut(txt, ";")
	k, v, ok := strings.Cut(first, "=")
	return ok && strings.EqualFold(strings.TrimSpace(k), "v") && strings.EqualFold(strings.TrimSpace(v), "DMARC1")
}

// plain drops the package prefixes of preflight's errors ("dmarc: ",
// "spf: ", "dkim: ", "dns: ") so that an error reads as a sentence.
func plain(err error) string {
	if err == nil {
		return ""
	}
	return strings.NewReplacer("dmarc: ", "", "spf: ", "", "dkim: ", "", "dns: ", "").Replace(err.Error())
}

const retryFix = "Run again later, or ask another DNS server with --resolver: preflight never reads a failure as \"no record\"."

func (r *run) concludeDMARC() {
	m := &r.a.DMARC
	m.Discovery = string(dmarc.MethodPSL)
	disc := r.disc
	if disc == nil {
		return
	}
	f := disc.RFC7489
	d := r.d.String()
	m.Status, m.RecordDomain, m.OrgDomain, m.Record = string(f.Status), f.RecordDomain.String(), f.OrgDomain.String(), f.RecordText
	at := "_dmarc." + m.RecordDomain
	org := f.OrgDomain.String()
	if org == "" {
		org = d
	}
	if rec := f.Record; rec != nil {
		if rec.Has("p") {
			m.P = string(rec.Policy)
		}
		m.SP, m.NP = string(rec.SubdomainPolicy), string(rec.NonexistentPolicy)
		if rec.Has("pct") {
			m.Pct = rec.Percent
		}
		m.ADKIM, m.ASPF, m.Testing = rec.ADKIM.String(), rec.ASPF.String(), rec.Testing
	}
	if f.Status == dmarc.DiscoveryFound {
		ev := dmarc.Evaluate(dmarc.Input{Discovery: disc})
		m.Policy, m.PolicyTag = string(ev.RequestedPolicy), ev.PolicyTag
	}
	m.Agree = !disc.Disagree()
	if !m.Agree {
		alt := disc.RFC9989
		view := &report.DMARCView{Discovery: string(dmarc.MethodTreeWalk), RecordDomain: alt.RecordDomain.String(),
			Record: alt.RecordText, OrgDomain: alt.OrgDomain.String()}
		if alt.Record != nil {
			view.Policy = string(alt.Record.Policy)
		}
		m.Alternative = view
	}

	switch f.Status {
	case dmarc.DiscoveryNone:
		m.Error = "no record at " + strings.Join(f.Queried, " or ")
		if !r.nxdomain() {
			r.finding("dmarc.no-record",
				fmt.Sprintf("%s publishes no DMARC record (%s), so receivers apply no DMARC policy: anyone can send as %s, and Gmail and Yahoo require DMARC of bulk senders.", d, m.Error, d),
				"Publish a DMARC record; start with p=none and a rua= address to learn who sends as the domain, then move to p=quarantine and p=reject:",
				fmt.Sprintf("_dmarc.%s. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\"", org, org))
		}
	case dmarc.DiscoveryMultiple:
		for _, q := range disc.Queries {
			if q.Name == at && q.Type == "TXT" {
				for _, txt := range q.TXT {
					if strings.HasPrefix(strings.ToLower(strings.TrimSpace(txt)), "v=dmarc1") {
						m.Records = append(m.Records, txt)
					}
				}
			}
		}
		m.Error = fmt.Sprintf("%d records at %s", len(m.Records), at)
		r.finding("dmarc.multiple-records",
			fmt.Sprintf("%s has %d DMARC records; RFC 7489 §6.6.3 says no policy applies when there are several, and receivers differ in what they do.", at, len(m.Records)),
			fmt.Sprintf("Keep exactly one record at %s: merge the tags you need into it and delete the others.", at))
	case dmarc.DiscoveryInvalid:
		m.Error = plain(f.Err)
		r.finding("dmarc.invalid-record",
			fmt.Sprintf("The record at %s cannot be parsed (%s): receivers treat the domain as having no usable policy.", at, m.Error),
			fmt.Sprintf("Correct the record at %s; a minimal valid one is:", at),
			fmt.Sprintf("%s. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\"", at, org))
	case dmarc.DiscoveryNoPolicy:
		m.Error = "the record has no valid p="
		r.finding("dmarc.no-policy",
			fmt.Sprintf("The record at %s has no valid p= and no rua=: RFC 7489 receivers apply no DMARC, RFC 9989 receivers read it as p=none.", at),
			fmt.Sprintf("Add p=none, p=quarantine or p=reject to the record at %s.", at))
	case dmarc.DiscoveryTempError:
		m.Error = plain(f.Err)
		r.finding("dmarc.temperror",
			fmt.Sprintf("The DMARC record of %s could not be looked up (%s): the policy is unknown, not absent.", d, m.Error), retryFix)
	}
	if p := primary(disc); p != nil {
		r.adopt(dmarc.Lint(p.Record)...)
	}
	if !m.Agree && f.Status != dmarc.DiscoveryTempError && disc.RFC9989.Status != dmarc.DiscoveryTempError {
		r.finding("dmarc.discovery-differs",
			fmt.Sprintf("RFC 7489 discovery (Public Suffix List, QQ Mail's method) finds %s; RFC 9989 discovery (DNS tree walk) finds %s: receivers of the two kinds apply different policies to mail from %s.",
				describeFound(disc.RFC7489), describeFound(disc.RFC9989), d), "")
	}
	r.concludeReports()
}

func describeFound(f dmarc.Found) string {
	if f.Record == nil {
		return fmt.Sprintf("no usable record (organizational domain %s)", f.OrgDomain)
	}
	return fmt.Sprintf("%q at _dmarc.%s (organizational domain %s)", f.RecordText, f.RecordDomain, f.OrgDomain)
}

func (r *run) concludeReports() {
	m := &r.a.DMARC
	f := primary(r.disc)
	for _, ra := range r.reports {
		m.Reports = append(m.Reports, report.DomainReportURI{Tag: ra.tag, URI: ra.uri, Destination: ra.dest.String(),
			Authorization: ra.status, Query: ra.query})
		switch ra.status {
		case "unauthorized":
			org, _ := dmarc.OrgDomain(f.RecordDomain)
			r.finding("dmarc.rua-unauthorized",
				fmt.Sprintf("%s=%s sends reports to %s, another organization, which publishes no %s TXT \"v=DMARC1\" record (RFC 7489 §7.1): receivers send it no reports.", ra.tag, ra.uri, ra.dest, ra.query),
				fmt.Sprintf("Ask the operator of %s (your report service) to publish this record in their DNS, or send reports to an address at %s:", ra.dest, org),
				ra.query+". TXT \"v=DMARC1\"")
		case "unknown":
			r.finding("domain.temperror",
				fmt.Sprintf("Whether %s accepts the %s reports of %s could not be checked (%s).", ra.dest, ra.tag, f.RecordDomain, plain(ra.err)), retryFix)
		}
	}
}
