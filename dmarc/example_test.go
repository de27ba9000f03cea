package dmarc_test

import (
	"context"
	"fmt"

	"preflight/dmarc"
	"preflight/dns"
)

// An ESP sends for brand.example with its own Return-Path and DKIM domain:
// both pass, neither aligns, and p=reject applies.
func Example() {
	zone, _ := dns.ParseZone(`_dmarc.brand.example. 300 IN TXT "v=DMARC1; p=reject"`, "example")
	ctx := context.Background()
	d, err := dmarc.Discover(ctx, zone, "news@brand.example", dmarc.DiscoverOptions{
		Identifiers: []string{"bounce.esp.example", "esp.example"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := dmarc.Evaluate(dmarc.Input{
		Discovery: d,
		SPF:       dmarc.SPFInput{Result: "pass", Domain: "bounce.esp.example"},
		DKIM:      []dmarc.DKIMInput{{Domain: "esp.example", Selector: "s1", Result: "pass"}},
	})
	fmt.Println(ev.Result, ev.Policy, ev.PolicyTag, ev.Found.RecordDomain)
	fmt.Println(ev.SPF.Explanation)
	fmt.Println(ev.DKIM[0].Explanation)
	// Output:
	// fail reject p brand.example
	// SPF passed for bounce.esp.example, but bounce.esp.example is not aligned with brand.example (aspf=r compares organizational domains: esp.example ≠ brand.example)
	// DKIM passed for esp.example, but esp.example is not aligned with brand.example (adkim=r compares organizational domains: esp.example ≠ brand.example)
}

func ExampleParse() {
	r, err := dmarc.Parse("v=DMARC1; p=quarantine; pct=25; rua=mailto:d@brand.example; foo=bar")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Policy, r.Percent, r)
	for _, f := range dmarc.Lint(r) {
		fmt.Println(f.ID, f.Severity, f.Detail)
	}
	// Output:
	// quarantine 25 v=DMARC1; p=quarantine; pct=25; rua=mailto:d@brand.example
	// dmarc.record-warning warn foo=: unknown tag ignored (RFC 7489 §6.3)
	// dmarc.pct-sampling info pct=25: the policy applies to 25% of failing mail; RFC 7489 §6.6.4 receivers treat the rest one step softer, RFC 9989 receivers ignore pct (it is historic)
}

func ExampleOrgDomain() {
	// blogspot.com and github.io are public suffixes (the list's PRIVATE
	// section): each blog or page is its own organization.
	for _, s := range []string{"mail.brand.co.uk", "news.brand.example", "foo.blogspot.com", "www.alice.github.io"} {
		d, _ := dns.ParseDomain(s)
		org, _ := dmarc.OrgDomain(d)
		fmt.Println(d, "→", org)
	}
	// Output:
	// mail.brand.co.uk → brand.co.uk
	// news.brand.example → brand.example
	// foo.blogspot.com → foo.blogspot.com
	// www.alice.github.io → alice.github.io
}
