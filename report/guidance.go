package report

import (
	"strings"

	"preflight/dmarc"
	"preflight/dns"
)

// Guidance is a receiver's own advice for a report it would not accept as
// it is: what to check, what the receiver is known to do, where to register
// as a sender. Every item says where it comes from, as research/receivers.md
// grades it, so that a reader can weigh it.
type Guidance struct {
	Title string         `json:"title"`
	Items []GuidanceItem `json:"items"`
}

// GuidanceItem is one piece of advice.
type GuidanceItem struct {
	Text       string `json:"text"`
	Provenance string `json:"provenance"` // documented, third-party, inferred
	Confidence string `json:"confidence"` // high … low, receivers.md's scale
	Source     string `json:"source,omitempty"`
}

// QQ's postmaster service, where senders register their domains and IPs.
const qqPostmaster = "https://openmail.qq.com/"

// GuidanceFor returns the receiver's guidance for r in l, or nil when there
// is none: today QQ Mail's, for a message it would reject or junk (its two
// ways there are DMARC and its SPF-only rejection).
func GuidanceFor(l Lang, r *Report) *Guidance {
	if r == nil || r.Error != "" || r.Verdict.Receiver != "qq" {
		return nil
	}
	d := r.Verdict.Disposition
	if d != "reject" && d != "quarantine" {
		return nil
	}
	spfPath := false
	for _, p := range r.Verdict.Paths {
		if p.Name == "spf" && p.Disposition == "reject" {
			spfPath = true
		}
	}
	g := &Guidance{Title: T(l, "QQ Mail: what QQ asks of senders")}
	add := func(text, prov, conf, src string) {
		g.Items = append(g.Items, GuidanceItem{Text: text, Provenance: prov, Confidence: conf, Source: src})
	}
	from := orDash(r.Message.FromDomain)
	if spfPath {
		add(T(l, "QQ rejects mail whose MAIL FROM domain fails SPF on its own, whatever the DMARC policy says: authorise the sending IP in the SPF record of %s first.", orDash(r.SPF.Domain)),
			"third-party", "medium", "https://service.mail.qq.com/detail/122/72; https://github.com/elttwl/smtp-server (2025 bounce)")
	} else {
		add(T(l, "Check SPF, DKIM and DMARC alignment as listed above: QQ applies %s's DMARC policy, and one identifier that passes and is aligned with %s is enough.", from, from),
			"third-party", "medium", "https://smtp.codes/qq; https://open.work.weixin.qq.com/help2/pc/19819")
	}
	if d == "quarantine" {
		add(T(l, "Under p=quarantine QQ accepts the message and then files it as spam or intercepts it without a bounce; the recipient finds it under 自助查询 → 收件查询 → 被系统拦截."),
			"third-party", "low-medium", "https://open.work.weixin.qq.com/help2/pc/19820; https://blog.csdn.net/m0_37263637/article/details/87874029")
	}
	add(T(l, "QQ may keep using a cached SPF result for up to about 12 hours: after an SPF change, test again later before concluding that it did not work."),
		"third-party", "low-medium", "https://service.mail.qq.com/detail/122/72")
	// The Return-Path domain to register: the MAIL FROM domain when it is
	// the sender's own (under the From domain's organizational domain),
	// else the custom Return-Path a fix proposes.
	rp := ""
	if mf := r.Envelope.MailFromDomain; mf != "" && mf != r.Message.FromDomain && sameOrg(mf, r.Message.FromDomain) {
		rp = mf
	}
	for _, f := range r.Fixes {
		if at := strings.LastIndexByte(f.MailFrom, '@'); rp == "" && at >= 0 {
			rp = f.MailFrom[at+1:]
		}
	}
	text := T(l, "Register the sending domain %s and the sending IPs with QQ's postmaster service, %s (log in with a QQ account; whitelisting asks for the company name on the business licence, a contact and an ICP number).", from, qqPostmaster)
	if rp != "" {
		text += T(l, " Register the Return-Path domain %s there too.", rp)
	}
	text += T(l, " Third-party sources advise this; no Tencent page says so.")
	add(text, "third-party", "medium", "https://smtp.codes/qq; https://www.spamresource.com/2024/05/mbp-spotlight-qqcom.html; https://docslib.org/doc/2580406/tencent-qq-is-one-of-the-two-larger-isps-located-in-china-they-offer-a")
	return g
}

// sameOrg reports whether a and b have the same organizational domain.
func sameOrg(a, b string) bool {
	da, err1 := dns.ParseDomain(a)
	db, err2 := dns.ParseDomain(b)
	if err1 != nil || err2 != nil {
		return false
	}
	oa, ok1 := dmarc.OrgDomain(da)
	ob, ok2 := dmarc.OrgDomain(db)
	return ok1 && ok2 && oa == ob
}
