package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"preflight/dns"
	"preflight/internal/check"
	"preflight/report"
)

// payload is everything an attacker who controls a Subject, a file name or
// a TXT record might write: terminal escapes (CSI, OSC title, OSC 8 link,
// C1 CSI), a bidi override, line breaks followed by a forged workflow
// command, percent-encoded line breaks, Markdown table and link syntax,
// HTML, a CDATA end, NUL, DEL, invalid UTF-8 and an XML-illegal character.
const payload = "A\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ " +
	"\u009b2J \u202egnp.exe \u2066iso\u2069 |cell| `tick` ``double`` [click](https://evil.example) " +
	"<script>alert(1)</script> <img src=x onerror=alert(1)> ]]> &amp; %0A::error::pct %25 $x$ " +
	"\n::error file=a,title=b::forged\r\n::warning::crlf\r# heading\n- item\n1. list\n=== \x00nul \x7fdel \xff\xfe bad \uFFFE end"

// hostileZone publishes the payload in a DMARC record's unknown tag and in
// an SPF record (written with zone-file \DDD escapes).
const hostileZone = `$ORIGIN evil.example.
@ 3600 IN SOA ns1 hostmaster 1 3600 600 604800 300
@ 3600 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc 3600 IN TXT "v=DMARC1; p=reject; zz=\027[31m|<script>alert(1)</script>]]>\010::error::pwned%0A\226\128\174x\007; rua=mailto:d@evil.example"
spf 3600 IN TXT "v=spf1 ip4:192.0.2.0/24 \027]0;title\007 \010::warning::x -all"
`

// hostileReports checks a message whose Subject, From display name and
// file name carry the payload, against a zone whose records carry it too.
func hostileReports(t *testing.T) []*report.Report {
	t.Helper()
	z, err := dns.ParseZone(hostileZone, "hostile")
	if err != nil {
		t.Fatalf("hostile zone: %v", err)
	}
	prof, err := check.LookupProfile("qq")
	if err != nil {
		t.Fatal(err)
	}
	cfg := check.Config{Resolver: dns.NewCache(rawTXT{z}, nil), Now: func() time.Time { return evalTime }, Receiver: prof}
	// A header block with NUL is refused as binary: leave it out there.
	oneLine := strings.NewReplacer("\r", "", "\n", "", "\x00", "").Replace(payload)
	var reps []*report.Report
	for i, rp := range []string{"bounce@evil.example", "bounce@spf.evil.example"} {
		msg := "Return-Path: <" + rp + ">\r\n" +
			"From: \"Evil " + oneLine + "\" <news@evil.example>\r\n" +
			"Subject: " + oneLine + "\r\n" +
			"Subject: =?utf-8?b?RVNDIBtbMm0gbmV3bGluZQo6OmVycm9yOjp4?=\r\n" +
			"Message-ID: <" + oneLine + "@evil.example>\r\n" +
			"\r\nbody\r\n"
		m, err := check.ParseMessage([]byte(msg), "templates/"+payload+".eml")
		if err != nil {
			t.Fatalf("hostile message %d: %v", i, err)
		}
		plan := check.Plan{IPs: []netip.Addr{netip.MustParseAddr("198.51.100.7")}}
		r := check.Check(context.Background(), cfg, m, plan).Report
		zeroTimes(r)
		reps = append(reps, r)
	}
	return reps
}

// rawTXT turns the zone-file \DDD escapes of TXT data into the raw bytes a
// DNS server can send (dns.Zone hands TXT data over in presentation
// form), so that the hostile bytes reach the checks as they would off the
// wire.
type rawTXT struct{ dns.Resolver }

var ddd = regexp.MustCompile(`\\[0-9]{3}`)

func (r rawTXT) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	res, err := r.Resolver.Lookup(ctx, name, t)
	recs := make([]dns.Record, len(res.Records))
	for i, rec := range res.Records {
		rec.Data = ddd.ReplaceAllStringFunc(rec.Data, func(e string) string {
			n := int(e[1]-'0')*100 + int(e[2]-'0')*10 + int(e[3]-'0')
			return string([]byte{byte(n)})
		})
		recs[i] = rec
	}
	res.Records = recs
	return res, err
}

