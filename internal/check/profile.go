package check

import (
	"fmt"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/report"
)

// Profile adapts a receiver profile for the pipeline.
type Profile struct {
	Name string
}

func (p *Profile) dmarcOptions() dmarc.Options {
	// QQ: no evidence of np=, t= or the RFC 9989 tree walk (receivers.md
	// a.4): RFC 7489 discovery, np and t ignored.
	return dmarc.RFC7489
}

// countsDKIM says whether the receiver counts a passing signature.
func (p *Profile) countsDKIM(s dkim.Result) (bool, string) {
	if s.Result != dkim.StatusPass {
		return false, ""
	}
	if s.Testing {
		return false, "the key is in testing mode (t=y): RFC 6376 §3.6.1 lets receivers treat the mail as unsigned (QQ: low confidence)"
	}
	return true, ""
}

const qqDMARCReply = "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16."

func (c *run) predict(ev *dmarc.Evaluation) {
	v := &c.rep.Verdict
	v.Receiver = c.cfg.Receiver.Name
	if ev == nil {
		v.Disposition, v.Confidence = "unknown", "low"
		v.Summary = "DMARC could not be evaluated (no usable From domain)"
		return
	}
	rule := func(id, text, prov, conf string) {
		v.Rules = append(v.Rules, report.Rule{ID: id, Text: text, Provenance: prov, Confidence: conf})
	}
	switch ev.Result {
	case dmarc.ResultTempError:
		v.Disposition, v.Confidence = "defer", "low"
		v.Summary = "a temporary DNS failure leaves the DMARC result unknown"
		return
	case dmarc.ResultFail:
		switch ev.Policy {
		case dmarc.PolicyReject:
			v.Disposition, v.Reject, v.SMTPReply, v.Confidence = "reject", true, qqDMARCReply, "medium"
			v.Summary = "DMARC fails and the policy is reject"
			rule("qq.dmarc-reject", "DMARC fail under p=reject is rejected at end of DATA with 550 DMARC check failed", "third-party", "medium-high")
			if ev.Percent < 100 {
				v.Probability = float64(ev.Percent) / 100
				rule("qq.pct", "pct below 100: RFC 7489 §6.6.4 sampling assumed", "inferred", "low")
			}
		case dmarc.PolicyQuarantine:
			v.Disposition, v.Confidence = "quarantine", "low"
			v.Summary = "DMARC fails and the policy is quarantine: accepted, then junked"
			rule("qq.dmarc-quarantine", "p=quarantine failures are accepted and delivered to spam or intercepted", "documented", "low-medium")
		default:
			v.Disposition, v.Confidence = "accept", "medium"
			v.Summary = "DMARC fails but the policy is none: no DMARC rejection"
		}
	default:
		v.Disposition, v.Confidence = "accept", "medium"
		v.Summary = "DMARC " + string(ev.Result)
	}
	if c.rep.SPF.Result == "fail" && !c.rep.SPF.Assumed && !v.Reject && c.cfg.Receiver.Name == "qq" {
		ip := "<sending IP>"
		for _, p := range c.rep.SPF.PerIP {
			if p.Result == "fail" {
				ip = p.IP
				break
			}
		}
		reply := "550 SPF check failed [… IP: " + ip + "]. https://service.mail.qq.com/detail/122/72."
		v.Disposition, v.Reject, v.SMTPReply, v.Confidence = "reject", true, reply, "medium"
		v.Summary = "SPF fails for the MAIL FROM domain: QQ rejects on SPF alone"
		rule("qq.spf-reject", "SPF fail on the MAIL FROM domain is rejected with 550 SPF check failed, even without DMARC enforcement", "third-party", "medium")
	}
}

// ProfileNames lists the receiver profiles.
func ProfileNames() []string { return []string{"qq", "rfc"} }

// LookupProfile returns the named profile.
func LookupProfile(name string) (*Profile, error) {
	for _, n := range ProfileNames() {
		if n == name {
			return &Profile{Name: name}, nil
		}
	}
	return nil, fmt.Errorf("unknown receiver %q (use %s)", name, strings.Join(ProfileNames(), ", "))
}
