package dns_test

import (
	"context"
	"errors"
	"fmt"

	"preflight/dns"
)

// ParseDomain is the one parser of domains: any case, U-labels or A-labels,
// an optional trailing dot, or an address whose domain part is taken.
func ExampleParseDomain() {
	for _, s := range []string{"News@Bücher.Example.", "xn--bcher-kva.example", "192.0.2.1", "a..example"} {
		d, err := dns.ParseDomain(s)
		if err != nil {
			fmt.Println("error:", errors.Is(err, dns.ErrInvalidName))
			continue
		}
		fmt.Println(d, d.Unicode())
	}
	// Output:
	// xn--bcher-kva.example bücher.example
	// xn--bcher-kva.example bücher.example
	// error: true
	// error: true
}

// A Zone answers only from zone text: NXDOMAIN and NODATA are answers, not
// errors. Programs in other modules build their resolver this way (or with
// NewNet for live DNS) and hand it to spf, dkim and dmarc.
func ExampleZone() {
	zone, err := dns.ParseZone(`
brand.example.        300 IN TXT "v=spf1 include:esp.example -all"
_dmarc.brand.example. 300 IN TXT "v=DMARC1; p=reject"
`, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for _, q := range []struct {
		name string
		t    dns.Type
	}{{"brand.example", dns.TypeTXT}, {"brand.example", dns.TypeMX}, {"nosuch.brand.example", dns.TypeTXT}} {
		res, err := zone.Lookup(ctx, q.name, q.t)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(q.name, q.t, res.Status, res.TXT())
	}
	// Output:
	// brand.example TXT answer [v=spf1 include:esp.example -all]
	// brand.example MX nodata []
	// nosuch.brand.example TXT nxdomain []
}
