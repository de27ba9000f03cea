package check

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/report"
	"preflight/spf"
)

// A candidate is one change that may make the message pass, with exactly
// what it changes — DNS records, the MAIL FROM, a DKIM signature — so that
// proveFixes can apply it and re-check (prove.go).
type candidate struct {
	fix      report.Fix
	records  []string        // complete zone lines; the ESP's DKIM key is espKeyPlaceholder
	mailFrom string          // the new MAIL FROM address; "" when unchanged
	dkim     *DomainSelector // the signature the change adds; nil when none
	// unprovable says why the change cannot be applied and re-checked
	// here ("" when it can).
	unprovable string
	// index is the candidate's place among the proposed ones (-1 for a
	// pair), for the pairs to name their parts.
	index int
}

// espKeyPlaceholder stands for the public key an ESP hands over: the one
// part of a fix preflight cannot know. Proofs put a real key in its place.
const espKeyPlaceholder = "<public key from your ESP>"

// proofKey is a 2048-bit RSA public key made for preflight's proofs: it
// stands in for the ESP's key when a DKIM fix is applied to the overlay.
const proofKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxQcQ+cxDoxXTI2PoyV3viOEaqQj4S9C9P85JR1NkZEw0TtohmSVZ1lrrxhutgLjaIEYnQuoqLij+XWs+EZaRMHiy1zY/q7OYi0csmqN8cVyDIl3WEkq/MTAraeucRz2hSfDUu2d9yvXetA2a06G5aBTyWtz4SM8X+x7HErfIiYwwL9ErI5duwWijD/v2kjt5TV5nHHisMTXprJ/pGDjFbry3oNfUxsebTrZRbNHYkSDMUrZI77kwGSPALn1ypMexiX82gNZORMH+aIxQbqjBQUlMoS4hn/z2l7nJNg/eiY7/TMGPYMkZjaRKNBchqVYWP4NY4eO4+AILA89bjJBSZwIDAQAB"

// needsFixes reports whether any fix is called for: DMARC fails for some
// receiver, or some receiver would not simply accept the message.
func (c *run) needsFixes() bool {
	for _, o := range c.res.Receivers {
		if o.View == nil {
			return false
		}
		if o.View.Result == dmarc.ResultFail || o.Verdict.Disposition == receiver.DispositionReject || o.Verdict.Disposition == receiver.DispositionQuarantine {
			return true
		}
	}
	return false
}

