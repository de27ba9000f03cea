package report_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"preflight/dkim"
	"preflight/dns"
	"preflight/report"
	"preflight/spf"
)

// The hostile payload of hostile_test.go goes through every format of every
// other command (lookup, spf, dkim, bounce), and must come out escaped
// exactly as check's renderers escape the same string in the same format:
// one set of escapers for the whole program.

// checkForms is how check's renderers write one string in each kind of
// place, taken from their output.
type checkForms struct {
	text   string // text: a field (Safe)
	quoted string // text: a record, quoted
	mdText string // Markdown: inline text
	mdCode string // Markdown: a code span's content (fences stripped)
	mdCell string // Markdown: a code span's content in a table cell
	json   string // JSON: the string token, quotes included
}

// checkEscapes renders a report holding s in the places above with check's
// renderers and reads back what they wrote.
func checkEscapes(t *testing.T, s string) checkForms {
	t.Helper()
	r := &report.Report{
		Schema:  report.Schema,
		Message: report.MessageInfo{Path: "p", From: s, FromDomain: s, Subject: s},
		DMARC:   report.DMARC{Result: "fail", Record: s, RecordDomain: "x"},
	}
	var f checkForms
	var b bytes.Buffer
	if err := report.WriteText(&b, r, report.TextOptions{Width: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if rest, ok := strings.CutPrefix(l, "  message: p — "); ok {
			f.text = rest
		}
		if strings.HasPrefix(strings.TrimSpace(l), `"`) {
			f.quoted = strings.TrimSpace(l)
		}
	}
	md := string(render(t, func(b *bytes.Buffer) report.Renderer {
		return report.NewMarkdownRenderer(b, report.MarkdownOptions{})
	}, []*report.Report{r}))
	for _, l := range strings.Split(md, "\n") {
		if rest, ok := strings.CutPrefix(l, "- Subject: "); ok {
			f.mdText = rest
		}
		if rest, ok := strings.CutPrefix(l, "- From: "); ok {
			f.mdCode = unfence(rest)
		}
		if strings.HasPrefix(l, "| [1](#m1) | ") {
			f.mdCell = unfence(strings.Split(l, " | ")[2])
		}
	}
	line, err := report.MarshalJSONLine(r)
	if err != nil {
		t.Fatal(err)
	}
	var top, msg map[string]json.RawMessage
	if err := json.Unmarshal(line, &top); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(top["message"], &msg); err != nil {
		t.Fatal(err)
	}
	f.json = string(msg["subject"])
	for name, v := range map[string]string{"text": f.text, "quoted": f.quoted, "mdText": f.mdText, "mdCode": f.mdCode, "mdCell": f.mdCell, "json": f.json} {
		if v == "" {
			t.Fatalf("check's %s form of %q not found in its output", name, s)
		}
	}
	return f
}

// unfence strips a code span's backtick fences.
func unfence(span string) string {
	n := len(span) - len(strings.TrimLeft(span, "`"))
	return span[n : len(span)-n]
}

// residue are pieces of the payload that survive any escaping: after every
// escaped form check would write is taken out of an output, none may be
// left, or some field was escaped otherwise (or not at all).
var residue = []string{"RED", "pwned", "gnp.exe", "onerror", "forged", "crlf", "evil.example", "double"}

// assertAsCheck checks out: no raw control character, no line a CI runner
// would take as a workflow command, and the payload only in the forms
// given (which check's renderers write for it in this format).
func assertAsCheck(t *testing.T, what, out string, forms ...string) {
	t.Helper()
	if bad, ok := unsafeOutput(out); ok {
		t.Errorf("%s: raw %s in the output", what, bad)
	}
	for i, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "::") {
			t.Errorf("%s: line %d starts a workflow command: %q", what, i+1, l)
		}
	}
	n := 0
	for _, f := range forms {
		n += strings.Count(out, f)
		out = strings.ReplaceAll(out, f, "⟦payload⟧")
	}
	if n == 0 {
		t.Errorf("%s: the payload does not reach the output (the test proves nothing):\n%s", what, clip(out))
	}
	for _, r := range residue {
		if strings.Contains(out, r) {
			i := strings.Index(out, r)
			t.Errorf("%s: %q is written otherwise than check writes it: …%s…", what, r, clip(out[max(0, i-200):]))
			return
		}
	}
}

