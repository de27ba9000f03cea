package report_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"preflight/report"
)

func renderHTML(t *testing.T, reps []*report.Report) (string, *html.Node) {
	t.Helper()
	var buf bytes.Buffer
	r := report.NewHTMLRenderer(&buf, report.HTMLOptions{})
	for _, rep := range reps {
		if err := r.Add(rep); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the HTML does not parse: %v", err)
	}
	return buf.String(), doc
}

// walk calls f on every element node.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == c {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

// TestHTMLReport renders every demo report into one document and checks it
// against the reports: a summary row and a section per report, the verdict
// class, one picture link per identifier marked as the report says, every
// fix record verbatim, every finding; and that the page needs nothing from
// outside (no script, no external URL).
func TestHTMLReport(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	out, doc := renderHTML(t, reps)
	var sections, rows []*html.Node
	walk(doc, func(n *html.Node) {
		switch {
		case n.Data == "section" && hasClass(n, "report"):
			sections = append(sections, n)
		case n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody":
			rows = append(rows, n)
		case n.Data == "script" || n.Data == "link" || n.Data == "iframe" || n.Data == "img":
			t.Errorf("self-contained report has a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			if (a.Key == "href" || a.Key == "src") && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("<%s %s=%q> points outside the document", n.Data, a.Key, a.Val)
			}
		}
	})
	if len(sections) != len(reps) || len(rows) != len(reps) {
		t.Fatalf("%d sections and %d summary rows for %d reports", len(sections), len(rows), len(reps))
	}
	for i, r := range reps {
		sec := sections[i]
		var verdict *html.Node
		var links []*html.Node
		var records, verifies []string
		var findings int
		walk(sec, func(n *html.Node) {
			switch {
			case n.Data == "p" && hasClass(n, "verdict"):
				verdict = n
			case n.Data == "li" && n.Parent != nil && hasClass(n.Parent, "links") && attr(n, "data-kind") != "":
				links = append(links, n)
			case n.Data == "code" && n.Parent != nil && n.Parent.Data == "pre" && n.Parent.Parent != nil && !hasClass(n.Parent.Parent, "verify"):
				records = append(records, textOf(n))
			case n.Data == "code" && n.Parent != nil && n.Parent.Data == "pre":
				verifies = append(verifies, textOf(n))
			case n.Data == "div" && hasClass(n, "finding"):
				findings++
			}
		})
		name := r.Message.Path
		if verdict == nil {
			t.Errorf("%s: no verdict", name)
			continue
		}
		want := "accept"
		switch {
		case r.Error != "" || r.Verdict.Disposition == "defer" || r.Verdict.Disposition == "unknown":
			want = "unknown"
		case r.Verdict.Disposition == "reject" || r.Verdict.Disposition == "quarantine":
			want = string(r.Verdict.Disposition)
		}
		if !hasClass(verdict, want) {
			t.Errorf("%s: verdict class %q, want %q", name, attr(verdict, "class"), want)
		}
		if r.Verdict.SMTPReply != "" && !strings.Contains(textOf(verdict), r.Verdict.SMTPReply) {
			t.Errorf("%s: the verdict does not show the reply %q", name, r.Verdict.SMTPReply)
		}
		if r.Error != "" {
			continue
		}
		wantLinks := len(r.DKIM)
		if r.SPF.Domain != "" || r.Envelope.MailFromDomain != "" {
			wantLinks++
		}
		if len(links) != wantLinks {
			t.Errorf("%s: %d picture links, want %d", name, len(links), wantLinks)
		}
		for j, d := range r.DKIM {
			k := j + len(links) - len(r.DKIM)
			if k < 0 || k >= len(links) {
				break
			}
			ok := d.Result == "pass" && d.Aligned && d.Counted
			if hasClass(links[k], "ok") != ok {
				t.Errorf("%s: link to d=%s marked %q, want ok=%v", name, d.Domain, attr(links[k], "class"), ok)
			}
		}
		var wantRecords []string
		for _, f := range r.Fixes {
			wantRecords = append(wantRecords, f.Records...)
		}
		var wantVerify []string
		for _, f := range r.Fixes {
			if f.Verify != "" {
				wantVerify = append(wantVerify, f.Verify)
			}
		}
		if strings.Join(verifies, "\n") != strings.Join(wantVerify, "\n") {
			t.Errorf("%s: verify commands shown\n%q\nwant\n%q", name, verifies, wantVerify)
		}
		if strings.Join(records, "\n") != strings.Join(wantRecords, "\n") {
			t.Errorf("%s: records shown\n%q\nwant\n%q", name, records, wantRecords)
		}
		if findings != len(r.Findings) {
			t.Errorf("%s: %d findings shown, want %d", name, findings, len(r.Findings))
		}
	}
	if !strings.Contains(out, "Content-Security-Policy") {
		t.Error("no Content-Security-Policy meta element")
	}
}

