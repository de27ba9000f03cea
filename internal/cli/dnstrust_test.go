package cli

import (
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"preflight/internal/dnstest"
)

// TestCheckReplayNotRecorded: a recording made for one template, replayed
// with --zone for another whose domains were never recorded, exits 3 (no
// verdict) where live DNS says reject — never 0 from answers nobody
// recorded. The recorded template still replays with its live verdict.
func TestCheckReplayNotRecorded(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, demoZone(t))
	rec := filepath.Join(t.TempDir(), "dns.zone")
	codeRec, recorded := checkJSON(t, "--resolver", srv.Addr, "--record", rec, demoDir+"policy-none.eml")
	codeLive, live := checkJSON(t, "--resolver", srv.Addr, demoDir+"esp-defaults.eml")
	if live.Verdict.Disposition != "reject" || codeLive != ExitFail {
		t.Fatalf("live esp-defaults: %s, exit %d; want reject, 1", live.Verdict.Disposition, codeLive)
	}
	code, replay := checkJSON(t, "--zone", rec, demoDir+"policy-none.eml")
	if code != codeRec || replay.Verdict.Disposition != recorded.Verdict.Disposition {
		t.Errorf("replay of the recorded template: %s, exit %d; recorded %s, exit %d",
			replay.Verdict.Disposition, code, recorded.Verdict.Disposition, codeRec)
	}
	code, other := checkJSON(t, "--zone", rec, demoDir+"esp-defaults.eml")
	if code != ExitIndeterminate || other.Verdict.Disposition == "accept" || other.DMARC.Result != "temperror" {
		t.Errorf("replay of a template never recorded: %s, DMARC %s, exit %d; want exit %d, DMARC temperror",
			other.Verdict.Disposition, other.DMARC.Result, code, ExitIndeterminate)
	}
	if !strings.Contains(other.DMARC.Error, "not recorded") {
		t.Errorf("DMARC error %q does not say the answer was not recorded", other.DMARC.Error)
	}
}

// TestCheckFailureReportsAreStable: two runs meeting the same DNS failures
// (a dropped question, a port nothing listens on) print the same report,
// byte for byte apart from timings: no ephemeral port in an error text.
func TestCheckFailureReportsAreStable(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, demoZone(t))
	srv.SetFault("_dmarc.brand.example", dnstest.Fault{Drop: true})
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close()
	timing := regexp.MustCompile(`"elapsed_ms":\d+|\d+ ms`)
	for _, server := range []string{srv.Addr, closed} {
		var outs []string
		for _, format := range []string{"json", "json", "text", "text"} {
			code, out, _ := run(t, "check", "--resolver", server, "--timeout", "100ms", "--format", format, "--now", "2026-12-01T00:00:00Z", demoDir+"esp-defaults.eml")
			if code != ExitIndeterminate {
				t.Errorf("%s: exit %d, want %d", server, code, ExitIndeterminate)
			}
			outs = append(outs, timing.ReplaceAllString(out, "T"))
		}
		if outs[0] != outs[1] || outs[2] != outs[3] {
			t.Errorf("%s: two runs, two reports:\n%s\n%s", server, outs[0], outs[1])
		}
		if strings.Contains(outs[0], "->") {
			t.Errorf("%s: a report names a local address:\n%s", server, outs[0])
		}
	}
}
