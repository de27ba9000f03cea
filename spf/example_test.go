package spf_test

import (
	"context"
	"fmt"
	"net/netip"

	"preflight/dns"
	"preflight/spf"
)

const exampleZone = `
brand.example. 3600 IN TXT "v=spf1 mx include:esp.example -all"
brand.example. 3600 IN MX  10 mx.brand.example.
mx.brand.example. 3600 IN A 198.51.100.25
esp.example.   3600 IN TXT "v=spf1 ip4:192.0.2.0/25 ip6:2001:db8:e5::/48 -all"
`

// Check runs check_host() for one sending IP and says which term decided
// and what it cost.
func ExampleCheck() {
	zone, _ := dns.ParseZone(exampleZone, "example")
	cfg := spf.Config{Resolver: zone}
	res := spf.Check(context.Background(), cfg, spf.Request{
		IP:       netip.MustParseAddr("192.0.2.10"),
		MailFrom: "bounce@brand.example",
	})
	fmt.Println(res.Status, res.Mechanism, res.Lookups)
	for _, t := range res.Terms {
		fmt.Printf("%d %s %s lookups=%d matched=%v\n", t.Depth, t.Domain, t.Term, t.Lookups, t.Matched)
	}
	// Output:
	// pass include:esp.example 2
	// 0 brand.example mx lookups=1 matched=false
	// 0 brand.example include:esp.example lookups=1 matched=true
	// 1 esp.example ip4:192.0.2.0/25 lookups=0 matched=true
}

// Analyze explains a policy without an IP: the worst-case lookup cost,
// the networks it authorises and what to watch out for.
func ExampleAnalyze() {
	zone, _ := dns.ParseZone(exampleZone, "example")
	an := spf.Analyze(context.Background(), spf.Config{Resolver: zone}, spf.Request{Domain: "brand.example"})
	fmt.Println("lookups:", an.Lookups)
	fmt.Println("networks:", an.Networks)
	for _, w := range an.Warnings {
		fmt.Println(w.ID, w.Severity)
	}
	// Output:
	// lookups: 2
	// networks: [192.0.2.0/25 198.51.100.25/32 2001:db8:e5::/48]
	// spf.family-v6 info
}

// Parse is the pure grammar: no DNS. Syntax errors say where.
func ExampleParse() {
	rec, err := spf.Parse("v=spf1 a/24//64 include:_spf.example.com ~ALL")
	fmt.Println(rec, err)
	_, err = spf.Parse("v=spf1 ip4:192.0.2.0/33 -all")
	fmt.Println(err)
	// Output:
	// v=spf1 a/24//64 include:_spf.example.com ~all <nil>
	// spf: syntax error at offset 7 in term "ip4:192.0.2.0/33": CIDR length /33 is over 32
}
