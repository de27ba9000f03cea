package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/authres"

	"preflight/report"
)

// TestAuthResParsesBack: every demo report's header, read back with
// go-msgauth's authres parser, carries the report's results and
// identifiers, and no line of it is longer than 78 columns.
func TestAuthResParsesBack(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	var b bytes.Buffer
	rd := report.NewAuthResRenderer(&b, report.AuthResOptions{
		ForReceiver: func(id string) (string, string) { return "mx." + id + ".example", "test" }})
	for _, r := range reps {
		if err := rd.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := rd.Close(); err != nil {
		t.Fatal(err)
	}
	headers := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n\n")
	if len(headers) != len(reps) {
		t.Fatalf("%d headers for %d reports:\n%s", len(headers), len(reps), b.String())
	}
	for i, h := range headers {
		r := reps[i]
		for _, l := range strings.Split(h, "\n") {
			if len(l) > 78 && strings.Contains(strings.TrimSpace(l), " ") {
				t.Errorf("%s: line of %d columns: %q", r.Message.Path, len(l), l)
			}
		}
		value, ok := strings.CutPrefix(h, "Authentication-Results: ")
		if !ok {
			t.Fatalf("not an Authentication-Results field: %q", h)
		}
		id, results, err := authres.Parse(value)
		if err != nil {
			t.Fatalf("%s: %v\n%s", r.Message.Path, err, h)
		}
		if want := "mx." + r.Verdict.Receiver + ".example"; r.Error == "" && id != want {
			t.Errorf("%s: authserv-id %q, want %q", r.Message.Path, id, want)
		}
		if r.Error != "" {
			if len(results) != 0 {
				t.Errorf("%s: results for a report not checked: %v", r.Message.Path, results)
			}
			continue
		}
		var dkims []*authres.DKIMResult
		var spf *authres.SPFResult
		var dm *authres.DMARCResult
		for _, res := range results {
			switch v := res.(type) {
			case *authres.SPFResult:
				spf = v
			case *authres.DKIMResult:
				dkims = append(dkims, v)
			case *authres.DMARCResult:
				dm = v
			}
		}
		if spf == nil || dm == nil {
			t.Fatalf("%s: spf %v, dmarc %v in %q", r.Message.Path, spf, dm, h)
		}
		if want := orNone(r.SPF.Result); string(spf.Value) != want {
			t.Errorf("%s: spf=%s, want %s", r.Message.Path, spf.Value, want)
		}
		if mf := r.Envelope.MailFrom; mf != "" && mf != "<>" && r.SPF.Identity != "helo" && spf.From != mf {
			t.Errorf("%s: smtp.mailfrom=%q, want %q", r.Message.Path, spf.From, mf)
		}
		if want := orNone(r.DMARC.Result); string(dm.Value) != want || dm.From != r.Message.FromDomain {
			t.Errorf("%s: dmarc=%s header.from=%q, want %s %q", r.Message.Path, dm.Value, dm.From, want, r.Message.FromDomain)
		}
		if len(r.DKIM) == 0 {
			continue // "dkim=none" carries no signature
		}
		if len(dkims) != len(r.DKIM) {
			t.Fatalf("%s: %d dkim results, want %d", r.Message.Path, len(dkims), len(r.DKIM))
		}
		for j, d := range r.DKIM {
			want := d.Result
			if d.Result == "pass" && !d.Counted {
				want = "policy"
			}
			if got := dkims[j]; string(got.Value) != want || got.Domain != d.Domain {
				t.Errorf("%s: dkim=%s header.d=%s, want %s %s", r.Message.Path, got.Value, got.Domain, want, d.Domain)
			}
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// TestAuthResValues: property values that are not tokens are quoted, and a
// comment's parentheses are quoted-pairs.
func TestAuthResValues(t *testing.T) {
	t.Parallel()
	r := &report.Report{
		Message:  report.MessageInfo{Path: "odd (name).eml", FromDomain: "brand.example"},
		Envelope: report.Envelope{MailFrom: `"odd local"@esp.example`},
		SPF:      report.SPF{Result: "pass", Domain: "esp.example"},
		DMARC:    report.DMARC{Result: "pass"},
		Verdict:  report.Verdict{Receiver: "qq", Disposition: report.DispositionAccept},
	}
	h := report.AuthResHeader(r, "mx.qq.com", "test")
	for _, want := range []string{`smtp.mailfrom="\"odd local\"@esp.example"`, `odd \(name\).eml`, "dkim=none (no signature)"} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %s:\n%s", want, h)
		}
	}
	_, results, err := authres.Parse(strings.TrimPrefix(h, "Authentication-Results: "))
	if err != nil || len(results) != 3 {
		t.Errorf("parse: %v %v", results, err)
	}
}
