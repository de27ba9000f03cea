package check

import (
	"bytes"
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"preflight/dns"
	"preflight/internal/dnstest"
	"preflight/report"
)

// TestTreeWalkServfailIsNotNoRecord: when a step of the RFC 9989 tree walk
// gets SERVFAIL, the comparison with RFC 7489 discovery must say the walk
// could not be determined — not that it found no record.
func TestTreeWalkServfailIsNotNoRecord(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, from, servfail string
		orgUnknown           bool
	}{
		// The walk's second step fails: its record is unknown.
		{"record", "a.b.brand.example", "_dmarc.b.brand.example", false},
		// The record is found at the From domain, but the walk for the
		// organizational domain fails above it.
		{"org domain", "sub.brand.example", "_dmarc.brand.example", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, `
brand.example.            60 IN TXT "v=spf1 -all"
_dmarc.brand.example.     60 IN TXT "v=DMARC1; p=reject"
_dmarc.sub.brand.example. 60 IN TXT "v=DMARC1; p=quarantine"
`)
			srv.SetFault(tc.servfail, dnstest.Fault{Rcode: mdns.RcodeServerFailure})
			n, err := dns.NewNet([]string{srv.Addr}, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			n.Attempts = 1
			rep := checkWith(t, n, tc.from)
			a := rep.DMARC.Alternative
			// Either way the organizational domain is unknown: the walk
			// for it passes the failing name too.
			if a == nil || (a.Status == "temperror") == tc.orgUnknown || !a.OrgDomainUnknown {
				t.Fatalf("DMARC %+v, alternative %+v: want the RFC 9989 view marked unknown", rep.DMARC, a)
			}
			var text bytes.Buffer
			if err := report.WriteText(&text, rep, report.TextOptions{Width: 300}); err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, l := range strings.Split(text.String(), "\n") {
				if strings.Contains(l, "rfc9989 discovery") {
					lines = append(lines, l)
				}
			}
			for _, f := range rep.Findings {
				if f.ID == "dmarc.discovery-differs" {
					lines = append(lines, f.Detail)
				}
			}
			if len(lines) != 2 {
				t.Fatalf("want the comparison line and the finding, got %q", lines)
			}
			for _, l := range lines {
				if !strings.Contains(l, "could not be determined") || !tc.orgUnknown && strings.Contains(l, "no record") {
					t.Errorf("the RFC 9989 comparison says %q; want 'could not be determined', never 'no record'", l)
				}
			}
		})
	}
}
