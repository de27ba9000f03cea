package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"

	"preflight/report"
)

// hostileItems are a run's items whose every string is the payload: a
// bounce, a notice, a message that is not a bounce, one that cannot be
// read.
func hostileItems() []report.BounceItem {
	n := &report.BounceNotice{}
	fill(reflect.ValueOf(n).Elem())
	n.Kind = report.NoticeFeedback
	return []report.BounceItem{
		{Source: payload, Bounce: hostileBounce()},
		{Source: payload, Notice: n},
		{Source: payload, Problem: payload},
		{Source: payload, Problem: payload, Unreadable: true},
	}
}

func renderRun(t *testing.T, o report.Options, items []report.BounceItem) string {
	t.Helper()
	var b bytes.Buffer
	rd, err := report.NewBounceRenderer(&b, o)
	if err != nil {
		t.Fatal(err)
	}
	tally := report.NewTriageTally()
	for _, it := range items {
		tally.Add(it)
		if err := rd.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := rd.Close(tally.Summary()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHostileBounceRun: every format of a mailbox run writes the payload
// as check writes it (text, Markdown, JSON), or as valid XML and one
// workflow command per line (JUnit, GitHub), never raw.
func TestHostileBounceRun(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	items := hostileItems()
	for name, to := range textModes() {
		assertAsCheck(t, "run-"+name, renderRun(t, report.Options{TextOptions: to}, items), e.text)
	}
	assertAsCheck(t, "run-markdown", renderRun(t, report.Options{Format: report.FormatMarkdown}, items), e.mdCell, e.mdCode, e.mdText)
	for _, l := range []report.Lang{report.LangEN, report.LangZH} {
		out := renderRun(t, report.Options{Format: report.FormatJSON, JSONLang: l}, items)
		assertAsCheck(t, "run-json-"+string(l), out, e.json)
		kinds := []string{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var v struct{ Kind string }
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Fatalf("json line %q: %v", line, err)
			}
			kinds = append(kinds, v.Kind)
		}
		if got := strings.Join(kinds, " "); got != "bounce feedback-report not-a-bounce unreadable summary" {
			t.Errorf("json kinds %q", got)
		}
		html := renderRun(t, report.Options{Format: report.FormatHTML, TextOptions: report.TextOptions{Lang: l}}, items)
		if bad, ok := unsafeOutput(html); ok {
			t.Errorf("run-html-%s: raw %s", l, bad)
		}
		if strings.Contains(html, "<script>") || !strings.Contains(html, "RED") {
			t.Errorf("run-html-%s: markup from the payload reached the page, or the payload is missing", l)
		}
	}
	junit := renderRun(t, report.Options{Format: report.FormatJUnit}, items)
	if bad, ok := unsafeOutput(junit); ok {
		t.Errorf("junit: raw %s", bad)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal([]byte(junit), &doc); err != nil {
		t.Fatalf("junit is not XML: %v", err)
	}
	if doc.Tests != 4 || doc.Failures != 1 || doc.Skipped != 2 || doc.Errors != 1 {
		t.Errorf("junit counts %+v", doc)
	}
	gh := renderRun(t, report.Options{Format: report.FormatGitHub}, items)
	if bad, ok := unsafeOutput(gh); ok {
		t.Errorf("github: raw %s", bad)
	}
	for i, l := range strings.Split(strings.TrimSpace(gh), "\n") {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("github line %d is not one workflow command: %q", i+1, l)
		}
		// The properties end at the first "::": none of theirs may hold a
		// colon of its own (the runner would end them early).
		if props, _, ok := strings.Cut(l[2:], "::"); !ok || strings.Contains(props, ":") {
			t.Errorf("github line %d: properties not escaped: %q", i+1, l)
		}
	}
}

// TestHostileNotice: a notice alone, in every single-input format.
func TestHostileNotice(t *testing.T) {
	t.Parallel()
	e := checkEscapes(t, payload)
	n := hostileItems()[1].Notice
	for name, to := range textModes() {
		var b bytes.Buffer
		if err := report.WriteBounceNotice(&b, n, report.Options{TextOptions: to}); err != nil {
			t.Fatal(err)
		}
		assertAsCheck(t, "notice-"+name, b.String(), e.text)
	}
	for _, f := range []string{report.FormatMarkdown, report.FormatJSON, report.FormatHTML} {
		var b bytes.Buffer
		if err := report.WriteBounceNotice(&b, n, report.Options{Format: f}); err != nil {
			t.Fatal(err)
		}
		switch f {
		case report.FormatMarkdown:
			assertAsCheck(t, "notice-markdown", b.String(), e.mdCell, e.mdCode, e.mdText)
		case report.FormatJSON:
			assertAsCheck(t, "notice-json", b.String(), e.json)
		default:
			if bad, ok := unsafeOutput(b.String()); ok || strings.Contains(b.String(), "<script>") {
				t.Errorf("notice-html: raw %s", bad)
			}
		}
	}
}

// TestTriageTally: the summary counts what it was given, groups the
// authentication failures by sender, and marks the group that holds all of
// a reason's failures at a receiver.
func TestTriageTally(t *testing.T) {
	t.Parallel()
	rep := func(from, mailFrom string) *report.Recheck {
		return &report.Recheck{Status: report.RecheckStillFails, Report: &report.Report{
			Message: report.MessageInfo{FromDomain: from}, Envelope: report.Envelope{MailFromDomain: mailFrom},
			Fixes: []report.Fix{{Via: "dkim", Title: "sign with DKIM d=" + from}}}}
	}
	dmarc := func(rcpt, from, mailFrom string) report.BounceDiagnosis {
		return report.BounceDiagnosis{Recipient: rcpt, Receiver: "qq", ReceiverName: "QQ Mail", Reason: "DMARC check failed",
			Category: "authentication", Recheck: rep(from, mailFrom)}
	}
	tally := report.NewTriageTally()
	for range 5 {
		tally.Add(report.BounceItem{Source: "m", Bounce: &report.Bounce{Diagnoses: []report.BounceDiagnosis{dmarc("a@qq.com", "brand.example", "esp.example")}}})
	}
	tally.Add(report.BounceItem{Source: "n", Bounce: &report.Bounce{Diagnoses: []report.BounceDiagnosis{
		dmarc("b@qq.com", "shop.example", "shop.example"),
		{Recipient: "c@qq.com", Receiver: "qq", Reason: "Mailbox not found", Category: "recipient"},
		{Recipient: "d@x", Reason: "Receiver unreachable", Category: "network", Delayed: true},
	}}})
	tally.Add(report.BounceItem{Source: "o", Notice: &report.BounceNotice{Kind: report.NoticeAutoReply}})
	tally.Add(report.BounceItem{Source: "p", Problem: "x"})
	tally.Add(report.BounceItem{Source: "q", Problem: "x", Unreadable: true})
	s := tally.Summary()
	if s.Messages != 9 || s.Bounces != 6 || s.Diagnoses != 8 || s.Delayed != 1 || s.NotBounces != 1 || s.Unreadable != 1 || s.Notices["auto-reply"] != 1 {
		t.Errorf("counts %+v", s)
	}
	if len(s.Groups) != 3 || s.Groups[0].Count != 6 || s.Groups[0].Category != "authentication" || !s.Groups[2].Delayed && !s.Groups[1].Delayed {
		t.Errorf("groups %+v", s.Groups)
	}
	if len(s.Authentication) != 2 {
		t.Fatalf("authentication groups %+v", s.Authentication)
	}
	a := s.Authentication[0]
	if a.Count != 5 || a.FromDomain != "brand.example" || a.MailFromDomain != "esp.example" || a.All || a.Recheck[report.RecheckStillFails] != 5 || len(a.Fixes) != 1 {
		t.Errorf("first group %+v", a)
	}
	var b bytes.Buffer
	rd, _ := report.NewBounceRenderer(&b, report.Options{TextOptions: wide})
	if err := rd.Close(s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "5 × DMARC check failed at QQ Mail — From brand.example via esp.example") {
		t.Errorf("text summary:\n%s", b.String())
	}
}
