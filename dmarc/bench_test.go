package dmarc

import (
	"context"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	const rec = "v=DMARC1; p=quarantine; sp=reject; adkim=s; aspf=r; pct=50; fo=1:d; rua=mailto:a@example.com!10m,mailto:b@example.net; ruf=mailto:f@example.com; ri=3600"
	for b.Loop() {
		if _, err := Parse(rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOrgDomain(b *testing.B) {
	for b.Loop() {
		OrgDomain("a.b.mail.brand.co.uk")
	}
}

func BenchmarkDiscoverEvaluate(b *testing.B) {
	z := newZone(b, evalZone)
	ctx := context.Background()
	for b.Loop() {
		d, err := Discover(ctx, z, "news.brand.example", DiscoverOptions{Identifiers: []string{"bounce.esp.example", "esp.example"}})
		if err != nil {
			b.Fatal(err)
		}
		Evaluate(Input{Discovery: d, SPF: SPFInput{Result: "pass", Domain: "bounce.esp.example"}, DKIM: []DKIMInput{{Domain: "esp.example", Result: "pass"}}})
	}
}
