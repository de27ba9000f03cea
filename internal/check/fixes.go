package check

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/spf"
)

// findingsAndFixes explains the DMARC outcome: what is missing, and the
// changes that would make the message pass (any one is enough).
func (c *run) findingsAndFixes(ctx context.Context, ev *dmarc.Evaluation) {
	r := c.res
	from := string(ev.From)
	switch ev.Found.Status {
	case dmarc.DiscoveryNone:
		c.find(finding("dmarc.no-record", fmt.Sprintf("Neither _dmarc.%s nor its organizational domain publishes a DMARC record, so receivers apply no DMARC policy. Gmail and Yahoo require one from bulk senders.", from),
			fmt.Sprintf("Publish at least: _dmarc.%s. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\" and move to quarantine/reject once reports show your mail aligns.", orgOr(ev), orgOr(ev))))
	case dmarc.DiscoveryMultiple:
		c.find(finding("dmarc.multiple-records", c.multipleDetail(ev),
			fmt.Sprintf("Delete all but one v=DMARC1 TXT record at _dmarc.%s.", ev.Found.RecordDomain)))
	case dmarc.DiscoveryInvalid:
		c.find(finding("dmarc.invalid-record", fmt.Sprintf("The DMARC record at _dmarc.%s cannot be parsed: %v", ev.Found.RecordDomain, ev.Found.Err),
			"Correct the record: it must start with v=DMARC1; and use tag=value pairs separated by semicolons, e.g. v=DMARC1; p=reject; rua=mailto:dmarc@"+from))
	case dmarc.DiscoveryNoPolicy:
		c.find(finding("dmarc.no-policy", fmt.Sprintf("The DMARC record at _dmarc.%s has no valid p= tag: %v", ev.Found.RecordDomain, ev.Found.Err),
			"Add p=none, p=quarantine or p=reject right after v=DMARC1;"))
	case dmarc.DiscoveryTempError:
		if c.notRecorded(ev.Found.Err) {
			break // dns.not-recorded says it, with the fix that helps
		}
		c.find(finding("dmarc.temperror", fmt.Sprintf("Looking up the DMARC record failed temporarily: %v. The receiver would defer or decide without it; preflight cannot tell.", ev.Found.Err),
			"Retry; if it persists, check the authoritative name servers of "+from+" (preflight lookup TXT _dmarc."+from+")."))
	}
	if rec := ev.Found.Record; rec != nil {
		for _, f := range dmarc.Lint(rec) {
			c.find(f)
		}
	}
	if a := r.DMARC.Alternative(); a != nil {
		c.find(finding("dmarc.discovery-differs", fmt.Sprintf("%s discovery finds %s at _dmarc.%s (organizational domain %s); %s %s. The verdict uses %s, as the receiver does.",
			ev.Method, quoteOr(ev.Found.RecordText), ev.Found.RecordDomain, ev.OrgDomain, a.Method, a.Finds(), ev.Method), ""))
	}

	c.spfFindings(ctx)

	if ev.Result == dmarc.ResultPass {
		if n := countAligned(ev); n == 1 {
			via := "DKIM"
			if ev.SPF.Counts {
				via = "SPF"
			}
			c.find(finding("dmarc.single-aligned", fmt.Sprintf("DMARC passes through aligned %s only. %s", via, singleNote(via)), ""))
		}
		return
	}
	if ev.Result != dmarc.ResultFail {
		return
	}

	// DMARC fails: name what is missing; the fixes are proposed and
	// proven in proveFixes, which emits the finding with them.
	var missing []string
	missing = append(missing, ev.SPF.Explanation)
	if len(ev.DKIM) == 0 {
		missing = append(missing, "no DKIM signature")
	}
	for _, a := range ev.DKIM {
		missing = append(missing, a.Explanation)
	}
	c.dmarcMissing = fmt.Sprintf("DMARC needs SPF or DKIM to pass for a domain aligned with %s. %s.", from, strings.Join(missing, "; "))
}

func quoteOr(s string) string {
	if s == "" {
		return "no record"
	}
	return fmt.Sprintf("%q", s)
}

func orgOr(ev *dmarc.Evaluation) dns.Domain {
	if ev.OrgDomain != "" {
		return ev.OrgDomain
	}
	return ev.From
}

func countAligned(ev *dmarc.Evaluation) int {
	n := 0
	if ev.SPF.Counts {
		n++
	}
	for _, a := range ev.DKIM {
		if a.Counts {
			n++
			break
		}
	}
	return n
}