// clip shortens an output for an error message.
func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// wide leaves every line unwrapped, so each escaped string is whole.
var wide = report.TextOptions{Width: 1 << 20}

func textModes() map[string]report.TextOptions {
	verbose, quiet, zh, zhVerbose := wide, wide, wide, wide
	verbose.Verbose, quiet.Quiet = true, true
	zh.Lang, zhVerbose.Lang, zhVerbose.Verbose = report.LangZH, report.LangZH, true
	return map[string]report.TextOptions{"text": wide, "text-verbose": verbose, "text-quiet": quiet, "text-zh": zh, "text-zh-verbose": zhVerbose}
}

// hostileQueries is a DNS query log whose every string is the payload.
func hostileQueries() []dns.Query {
	return []dns.Query{{Name: payload, Type: dns.TypeTXT, Status: payload, Rcode: payload,
		Answers: []string{payload, payload}, Source: payload, Err: payload}}
}

// hostileBounce is a bounce whose every string is the payload, but for the
// words the renderers choose by (kind, returned, re-check outcome); its
// re-check report carries the payload in its Subject (check's own renderer
// is tested on every field in hostile_test.go).
func hostileBounce() *report.Bounce {
	b := &report.Bounce{}
	fill(reflect.ValueOf(b).Elem())
	b.Kind = "dsn"
	d := &b.Diagnoses[0]
	d.Returned, d.Category = "headers", "authentication"
	d.Recheck.Status = report.RecheckStillFails
	rep := &report.Report{}
	fillWith(reflect.ValueOf(rep).Elem(), "x")
	rep.Error, rep.Message.Subject = "", payload
	d.Recheck.Report = rep
	d.Recheck.Ref = "" // the re-check is shown here (see TestHostileBounceRef)
	return b
}

// TestHostileBounceRef: a recipient that shares another's re-check names it
// (Recheck.Ref, a recipient address from the bounce), escaped like the rest.
func TestHostileBounceRef(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	b := hostileBounce()
	second := b.Diagnoses[0]
	rc := *second.Recheck
	rc.Ref = payload
	second.Recheck = &rc
	b.Diagnoses = append(b.Diagnoses, second)
	for name, to := range textModes() {
		var out bytes.Buffer
		if err := report.WriteBounce(&out, b, report.Options{TextOptions: to}); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, name, out.String(), e.text)
	}
	var out bytes.Buffer
	if err := report.WriteBounce(&out, b, report.Options{Format: report.FormatMarkdown}); err != nil {
		t.Fatal(err)
	}
	assertAsCheck(t, "markdown", out.String(), e.mdCell, e.mdCode, e.mdText)
	out.Reset()
	if err := report.WriteBounce(&out, b, report.Options{Format: report.FormatJSON}); err != nil {
		t.Fatal(err)
	}
	assertAsCheck(t, "json", out.String(), e.json)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var d report.BounceDiagnosis
	if err := json.Unmarshal([]byte(lines[1]), &d); err != nil {
		t.Fatal(err)
	}
	if d.Recheck == nil || d.Report != nil || d.Ref == "" || d.Status != report.RecheckStillFails {
		t.Errorf("second line: %+v", d.Recheck)
	}
}

