package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"preflight/internal/dnstest"
)

// benchDomains is how many domains the audit benchmark runs.
const benchDomains = 1000

// benchZone publishes benchDomains sending domains, each with MX, SPF (an
// include of one of three ESPs, as real lists share a few ESPs), DMARC,
// and every tenth one BIMI, MTA-STS and TLS-RPT.
func benchZone() (zone string, list string) {
	var z, l strings.Builder
	z.WriteString("$TTL 3600\n")
	for i := range 3 {
		fmt.Fprintf(&z, "esp%d.example. IN TXT \"v=spf1 ip4:192.0.2.%d/32 -all\"\n", i, i)
	}
	for i := range benchDomains {
		d := fmt.Sprintf("sender%04d.example", i)
		fmt.Fprintf(&l, "%s\n", d)
		fmt.Fprintf(&z, "$ORIGIN %s.\n", d)
		fmt.Fprintf(&z, "@ IN MX 10 mx.esp%d.example.\n", i%3)
		fmt.Fprintf(&z, "@ IN TXT \"v=spf1 include:esp%d.example -all\"\n", i%3)
		fmt.Fprintf(&z, "_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@%s\"\n", d)
		if i%10 == 0 {
			z.WriteString("default._bimi IN TXT \"v=BIMI1; l=https://logo.example/l.svg\"\n")
			z.WriteString("_mta-sts IN TXT \"v=STSv1; id=1\"\n")
			z.WriteString("_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tls@tls.example\"\n")
		}
	}
	return z.String(), l.String()
}

// BenchmarkDomainAudit audits 1,000 domains through the CLI, as a user
// runs it (preflight domain FILE --format json, default --jobs), against a
// DNS server on loopback that answers every query after 50 ms, a typical
// recursive resolver's RTT for names it has not cached. It reports
// domains per second; it asserts nothing about time.
//
// The ceiling is dns.Net's cap of 32 queries in flight (about 640 queries
// a second at 50 ms) and the audit asks about 6 questions per domain, so
// more --jobs do not help: the jobs=64 run shows it.
func BenchmarkDomainAudit(b *testing.B) {
	zone, list := benchZone()
	srv := dnstest.Start(b, zone)
	srv.SetFault("*", dnstest.Fault{Delay: 50 * time.Millisecond})
	path := filepath.Join(b.TempDir(), "domains.txt")
	if err := os.WriteFile(path, []byte(list), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, jobs := range []string{"", "64"} {
		name := "jobs=default"
		args := []string{"domain", "--resolver", srv.Addr, "--format", "json", path}
		if jobs != "" {
			name, args = "jobs="+jobs, append(args, "--jobs", jobs)
		}
		b.Run(name, func(b *testing.B) {
			var total time.Duration
			before := srv.Total()
			for b.Loop() {
				start := time.Now()
				var stderr strings.Builder
				if code := Run(context.Background(), args, strings.NewReader(""), io.Discard, &stderr); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(benchDomains*b.N)/total.Seconds(), "domains/s")
			b.ReportMetric(float64(srv.Total()-before)/float64(b.N), "queries/run")
		})
	}
}
