package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	"preflight/internal/dnstest"
)

// TestCheckDeadline: against a server on loopback that never answers for
// the DMARC record, check says which flag to raise: --timeout when the
// questions timed out one by one, --deadline when the message's time ran
// out first (and then it takes about the deadline, not every timeout).
func TestCheckDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"timeout", []string{"--timeout", "50ms"}, "dns.timeout"},
		{"deadline", []string{"--timeout", "5s", "--deadline", "200ms"}, "dns.deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, demoZone(t))
			srv.SetFault("_dmarc.brand.example", dnstest.Fault{Drop: true})
			start := time.Now()
			code, rep := checkJSON(t, append([]string{"--resolver", srv.Addr, demoDir + "esp-defaults.eml"}, tc.flags...)...)
			if code != ExitIndeterminate {
				t.Errorf("exit %d, want 3", code)
			}
			var ids []string
			for _, f := range rep.Findings {
				ids = append(ids, f.ID)
			}
			if !slices.Contains(ids, tc.want) {
				t.Errorf("no %s among %v", tc.want, ids)
			}
			if tc.name == "deadline" && time.Since(start) > 3*time.Second {
				t.Errorf("took %s: the deadline did not bound the message", time.Since(start))
			}
		})
	}
}

// TestRunDeadline: the other commands have one deadline per run; a
// temporary failure for want of time says on stderr which flag to raise.
func TestRunDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"timeout", []string{"--timeout", "50ms"}, "got no answer within --timeout 50ms"},
		{"deadline", []string{"--timeout", "5s", "--deadline", "200ms"}, "the run took longer than --deadline 200ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, loopZone)
			srv.SetFault("example.org", dnstest.Fault{Drop: true})
			code, out, stderr := run(t, append([]string{"lookup", "--resolver", srv.Addr, "TXT", "example.org"}, tc.flags...)...)
			if code != ExitIndeterminate || !strings.Contains(out, "temporary DNS failure") {
				t.Errorf("exit %d, want 3\n%s", code, out)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
		})
	}
}