func TestHostileBounce(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	for name, to := range textModes() {
		var b bytes.Buffer
		if err := report.WriteBounce(&b, hostileBounce(), report.Options{TextOptions: to}); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, name, b.String(), e.text)
	}
	for _, verbose := range []bool{false, true} {
		var b bytes.Buffer
		o := report.Options{Format: report.FormatMarkdown, TextOptions: report.TextOptions{Verbose: verbose}}
		if err := report.WriteBounce(&b, hostileBounce(), o); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, "markdown", b.String(), e.mdCell, e.mdCode, e.mdText)
	}
	for _, l := range []report.Lang{report.LangEN, report.LangZH} {
		var b bytes.Buffer
		if err := report.WriteBounce(&b, hostileBounce(), report.Options{Format: report.FormatHTML, TextOptions: report.TextOptions{Lang: l}}); err != nil {
			t.Fatal(err)
		}
		if bad, ok := unsafeOutput(b.String()); ok {
			t.Errorf("html-%s: raw %s in the output", l, bad)
		}
		if strings.Contains(b.String(), "<script>") {
			t.Errorf("html-%s: markup from the payload reached the page", l)
		}
		b.Reset()
		if err := report.WriteBounce(&b, hostileBounce(), report.Options{Format: report.FormatJSON, JSONLang: l}); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, "json-"+string(l), b.String(), e.json)
	}
	var b bytes.Buffer
	if err := report.WriteBounce(&b, hostileBounce(), report.Options{Format: report.FormatJSON}); err != nil {
		t.Fatal(err)
	}
	assertAsCheck(t, "json", b.String(), e.json)
	var d report.BounceDiagnosis
	if err := json.Unmarshal(bytes.TrimSpace(b.Bytes()), &d); err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(payload, "\xff\xfe", "\uFFFD\uFFFD"); d.Reply != want || d.Report.Message.Subject != want {
		t.Errorf("bounce JSON did not round-trip the payload: %q", d.Reply)
	}
}

// TestHostileBounceFields: the two defects of issue 10. A DSN's
// Arrival-Date with Markdown in it came out raw in the bounce Markdown, and
// a U+202E in a bounce field came out raw in the bounce JSON; both are now
// written exactly as check writes the same string.
func TestHostileBounceFields(t *testing.T) {
	t.Parallel()
	const arrival = "[click](http://evil.example) **bold**"
	e := checkEscapes(t, arrival)
	b := &report.Bounce{Kind: "dsn", ArrivalDate: arrival, Diagnoses: []report.BounceDiagnosis{{Reply: arrival}}}
	var out bytes.Buffer
	if err := report.WriteBounce(&out, b, report.Options{Format: report.FormatMarkdown}); err != nil {
		t.Fatal(err)
	}
	if want := "- Arrival date: " + e.mdText + "\n"; !strings.Contains(out.String(), want) {
		t.Errorf("Markdown arrival date: want %q in\n%s", want, out.String())
	}
	if e.mdText != `\[click\](http://evil.example) \*\*bold\*\*` {
		t.Errorf("check's Markdown writes %q as %q", arrival, e.mdText)
	}
	out.Reset()
	if err := report.WriteBounce(&out, b, report.Options{TextOptions: report.TextOptions{Verbose: true}}); err != nil {
		t.Fatal(err)
	}
	if want := "  arrived:   " + e.text + "\n"; !strings.Contains(out.String(), want) {
		t.Errorf("text arrival date: want %q in\n%s", want, out.String())
	}

	const bidi = "550 Mailbox not found \u202egnp.exe"
	e = checkEscapes(t, bidi)
	b = &report.Bounce{Kind: "reply", Diagnoses: []report.BounceDiagnosis{{Reply: bidi, Recipient: bidi}}}
	out.Reset()
	if err := report.WriteBounce(&out, b, report.Options{Format: report.FormatJSON}); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"reply", "recipient"} {
		if want := `"` + field + `":` + e.json; !strings.Contains(out.String(), want) {
			t.Errorf("JSON %s: want %s in %s", field, want, out.String())
		}
	}
	if strings.ContainsRune(out.String(), '\u202e') || !strings.Contains(e.json, `\u202e`) {
		t.Errorf("U+202E written raw: check %s, bounce %s", e.json, out.String())
	}
}

func TestHostileLookup(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	for _, status := range []string{"answer", "nxdomain", "nodata", "temperror"} {
		for _, typ := range []string{"TXT", "MX"} {
			a := report.LookupAnswer{}
			fill(reflect.ValueOf(&a).Elem())
			a.Status, a.Type = status, typ
			what := status + " " + typ
			for name, to := range textModes() {
				var b bytes.Buffer
				if err := report.WriteLookup(&b, a, report.Options{TextOptions: to, Queries: hostileQueries()}); err != nil {
					t.Fatal(err)
				}
				assertAsCheck(t, what+" "+name, b.String(), e.quoted, e.text)
			}
			var b bytes.Buffer
			if err := report.WriteLookup(&b, a, report.Options{Format: report.FormatJSON}); err != nil {
				t.Fatal(err)
			}
			assertAsCheck(t, what+" json", b.String(), e.json)
		}
	}
}

