package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"preflight/internal/dnstest"
	"preflight/report"
)

const demoDir = "../../testdata/demo/"

func demoZone(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(demoDir + "demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func checkJSON(t *testing.T, args ...string) (int, report.Report) {
	t.Helper()
	code, out, stderr := run(t, append([]string{"check", "--format", "json", "--now", "2026-12-01T00:00:00Z"}, args...)...)
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("check %v: exit %d, %v in %q (stderr %q)", args, code, err, out, stderr)
	}
	return code, r
}

// TestCheckLiveRecordReplay runs check against a real DNS server on loopback
// serving the demo zone, records the run, and replays it offline: the
// verdicts must be identical.
func TestCheckLiveRecordReplay(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, demoZone(t))
	for _, sc := range []string{"esp-defaults", "aligned-dkim", "custom-return-path", "subdomain-sp", "two-dmarc", "spf-fail-none"} {
		rec := filepath.Join(t.TempDir(), sc+".zone")
		code1, live := checkJSON(t, "--resolver", srv.Addr, "--record", rec, demoDir+sc+".eml")
		code2, replay := checkJSON(t, "--zone", rec, demoDir+sc+".eml")
		code3, golden := checkJSON(t, "--zone", demoDir+"demo.zone", demoDir+sc+".eml")
		if code1 != code2 || code1 != code3 {
			t.Errorf("%s: exit live %d, replay %d, zone %d", sc, code1, code2, code3)
		}
		for _, r := range []report.Report{replay, golden} {
			if live.Verdict.Disposition != r.Verdict.Disposition || live.DMARC.Result != r.DMARC.Result ||
				live.SPF.Result != r.SPF.Result || len(live.DKIM) != len(r.DKIM) || live.Verdict.SMTPReply != r.Verdict.SMTPReply {
				t.Errorf("%s: live %+v / %+v differs from %+v / %+v", sc, live.Verdict, live.DMARC, r.Verdict, r.DMARC)
			}
		}
		if !strings.HasPrefix(live.DNS.Log[0].Source, "udp ") {
			t.Errorf("%s: live run answered from %q", sc, live.DNS.Log[0].Source)
		}
	}
}

// TestCheckTemporaryFailure: a SERVFAIL on the DMARC record must give no
// verdict (exit 3), never a pass or a rejection.
func TestCheckTemporaryFailure(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, demoZone(t))
	srv.SetFault("_dmarc.brand.example", dnstest.Fault{Rcode: dns.RcodeServerFailure})
	code, r := checkJSON(t, "--resolver", srv.Addr, "--timeout", "300ms", demoDir+"esp-defaults.eml")
	if code != ExitIndeterminate || r.DMARC.Result != "temperror" || (r.Verdict.Disposition != "defer" && r.Verdict.Disposition != "unknown") || r.Verdict.Reject {
		t.Errorf("SERVFAIL on _dmarc: exit %d, dmarc %q, verdict %+v", code, r.DMARC.Result, r.Verdict)
	}
	// A timeout on the SPF record of the MAIL FROM domain, while DKIM does
	// not align either: SPF is temperror and cannot be ignored.
	srv2 := dnstest.Start(t, demoZone(t))
	srv2.SetFault("esp.example", dnstest.Fault{Drop: true})
	code, r = checkJSON(t, "--resolver", srv2.Addr, "--timeout", "200ms", demoDir+"esp-defaults.eml")
	if r.SPF.Result != "temperror" {
		t.Errorf("timeout on SPF: spf %q", r.SPF.Result)
	}
	if r.Verdict.Reject && r.DMARC.Result != "fail" {
		t.Errorf("rejection predicted without a definite DMARC fail: %+v", r.DMARC)
	}
}

// TestCheckFixesWork applies each suggested fix and checks that the message
// then passes: the fixes are not just words.
func TestCheckFixesWork(t *testing.T) {
	t.Parallel()
	zone := demoDir + "demo.zone"
	_, before := checkJSON(t, "--zone", zone, demoDir+"esp-defaults.eml")
	if before.Verdict.Disposition != "reject" || len(before.Fixes) != 2 {
		t.Fatalf("esp-defaults: %+v, %d fixes", before.Verdict, len(before.Fixes))
	}
	// Fix 2: a custom Return-Path on bounce.brand.example (published in the
	// demo zone as the fix suggests).
	if before.Fixes[1].Via != "spf" || !strings.Contains(before.Fixes[1].Records[0], "bounce.brand.example. TXT \"v=spf1 include:esp.example -all\"") {
		t.Fatalf("fix 2 = %+v", before.Fixes[1])
	}
	code, after := checkJSON(t, "--zone", zone, "--mail-from", "bounce@bounce.brand.example", demoDir+"esp-defaults.eml")
	if code != 0 || after.DMARC.Result != "pass" || !after.SPF.Aligned {
		t.Errorf("with the custom Return-Path: exit %d, dmarc %q, spf %+v", code, after.DMARC.Result, after.SPF)
	}
	// Fix 1: DKIM with d=brand.example, simulated with the brand's key.
	key := privateCopy(t, demoDir+"keys/brand-esp1.key")
	code, after = checkJSON(t, "--zone", zone, "--dkim-key", key, "--dkim-domain", "brand.example", "--dkim-selector", "esp1", demoDir+"esp-defaults.eml")
	if code != 0 || after.DMARC.Result != "pass" {
		t.Errorf("with d=brand.example signing: exit %d, dmarc %q, dkim %+v", code, after.DMARC.Result, after.DKIM)
	}
}

