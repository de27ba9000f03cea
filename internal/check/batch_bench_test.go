package check

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	msgdkim "github.com/emersion/go-msgauth/dkim"

	"preflight/dns"
	"preflight/internal/dnstest"
	"preflight/internal/testutil"
)

// batchFixture writes n messages from n different brands (each with its own
// DMARC and SPF records, so the cache cannot answer everything), signed by
// the demo ESP, and returns their paths and the zone text.
func batchFixture(b *testing.B, n int) ([]Input, string) {
	b.Helper()
	demo, err := os.ReadFile("../../testdata/demo/demo.zone")
	if err != nil {
		b.Fatal(err)
	}
	keyPEM, err := os.ReadFile("../../testdata/demo/keys/esp-s1.key")
	if err != nil {
		b.Fatal(err)
	}
	block, _ := pem.Decode(keyPEM)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		b.Fatal(err)
	}
	var zone strings.Builder
	zone.Write(demo)
	dir := b.TempDir()
	inputs := make([]Input, n)
	for i := range n {
		brand := fmt.Sprintf("brand%d.example", i)
		policy := []string{"reject", "quarantine", "none"}[i%3]
		fmt.Fprintf(&zone, "%s. 3600 IN TXT \"v=spf1 include:esp.example -all\"\n_dmarc.%s. 3600 IN TXT \"v=DMARC1; p=%s\"\n", brand, brand, policy)
		msg := fmt.Sprintf("From: News <news@%s>\r\nTo: reader@qq.com\r\nSubject: batch %d\r\nDate: Thu, 15 Jan 2026 10:00:00 +0000\r\nMessage-ID: <%d@esp.example>\r\n\r\nHello %d\r\n", brand, i, i, i)
		var signed bytes.Buffer
		if err := msgdkim.Sign(&signed, strings.NewReader(msg), &msgdkim.SignOptions{Domain: "esp.example", Selector: "s1", Signer: k.(crypto.Signer),
			HeaderCanonicalization: msgdkim.CanonicalizationRelaxed, BodyCanonicalization: msgdkim.CanonicalizationRelaxed}); err != nil {
			b.Fatal(err)
		}
		full := "Return-Path: <bounce@esp.example>\r\nReceived: from mta1.esp.example (mta1.esp.example [192.0.2.10]) by mx.qq.com\r\n" + signed.String()
		p := filepath.Join(dir, fmt.Sprintf("m%04d.eml", i))
		if err := os.WriteFile(p, []byte(full), 0o644); err != nil {
			b.Fatal(err)
		}
		inputs[i] = Input{Path: p}
	}
	return inputs, zone.String()
}

func runBatch(b *testing.B, r dns.Resolver, inputs []Input, jobs int) {
	cfg := Config{Resolver: dns.NewCache(r, nil), Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }}
	cfg.Receiver, _ = LookupProfile("qq")
	rejected := 0
	err := Batch(context.Background(), cfg, inputs, Plan{}, jobs, func(i int, r *Result) error {
		if r.Err != nil {
			return fmt.Errorf("%s: %w", r.Path, r.Err)
		}
		if r.Verdict.Reject {
			rejected++
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if want := (len(inputs) + 2) / 3; rejected != want {
		b.Fatalf("%d rejected, want %d (every p=reject brand)", rejected, want)
	}
}

// BenchmarkBatch1000 checks 1,000 messages of 1,000 brands in one run:
// offline from a zone, and against a loopback DNS server answering every
// query after 10 ms, with 1 and 8 messages at once, to show that
// concurrency hides DNS latency. It reports messages per second and the
// peak heap in use.
func BenchmarkBatch1000(b *testing.B) {
	inputs, zoneText := batchFixture(b, 1000)
	zone, err := dns.ParseZone(zoneText, "bench.zone")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		jobs  int
		delay time.Duration
	}{
		{"zone/jobs=8", 8, 0},
		{"loopback-10ms/jobs=1", 1, 10 * time.Millisecond},
		{"loopback-10ms/jobs=8", 8, 10 * time.Millisecond},
		{"loopback-10ms/jobs=32", 32, 10 * time.Millisecond},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var r dns.Resolver = zone
			if tc.delay > 0 {
				if tc.jobs == 1 && testing.Short() {
					b.Skip("serial run with 10 ms per query is slow")
				}
				srv := dnstest.Start(b, zoneText)
				srv.SetFault("*", dnstest.Fault{Delay: tc.delay})
				n, err := dns.NewNet([]string{srv.Addr}, 2*time.Second)
				if err != nil {
					b.Fatal(err)
				}
				n.MaxInFlight = 64
				r = n
			}
			var peak uint64
			start := time.Now()
			for b.Loop() {
				peak = max(peak, testutil.PeakHeap(func() { runBatch(b, r, inputs, tc.jobs) }))
			}
			b.ReportMetric(float64(len(inputs)*b.N)/time.Since(start).Seconds(), "msgs/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