// TestCommandFormats: a format a command does not have is an error, not
// some other format.
func TestCommandFormats(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.WriteLookup(&b, report.LookupAnswer{}, report.Options{Format: report.FormatMarkdown}); err == nil || b.Len() > 0 {
		t.Errorf("lookup --format markdown: err %v, output %q", err, b.String())
	}
	if err := report.WriteBounce(&b, &report.Bounce{}, report.Options{Format: report.FormatJUnit}); err == nil || b.Len() > 0 {
		t.Errorf("bounce --format junit: err %v, output %q", err, b.String())
	}
}

// hostileSPFCheck is an SPF result whose every string is the payload, but
// for the result words the renderer chooses by; its trace holds the
// records of depth 0 and 1, so that both record lines are written.
func hostileSPFCheck() report.SPFCheck {
	c := report.SPFCheck{}
	fill(reflect.ValueOf(&c).Elem())
	c.Result = spf.StatusFail
	c.Terms[0].Result, c.Terms[0].Matched, c.Terms[0].Depth = spf.StatusFail, true, 1
	c.Trace[0].Action, c.Trace[0].Domain, c.Trace[0].Depth = "record", c.Domain, 0
	deeper := c.Trace[0]
	deeper.Domain, deeper.Depth = c.Terms[0].Domain, 1
	c.Trace = append(c.Trace, deeper)
	return c
}

func TestHostileSPF(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	checks := []report.SPFCheck{hostileSPFCheck(), hostileSPFCheck()}
	an := report.SPFAnalysis{}
	fill(reflect.ValueOf(&an).Elem())
	an.Result = ""
	an.Terms[0].Children = []report.SPFTreeTerm{an.Terms[0]}
	failed := an
	failed.Result = spf.StatusTempError
	for name, to := range textModes() {
		o := report.Options{TextOptions: to, Queries: hostileQueries()}
		var b bytes.Buffer
		if err := report.WriteSPF(&b, checks, o); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, "check "+name, b.String(), e.text)
		for _, a := range []report.SPFAnalysis{an, failed} {
			b.Reset()
			if err := report.WriteSPFAnalysis(&b, a, o); err != nil {
				t.Fatal(err)
			}
			assertAsCheck(t, "analysis "+name, b.String(), e.text)
		}
	}
	o := report.Options{Format: report.FormatJSON}
	var b bytes.Buffer
	if err := report.WriteSPF(&b, checks, o); err != nil {
		t.Fatal(err)
	}
	assertAsCheck(t, "check json", b.String(), e.json)
	b.Reset()
	if err := report.WriteSPFAnalysis(&b, an, o); err != nil {
		t.Fatal(err)
	}
	assertAsCheck(t, "analysis json", b.String(), e.json)
}

// hostileDKIM is a dkim run whose every string is the payload, but for the
// result words the renderer chooses by; the first signature's error
// finding restates its reason (shown as its fix only), the second's does
// not.
func hostileDKIM(keyCheck bool) report.DKIMCheck {
	c := report.DKIMCheck{KeyCheck: keyCheck}
	fill(reflect.ValueOf(&c).Elem())
	l := &c.Lines[0]
	l.Result.Result, l.Assumed = dkim.StatusFail, true
	l.Findings[0].Severity, l.Findings[0].Detail = report.SeverityError, l.Reason
	other := *l
	other.Findings = []report.Finding{{ID: payload, Severity: report.SeverityWarn, Title: payload, Detail: payload, Fix: payload}}
	c.Lines = append(c.Lines, other)
	return c
}

func TestHostileDKIM(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	for _, keyCheck := range []bool{false, true} {
		for name, to := range textModes() {
			var b bytes.Buffer
			if err := report.WriteDKIM(&b, hostileDKIM(keyCheck), report.Options{TextOptions: to, Queries: hostileQueries()}); err != nil {
				t.Fatal(err)
			}
			assertAsCheck(t, name, b.String(), e.quoted, e.text)
		}
		var b bytes.Buffer
		if err := report.WriteDKIM(&b, hostileDKIM(keyCheck), report.Options{Format: report.FormatJSON}); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, "json", b.String(), e.json)
	}
}