// syntheticHostile is a report with the payload in every string field and
// one element in every slice, so that no field escapes the tests.
func syntheticHostile() *report.Report {
	r := &report.Report{}
	fill(reflect.ValueOf(r).Elem())
	r.Verdict.Disposition, r.Verdict.Reject = "reject", true
	r.Error = ""
	return r
}

func fill(v reflect.Value) { fillTypes(v, nil) }

// fillTypes is fill that leaves a recursive slice or pointer (a tree's
// Children) empty below its first level (in is the struct types being
// filled), and structs of other packages with unexported fields zero.
func fillTypes(v reflect.Value, in []reflect.Type) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(payload)
	case reflect.Struct:
		if slices.Contains(in, v.Type()) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				return // time.Time and the like: not text
			}
		}
		for i := 0; i < v.NumField(); i++ {
			fillTypes(v.Field(i), append(in, v.Type()))
		}
	case reflect.Slice:
		if slices.Contains(in, v.Type().Elem()) {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillTypes(s.Index(0), in)
		v.Set(s)
	case reflect.Pointer:
		if slices.Contains(in, v.Type().Elem()) {
			return
		}
		p := reflect.New(v.Type().Elem())
		fillTypes(p.Elem(), in)
		v.Set(p)
	}
}

// unsafeOutput reports the first character no output may contain raw:
// C0 controls other than LF and tab, DEL, C1 controls, bidi controls,
// U+2028/9, invalid UTF-8 and U+FFFE/U+FFFF.
func unsafeOutput(out string) (string, bool) {
	if !utf8.ValidString(out) {
		return "invalid UTF-8", true
	}
	for _, r := range out {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			return "control " + jsonQuote(string(r)), true
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
			return "bidi control or line separator " + jsonQuote(string(r)), true
		case r == 0xFFFE || r == 0xFFFF:
			return "non-character", true
		}
	}
	return "", false
}

func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func hostileSet(t *testing.T) []*report.Report {
	t.Helper()
	reps := hostileReports(t)
	errRep := &report.Report{Schema: report.Schema, Message: report.MessageInfo{Path: payload}, Error: payload}
	return append(reps, syntheticHostile(), errRep)
}

func TestHostileHeadersAndDNS(t *testing.T) {
	t.Parallel()
	reps := hostileSet(t)
	// The payload must really reach the reports, or the test proves nothing.
	var seen bytes.Buffer
	for _, r := range reps[:2] {
		b, _ := json.Marshal(r)
		seen.Write(b)
	}
	for _, want := range []string{`\u001b[31mRED`, `\u003cscript\u003e`, `\n::error::pwned`, `\u001b]0;title\u0007`, "\u202egnp"} {
		if !strings.Contains(seen.String(), want) {
			t.Errorf("the hostile reports do not carry %q: the zone or message did not reach them", want)
		}
	}

	for _, tc := range renderers {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := string(render(t, tc.new, reps))
			if what, bad := unsafeOutput(out); bad {
				t.Errorf("raw %s in the %s output", what, tc.name)
			}
			for i, line := range strings.Split(out, "\n") {
				if tc.name != "github" && strings.HasPrefix(strings.TrimSpace(line), "::") {
					t.Errorf("line %d starts a workflow command: %q", i+1, line)
				}
			}
			switch tc.name {
			case "json":
				checkHostileJSON(t, out, reps)
			case "markdown":
				checkHostileMarkdown(t, out, len(reps))
			case "junit":
				checkHostileJUnit(t, out, len(reps))
			case "github":
				checkHostileGitHub(t, out, reps)
			}
		})
	}
	t.Run("text-color", func(t *testing.T) {
		t.Parallel()
		out := string(render(t, func(b *bytes.Buffer) report.Renderer {
			return report.NewTextRenderer(b, report.TextOptions{Color: true, Verbose: true})
		}, reps))
		// The renderer's own colours are SGR sequences; nothing else may
		// carry an ESC.
		stripped := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, "")
		if what, bad := unsafeOutput(stripped); bad {
			t.Errorf("raw %s in coloured text output", what)
		}
	})
}