// candidates lists the changes worth proving for the message as the
// primary receiver sees it (ev): repair or add an aligned DKIM signature;
// align the MAIL FROM (a custom Return-Path, or the From domain itself
// under aspf=s); authorise the sending IP in the MAIL FROM domain's SPF
// record; publish a DMARC record when bulk rules ask for one.
func (c *run) candidates(ctx context.Context, ev *dmarc.Evaluation) []candidate {
	var out []candidate
	r := c.res
	from := string(ev.From)
	org := string(orgOr(ev))
	dmarcFails := false
	for _, o := range r.Receivers {
		dmarcFails = dmarcFails || o.View.Result == dmarc.ResultFail
	}
	spfID, spfStatus := r.SPF.Domain, r.SPF.Status

	// DKIM: repair an aligned signature that failed, else sign aligned.
	var broken *dmarc.Alignment
	for i := range ev.DKIM {
		if ev.DKIM[i].Aligned && !ev.DKIM[i].Pass {
			broken = &ev.DKIM[i]
			break
		}
	}
	switch {
	case broken != nil:
		reason, cause := "", dkim.Cause("")
		for _, d := range r.DKIM {
			if d.DKIM.Domain == broken.Domain && d.DKIM.Selector == broken.Selector {
				reason, cause = d.DKIM.Reason, d.DKIM.Cause
			}
		}
		cd := candidate{fix: report.Fix{Via: "dkim", Title: fmt.Sprintf("repair the aligned DKIM signature d=%s s=%s", broken.Domain, broken.Selector),
			Steps: []string{fmt.Sprintf("It is aligned with %s but gives %s: %s", from, broken.AuthResult, reason)}},
			dkim: &DomainSelector{string(broken.Domain), broken.Selector}}
		if step := dkimRepair(r.DKIM, broken); step != "" {
			cd.fix.Steps = append(cd.fix.Steps, step)
		}
		switch cause {
		case dkim.CauseKeyNotFound, dkim.CauseKeyMismatch, dkim.CauseKeyRevoked, dkim.CauseKeyTooShort, dkim.CauseKeySyntax:
			cd.records = []string{dkimRecord(broken.Selector, string(broken.Domain))}
		}
		out = append(out, cd)
	case dmarcFails || !c.dkimPasses():
		sel, esp := "s1", ""
		for _, a := range ev.DKIM {
			if a.Pass && !a.Aligned {
				sel, esp = a.Selector, string(a.Domain)
				break
			}
		}
		f := report.Fix{Via: "dkim", Title: fmt.Sprintf("sign with DKIM d=%s", from)}
		if esp != "" {
			f.Steps = append(f.Steps, fmt.Sprintf("Your ESP signs with its own domain (d=%s). Turn on custom DKIM / domain authentication in the ESP so it signs with d=%s.", esp, from))
		} else {
			f.Steps = append(f.Steps, fmt.Sprintf("Have the sending platform sign every message with d=%s.", from))
		}
		if org != from && (ev.Found.Record == nil || ev.Found.Record.ADKIM == dmarc.AlignRelaxed) {
			f.Steps = append(f.Steps, fmt.Sprintf("Under relaxed alignment (adkim=r) d=%s, or any domain under it, aligns as well.", org))
		}
		f.Steps = append(f.Steps, fmt.Sprintf("Publish the public key the ESP gives you at %s._domainkey.%s (often a CNAME to a record the ESP hosts), then check it with: preflight dkim --domain %s --selector %s", sel, from, from, sel))
		out = append(out, candidate{fix: f, records: []string{dkimRecord(sel, from)}, dkim: &DomainSelector{from, sel}})
	}

	// SPF: align the MAIL FROM domain; authorise the sending IP.
	ips := c.failingIPs()
	switch {
	case spfID == "":
		out = append(out, candidate{fix: report.Fix{Via: "spf", Title: fmt.Sprintf("send with a Return-Path on %s (custom bounce domain)", org),
			Steps: []string{"The MAIL FROM is unknown; once it is a subdomain of " + org + " whose SPF authorises the ESP, SPF aligns. Re-run with --mail-from to check."}},
			unprovable: "the MAIL FROM is unknown (give --mail-from)"})
	case !ev.SPF.Aligned && ev.Found.Record != nil && ev.Found.Record.ASPF == dmarc.AlignStrict:
		rec, err := c.spfRecordWith(ctx, from, c.authorisation(spfID, org, ips))
		cd := candidate{fix: report.Fix{Via: "spf", Title: fmt.Sprintf("send with a Return-Path at %s itself (aspf=s)", from),
			Steps: []string{
				fmt.Sprintf("The bounce address is at %s; aspf=s requires the MAIL FROM domain to be exactly %s, so a subdomain Return-Path would not align either.", spfID, from),
				fmt.Sprintf("Have the ESP use a bounce address @%s and publish %s's SPF record as below; or relax the policy to aspf=r and use a custom Return-Path such as bounce.%s.", from, from, from),
			}, Records: nil}, mailFrom: "bounce@" + from}
		if err != "" {
			cd.unprovable = err
		} else {
			cd.records = []string{rec}
		}
		out = append(out, cd)
	case !ev.SPF.Aligned && (dmarcFails || !c.alignedPass(ev)):
		bounce := "bounce." + from
		auth := c.authorisation(spfID, org, ips)
		cd := candidate{fix: report.Fix{Via: "spf", Title: fmt.Sprintf("use a custom Return-Path such as %s, pointed at the ESP", bounce),
			Steps: []string{
				fmt.Sprintf("The bounce address is at %s, which is not aligned with %s. Set a custom Return-Path (bounce/MAIL FROM domain) in the ESP on a subdomain of %s.", spfID, from, org),
				fmt.Sprintf("Publish SPF for it that authorises the ESP (the ESP may instead ask for a CNAME or MX at %s).", bounce),
			}}, mailFrom: "bounce@" + bounce}
		if auth == "" {
			cd.unprovable = "no sending IP is known (give --ip)"
		} else {
			cd.records = []string{spfLine(bounce, "v=spf1 "+auth+" -all")}
		}
		out = append(out, cd)
	}
	if spfID != "" && spfStatus != spf.StatusPass && spfStatus != spf.StatusTempError && spfStatus != spf.StatusPermError && !r.SPF.HELO {
		terms := ipTerms(ips)
		cd := candidate{fix: report.Fix{Via: "spf", Title: fmt.Sprintf("authorise the sending IP in %s's SPF record", spfID)}}
		if ev.SPF.Aligned {
			cd.fix.Steps = append(cd.fix.Steps, fmt.Sprintf("SPF for %s is aligned with %s but gives %s.", spfID, from, ev.SPF.AuthResult))
		} else {
			cd.fix.Steps = append(cd.fix.Steps, fmt.Sprintf("SPF for %s gives %s: the IP is not authorised (some receivers refuse that on its own). %s is not under %s: if it is the ESP's domain, ask the ESP to authorise the IP.", spfID, spfStatus, spfID, org))
		}
		if len(ips) == 0 {
			cd.unprovable = "no sending IP is known (give --ip)"
			cd.fix.Steps = append(cd.fix.Steps, fmt.Sprintf("Add the sending IP (ip4:/ip6:) or the ESP's include: to %s's SPF record.", spfID))
		} else if rec, err := c.spfRecordWith(ctx, spfID, terms); err != "" {
			cd.unprovable = err
		} else {
			cd.fix.Steps = append(cd.fix.Steps, fmt.Sprintf("Publish the record below: it adds %s (the ESP's include: works as well, if its SPF lists the IP).", terms))
			cd.records = []string{rec}
		}
		out = append(out, cd)
	}

	// DMARC: a record, where bulk rules ask for one.
	if ev.Found.Status != dmarc.DiscoveryFound && ev.Found.Status != dmarc.DiscoveryTempError && c.bulkWants("bulk-dmarc-record", "bulk-dmarc") {
		out = append(out, candidate{fix: report.Fix{Via: "dmarc", Title: fmt.Sprintf("publish a DMARC record for %s", org),
			Steps: []string{fmt.Sprintf("Bulk senders need a DMARC record; p=none is enough to start. Move to quarantine or reject once the reports sent to rua= show your mail aligns.")}},
			records: []string{txtLine("_dmarc."+org, fmt.Sprintf("v=DMARC1; p=none; rua=mailto:dmarc-reports@%s", org))}})
	}
	for i := range out {
		out[i].fix.Records = out[i].records
		if out[i].mailFrom != "" {
			out[i].fix.MailFrom = out[i].mailFrom
		}
		if d := out[i].dkim; d != nil {
			out[i].fix.DKIM = d.Domain + ":" + d.Selector
		}
	}
	return out
}