func singleNote(via string) string {
	if via == "SPF" {
		return "Forwarding and mailing lists break SPF; an aligned DKIM signature makes the pass survive them."
	}
	return "That is enough; an aligned SPF (custom Return-Path) adds a second path should a signature break."
}

// spfFindings reports SPF problems that matter on their own (QQ rejects on
// SPF fail even without DMARC enforcement).
func (c *run) spfFindings(ctx context.Context) {
	s := c.res.SPF
	if s.Domain == "" || s.Assumed {
		return
	}
	failing := c.failingIPs()
	ips := joinIPs(failing)
	switch s.Status {
	case spf.StatusFail:
		c.find(finding("spf.fail", fmt.Sprintf("SPF fails for %s from %s (%s). %s", s.Domain, ips, s.Mechanism, c.spfRejecters()),
			c.authoriseFix(ctx, s.Domain, failing)))
	case spf.StatusSoftFail, spf.StatusNeutral:
		c.find(finding("spf.not-authorised", fmt.Sprintf("SPF gives %s for %s from %s (%s): the IP is not authorised, so SPF cannot count for DMARC.", s.Status, s.Domain, ips, s.Mechanism),
			c.authoriseFix(ctx, s.Domain, failing)))
	case spf.StatusNone:
		c.find(finding("spf.no-record", fmt.Sprintf("%s publishes no SPF record.", s.Domain),
			fmt.Sprintf("Publish %s. TXT \"v=spf1 %s -all\" (or the include: your ESP documents).", s.Domain, ipTerms(failing))))
	case spf.StatusPermError:
		c.find(finding("spf.permerror", fmt.Sprintf("SPF for %s is a permanent error: %s. Receivers treat it as no SPF at all (and some as fail).", s.Domain, errString(s.Err)),
			fmt.Sprintf("Run preflight spf %s to see the lookup budget and the faulty term, then correct the record.", s.Domain)))
	case spf.StatusTempError:
		if c.notRecorded(s.Err) {
			break
		}
		c.find(finding("spf.temperror", fmt.Sprintf("SPF for %s could not be evaluated: %s.", s.Domain, errString(s.Err)),
			"Retry; if it persists, check the name servers of "+s.Domain+" (preflight lookup TXT "+s.Domain+")."))
	}
}

// failingIPs returns the sending IPs whose SPF result is not pass, or all
// of them when none is known to pass or fail individually.
func (c *run) failingIPs() []netip.Addr {
	var out []netip.Addr
	for i, res := range c.res.SPF.PerIP {
		if res.Status != spf.StatusPass {
			out = append(out, c.res.Envelope.IPs[i])
		}
	}
	if len(out) == 0 {
		return c.res.Envelope.IPs
	}
	return out
}

func joinIPs(ips []netip.Addr) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ", ")
}

// ipTerms writes the SPF terms that authorise the IPs.
func ipTerms(ips []netip.Addr) string {
	if len(ips) == 0 {
		return "ip4:SENDING-IP"
	}
	var t []string
	for _, ip := range ips {
		if ip.Is4() {
			t = append(t, "ip4:"+ip.String())
		} else {
			t = append(t, "ip6:"+ip.String())
		}
	}
	return strings.Join(t, " ")
}

// dkimRepair suggests the change for a failing aligned signature by cause.
func dkimRepair(sigs []Signature, a *dmarc.Alignment) string {
	for _, s := range sigs {
		d := s.DKIM
		if d.Domain != a.Domain || d.Selector != a.Selector {
			continue
		}
		switch d.Cause {
		case dkim.CauseKeyNotFound:
			return fmt.Sprintf("Publish the public key at %s._domainkey.%s.", d.Selector, d.Domain)
		case dkim.CauseKeyMismatch:
			return fmt.Sprintf("Replace the TXT record at %s._domainkey.%s with the public key of the private key the ESP signs with.", d.Selector, d.Domain)
		case dkim.CauseBodyHash:
			return "Something changed the body after signing (a footer, link tracking, line endings): sign after the last change, or stop the change."
		case dkim.CauseSignature:
			return "A signed header changed after signing, or the key does not match: sign after the last header change, and check the key."
		case dkim.CauseKeyTooShort:
			return "Publish a 2048-bit RSA key and sign with it."
		case dkim.CauseExpired:
			return "Sign closer to sending or use a longer x= expiry."
		case dkim.CauseKeyRevoked:
			return "The key was revoked (p= empty): sign with a current selector."
		}
	}
	return ""
}

