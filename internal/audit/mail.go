package audit

import (
	"fmt"
	"sort"
	"strings"

	"preflight/dkim"
	"preflight/dns"
	"preflight/report"
	"preflight/spf"
)

// concludeMX fills the MX model and says whether the domain exists: the
// MX question is asked of the domain itself, so its NXDOMAIN is the
// domain's.
func (r *run) concludeMX() {
	m, l, d := &r.a.MX, r.mx, r.d.String()
	switch {
	case l.err != nil && dns.IsTemporary(l.err):
		m.Status, m.Error, r.a.Exists = "temperror", plain(l.err), "unknown"
		r.finding("domain.temperror",
			fmt.Sprintf("The MX lookup of %s failed (%s): whether the domain exists and receives mail is unknown.", d, m.Error), retryFix)
	case l.err != nil:
		m.Status, m.Error, r.a.Exists = "temperror", plain(l.err), "unknown"
		r.finding("domain.temperror", fmt.Sprintf("The MX of %s could not be asked (%s).", d, m.Error), retryFix)
	case l.res.Status == dns.StatusNXDomain:
		m.Status, r.a.Exists = "nxdomain", "nxdomain"
		r.finding("domain.nxdomain",
			fmt.Sprintf("%s does not exist: DNS answers NXDOMAIN for it. Receivers refuse mail from a domain that does not exist, and it has no DMARC, SPF or DKIM of its own.", d),
			"Check the spelling. To send as this domain, register it (or create the subdomain) and publish its records: DMARC, SPF, MX and the ESP's DKIM key.")
	case l.res.Status == dns.StatusNoData:
		m.Status, r.a.Exists = "none", "yes"
		for _, al := range r.addrs {
			if al.err == nil {
				for _, ip := range al.res.IPs() {
					m.Addresses = append(m.Addresses, ip.String())
				}
			}
		}
		detail := fmt.Sprintf("%s has no MX record and no A or AAAA record either: it cannot receive mail, so replies and bounces to it are lost, and receivers that check that a sender's domain can receive mail may refuse it.", d)
		if len(m.Addresses) > 0 {
			detail = fmt.Sprintf("%s has no MX record: mail to it (replies, bounces) goes to its address %s (RFC 5321 §5.1), which rarely runs a mail server.", d, strings.Join(m.Addresses, ", "))
		}
		r.finding("domain.no-mx", detail,
			"Publish an MX record pointing at the provider that receives the domain's mail or, if the domain receives no mail, a null MX (RFC 7505):",
			d+". MX 0 .")
	default:
		r.a.Exists = "yes"
		recs := append([]dns.Record(nil), l.res.Records...)
		sort.SliceStable(recs, func(i, j int) bool {
			if recs[i].Pref != recs[j].Pref {
				return recs[i].Pref < recs[j].Pref
			}
			return recs[i].Target < recs[j].Target
		})
		for _, rec := range recs {
			m.Hosts = append(m.Hosts, rec.Data)
		}
		m.Status = "found"
		if len(recs) == 1 && recs[0].Target == "" {
			m.Status = "null"
			if r.spf != nil && r.spf.Status == "" && len(r.spf.Networks) > 0 {
				r.finding("domain.null-mx-sends",
					fmt.Sprintf("%s publishes a null MX (RFC 7505), yet its SPF record authorises senders: bounces to it are refused, and RFC 7505 §4.2 lets receivers refuse mail whose MAIL FROM is at a null-MX domain.", d),
					"Send with a Return-Path (MAIL FROM) at a domain that accepts bounces, or remove the null MX if the domain does receive mail.")
			} else {
				r.finding("domain.null-mx",
					fmt.Sprintf("%s publishes a null MX (RFC 7505): it receives no mail. Fine for a domain that sends no mail; a sending domain needs its Return-Path elsewhere.", d), "")
			}
		}
	}
}

// concludeSPF fills the SPF model from the static analysis and adds its
// warnings (catalogued findings), with a fix for each error.
func (r *run) concludeSPF() {
	an, m, d := r.spf, &r.a.SPF, r.d.String()
	if an == nil {
		return
	}
	sa := report.NewSPFAnalysis(an)
	m.Record, m.Lookups, m.VoidLookups4, m.VoidLookups6 = sa.Record, sa.Lookups, sa.VoidLookups4, sa.VoidLookups6
	m.Networks, m.Unflattenable, m.Terms = sa.Networks, sa.Unflattenable, sa.Terms
	m.All = allOf(an.Record)
	switch an.Status {
	case "":
		m.Status = "found"
	case spf.StatusNone:
		m.Status, m.Error = "none", d+" publishes no SPF record"
		if !r.nxdomain() {
			r.finding("spf.no-record",
				fmt.Sprintf("%s publishes no SPF record: mail with a Return-Path at %s cannot pass SPF, and receivers cannot tell its real senders from forgers.", d, d),
				"Publish an SPF record that lists every service that sends as the domain (e.g. include: your ESP's SPF domain), ending in -all; a domain that sends no mail publishes:",
				d+". TXT \"v=spf1 -all\"")
		}
	case spf.StatusPermError:
		m.Status, m.Error = "permerror", plain(an.Err)
	default:
		m.Status, m.Error = "temperror", plain(an.Err)
	}
	if r.nxdomain() {
		return
	}
	for _, w := range an.Warnings {
		f := w.Finding
		if f.Severity == report.SeverityError && f.Fix == "" {
			f.Fix = spfFix(f.ID)
		}
		r.adopt(f)
	}
}

