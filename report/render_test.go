package report_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
	"preflight/internal/check"
	"preflight/report"
)

var (
	update     = flag.Bool("update", false, "rewrite the golden files under testdata/")
	regenInput = flag.Bool("regen-input", false, "rewrite testdata/reports.jsonl, the golden tests' input, from the demo messages")
)

// evalTime is the --now of the golden runs (the demo signatures are valid
// then).
var evalTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// demoReports checks every demo message, a plan and an unreadable file, as
// `preflight check --zone testdata/demo/demo.zone` does, in a stable order.
// Timings are zeroed so the output is reproducible.
func demoReports(t *testing.T) []*report.Report {
	t.Helper()
	z, err := dns.LoadZone("../testdata/demo/demo.zone", "testdata/extra.zone")
	if err != nil {
		t.Fatalf("loading the demo zone: %v", err)
	}
	prof, err := check.LookupProfile("qq")
	if err != nil {
		t.Fatal(err)
	}
	cfg := check.Config{Resolver: dns.NewCache(servfail{z, "_dmarc.flaky.example"}, nil), Now: func() time.Time { return evalTime }, Receiver: prof}
	paths, err := filepath.Glob("../testdata/demo/*.eml")
	if err != nil || len(paths) < 5 {
		t.Fatalf("demo messages: %v (%d found)", err, len(paths))
	}
	sort.Strings(paths)
	ctx := context.Background()
	var reps []*report.Report
	for _, p := range paths {
		msg, err := check.ReadMessageFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		reps = append(reps, check.Check(ctx, cfg, msg, check.Plan{}).Report)
	}
	plan := check.Plan{From: "news@brand.example", MailFrom: "bounce@esp.example", MailFromSet: true,
		IPs: []netip.Addr{netip.MustParseAddr("192.0.2.10")}}
	reps = append(reps, check.One(ctx, cfg, check.Input{}, plan).Report)
	ip := []netip.Addr{netip.MustParseAddr("192.0.2.10")}
	for _, p := range []check.Plan{
		// Sampling: a probabilistic rejection.
		{From: "news@pct.example", MailFrom: "bounce@esp.example", MailFromSet: true, IPs: ip},
		// No IP: SPF analysed, over the lookup limit; strict alignment, t=y.
		{From: "news@heavy.example", MailFrom: "bounce@heavy.example", MailFromSet: true},
		// A temporary DNS failure: no verdict.
		{From: "news@flaky.example", MailFrom: "bounce@flaky.example", MailFromSet: true, IPs: ip},
		// The ESP will sign with d=brand.example: an assumed, aligned pass.
		{From: "news@brand.example", MailFrom: "bounce@esp.example", MailFromSet: true, IPs: ip,
			ExpectDKIM: []check.DomainSelector{{Domain: "brand.example", Selector: "esp1"}}},
	} {
		reps = append(reps, check.One(ctx, cfg, check.Input{}, p).Report)
	}
	reps = append(reps, check.One(ctx, cfg, check.Input{Path: "../testdata/demo/no-such-message.eml"}, check.Plan{}).Report)
	for _, r := range reps {
		zeroTimes(r)
	}
	return reps
}

func zeroTimes(r *report.Report) { r.DNS.ElapsedMS = 0 }

// servfail answers SERVFAIL (a temporary error) for one name.
type servfail struct {
	dns.Resolver
	name string
}

func (s servfail) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if name == s.name {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail, Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	return s.Resolver.Lookup(ctx, name, t)
}

// render runs one renderer over reps.
func render(t *testing.T, newR func(*bytes.Buffer) report.Renderer, reps []*report.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	rd := newR(&buf)
	for _, r := range reps {
		if err := rd.Add(r); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := rd.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/ -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test ./report/ -update rewrites it):\n%s", path, diff)
	}
}

// failOnQuarantine is a --fail-on quarantine, as the CLI would pass it.
func failOnQuarantine(r *report.Report) (bool, string) {
	if r.Error != "" {
		return true, "not checked"
	}
	switch r.Verdict.Disposition {
	case "reject", "quarantine":
		return true, report.VerdictLine(r)
	}
	return false, ""
}

