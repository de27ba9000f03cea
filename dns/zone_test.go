package dns_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mdns "github.com/miekg/dns"

	"preflight/dns"
	"preflight/internal/dnstest"
)

func TestZoneFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.zone", `$ORIGIN brand.example.
$TTL 120
@            IN SOA ns hostmaster 1 3600 600 86400 60
@            IN TXT "v=spf1 -all"
_dmarc       IN TXT "v=DMARC1; p=reject"
*.wild       IN TXT "wildcard"
real.wild    IN A   192.0.2.7
`)
	b := write("b.zone", `esp.example. 600 IN TXT "v=spf1 ip4:198.51.100.0/24 ~all"
`)
	z, err := dns.LoadZone(a, b)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		t      dns.Type
		status dns.Status
		data   []string
		ttl    uint32
	}{
		{"brand.example", dns.TypeTXT, dns.StatusAnswer, []string{"v=spf1 -all"}, 120},
		{"_dmarc.brand.example", dns.TypeTXT, dns.StatusAnswer, []string{"v=DMARC1; p=reject"}, 120},
		{"esp.example", dns.TypeTXT, dns.StatusAnswer, []string{"v=spf1 ip4:198.51.100.0/24 ~all"}, 600},
		// RFC 4592: the wildcard answers for names that do not exist …
		{"x.wild.brand.example", dns.TypeTXT, dns.StatusAnswer, []string{"wildcard"}, 120},
		{"a.b.wild.brand.example", dns.TypeTXT, dns.StatusAnswer, []string{"wildcard"}, 120},
		// … but not for names that exist (real.wild has A only) …
		{"real.wild.brand.example", dns.TypeTXT, dns.StatusNoData, nil, 60},
		// … nor below an existing name other than the wildcard's parent.
		{"x.real.wild.brand.example", dns.TypeTXT, dns.StatusNXDomain, nil, 60},
		{"wild.brand.example", dns.TypeTXT, dns.StatusNoData, nil, 60},
		{"nope.brand.example", dns.TypeTXT, dns.StatusNXDomain, nil, 60},
		{"other.example", dns.TypeA, dns.StatusNXDomain, nil, 0},
	} {
		res, err := z.Lookup(ctx, tc.name, tc.t)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if res.Status != tc.status || !cmp.Equal(res.TXT(), tc.data) || res.TTL != tc.ttl {
			t.Errorf("%s %s = %v %q ttl %d; want %v %q ttl %d", tc.name, tc.t, res.Status, res.TXT(), res.TTL, tc.status, tc.data, tc.ttl)
		}
		if tc.status == dns.StatusAnswer {
			if res.Records[0].Name != tc.name {
				t.Errorf("%s: owner %q, want the asked name (wildcard synthesis)", tc.name, res.Records[0].Name)
			}
			if !strings.HasPrefix(res.Source, "zone "+dir) {
				t.Errorf("%s: source %q", tc.name, res.Source)
			}
		}
	}
}

func TestZoneErrors(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"relative IN TXT \"no origin\"\n",
		"$INCLUDE /etc/passwd\n",
		"example.com. IN TXT \"unterminated\n",
		"example.com. IN A 999.1.1.1\n",
	} {
		if _, err := dns.ParseZone(text, "bad.zone"); err == nil {
			t.Errorf("ParseZone(%q) accepted", text)
		} else if !strings.Contains(err.Error(), "bad.zone") {
			t.Errorf("error %q does not name the file", err)
		}
	}
	if _, err := dns.LoadZone(filepath.Join(t.TempDir(), "missing.zone")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestOverlayReplacesOnlyDefinedRRsets(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	planned, err := dns.ParseZone(`example.com. 60 IN TXT "v=spf1 include:esp.example -all"
