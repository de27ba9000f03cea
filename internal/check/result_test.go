package check

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/dnstest"
	"preflight/internal/receiver"
	"preflight/report"
	"preflight/spf"
)

// TestTempError: a temporary DNS failure is never read as "no record": it
// leaves the verdict unknown (QQ) or deferred (Gmail), the result is
// indeterminate (exit code 3), and a finding says what failed.
func TestTempError(t *testing.T) {
	t.Parallel()
	plan := Plan{From: "news@brand.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	for _, tc := range []struct {
		name    string
		fail    []string
		profile string
		disp    receiver.Disposition
		dmarc   dmarc.Result
		spf     spf.Status
		finding string
		reply   string
		indet   bool
	}{
		{name: "DMARC record, QQ: unknown", fail: []string{"_dmarc.brand.example"}, profile: "qq",
			disp: receiver.DispositionUnknown, dmarc: dmarc.ResultTempError, spf: spf.StatusPass, finding: "dmarc.temperror", indet: true},
		{name: "DMARC record, Gmail: defer with 451", fail: []string{"_dmarc.brand.example"}, profile: "gmail",
			disp: receiver.DispositionDefer, dmarc: dmarc.ResultTempError, spf: spf.StatusPass, finding: "dmarc.temperror", reply: "451 4.7.26", indet: true},
		{name: "SPF record: DMARC still decides", fail: []string{"esp.example"}, profile: "qq",
			disp: receiver.DispositionReject, dmarc: dmarc.ResultFail, spf: spf.StatusTempError, finding: "spf.temperror", reply: "550 DMARC check failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Check(context.Background(), config(t, failingFor(smallZone(t), tc.fail...), tc.profile), nil, plan)
			consistent(t, r)
			if r.Verdict.Disposition != tc.disp || r.DMARC.Result != tc.dmarc || r.SPF.Status != tc.spf || r.Indeterminate() != tc.indet {
				t.Errorf("verdict %s, DMARC %s, SPF %s, indeterminate %v; want %s, %s, %s, %v",
					r.Verdict.Disposition, r.DMARC.Result, r.SPF.Status, r.Indeterminate(), tc.disp, tc.dmarc, tc.spf, tc.indet)
			}
			if _, ok := finding1(r, tc.finding); !ok {
				t.Errorf("no %s finding among %v", tc.finding, findingIDs(r.Findings))
			}
			if !strings.HasPrefix(r.Verdict.SMTPReply, tc.reply) {
				t.Errorf("reply %q, want %q…", r.Verdict.SMTPReply, tc.reply)
			}
			if r.Report.DNS.Failures == 0 {
				t.Error("the report counts no DNS failure")
			}
			if r.Reaches(LevelReject) != (tc.disp == receiver.DispositionReject) {
				t.Errorf("Reaches(reject) = %v", r.Reaches(LevelReject))
			}
		})
	}
}