var renderers = []struct {
	name   string
	golden string
	new    func(*bytes.Buffer) report.Renderer
}{
	{"json", "demo.jsonl", func(b *bytes.Buffer) report.Renderer { return report.NewJSONRenderer(b) }},
	{"markdown", "demo.md", func(b *bytes.Buffer) report.Renderer { return report.NewMarkdownRenderer(b, report.MarkdownOptions{}) }},
	{"junit", "demo.xml", func(b *bytes.Buffer) report.Renderer {
		return report.NewJUnitRenderer(b, "preflight", failOnQuarantine)
	}},
	{"github", "demo.github.txt", func(b *bytes.Buffer) report.Renderer { return report.NewGitHubRenderer(b, nil) }},
	{"authres", "demo.authres.txt", func(b *bytes.Buffer) report.Renderer {
		return report.NewAuthResRenderer(b, report.AuthResOptions{AuthservID: "mx.example"})
	}},
	{"text", "", func(b *bytes.Buffer) report.Renderer {
		return report.NewTextRenderer(b, report.TextOptions{Width: 100})
	}},
	// Chinese output runs the producers' sentences through Localize,
	// which carries their arguments into new sentences: the same escaping
	// must hold.
	{"text-zh", "", func(b *bytes.Buffer) report.Renderer {
		return report.NewTextRenderer(b, report.TextOptions{Width: 100, Lang: report.LangZH, Verbose: true})
	}},
	{"json-zh", "", func(b *bytes.Buffer) report.Renderer { return report.NewJSONRendererLang(b, report.LangZH) }},
	{"html-zh", "", func(b *bytes.Buffer) report.Renderer {
		return report.NewHTMLRenderer(b, report.HTMLOptions{Lang: report.LangZH})
	}},
}

// goldenInput is the fixed input of the golden tests: reports as JSON
// Lines in testdata/reports.jsonl, first made from the demo messages
// (-regen-input). Being fixed, the goldens change only when a renderer
// does, not when internal/check words a finding differently.
func goldenInput(t *testing.T) []*report.Report {
	t.Helper()
	path := filepath.Join("testdata", "reports.jsonl")
	if *regenInput {
		var buf bytes.Buffer
		for _, r := range demoReports(t) {
			b, err := report.MarshalJSONLine(r)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var reps []*report.Report
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		r := new(report.Report)
		if err := dec.Decode(r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		reps = append(reps, r)
	}
	return reps
}

func TestGolden(t *testing.T) {
	reps := goldenInput(t)
	// The hostile goldens show exactly how each format neutralises the
	// payload; they use only hand-made reports, so they do not move when
	// internal/check changes.
	hostile := []*report.Report{syntheticHostile(), {Schema: report.Schema, Message: report.MessageInfo{Path: payload}, Error: payload}}
	for _, tc := range renderers {
		if tc.golden == "" {
			continue // text: WriteText is tested by its owner's goldens
		}
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.golden, render(t, tc.new, reps))
			golden(t, "hostile."+strings.TrimPrefix(tc.golden, "demo."), render(t, tc.new, hostile))
		})
	}
	t.Run("markdown-empty", func(t *testing.T) {
		golden(t, "empty.md", render(t, renderers[1].new, nil))
	})
	t.Run("junit-empty", func(t *testing.T) {
		golden(t, "empty.xml", render(t, renderers[2].new, nil))
	})
}

// TestJSONLinesRoundTrip: every line is one JSON object that decodes back
// into the report it came from.
func TestJSONLinesRoundTrip(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	out := render(t, renderers[0].new, reps)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(reps) {
		t.Fatalf("%d lines for %d reports", len(lines), len(reps))
	}
	for i, line := range lines {
		var got report.Report
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Errorf("line %d: %v", i+1, err)
			continue
		}
		want := *reps[i]
		for _, p := range []*[]string{&want.Assumptions, &want.Envelope.IPs, &want.Envelope.Assumed} {
			if *p == nil {
				*p = []string{}
			}
		}
		if want.DKIM == nil {
			want.DKIM = []report.DKIM{}
		}
		if want.Findings == nil {
			want.Findings = []report.Finding{}
		}
		if want.Fixes == nil {
			want.Fixes = []report.Fix{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("line %d does not round-trip (-want +got):\n%s", i+1, diff)
		}
	}
}