// dkimPasses reports whether every receiver counts some DKIM pass.
func (c *run) dkimPasses() bool {
	for _, o := range c.res.Receivers {
		pass := false
		for _, s := range o.DKIM {
			pass = pass || s.Judged == dkim.StatusPass
		}
		if !pass {
			return false
		}
	}
	return true
}

// alignedPass reports whether some identifier passes in alignment.
func (c *run) alignedPass(ev *dmarc.Evaluation) bool {
	if ev.SPF.Counts {
		return true
	}
	for _, a := range ev.DKIM {
		if a.Counts {
			return true
		}
	}
	return false
}

// bulkWants reports whether a receiver's verdict has one of the named
// bulk paths.
func (c *run) bulkWants(names ...string) bool {
	for _, o := range c.res.Receivers {
		for _, p := range o.Verdict.Paths {
			for _, n := range names {
				if p.Name == n {
					return true
				}
			}
		}
	}
	return false
}

// authorisation is the SPF term that authorises the sender for a new
// record: include: of the current MAIL FROM domain when it is the ESP's
// (outside the brand's organizational domain) and its SPF passes, else the
// sending IPs; "" when neither is known.
func (c *run) authorisation(spfID, org string, ips []netip.Addr) string {
	if spfID != "" && spfID != org && !strings.HasSuffix(spfID, "."+org) && c.res.SPF.Status == spf.StatusPass {
		return "include:" + spfID
	}
	if len(ips) == 0 {
		return ""
	}
	return ipTerms(ips)
}

// spfRecordWith returns the complete SPF record of domain with terms added
// before its all term (or its redirect=, or at the end), as a zone line;
// a new record "v=spf1 TERMS -all" when it has none. why is set when the
// record cannot be read (a temporary DNS failure, several records).
func (c *run) spfRecordWith(ctx context.Context, domain, terms string) (line, why string) {
	if terms == "" {
		return "", "no sending IP is known (give --ip)"
	}
	res, err := c.cfg.Resolver.Lookup(ctx, domain, dns.TypeTXT)
	if err != nil {
		return "", fmt.Sprintf("the SPF record of %s could not be read: %v", domain, err)
	}
	var recs []string
	for _, t := range res.TXT() {
		if f := strings.Fields(t); len(f) > 0 && strings.EqualFold(f[0], "v=spf1") {
			recs = append(recs, t)
		}
	}
	switch len(recs) {
	case 0:
		return spfLine(domain, "v=spf1 "+terms+" -all"), ""
	case 1:
	default:
		return "", fmt.Sprintf("%s has %d SPF records; keep one first", domain, len(recs))
	}
	fields := strings.Fields(recs[0])
	at := len(fields)
	for i, f := range fields {
		l := strings.ToLower(strings.TrimLeft(f, "+-~?"))
		if l == "all" || strings.HasPrefix(l, "redirect=") {
			at = i
			break
		}
	}
	for _, t := range strings.Fields(terms) {
		for _, f := range fields {
			if strings.EqualFold(f, t) {
				return spfLine(domain, recs[0]), ""
			}
		}
	}
	out := append(append(append([]string{}, fields[:at]...), strings.Fields(terms)...), fields[at:]...)
	return spfLine(domain, strings.Join(out, " ")), ""
}

// spfLine and txtLine write a TXT record as a zone line, split into
// character-strings of at most 255 octets (RFC 1035 §3.3.14).
func spfLine(domain, record string) string { return txtLine(domain, record) }

func txtLine(name, text string) string {
	var parts []string
	for len(text) > 255 {
		parts = append(parts, text[:255])
		text = text[255:]
	}
	parts = append(parts, text)
	for i, p := range parts {
		parts[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p) + `"`
	}
	return fmt.Sprintf("%s. TXT %s", name, strings.Join(parts, " "))
}

func dkimRecord(selector, domain string) string {
	return fmt.Sprintf("%s._domainkey.%s. TXT \"v=DKIM1; k=rsa; p=%s\"", selector, domain, espKeyPlaceholder)
}
