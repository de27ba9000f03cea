package cli

import (
	"path/filepath"
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