// junitDoc is the JUnit shape a CI dashboard reads.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, out []byte) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, out)
	}
	return doc
}

// TestJUnitCounts: one suite, one case per report, and the counts agree
// with the failOn decisions and the reports' Error fields.
func TestJUnitCounts(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	for _, tc := range []struct {
		name   string
		failOn report.FailFunc
	}{
		{name: "reject", failOn: nil},
		{name: "quarantine", failOn: failOnQuarantine},
		{name: "never", failOn: func(*report.Report) (bool, string) { return false, "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, func(b *bytes.Buffer) report.Renderer { return report.NewJUnitRenderer(b, "templates", tc.failOn) }, reps)
			doc := parseJUnit(t, out)
			fail := tc.failOn
			if fail == nil {
				fail = report.FailOnReject
			}
			wantFail, wantErr := 0, 0
			for _, r := range reps {
				if r.Error != "" {
					wantErr++
				} else if f, _ := fail(r); f {
					wantFail++
				}
			}
			if len(doc.Suites) != 1 {
				t.Fatalf("%d testsuites, want 1", len(doc.Suites))
			}
			s := doc.Suites[0]
			if s.Name != "templates" || s.Tests != len(reps) || len(s.Cases) != len(reps) || s.Failures != wantFail || s.Errors != wantErr {
				t.Errorf("suite %q tests=%d cases=%d failures=%d errors=%d, want templates %d %d %d %d",
					s.Name, s.Tests, len(s.Cases), s.Failures, s.Errors, len(reps), len(reps), wantFail, wantErr)
			}
			if doc.Tests != s.Tests || doc.Failures != s.Failures || doc.Errors != s.Errors {
				t.Errorf("testsuites totals %d/%d/%d differ from the suite's", doc.Tests, doc.Failures, doc.Errors)
			}
			gotFail, gotErr := 0, 0
			for i, c := range s.Cases {
				wantName := reps[i].Message.Path
				if wantName == "" {
					wantName = "plan"
				}
				if c.Name != wantName {
					t.Errorf("case %d named %q, want %q", i, c.Name, wantName)
				}
				if c.Failure != nil {
					gotFail++
					if !strings.Contains(c.Failure.Body, "Findings:") && len(reps[i].Findings) > 0 {
						t.Errorf("case %s: failure body lacks the findings:\n%s", c.Name, c.Failure.Body)
					}
				}
				if c.Error != nil {
					gotErr++
				}
			}
			if gotFail != wantFail || gotErr != wantErr {
				t.Errorf("cases with <failure>: %d, <error>: %d; want %d, %d", gotFail, gotErr, wantFail, wantErr)
			}
		})
	}
}

// mdRow splits a GFM table row into cells on the pipes that are not
// escaped.
func mdRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i])
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// mdTables returns the tables of a Markdown document: header row, then
// rows, each as cells.
func mdTables(doc string) [][][]string {
	var tables [][][]string
	var cur [][]string
	sc := bufio.NewScanner(strings.NewReader(doc))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	delim := regexp.MustCompile(`^\|(\s*:?-+:?\s*\|)+$`)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "|") && delim.MatchString(line):
			// the delimiter row: skip
		case strings.HasPrefix(line, "|"):
			cur = append(cur, mdRow(line))
		default:
			if cur != nil {
				tables = append(tables, cur)
				cur = nil
			}
		}
	}
	if cur != nil {
		tables = append(tables, cur)
	}
	return tables
}