// checkHostileJSON: JSON escaping is lossless: each line decodes back to
// exactly the strings the report held (invalid UTF-8 aside, which JSON
// cannot carry and encoding/json writes as U+FFFD).
func checkHostileJSON(t *testing.T, out string, reps []*report.Report) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(reps) {
		t.Fatalf("%d JSON lines for %d reports", len(lines), len(reps))
	}
	var got report.Report
	if err := json.Unmarshal([]byte(lines[2]), &got); err != nil {
		t.Fatal(err)
	}
	// encoding/json writes each invalid byte as U+FFFD.
	want := strings.ReplaceAll(payload, "\xff\xfe", "\uFFFD\uFFFD")
	for _, s := range []string{got.Message.Subject, got.DNS.Log[0].Answers[0], got.Findings[0].Fix, got.Verdict.Rules[0].Text} {
		if s != want {
			t.Errorf("JSON did not round-trip the payload: got %q", s)
		}
	}
}

func checkHostileMarkdown(t *testing.T, out string, n int) {
	t.Helper()
	ourHTML := regexp.MustCompile(`<a id="m\d+"></a>|<br>`)
	ourLinks := regexp.MustCompile(`\[\d+\]\(#m\d+\)`)
	entity := regexp.MustCompile(`^&(lt|gt|amp);`)
	heading := regexp.MustCompile(`^(# preflight report|## \d+\. .*|### (Findings|Fix|Fixes — any one of these is enough|Enough for some receivers only|Not enough alone|Changes proposed — none is proven enough alone|Assumptions|DNS evidence))$`)
	for i, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "#") && !heading.MatchString(line) {
			t.Errorf("line %d is a heading preflight did not write: %q", i+1, line)
		}
		// Outside code spans (literal by CommonMark §6.1), no HTML, no
		// link, no entity but the three mdText writes.
		text := ourLinks.ReplaceAllString(ourHTML.ReplaceAllString(stripCodeSpans(line), ""), "")
		for j := 0; j < len(text); j++ {
			switch text[j] {
			case '\\':
				j++
			case '<', '>':
				t.Errorf("line %d: raw %q outside a code span: %q", i+1, text[j], line)
			case '[', ']', '`', '|':
				if text[j] != '|' || !strings.HasPrefix(line, "|") {
					t.Errorf("line %d: unescaped %q outside a code span: %q", i+1, text[j], line)
				}
			case '&':
				if !entity.MatchString(text[j:]) {
					t.Errorf("line %d: raw & outside a code span: %q", i+1, line)
				}
			}
		}
	}
	tables := mdTables(out)
	if len(tables) == 0 || len(tables[0]) != n+1 {
		t.Fatalf("verdict table missing or with the wrong number of rows")
	}
	for ti, tb := range tables {
		for ri, row := range tb {
			if len(row) != len(tb[0]) {
				t.Errorf("table %d row %d: %d cells, header %d", ti, ri, len(row), len(tb[0]))
			}
		}
	}
}

// stripCodeSpans removes CommonMark code spans (a backtick run, up to the
// next run of the same length) from a line; backslash escapes are kept.
func stripCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			b.WriteString(line[i : i+2])
			i += 2
		case line[i] == '`':
			n := 0
			for i+n < len(line) && line[i+n] == '`' {
				n++
			}
			fence := strings.Repeat("`", n)
			end := -1
			for k := i + n; k < len(line); {
				idx := strings.Index(line[k:], fence)
				if idx < 0 {
					break
				}
				p := k + idx
				m := 0
				for p+m < len(line) && line[p+m] == '`' {
					m++
				}
				if m == n {
					end = p
					break
				}
				k = p + m
			}
			if end < 0 { // no closing run: the backticks are literal
				b.WriteString(fence)
				i += n
				continue
			}
			i = end + n
		default:
			b.WriteByte(line[i])
			i++
		}
	}
	return b.String()
}

