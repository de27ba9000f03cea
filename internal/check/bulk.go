package check

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"preflight/dkim"
	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/report"
)

// The facts the receivers' rules outside DMARC need beyond SPF, DKIM and
// DMARC: whether the author and envelope domains exist (every check), and
// for bulk senders (--bulk) the unsubscribe headers and the sending IP's
// forward-confirmed reverse DNS.

// maxPTRNames bounds the names of one PTR answer that are looked up
// forward: a reverse zone could list hundreds.
const maxPTRNames = 5

// maxFCrDNSIPs bounds the sending IPs whose reverse DNS is checked.
const maxFCrDNSIPs = 4

// existence says whether name exists in DNS, by a TXT question (shared
// with SPF through the cache): NXDOMAIN, or an answer or NODATA. A
// question a replayed recording never saw is noted for dns.not-recorded.
func (c *run) existence(ctx context.Context, name string) receiver.Existence {
	res, err := c.cfg.Resolver.Lookup(ctx, name, dns.TypeTXT)
	switch {
	case err != nil && c.notRecorded(err):
		return receiver.ExistenceUnknown
	case err != nil && dns.IsTemporary(err):
		return receiver.ExistenceUnknown
	case err != nil:
		return receiver.ExistenceUnchecked
	case res.Status == dns.StatusNXDomain && len(res.CNAMEs) == 0:
		return receiver.NotExists
	}
	return receiver.Exists
}

// checkDomains learns whether the From and MAIL FROM domains exist, once
// discovery and SPF are done: the From domain exists when discovery found
// _dmarc under it (or checked it for np=); otherwise, and for the MAIL FROM
// domain, one TXT question each (SPF's own is in the cache).
func (c *run) checkDomains(ctx context.Context) {
	r := c.res
	d := receiver.Domains{FromName: r.Author.Domain, MailFromName: r.Envelope.MailFromDomain}
	if r.Author.Domain != "" {
		d.From = c.fromExistence()
		if d.From == receiver.ExistenceUnchecked {
			d.From = c.existence(ctx, r.Author.Domain)
		}
	}
	switch mf := r.Envelope.MailFromDomain; {
	case mf == "":
	case mf == r.Author.Domain:
		d.MailFrom = d.From
	default:
		d.MailFrom = c.existence(ctx, mf)
	}
	c.domains = d
}

// fromExistence reads the From domain's existence from discovery, when it
// tells: a record or NODATA at _dmarc.<from> means <from> exists.
func (c *run) fromExistence() receiver.Existence {
	if c.disc == nil {
		return receiver.ExistenceUnchecked
	}
	// Discovery's own NXDOMAIN answer (to an A question) is not taken:
	// with an --overlay the name may exist for TXT only, and one TXT
	// question settles it.
	if c.disc.FromExists == "exists" {
		return receiver.Exists
	}
	for _, q := range c.disc.Queries {
		if q.Name == "_dmarc."+string(c.disc.From) && q.Type == "TXT" && (q.Status == "answer" || q.Status == "nodata") {
			return receiver.Exists
		}
	}
	return receiver.ExistenceUnchecked
}

// fcrdns checks forward-confirmed reverse DNS for each sending IP (at most
// maxFCrDNSIPs): a PTR record whose name (one of the first maxPTRNames)
// has an A or AAAA record equal to the IP.
func fcrdns(ctx context.Context, r dns.Resolver, ips []netip.Addr) (status, detail string) {
	if len(ips) == 0 {
		return "", ""
	}
	status = "pass"
	var notes []string
	for _, ip := range ips[:min(len(ips), maxFCrDNSIPs)] {
		st, note := fcrdnsOne(ctx, r, ip)
		notes = append(notes, note)
		switch {
		case st == "fail":
			status = "fail"
		case st == "temperror" && status == "pass":
			status = "temperror"
		}
	}
	return status, strings.Join(notes, "; ")
}