// TestTempErrorOverTheWire: the same through a real DNS server on loopback
// that answers SERVFAIL for the DMARC record.
func TestTempErrorOverTheWire(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, `
$ORIGIN .
$TTL 300
esp.example            TXT "v=spf1 ip4:192.0.2.0/25 -all"
_dmarc.brand.example   TXT "v=DMARC1; p=reject"
`)
	srv.SetFault("_dmarc.brand.example", dnstest.Fault{Rcode: 2}) // SERVFAIL
	n, err := dns.NewNet([]string{srv.Addr}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{From: "news@brand.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	r := Check(context.Background(), config(t, n, "qq"), nil, plan)
	if r.DMARC.Result != dmarc.ResultTempError || r.SPF.Status != spf.StatusPass || !r.Indeterminate() {
		t.Errorf("DMARC %s, SPF %s, indeterminate %v", r.DMARC.Result, r.SPF.Status, r.Indeterminate())
	}
}

// TestLevel grades results on the --fail-on scale.
func TestLevel(t *testing.T) {
	t.Parallel()
	warn := report.Finding{ID: "w", Severity: report.SeverityWarn}
	bad := report.Finding{ID: "e", Severity: report.SeverityError}
	for _, tc := range []struct {
		name  string
		r     Result
		level Level
	}{
		{name: "nothing", level: LevelNone},
		{name: "info only", r: Result{Findings: []report.Finding{{ID: "i", Severity: report.SeverityInfo}}}, level: LevelNone},
		{name: "a warning", r: Result{Findings: []report.Finding{warn}}, level: LevelWarn},
		{name: "an error after a warning", r: Result{Findings: []report.Finding{warn, bad}}, level: LevelFail},
		{name: "DMARC fails", r: Result{DMARC: DMARCOutcome{Result: dmarc.ResultFail}}, level: LevelFail},
		{name: "quarantine", r: Result{Verdict: receiver.Verdict{Disposition: receiver.DispositionQuarantine}}, level: LevelQuarantine},
		{name: "reject", r: Result{Verdict: receiver.Verdict{Disposition: receiver.DispositionReject, Reject: true}}, level: LevelReject},
	} {
		if got := tc.r.Level(); got != tc.level {
			t.Errorf("%s: level %s, want %s", tc.name, got, tc.level)
		}
	}
	for _, tc := range []struct {
		s    string
		want Level
	}{{"warn", LevelWarn}, {"fail", LevelFail}, {"quarantine", LevelQuarantine}, {"reject", LevelReject}} {
		l, err := ParseLevel(tc.s)
		if err != nil || l != tc.want || l.String() != tc.s {
			t.Errorf("ParseLevel(%q) = %s, %v", tc.s, l, err)
		}
	}
	if _, err := ParseLevel("bounce"); err == nil || !strings.Contains(err.Error(), "use reject, quarantine, fail or warn") {
		t.Errorf("ParseLevel(bounce): %v", err)
	}
	if LevelNone.String() != "none" {
		t.Errorf("LevelNone = %s", LevelNone)
	}
	q := Result{Verdict: receiver.Verdict{Disposition: receiver.DispositionQuarantine}}
	if q.Reaches(LevelReject) || !q.Reaches(LevelQuarantine) || !q.Reaches(LevelWarn) || (&Result{}).Reaches(LevelWarn) {
		t.Error("Reaches")
	}
}

// TestBatch: results come in input order whatever order they finish in; a
// file that cannot be read gets a result with Err, not a failed batch.
func TestBatch(t *testing.T) {
	t.Parallel()
	cfg := config(t, demoZone(t), "qq")
	inputs := []Input{{Path: demoDir + "quarantine.eml"}, {Path: demoDir + "missing.eml"}, {Path: demoDir + "esp-defaults.eml"},
		{Path: demoDir + "demo.zone"}, {}}
	plan := Plan{}
	var got []*Result
	err := Batch(context.Background(), cfg, inputs, plan, 3, func(i int, r *Result) error {
		if i != len(got) {
			t.Errorf("result %d emitted at position %d", i, len(got))
		}
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(inputs) {
		t.Fatalf("%d results", len(got))
	}
	if got[0].Verdict.Disposition != receiver.DispositionQuarantine || got[2].Verdict.Disposition != receiver.DispositionReject {
		t.Errorf("verdicts %s, %s", got[0].Verdict.Disposition, got[2].Verdict.Disposition)
	}
	missing := got[1]
	if !errors.Is(missing.Err, os.ErrNotExist) || missing.Report.Error != demoDir+"missing.eml: no such file or directory" || missing.Report.Message.Path != demoDir+"missing.eml" {
		t.Errorf("missing file: %v / %q", missing.Err, missing.Report.Error)
	}
	if !errors.Is(got[3].Err, ErrNotMessage) || got[3].Report.Error == "" || got[3].Level() != LevelNone {
		t.Errorf("not a message: %v", got[3].Err)
	}
	// The plan alone (no input path) needs --from: without one it has no
	// author, and says so.
	if got[4].Err != nil || got[4].Verdict.Disposition != receiver.DispositionUnknown {
		t.Errorf("plan: %v %s", got[4].Err, got[4].Verdict.Disposition)
	}

	// A failing emit stops the batch with its error.
	stop := errors.New("stop")
	if err := Batch(context.Background(), cfg, inputs, plan, 2, func(int, *Result) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("emit error: %v", err)
	}
	// A cancelled batch says so.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Batch(ctx, cfg, inputs, plan, 0, func(int, *Result) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestStdin: "-" reads the message from the input's reader.
func TestStdin(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(demoDir + "esp-defaults.eml")
	if err != nil {
		t.Fatal(err)
	}
	r := One(context.Background(), config(t, demoZone(t), "qq"), Input{Path: "-", Stdin: strings.NewReader(string(data))}, Plan{})
	if r.Err != nil || r.Path != "-" || r.Verdict.Disposition != receiver.DispositionReject {
		t.Errorf("stdin: %v %q %s", r.Err, r.Path, r.Verdict.Disposition)
	}
}

func TestFailedReport(t *testing.T) {
	t.Parallel()
	r := failed("x.eml", ErrCancelled)
	rep := r.Report
	if rep.Error != "cancelled" || rep.Schema != report.Schema || rep.Message.Path != "x.eml" || rep.Verdict.Disposition != "" ||
		rep.DKIM == nil || rep.Findings == nil || rep.Fixes == nil || rep.Assumptions == nil || rep.Envelope.IPs == nil {
		t.Errorf("report of a failed input: %+v", rep)
	}
	if r.Indeterminate() || r.Level() != LevelNone {
		t.Error("a failed input has no verdict")
	}
}

func TestDomainSelector(t *testing.T) {
	t.Parallel()
	ds, err := ParseDomainSelector(" Brand.Example : S1 ")
	if err != nil || ds != (DomainSelector{"brand.example", "s1"}) {
		t.Errorf("ParseDomainSelector = %+v, %v", ds, err)
	}
	for _, bad := range []string{"brand.example", ":s1", "brand.example:", "localhost:s1", "a@b.example:s1"} {
		if _, err := ParseDomainSelector(bad); err == nil {
			t.Errorf("ParseDomainSelector(%q) accepted", bad)
		}
	}
	if _, err := LookupProfile("hotmail"); err == nil || !strings.Contains(err.Error(), "qq, rfc") {
		t.Errorf("LookupProfile(hotmail): %v", err)
	}
	if len(ProfileNames()) < 2 {
		t.Error("ProfileNames")
	}
}
