package receiver

import (
	"strings"

	"preflight/dmarc"
)

// ProfileRule is one rule of a profile as `preflight receivers` lists it:
// the case it covers, what the receiver does then, and its reply.
type ProfileRule struct {
	// Case names the situation in a few words ("DMARC fails under
	// p=reject", "bulk: SPF does not pass").
	Case string
	// Disposition is what the receiver does in that case; "" for rules
	// that adjust an evaluation or state a fact.
	Disposition Disposition
	// Reply is the reply the receiver sends, with example values in place
	// of its placeholders (ExampleReply); "" when none is known or it
	// answers 250.
	Reply string
	Rule  Rule
}

// Rules lists every rule of the profile, in a stable order: DMARC
// discovery and outcomes, the rules outside DMARC, the DKIM adjustments,
// the bulk-sender requirements, then the facts. Rules a profile does not
// have are left out.
func (p *Profile) Rules() []ProfileRule {
	var out []ProfileRule
	act := func(c string, a *Action) {
		if a != nil && a.Rule.ID != "" {
			out = append(out, ProfileRule{Case: c, Disposition: a.Disposition, Reply: ExampleReply(a.Reply), Rule: a.Rule})
		}
	}
	rule := func(c string, r *Rule) {
		if r != nil && r.ID != "" {
			out = append(out, ProfileRule{Case: c, Rule: *r})
		}
	}
	rule("DMARC discovery", &p.DMARCRule)
	act("DMARC passes", &p.OnPass)
	for _, pol := range []dmarc.Policy{dmarc.PolicyReject, dmarc.PolicyQuarantine, dmarc.PolicyNone} {
		if a, ok := p.OnFail[pol]; ok {
			act("DMARC fails under p="+string(pol), &a)
		}
	}
	act("no DMARC record", &p.OnNoRecord)
	rule("several DMARC records", &p.MultipleRecords)
	act("DMARC temperror", &p.OnTempError)
	act("DMARC permerror", &p.OnPermError)
	rule("pct= below 100", p.Pct)
	rule("subdomain policy", p.Subdomain)
	act("SPF fails (MAIL FROM)", p.SPFFail)
	rule("SPF fails, DMARC passes", p.SPFFailDMARCPass)
	rule("SPF softfail", p.SPFSoftFail)
	rule("SPF temperror/permerror", p.SPFError)
	act("neither SPF nor DKIM passes", p.Unauthenticated)
	act("From or MAIL FROM domain does not exist", p.NoDomain)
	act("several From addresses", p.MultipleFrom)
	if p.MinRSABits > 0 {
		rule("DKIM RSA key too short", &p.MinRSARule)
	}
	if p.IgnoreTestingKeys {
		rule("DKIM key with t=y", &p.TestingRule)
	}
	if len(p.Unverified) > 0 {
		rule("DKIM "+strings.Join(p.Unverified, ", "), &p.UnverifiedRule)
	}
	if b := p.Bulk; b != nil {
		rule("bulk: who is a bulk sender", &b.Threshold)
		seen := map[string]bool{}
		for _, r := range []struct {
			c string
			a *Action
		}{
			{"bulk: SPF does not pass", b.SPF}, {"bulk: DKIM does not pass", b.DKIM},
			{"bulk: no DMARC record", b.DMARCRecord}, {"bulk: From not aligned", b.Alignment},
			{"bulk: DMARC does not pass", b.DMARCPass}, {"bulk: no List-Unsubscribe", b.ListUnsubscribe},
			{"bulk: no one-click unsubscribe", b.OneClick}, {"bulk: no forward-confirmed reverse DNS", b.FCrDNS},
		} {
			if r.a == nil {
				continue
			}
			if seen[r.a.Rule.ID] {
				// One reply for several requirements (Outlook.com):
				// name every case on the one entry.
				for i := range out {
					if out[i].Rule.ID == r.a.Rule.ID {
						out[i].Case += "; " + strings.TrimPrefix(r.c, "bulk: ")
					}
				}
				continue
			}
			seen[r.a.Rule.ID] = true
			act(r.c, r.a)
		}
	}
	for i := range p.Facts {
		rule("fact", &p.Facts[i])
	}
	return out
}

// Count returns how many of the profile's rules are documented, from third
// parties, and inferred.
func (p *Profile) Count() (documented, thirdParty, inferred int) {
	for _, r := range p.Rules() {
		switch r.Rule.Provenance {
		case Documented:
			documented++
		case ThirdParty:
			thirdParty++
		default:
			inferred++
		}
	}
	return
}

// ExampleReply fills a reply template with example values (brand.example,
// 192.0.2.10, a failing SPF and DMARC), as `preflight receivers` shows it.
func ExampleReply(reply string) string {
	return strings.NewReplacer("{domain}", "brand.example", "{DOMAIN}", "BRAND.EXAMPLE", "{ip}", "192.0.2.10",
		"{mailfrom}", "bounce.brand.example", "{Spf}", "Fail", "{Dkim}", "Pass", "{Dmarc}", "Fail").Replace(reply)
}
