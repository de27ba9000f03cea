package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"

	"preflight/report"
)

// hostileAudit is an audit whose every string is the payload, but for the
// words the renderers choose by (statuses, dispositions, severities).
func hostileAudit(status string) *report.DomainAudit {
	a := &report.DomainAudit{}
	fill(reflect.ValueOf(a).Elem())
	a.Status, a.Exists, a.Error = status, "yes", ""
	if status == report.DomainError {
		a.Error = payload
	}
	a.DMARC.Status, a.DMARC.Policy, a.DMARC.PolicyTag = "found", "reject", "p"
	a.DMARC.Reports[0].Authorization = "unauthorized"
	a.SPF.Status, a.SPF.All, a.MX.Status = "found", "fail", "found"
	a.BIMI.Status, a.MTASTS.Status, a.TLSRPT.Status = "invalid", "found", "temperror"
	a.DKIM[0].Status = "invalid"
	a.Receivers[0].Disposition, a.Receivers[0].Confidence = "reject", "medium"
	a.Findings[0].Severity = report.SeverityError
	return a
}

func renderDomains(t *testing.T, o report.DomainOptions, as ...*report.DomainAudit) string {
	t.Helper()
	var b bytes.Buffer
	rd, err := report.NewDomainRenderer(&b, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if err := rd.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := rd.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHostileDomain puts the payload in every string of an audit and
// renders it in every format: no raw control character, no line a CI
// runner would run as a workflow command, and in text, Markdown and JSON
// the payload only in the forms check's renderers write it.
func TestHostileDomain(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	for _, status := range []string{report.DomainFail, report.DomainError} {
		as := []*report.DomainAudit{hostileAudit(status), hostileAudit(report.DomainWarn)}
		for name, to := range textModes() {
			out := renderDomains(t, report.DomainOptions{Options: report.Options{TextOptions: to}, Receivers: []string{payload}}, as...)
			assertAsCheck(t, status+" "+name, out, e.text, e.quoted)
		}
		o := func(f string) report.DomainOptions {
			return report.DomainOptions{Options: report.Options{Format: f}, Receivers: []string{payload}}
		}
		assertAsCheck(t, status+" markdown", renderDomains(t, o(report.FormatMarkdown), as...), e.mdCell, e.mdCode, e.mdText)
		js := renderDomains(t, o(report.FormatJSON), as...)
		assertAsCheck(t, status+" json", js, e.json)
		for _, line := range strings.Split(strings.TrimSpace(js), "\n") {
			var back report.DomainAudit
			if err := json.Unmarshal([]byte(line), &back); err != nil {
				t.Errorf("json: %v", err)
			}
		}

		junit := renderDomains(t, o(report.FormatJUnit), as...)
		if bad, ok := unsafeOutput(junit); ok {
			t.Errorf("%s junit: raw %s", status, bad)
		}
		if err := xml.Unmarshal([]byte(junit), new(struct{})); err != nil {
			t.Errorf("%s junit: not well-formed XML: %v", status, err)
		}

		gh := renderDomains(t, o(report.FormatGitHub), as...)
		if bad, ok := unsafeOutput(gh); ok {
			t.Errorf("%s github: raw %s", status, bad)
		}
		for _, line := range strings.Split(strings.TrimSuffix(gh, "\n"), "\n") {
			if _, _, _, p := parseCommand(line); p != "" {
				t.Errorf("%s github: %s: %q", status, p, line)
			}
		}

		out := renderDomains(t, o(report.FormatCSV), as...)
		if bad, ok := unsafeOutput(strings.ReplaceAll(out, "\r\n", "\n")); ok {
			t.Errorf("%s csv: raw %s", status, bad)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("%s csv: %v, %d rows", status, err, len(rows))
		}
		for _, row := range rows {
			if len(row) != len(rows[0]) {
				t.Errorf("%s csv: %d cells in a row, %d in the header", status, len(row), len(rows[0]))
			}
		}
	}
}

func TestCSVFormulaNeutralised(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+1":              "'=1+1",
		"+1":                "'+1",
		"-all":              "'-all",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"v=spf1 -all":       "v=spf1 -all",
		"brand.example":     "brand.example",
		"a,\"quoted\"":      "a,\"quoted\"",
		"=cmd|' /C calc'!A": "'=cmd|' /C calc'!A",
	} {
		a := &report.DomainAudit{Input: in, Error: "x"}
		a.Finish()
		out := renderDomains(t, report.DomainOptions{Options: report.Options{Format: report.FormatCSV}}, a)
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := rows[1][1]; got != want {
			t.Errorf("input %q → cell %q, want %q", in, got, want)
		}
	}
}

func TestDomainFinish(t *testing.T) {
	t.Parallel()
	f := func(id string) report.DomainFinding {
		return report.DomainFinding{Finding: report.NewFinding(id, "", "")}
	}
	for _, tc := range []struct {
		name     string
		a        report.DomainAudit
		status   string
		fails    bool // under --fail-on fail
		failWarn bool // under --fail-on warn
	}{
		{"ok", report.DomainAudit{Findings: []report.DomainFinding{f("dmarc.no-rua")}}, report.DomainOK, false, false},
		{"warn", report.DomainAudit{Findings: []report.DomainFinding{f("dmarc.no-rua"), f("spf.no-record")}}, report.DomainWarn, false, true},
		{"fail", report.DomainAudit{Findings: []report.DomainFinding{f("spf.no-record"), f("domain.nxdomain")}}, report.DomainFail, true, true},
		{"temperror", report.DomainAudit{Findings: []report.DomainFinding{f("spf.no-record"), f("dmarc.temperror")}}, report.DomainTempError, false, false},
		{"fail outranks temperror", report.DomainAudit{Findings: []report.DomainFinding{f("domain.temperror"), f("spf.all-pass")}}, report.DomainFail, true, true},
		{"error", report.DomainAudit{Error: "not a domain", Findings: []report.DomainFinding{f("spf.all-pass")}}, report.DomainError, false, false},
	} {
		a := tc.a
		a.Finish()
		if a.Status != tc.status || report.DomainFails(&a, "fail") != tc.fails || report.DomainFails(&a, "warn") != tc.failWarn {
			t.Errorf("%s: status %s fails %v/%v, want %s %v/%v", tc.name, a.Status, report.DomainFails(&a, "fail"), report.DomainFails(&a, "warn"), tc.status, tc.fails, tc.failWarn)
		}
		if a.Schema != report.Schema || a.Kind != report.DomainKind || a.Findings == nil || a.Receivers == nil || a.DKIM == nil {
			t.Errorf("%s: schema/kind/arrays not set: %+v", tc.name, a)
		}
		for i := 1; i < len(a.Findings); i++ {
			if a.Findings[i-1].Severity.Rank() > a.Findings[i].Severity.Rank() {
				t.Errorf("%s: findings not ordered by severity", tc.name)
			}
		}
	}
}

func TestDomainRendererFormats(t *testing.T) {
	t.Parallel()
	if _, err := report.NewDomainRenderer(&bytes.Buffer{}, report.DomainOptions{Options: report.Options{Format: "html"}}); err == nil {
		t.Error("html accepted for domain audits")
	}
	// No domain at all: CSV still has its header, Markdown and JUnit a
	// document.
	for f, want := range map[string]string{report.FormatCSV: "domain,input,status", report.FormatMarkdown: "No domains audited", report.FormatJUnit: `tests="0"`} {
		if out := renderDomains(t, report.DomainOptions{Options: report.Options{Format: f}}); !strings.Contains(out, want) {
			t.Errorf("%s with no domains: %q", f, out)
		}
	}
}
