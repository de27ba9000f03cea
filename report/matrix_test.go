package report_test

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/check"
	"preflight/report"
)

// multiReports checks two demo messages against every receiver profile.
func multiReports(t *testing.T) []*report.Report {
	t.Helper()
	z, err := dns.LoadZone("../testdata/demo/demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := check.ParseReceivers("all")
	if err != nil {
		t.Fatal(err)
	}
	cfg := check.Config{Resolver: dns.NewCache(z, nil), Now: func() time.Time { return evalTime }, Receivers: all}
	var reps []*report.Report
	for _, p := range []string{"spf-fail-none.eml", "two-dmarc.eml", "esp-defaults.eml"} {
		msg, err := check.ReadMessageFile("../testdata/demo/" + p)
		if err != nil {
			t.Fatal(err)
		}
		r := check.Check(context.Background(), cfg, msg, check.Plan{}).Report
		zeroTimes(r)
		reps = append(reps, r)
	}
	// Several author domains (RFC 7489 §6.6.1) in a plan.
	r := check.One(context.Background(), cfg, check.Input{}, check.Plan{From: "a@brand.example, b@startup.example", MailFrom: "bounce@esp.example", MailFromSet: true,
		IPs: []netip.Addr{netip.MustParseAddr("192.0.2.10")}}).Report
	zeroTimes(r)
	return append(reps, r)
}

// TestSchemaValidatesVerdicts: the verdicts list of --receiver all is
// valid under report/schema.json, each element shaped like verdict, the
// first equal to verdict.
func TestSchemaValidatesVerdicts(t *testing.T) {
	t.Parallel()
	root := loadSchema(t)
	reps := multiReports(t)
	if len(reps[len(reps)-1].DMARC.Authors) != 2 {
		t.Errorf("the two-author plan has authors %+v", reps[len(reps)-1].DMARC.Authors)
	}
	for _, r := range reps {
		if len(r.Verdicts) != len(check.ProfileNames()) || r.Verdicts[0].Receiver != r.Verdict.Receiver || r.Verdicts[0].SMTPReply != r.Verdict.SMTPReply {
			t.Errorf("%s: %d verdicts, first %+v, verdict %+v", r.Message.Path, len(r.Verdicts), r.Verdicts[0], r.Verdict)
		}
		b, err := report.MarshalJSONLine(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range validate(root, root, decodeLine(t, string(b)), "") {
			t.Errorf("%s: %s", r.Message.Path, e)
		}
	}
}

// TestMatrix: one verdict line per receiver under the headline, and the
// batch's messages × receivers table.
func TestMatrix(t *testing.T) {
	t.Parallel()
	reps := multiReports(t)
	var out bytes.Buffer
	if err := report.WriteText(&out, reps[0], report.TextOptions{Quiet: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1+len(reps[0].Verdicts) || !strings.HasPrefix(lines[0], "✗ 3 of 10 receivers would reject") {
		t.Errorf("quiet text:\n%s", out.String())
	}
	for i, v := range reps[0].Verdicts {
		if !strings.Contains(lines[i+1], " "+v.Receiver+" ") {
			t.Errorf("line %d %q does not name %s", i+1, lines[i+1], v.Receiver)
		}
	}
	if !strings.Contains(report.VerdictLine(reps[1]), "would reject it if they took the first of its DMARC records") {
		t.Errorf("two records: %s", report.VerdictLine(reps[1]))
	}
	m := report.NewMatrix()
	for _, r := range reps {
		m.Add(r)
	}
	out.Reset()
	if err := m.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	table := out.String()
	for _, want := range []string{"spf-fail-none.eml  ✗   ✓    ✗", "two-dmarc.eml      ✓*  ✓    ✓*", "esp-defaults.eml   ✗   ✗    ✗", "microsoft365"} {
		if !strings.Contains(table, want) {
			t.Errorf("matrix lacks %q:\n%s", want, table)
		}
	}
	single := report.NewMatrix()
	single.Add(&report.Report{Verdict: report.Verdict{Receiver: "qq", Disposition: report.DispositionAccept}})
	out.Reset()
	if single.WriteText(&out); out.Len() != 0 {
		t.Errorf("a single receiver needs no matrix: %q", out.String())
	}
}