func checkHostileJUnit(t *testing.T, out string, n int) {
	t.Helper()
	doc := parseJUnit(t, []byte(out))
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != n || doc.Tests != n {
		t.Fatalf("JUnit: %d suites, tests=%d, want 1 suite of %d", len(doc.Suites), doc.Tests, n)
	}
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Error("JUnit output contains <script raw")
	}
	// The content survives, neutralised: the Subject's ESC is shown as \x1b.
	c := doc.Suites[0].Cases[2]
	if c.Failure == nil || !strings.Contains(c.Failure.Body, `\x1b[31mRED`) || !strings.Contains(c.Failure.Body, "<script>") {
		t.Errorf("the synthetic report's failure body lost its (escaped) content: %+v", c.Failure)
	}
	if doc.Suites[0].Errors != 1 {
		t.Errorf("errors = %d, want 1", doc.Suites[0].Errors)
	}
}

func checkHostileGitHub(t *testing.T, out string, reps []*report.Report) {
	t.Helper()
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
		t.Errorf("%d command lines, want %d (a line break leaked?)", len(lines), want)
	}
	for i, l := range lines {
		_, props, data, problem := parseCommand(l)
		if problem != "" {
			t.Errorf("line %d: %s: %q", i+1, problem, l)
			continue
		}
		if f, ok := props["file"]; ok && strings.ContainsAny(f, "\n\r\x1b") {
			t.Errorf("line %d: file property %q", i+1, f)
		}
		// What the runner shows must not hold a control character from
		// the data: line breaks are the renderer's own (detail / fix).
		if strings.ContainsAny(data, "\x1b\x07\r") {
			t.Errorf("line %d: the message unescapes to a control character: %q", i+1, data)
		}
	}
}

// stringFields lists the path of every string field of a Report (slices
// taken at index 0, pointers followed).
func stringFields(t reflect.Type, prefix string) []string {
	switch t.Kind() {
	case reflect.String:
		return []string{prefix}
	case reflect.Struct:
		var out []string
		for i := 0; i < t.NumField(); i++ {
			out = append(out, stringFields(t.Field(i).Type, prefix+"."+t.Field(i).Name)...)
		}
		return out
	case reflect.Slice:
		return stringFields(t.Elem(), prefix+"[0]")
	case reflect.Pointer:
		return stringFields(t.Elem(), prefix)
	}
	return nil
}

// withField returns a report whose every string is benign except the one
// at path, which holds the payload.
func withField(path string, value string) *report.Report {
	r := &report.Report{}
	fillWith(reflect.ValueOf(r).Elem(), "x")
	v := reflect.ValueOf(r).Elem()
	for _, part := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		name, idx := strings.CutSuffix(part, "[0]")
		v = v.FieldByName(name)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if idx {
			v = v.Index(0)
		}
	}
	v.SetString(value)
	r.Error = ""
	if path == ".Error" {
		r.Error = value
	}
	return r
}

func fillWith(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fillWith(v.Field(i), s)
		}
	case reflect.Slice:
		sl := reflect.MakeSlice(v.Type(), 1, 1)
		fillWith(sl.Index(0), s)
		v.Set(sl)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillWith(p.Elem(), s)
		v.Set(p)
	}
}

// TestEveryFieldEscaped puts the payload in one string field at a time and
// checks each renderer's output: no raw control character, no line that a
// CI runner would take as a workflow command (outside the GitHub format,
// whose every line must be a well-formed command of ours).
func TestEveryFieldEscaped(t *testing.T) {
	t.Parallel()
	fields := stringFields(reflect.TypeFor[report.Report](), "")
	if len(fields) < 60 {
		t.Fatalf("only %d string fields found", len(fields))
	}
	for _, tc := range renderers {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var leaks []string
			for _, f := range fields {
				out := string(render(t, tc.new, []*report.Report{withField(f, payload)}))
				bad, _ := unsafeOutput(out)
				for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
					if tc.name == "github" {
						if _, _, _, p := parseCommand(line); p != "" {
							bad += " " + p
						}
					} else if strings.HasPrefix(strings.TrimSpace(line), "::") {
						bad += " a line starts a workflow command"
					}
				}
				if bad != "" {
					leaks = append(leaks, f+": "+bad)
				}
			}
			if len(leaks) > 0 {
				t.Errorf("%d of %d fields reach the %s output unescaped:\n%s", len(leaks), len(fields), tc.name, strings.Join(leaks, "\n"))
			}
		})
	}
}