// multipleDetail explains several DMARC records: what the RFCs say, and
// which receivers would decide otherwise if they took the first record.
func (c *run) multipleDetail(ev *dmarc.Evaluation) string {
	f := ev.Found
	detail := fmt.Sprintf("_dmarc.%s has %d v=DMARC1 records. RFC 7489 §6.6.3 and RFC 9989 say to apply no DMARC policy then, and the verdict follows them; "+
		"no receiver documents what it does, and DMARC libraries differ (some take the first record the DNS answer lists).", f.RecordDomain, len(f.Several))
	var alt []string
	for _, o := range c.res.Receivers {
		for _, a := range o.Verdict.Alternatives {
			if a.Disposition != o.Verdict.Disposition {
				alt = append(alt, fmt.Sprintf("%s would %s", o.Profile.DisplayName(), a.Disposition))
				break
			}
		}
	}
	if len(alt) > 0 && len(f.Several) > 0 {
		detail += fmt.Sprintf(" Taking the first (%q): %s.", f.Several[0], strings.Join(alt, ", "))
	}
	return detail
}

// spfRejecters says which of the receivers reject on SPF fail alone.
func (c *run) spfRejecters() string {
	var who []string
	for _, o := range c.res.Receivers {
		for _, p := range o.Verdict.Paths {
			if p.Name == "spf" && p.Disposition == receiver.DispositionReject {
				who = append(who, fmt.Sprintf("%s (%s)", o.Profile.DisplayName(), replyHead(p.SMTPReply)))
			}
		}
	}
	if len(who) == 0 {
		return "None of the receivers checked rejects on SPF alone, but SPF cannot count for DMARC; QQ Mail and NetEase reject such mail even when DMARC does not ask for it."
	}
	return "Rejected on SPF alone, even when DMARC does not ask for it, by " + strings.Join(who, ", ") + "."
}

// replyHead is a reply's code and first words: "550 SPF check failed".
func replyHead(reply string) string {
	if i := strings.Index(reply, ". "); i > 0 {
		reply = reply[:i]
	}
	if len(reply) > 60 {
		reply = reply[:60] + "…"
	}
	return strings.TrimSuffix(reply, ".")
}

// authoriseFix says how to authorise the failing IPs in domain's SPF
// record: the complete record to publish, when it can be read.
func (c *run) authoriseFix(ctx context.Context, domain string, ips []netip.Addr) string {
	if rec, why := c.spfRecordWith(ctx, domain, ipTerms(ips)); why == "" && len(ips) > 0 {
		return fmt.Sprintf("Authorise the sending IP in %s's SPF record: publish %s (or add the ESP's include:, if its SPF lists the IP).", domain, rec)
	}
	return fmt.Sprintf("Authorise the sending IP in %s's SPF record (add %s, or include: your ESP's SPF domain).", domain, ipTerms(ips))
}

// notRecorded reports whether err is a question a replayed recording never
// saw (dns.ErrNotRecorded), and if so notes the question for the one
// dns.not-recorded finding (unrecordedFinding). Such a temperror must not
// say "retry, check the name servers": nothing is wrong with them, the
// recording is out of date.
func (c *run) notRecorded(err error) bool {
	if err == nil || !errors.Is(err, dns.ErrNotRecorded) {
		return false
	}
	q := "a question"
	var de *dns.Error
	if errors.As(err, &de) {
		q = de.Name + " " + de.Type.String()
	}
	if !slices.Contains(c.unrecorded, q) {
		c.unrecorded = append(c.unrecorded, q)
	}
	return true
}

// unrecordedFinding adds dns.not-recorded when the check met questions the
// replayed recording cannot answer.
func (c *run) unrecordedFinding() {
	if len(c.unrecorded) == 0 {
		return
	}
	c.find(finding("dns.not-recorded",
		fmt.Sprintf("%d question(s) this check asks are not recorded in the replayed recording (--zone): %s. Their answers are unknown, not absent, so no verdict rests on them (temperror, exit 3). The recording was made for other messages or flags, or before this template existed.",
			len(c.unrecorded), strings.Join(c.unrecorded, ", ")),
		"Refresh the recording against live DNS with the same messages and flags: preflight check … --record FILE (without --zone), then replay it with --zone FILE (README: Recording and replaying DNS)."))
}
