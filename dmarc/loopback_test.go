package dmarc

import (
	"context"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"preflight/dns"
	"preflight/internal/dnstest"
)

// Discovery against a real DNS server on loopback: long TXT records split
// into strings, truncation and TCP, SERVFAIL and timeouts become temperror
// and never "no record".
func TestDiscoverLoopback(t *testing.T) {
	t.Parallel()
	long := `"v=DMARC1; p=reject; rua=mailto:aggregate-reports-with-a-long-name@brand.example," "mailto:second-destination-for-reports@reports.brand.example; ruf=mailto:f@brand.example"`
	srv := dnstest.Start(t, `
$ORIGIN .
$TTL 300
_dmarc.brand.example   TXT `+long+`
_dmarc.big.example     TXT "v=DMARC1; p=quarantine"
_dmarc.big.example     TXT "unrelated text record to make the answer bigger than a truncated UDP reply"
_dmarc.fail.example    TXT "v=DMARC1; p=reject"
_dmarc.slow.example    TXT "v=DMARC1; p=reject"
_dmarc.parent.example  TXT "v=DMARC1; p=reject; sp=quarantine; np=reject"
`)
	srv.SetFault("_dmarc.big.example.", dnstest.Fault{Truncate: true})
	srv.SetFault("_dmarc.fail.example.", dnstest.Fault{Rcode: mdns.RcodeServerFailure})
	srv.SetFault("_dmarc.slow.example.", dnstest.Fault{Drop: true})
	srv.SetFault("ghost.parent.example.", dnstest.Fault{Rcode: mdns.RcodeRefused})
	n, err := dns.NewNet([]string{srv.Addr}, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	n.Attempts = 1
	ctx := context.Background()
	for _, tc := range []struct {
		from   string
		status DiscoveryStatus
		policy Policy
		result Result
	}{
		{from: "brand.example", status: DiscoveryFound, policy: PolicyReject, result: ResultFail},
		{from: "big.example", status: DiscoveryFound, policy: PolicyQuarantine, result: ResultFail},
		{from: "fail.example", status: DiscoveryTempError, result: ResultTempError},
		{from: "slow.example", status: DiscoveryTempError, result: ResultTempError},
		{from: "absent.example", status: DiscoveryNone, result: ResultNone},
		// The existence check is REFUSED: np= or sp= is unknown.
		{from: "ghost.parent.example", status: DiscoveryFound, policy: PolicyQuarantine, result: ResultTempError},
	} {
		d, err := Discover(ctx, n, dns.Domain(tc.from), DiscoverOptions{})
		if err != nil {
			t.Fatalf("Discover(%s): %v", tc.from, err)
		}
		ev := Evaluate(Input{Discovery: d, SPF: SPFInput{Result: "pass", Domain: "esp.example"}})
		if d.RFC7489.Status != tc.status || ev.Policy != tc.policy || ev.Result != tc.result {
			t.Errorf("%s: status %s policy %q result %s (%v), want %s %q %s", tc.from, d.RFC7489.Status, ev.Policy, ev.Result, ev.Err, tc.status, tc.policy, tc.result)
		}
	}
	if got := srv.Count("_dmarc.big.example.", "TXT", "tcp"); got == 0 {
		t.Error("the truncated answer was not retried over TCP")
	}
	d, _ := Discover(ctx, n, "brand.example", DiscoverOptions{})
	if r := d.RFC7489.Record; r == nil || len(r.AggregateReports) != 2 {
		t.Errorf("split TXT strings not joined: %+v", d.RFC7489)
	}
}
