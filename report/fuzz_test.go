package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzRenderers puts arbitrary text in the untrusted fields of a report
// (Subject, path, a TXT answer, a finding's detail) and checks the
// invariants of every format: JSON decodes back to the same strings, JUnit
// parses as XML, every GitHub line is one command that unescapes to the
// text, Markdown keeps its table shape, and no output holds a raw control
// character.
func FuzzRenderers(f *testing.F) {
	for _, s := range []string{"plain", "a|b`c`<d>&e", "\x1b]0;t\x07\n::error::x%0A", "\u202e\xff\xfe\uFFFE", "``` ` \\|", "]]>", "1. # - >"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := &Report{
			Schema:   Schema,
			Message:  MessageInfo{Path: s, From: "a@" + s, FromDomain: s, Subject: s},
			Verdict:  Verdict{Receiver: "qq", Disposition: "reject", Reject: true, SMTPReply: "550 " + s},
			Findings: []Finding{{ID: "dmarc.no-aligned-pass", Severity: SeverityError, Title: s, Detail: s, Fix: s}},
			Fixes:    []Fix{{Via: "dkim", Title: s, Steps: []string{s}, Records: []string{s}}},
			DNS:      DNS{Log: []Query{{Name: s, Type: "TXT", Status: "answer", Answers: []string{s, s}}}},
		}
		for _, name := range []string{"json", "markdown", "junit", "github", "html", "html-zh", "text", "text-zh"} {
			var buf bytes.Buffer
			var rd Renderer
			switch name {
			case "json":
				rd = NewJSONRenderer(&buf)
			case "markdown":
				rd = NewMarkdownRenderer(&buf, MarkdownOptions{})
			case "junit":
				rd = NewJUnitRenderer(&buf, "fuzz", nil)
			case "github":
				rd = NewGitHubRenderer(&buf, nil)
			case "html":
				rd = NewHTMLRenderer(&buf, HTMLOptions{})
			case "html-zh":
				rd = NewHTMLRenderer(&buf, HTMLOptions{Lang: LangZH})
			case "text":
				rd = NewTextRenderer(&buf, TextOptions{Verbose: true})
			case "text-zh":
				rd = NewTextRenderer(&buf, TextOptions{Verbose: true, Lang: LangZH})
			}
			if err := rd.Add(r); err != nil {
				t.Fatal(err)
			}
			if err := rd.Close(); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !utf8.ValidString(out) {
				t.Fatalf("%s: invalid UTF-8 in the output", name)
			}
			for _, c := range out {
				if c != '\n' && c != '\t' && unsafeRune(c) {
					t.Fatalf("%s: raw %U in the output", name, c)
				}
			}
			switch name {
			case "json":
				var back Report
				if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
					t.Fatalf("json: %v", err)
				}
				if utf8.ValidString(s) && back.Message.Subject != s {
					t.Fatalf("json: Subject %q came back as %q", s, back.Message.Subject)
				}
			case "html", "html-zh":
				// Only the page's own elements: none from the input.
				z := html.NewTokenizer(bytes.NewReader(buf.Bytes()))
				for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
					if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
						continue
					}
					name, _ := z.TagName()
					switch string(name) {
					case "script", "img", "iframe", "object", "embed", "link", "form", "input", "base":
						t.Fatalf("html: a <%s> element came from the input", name)
					}
				}
			case "junit":
				if err := xml.Unmarshal(buf.Bytes(), new(junitSuites)); err != nil {
					t.Fatalf("junit: %v\n%s", err, out)
				}
			case "github":
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if len(lines) != 2 {
					t.Fatalf("github: %d lines, want 2:\n%s", len(lines), out)
				}
				for _, l := range lines {
					prefix := "::error file="
					if s == "" || s == "-" {
						prefix = "::error title="
					}
					if !strings.HasPrefix(l, prefix) {
						t.Fatalf("github: %q", l)
					}
				}
			case "markdown":
				for _, l := range strings.Split(out, "\n") {
					if strings.HasPrefix(l, "| [1](#m1) |") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 8 {
						t.Fatalf("markdown: verdict row has the wrong number of cells: %q", l)
					}
				}
			}
		}
	})
}
