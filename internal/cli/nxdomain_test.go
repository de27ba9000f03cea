package cli

import (
	"encoding/json"
	"slices"
	"testing"

	"preflight/internal/dnstest"
)

// TestCheckNXDOMAINLoopback: against a real DNS server on loopback, a From
// and a MAIL FROM domain that do not exist are findings of their own; a
// resolver that answers NXDOMAIN for everything (com included, as a
// captive portal's does) is no verdict (exit 3), not those findings.
func TestCheckNXDOMAINLoopback(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		zone    string
		code    int
		want    []string
		notWant []string
		verdict string
	}{
		{name: "domains-do-not-exist", zone: "com. 300 IN NS a.gtld-servers.net.\n", code: 1,
			want:    []string{"message.domain-not-found", "envelope.domain-not-found"},
			notWant: []string{"dns.resolver-nxdomain"}, verdict: "reject"},
		{name: "resolver-answers-nxdomain", zone: "", code: 3,
			want:    []string{"dns.resolver-nxdomain"},
			notWant: []string{"message.domain-not-found", "envelope.domain-not-found"}, verdict: "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, tc.zone)
			code, out, stderr := run(t, "check", "--resolver", srv.Addr, "--format", "json",
				"--from", "news@nosuch.example", "--mail-from", "bounce@gone.example", "--ip", "192.0.2.10")
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, stderr)
			}
			var rep struct {
				Verdict  struct{ Disposition string }
				Findings []struct{ ID string }
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var ids []string
			for _, f := range rep.Findings {
				ids = append(ids, f.ID)
			}
			for _, id := range tc.want {
				if !slices.Contains(ids, id) {
					t.Errorf("no %s among %v", id, ids)
				}
			}
			for _, id := range tc.notWant {
				if slices.Contains(ids, id) {
					t.Errorf("%s among %v", id, ids)
				}
			}
			if rep.Verdict.Disposition != tc.verdict {
				t.Errorf("disposition %q, want %q", rep.Verdict.Disposition, tc.verdict)
			}
		})
	}
}