func fcrdnsOne(ctx context.Context, r dns.Resolver, ip netip.Addr) (status, note string) {
	ip = ip.Unmap()
	rev := dns.ReverseName(ip)
	res, err := r.Lookup(ctx, rev, dns.TypePTR)
	switch {
	case err != nil && dns.IsTemporary(err):
		return "temperror", fmt.Sprintf("the PTR lookup of %s failed temporarily", ip)
	case err != nil || len(res.Targets()) == 0:
		return "fail", fmt.Sprintf("%s has no PTR record (%s)", ip, rev)
	}
	t := dns.TypeA
	if ip.Is6() {
		t = dns.TypeAAAA
	}
	names := res.Targets()
	temp := false
	for _, n := range names[:min(len(names), maxPTRNames)] {
		fwd, err := r.Lookup(ctx, n, t)
		if err != nil {
			temp = temp || dns.IsTemporary(err)
			continue
		}
		if slices.Contains(fwd.IPs(), ip) {
			return "pass", fmt.Sprintf("%s has PTR %s, which resolves back to it", ip, n)
		}
	}
	if temp {
		return "temperror", fmt.Sprintf("%s has PTR %s, whose %s lookup failed temporarily", ip, strings.Join(names, ", "), t)
	}
	return "fail", fmt.Sprintf("%s has PTR %s, but no %s record of that name points back to %s", ip, strings.Join(names, ", "), t, ip)
}

// unsubscribeFacts reads the unsubscribe headers of the message: a
// List-Unsubscribe with a mailto: or https: URI, and RFC 8058 one-click
// (an https: URI, List-Unsubscribe-Post: List-Unsubscribe=One-Click, both
// fields covered by a DKIM signature that passes — or by one the ESP is
// expected to add, which is assumed to cover them).
func (c *run) unsubscribeFacts(f *receiver.BulkFacts) {
	m := c.msg
	if m == nil {
		c.assume("--bulk without a message: the List-Unsubscribe and one-click headers of the template are not checked")
		return
	}
	f.Message = true
	var https bool
	for _, v := range m.Get("List-Unsubscribe") {
		for _, part := range strings.Split(v, ",") {
			u := strings.ToLower(strings.Trim(strings.TrimSpace(part), "<>"))
			switch {
			case strings.HasPrefix(u, "https://"):
				https, f.ListUnsubscribe = true, true
			case strings.HasPrefix(u, "mailto:"):
				f.ListUnsubscribe = true
			}
		}
	}
	post := false
	for _, v := range m.Get("List-Unsubscribe-Post") {
		post = post || strings.EqualFold(strings.Join(strings.Fields(v), ""), "List-Unsubscribe=One-Click")
	}
	covered, assumed := false, false
	for _, s := range c.res.DKIM {
		d := s.DKIM
		if d.Result != dkim.StatusPass {
			continue
		}
		if d.Assumed && !d.HeadersOnly {
			assumed = true
			continue
		}
		covered = covered || (hasHeader(d.Headers, "List-Unsubscribe") && hasHeader(d.Headers, "List-Unsubscribe-Post"))
	}
	var missing []string
	if !https {
		missing = append(missing, "no https: URI in List-Unsubscribe")
	}
	if !post {
		missing = append(missing, "no 'List-Unsubscribe-Post: List-Unsubscribe=One-Click' header")
	}
	if !covered && !assumed && https && post {
		missing = append(missing, "no passing DKIM signature covers both headers (RFC 8058 §4)")
	}
	f.OneClick = len(missing) == 0
	f.OneClickProblem = strings.Join(missing, "; ")
	if f.OneClick && !covered && assumed {
		c.assume("RFC 8058 one-click: the signature the ESP is expected to add (--expect-dkim) is assumed to cover List-Unsubscribe and List-Unsubscribe-Post")
	}
}

func hasHeader(h []string, name string) bool {
	for _, x := range h {
		if strings.EqualFold(strings.TrimSpace(x), name) {
			return true
		}
	}
	return false
}

// bulkPaths are the receivers' path names of the bulk requirements, in
// the order their findings are listed.
var bulkPaths = []string{"bulk-spf", "bulk-dkim", "bulk-dmarc-record", "bulk-alignment", "bulk-dmarc", "bulk-unsubscribe", "bulk-one-click", "bulk-ptr"}