// TestMarkdownTables: the verdict table has one row per report with every
// row as wide as its header, and so has every DNS evidence table.
func TestMarkdownTables(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	out := string(render(t, renderers[1].new, reps))
	tables := mdTables(out)
	if len(tables) == 0 {
		t.Fatal("no table in the Markdown output")
	}
	summary := tables[0]
	if len(summary) != len(reps)+1 {
		t.Errorf("verdict table has %d rows, want a header and %d", len(summary), len(reps))
	}
	if h := strings.Join(summary[0], ","); h != "#,File,From domain,Verdict,DMARC,SPF,DKIM" {
		t.Errorf("verdict table header %q", h)
	}
	for ti, tb := range tables {
		for ri, row := range tb {
			if len(row) != len(tb[0]) {
				t.Errorf("table %d row %d has %d cells, header %d: %q", ti, ri, len(row), len(tb[0]), row)
			}
		}
	}
	for i, r := range reps[:len(reps)-1] {
		row := summary[i+1]
		if r.Message.FromDomain != "" && !strings.Contains(row[2], r.Message.FromDomain) {
			t.Errorf("row %d From domain cell %q lacks %q", i+1, row[2], r.Message.FromDomain)
		}
		if r.Verdict.Disposition == "reject" && !strings.Contains(row[3], "reject") {
			t.Errorf("row %d verdict cell %q for a rejection", i+1, row[3])
		}
	}
	for _, sec := range []string{"## 1. ", "### Findings", "### DNS evidence", "### Fixes"} {
		if !strings.Contains(out, sec) {
			t.Errorf("the Markdown lacks a %q section", sec)
		}
	}
}

// TestGitHubCommands: every line is a workflow command of a known kind with
// only file and title properties, one per finding plus one per failed or
// unreadable report.
func TestGitHubCommands(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	out := string(render(t, renderers[3].new, reps))
	want := 0
	for _, r := range reps {
		if r.Error != "" {
			want++
			continue
		}
		want += len(r.Findings)
		if f, _ := report.FailOnReject(r); f {
			want++
		}
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != want {
		t.Errorf("%d commands, want %d", len(lines), want)
	}
	for _, l := range lines {
		if _, _, _, err := parseCommand(l); err != "" {
			t.Errorf("%s: %q", err, l)
		}
	}
}

// parseCommand splits a workflow command line as the Actions runner does.
func parseCommand(line string) (cmd string, props map[string]string, data string, problem string) {
	if !strings.HasPrefix(line, "::") {
		return "", nil, "", "not a command"
	}
	rest := line[2:]
	end := strings.Index(rest, "::")
	if end < 0 {
		return "", nil, "", "no :: after the command"
	}
	head, data := rest[:end], rest[end+2:]
	cmd, propText, _ := strings.Cut(head, " ")
	switch cmd {
	case "error", "warning", "notice":
	default:
		return "", nil, "", "unknown command " + cmd
	}
	props = map[string]string{}
	if propText != "" {
		for _, kv := range strings.Split(propText, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || (k != "file" && k != "title") {
				return "", nil, "", "bad property " + kv
			}
			props[k] = unescapeProperty(v)
		}
	}
	return cmd, props, unescapeData(data), ""
}

func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

func unescapeProperty(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// BenchmarkRenderers renders a batch of 1,000 reports (the demo reports,
// repeated) in each format; -benchmem shows the allocation per batch.
func BenchmarkRenderers(b *testing.B) {
	t := &testing.T{}
	demo := demoReports(t)
	reps := make([]*report.Report, 0, 1000)
	for len(reps) < 1000 {
		reps = append(reps, demo[len(reps)%len(demo)])
	}
	for _, tc := range renderers {
		b.Run(tc.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				rd := tc.new(&buf)
				for _, r := range reps {
					if err := rd.Add(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := rd.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(reps))*float64(b.N)/b.Elapsed().Seconds(), "reports/s")
			b.ReportMetric(float64(buf.Len()), "bytes/batch")
		})
	}
}

// TestFindingsCatalogued: in real reports every finding's ID is in the
// catalogue with the severity it carries, and every error has a fix (the
// model's promise, which the renderers rely on).
func TestFindingsCatalogued(t *testing.T) {
	t.Parallel()
	for _, r := range append(demoReports(t), hostileReports(t)...) {
		for _, f := range r.Findings {
			e, ok := report.Catalogue[f.ID]
			switch {
			case !ok:
				t.Errorf("%q: finding %s is not in the catalogue", r.Message.Path, f.ID)
			case e.Severity != f.Severity:
				t.Errorf("%q: finding %s has severity %s, catalogued %s", r.Message.Path, f.ID, f.Severity, e.Severity)
			}
			if f.Severity == report.SeverityError && f.Fix == "" {
				t.Errorf("%q: error finding %s has no fix", r.Message.Path, f.ID)
			}
		}
	}
}