alias.example.com. 60 IN CNAME host.example.com.
`, "plan.zone")
	if err != nil {
		t.Fatal(err)
	}
	o := &dns.Overlay{Zone: planned, Live: newNet(t, srv.Addr)}
	ctx := context.Background()
	res, err := o.Lookup(ctx, "example.com", dns.TypeTXT)
	if err != nil || !cmp.Equal(res.TXT(), []string{"v=spf1 include:esp.example -all"}) || res.Source != "overlay plan.zone" {
		t.Errorf("planned TXT: %q from %q, %v", res.TXT(), res.Source, err)
	}
	res, err = o.Lookup(ctx, "example.com", dns.TypeMX)
	if err != nil || len(res.Records) != 2 || !strings.HasPrefix(res.Source, "udp ") {
		t.Errorf("live MX: %v from %q, %v", res.Records, res.Source, err)
	}
	// A planned CNAME to a live name resolves through live DNS.
	res, err = o.Lookup(ctx, "alias.example.com", dns.TypeA)
	if err != nil || !cmp.Equal(res.CNAMEs, []string{"host.example.com"}) || res.Records[0].Data != "192.0.2.80" {
		t.Errorf("alias: %+v, %v", res, err)
	}
	if srv.Count("example.com", "TXT", "") != 0 {
		t.Errorf("overlaid TXT was asked upstream")
	}
}

// TestRecordReplay records a live run and replays it offline: every answer,
// NXDOMAIN and NODATA included, must come back the same.
func TestRecordReplay(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("broken.example.com", dnstest.Fault{Rcode: mdns.RcodeServerFailure})
	rec := &dns.Recorder{Upstream: newNet(t, srv.Addr)}
	ctx := context.Background()
	type q struct {
		name string
		t    dns.Type
	}
	questions := []q{}
	for _, tc := range lookupCases {
		questions = append(questions, q{tc.qn, tc.t})
	}
	questions = append(questions, q{"mx1.example.com", dns.TypeMX}, q{"host.example.com", dns.TypeTXT})
	live := map[q]result{}
	for _, qq := range questions {
		res, err := rec.Lookup(ctx, qq.name, qq.t)
		if err != nil {
			t.Fatal(err)
		}
		live[qq] = summary(res)
	}
	if _, err := rec.Lookup(ctx, "broken.example.com", dns.TypeTXT); err == nil {
		t.Fatal("want a failure for broken.example.com")
	}
	if got := rec.Incomplete(); !cmp.Equal(got, []string{"broken.example.com TXT"}) {
		t.Errorf("Incomplete = %q", got)
	}
	var buf bytes.Buffer
	if err := rec.WriteZone(&buf, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "; TEMPERROR broken.example.com TXT") {
		t.Errorf("recording does not mention the failure:\n%s", buf.String())
	}
	replay, err := dns.ParseZone(buf.String(), "recorded.zone")
	if err != nil {
		t.Fatalf("recording does not parse: %v\n%s", err, buf.String())
	}
	for _, qq := range questions {
		res, err := replay.Lookup(ctx, qq.name, qq.t)
		if err != nil {
			t.Errorf("replay %v: %v", qq, err)
			continue
		}
		if diff := cmp.Diff(live[qq], summary(res)); diff != "" {
			t.Errorf("replay %s %s differs (-live +replay)\n%s", qq.name, qq.t, diff)
		}
	}
}

func BenchmarkCacheHit(b *testing.B) {
	z, _ := dns.ParseZone(testZone, "z")
	c := dns.NewCache(z, nil)
	ctx := context.Background()
	c.Lookup(ctx, "example.com", dns.TypeTXT)
	b.ReportAllocs()
	for b.Loop() {
		c.Lookup(ctx, "example.com", dns.TypeTXT)
	}
}

// BenchmarkSingleFlight asks 100 identical questions at once against a
// loopback server that answers after 5ms and reports the upstream queries
// each batch caused (1 is the goal).
func BenchmarkSingleFlight(b *testing.B) {
	srv := dnstest.Start(b, testZone)
	srv.SetFault("example.com", dnstest.Fault{Delay: 5 * time.Millisecond})
	n, _ := dns.NewNet([]string{srv.Addr}, time.Second)
	before := 0
	for b.Loop() {
		c := dns.NewCache(n, nil)
		done := make(chan struct{})
		for i := 0; i < 100; i++ {
			go func() {
				c.Lookup(context.Background(), "example.com", dns.TypeTXT)
				done <- struct{}{}
			}()
		}
		for i := 0; i < 100; i++ {
			<-done
		}
	}
	b.ReportMetric(float64(srv.Total()-before)/float64(b.N), "upstream-queries/100-lookups")
}

// TestTXTOctets: TXT data reaches callers as octets, not in zone-file
// escaped form, from a zone file, over the wire, and through a recording.
func TestTXTOctets(t *testing.T) {
	t.Parallel()
	const zone = "odd.example. 300 IN TXT \"a\\\"quote\" \"back\\\\slash\\;semi\\027esc\\255hi\"\n"
	want := "a\"quoteback\\slash;semi\x1besc\xffhi"
	z, err := dns.ParseZone(zone, "z")
	if err != nil {
		t.Fatal(err)
	}
	srv := dnstest.Start(t, zone)
	rec := &dns.Recorder{Upstream: newNet(t, srv.Addr)}
	for name, r := range map[string]dns.Resolver{"zone": z, "wire": rec} {
		res, err := r.Lookup(context.Background(), "odd.example", dns.TypeTXT)
		if err != nil || len(res.TXT()) != 1 || res.TXT()[0] != want {
			t.Errorf("%s: TXT = %q, %v; want %q", name, res.TXT(), err, want)
		}
	}
	var buf bytes.Buffer
	rec.WriteZone(&buf, time.Now())
	replay, err := dns.ParseZone(buf.String(), "rec")
	if err != nil {
		t.Fatal(err)
	}
	res, _ := replay.Lookup(context.Background(), "odd.example", dns.TypeTXT)
	if len(res.TXT()) != 1 || res.TXT()[0] != want {
		t.Errorf("replay: TXT = %q; want %q", res.TXT(), want)
	}
}