// bulkFinding is the finding of one bulk requirement that is not met.
func bulkFinding(path, detail string) report.Finding {
	switch path {
	case "bulk-spf":
		return finding("bulk.spf-fail", detail, "Make SPF pass for the MAIL FROM domain: authorise the sending IP (or the ESP's include:) in its SPF record.")
	case "bulk-dkim":
		return finding("bulk.dkim-fail", detail, "Sign every message with DKIM (a 2048-bit RSA key; d= the From domain aligns too).")
	case "bulk-dmarc-record":
		return finding("bulk.no-dmarc-record", detail, "Publish a DMARC record at _dmarc of the From domain (or its organizational domain); p=none is enough to start.")
	case "bulk-alignment":
		return finding("bulk.not-aligned", detail, "Align the From domain with SPF or DKIM: sign with DKIM d= the From domain, or send with a Return-Path under it.")
	case "bulk-dmarc":
		return finding("bulk.dmarc-fail", detail, "Make DMARC pass: an aligned SPF or DKIM pass, and a DMARC record.")
	case "bulk-unsubscribe":
		return finding("bulk.no-list-unsubscribe", detail, "Add List-Unsubscribe: <https://…>, <mailto:…> to the template.")
	case "bulk-one-click":
		return finding("bulk.no-one-click", detail, "Add List-Unsubscribe: <https://…> and List-Unsubscribe-Post: List-Unsubscribe=One-Click, and make sure the DKIM signature covers both (RFC 8058).")
	}
	return finding("bulk.no-fcrdns", detail, "Ask the ESP (or whoever owns the IP) for a PTR record naming a host whose A/AAAA record is the sending IP.")
}

// bulkReport lists, per bulk requirement that is not met, the receivers
// that state it and what each answers.
func (c *run) bulkReport() {
	if c.bulk == nil {
		return
	}
	for _, name := range bulkPaths {
		var who []string
		why := ""
		for _, o := range c.res.Receivers {
			for _, p := range o.Verdict.Paths {
				if p.Name != name {
					continue
				}
				why = p.Why
				what := "no rejection documented"
				switch {
				case p.SMTPReply != "":
					what = p.SMTPReply
				case p.Disposition != receiver.DispositionAccept:
					what = string(p.Disposition) + ", reply text not documented"
				}
				who = append(who, fmt.Sprintf("%s: %s", o.Profile.DisplayName(), strings.TrimSuffix(what, ".")))
			}
		}
		if len(who) > 0 {
			c.find(bulkFinding(name, fmt.Sprintf("%s. %s.", capitalizeFirst(why), strings.Join(who, "; "))))
		}
	}
	if c.bulk.FCrDNS == "temperror" {
		c.find(finding("bulk.fcrdns-temperror", c.bulk.FCrDNSDetail+": whether the receivers' reverse DNS requirement is met is unknown.", "Retry; if it persists, check the reverse zone of the sending IP (preflight lookup PTR IP)."))
	}
}

func capitalizeFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// domainFindings reports an author or envelope domain that does not exist,
// with what the receivers that check it answer.
func (c *run) domainFindings() {
	d := c.domains
	var who []string
	for _, o := range c.res.Receivers {
		for _, p := range o.Verdict.Paths {
			if p.Name == "domain" {
				reply := p.SMTPReply
				if reply == "" {
					reply = string(p.Disposition) + ", reply text not documented"
				}
				who = append(who, fmt.Sprintf("%s: %s", o.Profile.DisplayName(), strings.TrimSuffix(reply, ".")))
			}
		}
	}
	answers := "Receivers refuse mail from domains that do not exist."
	if len(who) > 0 {
		answers = strings.Join(who, "; ") + "."
	}
	if d.From == receiver.NotExists {
		c.find(finding("message.domain-not-found", fmt.Sprintf("The From domain %s does not exist (NXDOMAIN). %s", d.FromName, answers),
			fmt.Sprintf("Send from a domain that exists and that you control, or create %s in DNS (with the SPF, DKIM and DMARC records it sends with).", d.FromName)))
	}
	if d.MailFrom == receiver.NotExists && d.MailFromName != d.FromName {
		c.find(finding("envelope.domain-not-found", fmt.Sprintf("The MAIL FROM (Return-Path) domain %s does not exist (NXDOMAIN): bounces cannot reach it. %s", d.MailFromName, answers),
			fmt.Sprintf("Use a Return-Path at a domain that exists; with an ESP, publish the records it asks for at %s (often a CNAME or MX and an SPF record).", d.MailFromName)))
	}
}