// TestHTMLHostile feeds the hostile reports (ESC, bidi overrides, markup,
// Markdown and workflow-command payloads in every field) through the HTML
// renderer: no element may come from the payload, and no bidi override or
// control character may reach the page raw.
func TestHTMLHostile(t *testing.T) {
	t.Parallel()
	reps := hostileReports(t)
	out, doc := renderHTML(t, reps)
	walk(doc, func(n *html.Node) {
		switch n.Data {
		case "script", "img", "iframe", "object", "embed", "link", "meta", "style", "a":
			if n.Data == "meta" || n.Data == "style" || n.Data == "a" && strings.HasPrefix(attr(n, "href"), "#m") {
				return // the page's own
			}
			t.Errorf("an element <%s> came from hostile input", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("event handler attribute %s=%q", a.Key, a.Val)
			}
		}
	})
	for _, r := range out {
		if r == 0x1b || r == 0x202e || r == 0x2066 || r == 0x07 {
			t.Errorf("raw %U in the HTML", r)
		}
	}
}

// TestHTMLHostileBounce renders the hostile bounce (the payload in every
// field, its re-check report included) as HTML: nothing from the payload
// becomes markup, and no control or bidi character reaches the page raw.
func TestHTMLHostileBounce(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := report.WriteBounce(&buf, hostileBounce(), report.Options{Format: report.FormatHTML}); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var diagnoses int
	walk(doc, func(n *html.Node) {
		switch n.Data {
		case "script", "img", "iframe", "object", "embed", "link", "a":
			t.Errorf("an element <%s> came from hostile input", n.Data)
		case "article":
			diagnoses++
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "href" || a.Key == "src" {
				t.Errorf("attribute %s=%q in the bounce page", a.Key, a.Val)
			}
		}
	})
	if diagnoses != len(hostileBounce().Diagnoses) {
		t.Errorf("%d diagnoses rendered, want %d", diagnoses, len(hostileBounce().Diagnoses))
	}
	for _, r := range buf.String() {
		if r == 0x1b || r == 0x202e || r == 0x2066 || r == 0x07 || r == 0x9b {
			t.Errorf("raw %U in the HTML", r)
		}
	}
	if !strings.Contains(buf.String(), `\u202e`) {
		t.Error("the bidi override is not shown escaped")
	}
}

// TestHTMLMatrix: a report with a verdict per receiver shows the matrix, a
// row per receiver with its disposition and reply.
func TestHTMLMatrix(t *testing.T) {
	t.Parallel()
	r := demoReports(t)[0]
	r.Verdicts = []report.Verdict{
		{Receiver: "qq", ReceiverName: "QQ Mail", Disposition: report.DispositionReject, SMTPReply: "550 DMARC check failed"},
		{Receiver: "gmail", ReceiverName: "Gmail", Disposition: report.DispositionQuarantine},
		{Receiver: "rfc", ReceiverName: "An RFC 7489 receiver", Disposition: report.DispositionAccept},
	}
	_, doc := renderHTML(t, []*report.Report{r})
	var rows []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Data == "tr" && attr(n, "data-disposition") != "" {
			rows = append(rows, n)
		}
	})
	if len(rows) != 3 {
		t.Fatalf("%d matrix rows, want 3", len(rows))
	}
	for i, want := range []string{"reject", "quarantine", "accept"} {
		if attr(rows[i], "data-disposition") != want || !strings.Contains(textOf(rows[i]), r.Verdicts[i].ReceiverName) {
			t.Errorf("row %d: %q %q", i, attr(rows[i], "data-disposition"), textOf(rows[i]))
		}
	}
	if !strings.Contains(textOf(rows[0]), "550 DMARC check failed") || !strings.Contains(textOf(rows[1]), "not documented") {
		t.Errorf("replies: %q / %q", textOf(rows[0]), textOf(rows[1]))
	}
}
