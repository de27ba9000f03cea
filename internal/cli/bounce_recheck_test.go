package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"preflight/report"
)

func bounceRun(t *testing.T, args ...string) (int, []report.BounceDiagnosis) {
	t.Helper()
	code, out, stderr := run(t, append([]string{"bounce", "--format", "json", "--now", "2026-12-01T00:00:00Z"}, args...)...)
	var ds []report.BounceDiagnosis
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d report.BounceDiagnosis
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatalf("bounce %v: %v in %q (stderr %q)", args, err, out, stderr)
		}
		ds = append(ds, d)
	}
	return code, ds
}

// TestBounceRecheck: a QQ DMARC bounce is re-checked against DNS: with the
// demo zone it still fails (and the embedded report says why); with the
// policy relaxed in an overlay it now passes.
func TestBounceRecheck(t *testing.T) {
	t.Parallel()
	const dsn = "internal/bounce/testdata/postfix-qq-dmarc.eml"
	code, ds := bounceRun(t, "--zone", demoDir+"demo.zone", "../../"+dsn)
	if code != 0 || len(ds) != 1 {
		t.Fatalf("exit %d, %d diagnoses", code, len(ds))
	}
	d := ds[0]
	if d.Receiver != "qq" || d.Reason != "DMARC check failed" || d.Category != "authentication" || d.Recheck == nil || d.Status != report.RecheckStillFails {
		t.Fatalf("diagnosis %+v", d)
	}
	if rep := d.Report; rep == nil || rep.DMARC.Result != "fail" || rep.Verdict.Disposition != "reject" || len(rep.Fixes) == 0 {
		t.Errorf("embedded check %+v", rep)
	}
	_, ds = bounceRun(t, "--zone", demoDir+"demo.zone", "--overlay", "testdata/overlay/brand-p-none.zone", "../../"+dsn)
	if rc := ds[0].Recheck; rc == nil || rc.Status != report.RecheckNowPasses || !strings.Contains(rc.Note, "DNS may have been fixed") {
		t.Errorf("with p=none: %+v", ds[0])
	}
}

func TestBounceRecheckNeedsOriginal(t *testing.T) {
	t.Parallel()
	code, ds := bounceRun(t, "--zone", demoDir+"demo.zone", "../bounce/testdata/reply-qq-dmarc.txt")
	if rc := ds[0].Recheck; code != 0 || rc == nil || rc.Status != report.RecheckNotChecked || rc.Report != nil || !strings.Contains(rc.Note, "did not return") {
		t.Errorf("bare reply: exit %d %+v", code, ds[0])
	}
	// A non-authentication bounce is not re-checked at all.
	_, ds = bounceRun(t, "--zone", demoDir+"demo.zone", "../bounce/testdata/exim-main.log")
	for _, d := range ds {
		if d.Category != "authentication" && d.Recheck != nil {
			t.Errorf("%s bounce re-checked: %+v", d.Category, d)
		}
	}
}
