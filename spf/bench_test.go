package spf

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/dnstest"
)

// tenLookupZone is a policy that uses all 10 DNS-querying terms before
// the client matches: 3 includes (one nested), 4 a, 2 mx, 1 exists.
const tenLookupZone = `
$ORIGIN example.
top.example.      TXT "v=spf1 a:h1.example a:h2.example mx:m.example include:esp1.example include:esp2.example -all"
esp1.example.     TXT "v=spf1 a:h3.example exists:%{i}.bl.example include:esp3.example -all"
esp2.example.     TXT "v=spf1 a:h4.example mx:m.example ip4:192.0.2.0/24 -all"
esp3.example.     TXT "v=spf1 ip4:198.51.100.0/24 -all"
h1.example.       A 203.0.113.1
h2.example.       A 203.0.113.2
h3.example.       A 203.0.113.3
h4.example.       A 203.0.113.4
m.example.        MX 10 mx1.example.
m.example.        MX 20 mx2.example.
mx1.example.      A 203.0.113.10
mx2.example.      A 203.0.113.11
5.2.0.192.bl.example. A 127.0.0.2
`

// BenchmarkCheck10Lookups measures the CPU cost of evaluating a policy
// that uses the whole budget of 10 lookups, DNS answered from memory.
func BenchmarkCheck10Lookups(b *testing.B) {
	z, err := dns.ParseZone(tenLookupZone, "bench")
	if err != nil {
		b.Fatal(err)
	}
	req := Request{IP: ip("192.0.2.9"), MailFrom: "user@top.example"}
	for _, prefetch := range []bool{false, true} {
		b.Run(fmt.Sprintf("prefetch=%v", prefetch), func(b *testing.B) {
			cfg := Config{Resolver: z, NoPrefetch: !prefetch}
			res := Check(context.Background(), cfg, req)
			if res.Status != StatusPass || res.Lookups != 10 {
				b.Fatalf("got %s with %d lookups, want pass with 10\n%s", res.Status, res.Lookups, traceString(res.Trace))
			}
			b.ReportAllocs()
			for b.Loop() {
				Check(context.Background(), cfg, req)
			}
		})
	}
}

// BenchmarkAnalyze10Lookups measures the static analysis of the same tree.
func BenchmarkAnalyze10Lookups(b *testing.B) {
	z, err := dns.ParseZone(tenLookupZone, "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Analyze(context.Background(), Config{Resolver: z}, Request{Domain: "top.example"})
	}
}

// depthZone builds a policy of exactly 10 DNS-querying terms whose include
// chain is depth deep; the other 10-depth terms are a: terms at the top.
// The client matches at the bottom of the chain.
func depthZone(depth int) string {
	var b strings.Builder
	top := "v=spf1"
	for i := 0; i < 10-depth; i++ {
		top += fmt.Sprintf(" a:h%d.example", i)
		fmt.Fprintf(&b, "h%d.example. 60 IN A 203.0.113.%d\n", i, i+1)
	}
	fmt.Fprintf(&b, "top.example. 60 IN TXT %q\n", top+" include:l1.example -all")
	for i := 1; i <= depth; i++ {
		rec := fmt.Sprintf("v=spf1 include:l%d.example -all", i+1)
		if i == depth {
			rec = "v=spf1 ip4:192.0.2.0/24 -all"
		}
		fmt.Fprintf(&b, "l%d.example. 60 IN TXT %q\n", i, rec)
	}
	return b.String()
}

// BenchmarkIncludeDepth shows that wall time follows the include depth,
// not the lookup count: every policy here costs exactly 10 lookups (11 DNS
// questions), served by a real DNS server on loopback that delays every
// answer by 10ms. Without prefetching each question waits its turn
// (~11 delays whatever the depth); with it, the questions of one depth go
// out together (~depth+2 delays). The "delays" metric is wall time per
// evaluation divided by the injected delay.
func BenchmarkIncludeDepth(b *testing.B) {
	const delay = 10 * time.Millisecond
	for _, depth := range []int{1, 2, 4, 6, 9} {
		srv := dnstest.Start(b, depthZone(depth))
		srv.SetFault("*", dnstest.Fault{Delay: delay})
		for _, prefetch := range []bool{false, true} {
			b.Run(fmt.Sprintf("depth=%d/prefetch=%v", depth, prefetch), func(b *testing.B) {
				n, err := dns.NewNet([]string{srv.Addr}, 2*time.Second)
				if err != nil {
					b.Fatal(err)
				}
				cfg := Config{Resolver: n, NoPrefetch: !prefetch}
				req := Request{IP: ip("192.0.2.9"), MailFrom: "user@top.example"}
				res := Check(context.Background(), cfg, req)
				if res.Status != StatusPass || res.Lookups != 10 {
					b.Fatalf("got %s (%v) with %d lookups, want pass with 10", res.Status, res.Err, res.Lookups)
				}
				start := time.Now()
				for b.Loop() {
					if r := Check(context.Background(), cfg, req); r.Status != StatusPass {
						b.Fatalf("got %s (%v)", r.Status, r.Err)
					}
				}
				b.ReportMetric(float64(time.Since(start))/float64(b.N)/float64(delay), "delays/op")
			})
		}
	}
}