// allOf says what hosts no term lists get under record: the qualifier of
// its all term, "redirect" when redirect= decides, "" otherwise.
func allOf(record string) string {
	rec, err := spf.Parse(record)
	if err != nil || rec == nil {
		return ""
	}
	for _, t := range rec.Directives() {
		if t.Mechanism == spf.MechAll {
			return string(t.Qualifier.Result())
		}
	}
	if _, ok := rec.Redirect(); ok {
		return "redirect"
	}
	return ""
}

func spfFix(id string) string {
	switch id {
	case "spf.all-pass":
		return "End the record in -all (or ~all while you confirm the list of senders): +all authorises every host on the internet."
	case "spf.lookup-limit":
		return "Remove includes of services you no longer use, replace an include that costs several lookups with the ip4:/ip6: ranges it lists (and re-check when the service changes them), or move some senders to a subdomain with its own record."
	case "spf.void-limit":
		return "Remove the terms that find nothing (a, mx or include of names without records)."
	case "spf.include-missing":
		return "Remove the include (or redirect) of a name that has no SPF record, or correct its spelling."
	case "spf.multiple-records":
		return "Merge the records into one: a domain publishes exactly one v=spf1 record."
	case "spf.mx-too-many":
		return "Use ip4:/ip6: ranges instead of this mx term, or reduce the MX set to 10 names."
	case "spf.loop":
		return "Remove the include or redirect that leads back to a record already being evaluated."
	case "spf.temperror":
		return retryFix
	}
	return "Correct the SPF record as the detail says."
}

// concludeDKIM turns the key checks into the model. A missing or unusable
// key at a selector asked for by name is a problem; at a common selector
// it is only listed (selectors are free names, and revoked keys are left
// behind by rotations).
func (r *run) concludeDKIM() {
	usable, named := false, false
	for i, k := range r.keys {
		common := r.common[i]
		named = named || !common
		dk := report.DomainDKIM{Selector: k.Selector, Name: k.KeyRecord, Result: string(k.Result), Cause: string(k.Cause),
			Algorithm: k.Algorithm, KeyBits: k.KeyBits, Testing: k.Testing, Reason: k.Reason, Common: common}
		switch {
		case k.Result == dkim.StatusPass:
			dk.Status, usable = "ok", true
			r.adopt(k.Findings...)
		case k.Result == dkim.StatusTempError:
			dk.Status = "temperror"
			r.finding("dkim.key-temporary", k.Reason, retryFix)
		case k.Cause == dkim.CauseKeyNotFound:
			dk.Status = "none"
			if !common && !r.nxdomain() {
				r.finding("dkim.key-not-found", k.Reason,
					fmt.Sprintf("Publish the public key your ESP gives you at %s (often a CNAME to a record the ESP hosts), or check the selector's spelling in the ESP's DKIM settings.", k.KeyRecord))
			}
		default:
			dk.Status = "invalid"
			if !common {
				r.finding("dkim."+string(k.Cause), k.Reason, dkimFix(k))
			}
		}
		r.a.DKIM = append(r.a.DKIM, dk)
	}
	if r.cfg.Common && !usable && !r.nxdomain() {
		what := "any of the common selectors"
		if named {
			what = "any selector given or common"
		}
		r.finding("dkim.no-common-selector",
			fmt.Sprintf("%s has no usable DKIM key at %s (%s). Selectors are free names, so this proves nothing: the ESP's DKIM settings name the one it signs with.", r.d, what, strings.Join(CommonSelectors, ", ")), "")
	}
}

func dkimFix(k dkim.Result) string {
	switch k.Cause {
	case dkim.CauseKeyTooShort:
		return fmt.Sprintf("Generate a 2048-bit RSA key, publish it under a new selector of %s and switch signing to it.", k.Domain)
	case dkim.CauseKeyRevoked:
		return fmt.Sprintf("If %s was retired on purpose, make sure nothing signs with it any more; otherwise publish the current key there.", k.KeyRecord)
	case dkim.CauseKeyMultiple:
		return fmt.Sprintf("Keep exactly one TXT record at %s.", k.KeyRecord)
	}
	return fmt.Sprintf("Publish a usable key at %s (the ESP's DKIM settings give the record).", k.KeyRecord)
}