// TestCheckKeyMismatch: signing with a private key whose public half is not
// the one published is reported as exactly that.
func TestCheckKeyMismatch(t *testing.T) {
	t.Parallel()
	key := privateCopy(t, demoDir+"keys/brand-unpublished.key")
	code, r := checkJSON(t, "--zone", demoDir+"demo.zone", "--dkim-key", key, "--dkim-domain", "brand.example", "--dkim-selector", "esp1", demoDir+"esp-defaults.eml")
	var sim *report.DKIM
	for i := range r.DKIM {
		if r.DKIM[i].Simulated {
			sim = &r.DKIM[i]
		}
	}
	if sim == nil || sim.Cause != "key-mismatch" || sim.Result == "pass" {
		t.Fatalf("simulated signature: %+v", r.DKIM)
	}
	if code != ExitFail || r.Verdict.Disposition != "reject" {
		t.Errorf("exit %d, verdict %+v", code, r.Verdict)
	}
	found := false
	for _, f := range r.Findings {
		found = found || f.ID == "dkim.key-mismatch"
	}
	if !found {
		t.Errorf("no dkim.key-mismatch finding in %+v", r.Findings)
	}
	_, out, _ := run(t, "check", "--zone", demoDir+"demo.zone", "--dkim-key", key, "--dkim-domain", "brand.example", "--dkim-selector", "esp1", demoDir+"esp-defaults.eml")
	if strings.Contains(out, "PRIVATE KEY") || strings.Contains(out, "MII") && strings.Contains(out, "BEGIN") {
		t.Errorf("output shows key material")
	}
}

func privateCopy(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckIDNAndOverride(t *testing.T) {
	t.Parallel()
	// --from overrides the header (what-if), and U-labels are converted.
	_, r := checkJSON(t, "--zone", demoDir+"demo.zone", "--from", "news@Bücher.example", "--mail-from", "bounce@esp.example", "--ip", "192.0.2.10")
	if r.Message.FromDomain != "xn--bcher-kva.example" || r.DMARC.Result != "none" {
		t.Errorf("IDN From: %+v, dmarc %q", r.Message, r.DMARC.Result)
	}
	code, r := checkJSON(t, "--zone", demoDir+"demo.zone", "--from", "alerts@notify.brand.example", demoDir+"aligned-dkim.eml")
	// d=brand.example aligns relaxed with notify.brand.example.
	if code != 0 || r.DMARC.Result != "pass" || r.DMARC.PolicyTag != "sp" {
		t.Errorf("relaxed subdomain alignment: exit %d dmarc %+v", code, r.DMARC)
	}
}

// TestCheckStrictSPFFix: under aspf=s a subdomain Return-Path does not
// align; the suggested fix (a bounce address at the From domain itself,
// whose SPF authorises the ESP) does.
func TestCheckStrictSPFFix(t *testing.T) {
	t.Parallel()
	strict := "testdata/overlay/brand-aspf-strict.zone"
	code, r := checkJSON(t, "--zone", demoDir+"demo.zone", "--overlay", strict, demoDir+"custom-return-path.eml")
	if code != ExitFail || r.SPF.Aligned || len(r.Fixes) != 2 || !strings.Contains(r.Fixes[1].Title, "brand.example itself (aspf=s)") {
		t.Fatalf("aspf=s with bounce.brand.example: exit %d, spf %+v, fixes %+v", code, r.SPF, r.Fixes)
	}
	code, r = checkJSON(t, "--zone", demoDir+"demo.zone", "--overlay", strict, "--mail-from", "bounce@brand.example", demoDir+"custom-return-path.eml")
	if code != 0 || r.DMARC.Result != "pass" || !r.SPF.Aligned {
		t.Errorf("following the fix: exit %d, dmarc %q, spf %+v", code, r.DMARC.Result, r.SPF)
	}
}
