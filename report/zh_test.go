package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"preflight/internal/bounce"
	"preflight/internal/receiver"
	"preflight/report"
)

// TestHTMLChinese renders the demo reports in Chinese and checks the page
// as a reader (and the serve page's browser test) sees it: <html
// lang="zh-CN">, Chinese headings and verdicts, the same records verbatim,
// each finding with its Chinese title and meaning and its English detail
// folded into a <details> marked 英文原文, and QQ's guidance where QQ would
// reject.
func TestHTMLChinese(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	var buf bytes.Buffer
	rd := report.NewHTMLRenderer(&buf, report.HTMLOptions{Lang: report.LangZH})
	for _, r := range reps {
		if err := rd.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := rd.Close(); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var sections []*html.Node
	var h1, h3s []string
	walk(doc, func(n *html.Node) {
		switch {
		case n.Data == "html":
			if got := attr(n, "lang"); got != "zh-CN" {
				t.Errorf("<html lang=%q>, want zh-CN", got)
			}
		case n.Data == "h1":
			h1 = append(h1, textOf(n))
		case n.Data == "h3":
			h3s = append(h3s, textOf(n))
		case n.Data == "section" && hasClass(n, "report"):
			sections = append(sections, n)
		}
	})
	if len(h1) != 1 || h1[0] != "preflight 报告" {
		t.Errorf("h1 %q, want the Chinese title", h1)
	}
	for _, h := range []string{"对齐情况", "收信方看到的内容", "修复方案（任选其一即可）", "检查发现", "QQ 邮箱发信建议"} {
		found := false
		for _, got := range h3s {
			found = found || got == h
		}
		if !found {
			t.Errorf("no heading %q among %q", h, h3s)
		}
	}
	if len(sections) != len(reps) {
		t.Fatalf("%d sections for %d reports", len(sections), len(reps))
	}
	for i, r := range reps {
		sec := sections[i]
		var verdict string
		var records []string
		var findings, originals int
		var titles []string
		walk(sec, func(n *html.Node) {
			switch {
			case n.Data == "p" && hasClass(n, "verdict"):
				verdict = textOf(n)
			case n.Data == "code" && n.Parent != nil && n.Parent.Data == "pre":
				records = append(records, textOf(n))
			case n.Data == "div" && hasClass(n, "finding"):
				findings++
				walk(n, func(c *html.Node) {
					if c.Data == "strong" && c.Parent == n {
						titles = append(titles, textOf(c))
					}
				})
			case n.Data == "summary" && textOf(n) == "英文原文" && n.Parent != nil && n.Parent.Parent != nil && hasClass(n.Parent.Parent, "finding"):
				originals++
			}
		})
		name := r.Message.Path
		if r.Verdict.Disposition == "reject" && r.Verdict.Receiver == "qq" && !(strings.Contains(verdict, "QQ 邮箱") && strings.Contains(verdict, "拒收")) {
			t.Errorf("%s: verdict %q is not the Chinese one", name, verdict)
		}
		if r.Verdict.SMTPReply != "" && !strings.Contains(verdict, r.Verdict.SMTPReply) {
			t.Errorf("%s: the verdict does not show the reply verbatim", name)
		}
		if r.Error != "" {
			continue
		}
		var want []string
		for _, f := range r.Fixes {
			want = append(want, f.Records...)
			if f.Verify != "" {
				want = append(want, f.Verify) // the verify command, copied whole too
			}
		}
		if strings.Join(records, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: records %q, want %q verbatim", name, records, want)
		}
		if findings != len(r.Findings) {
			t.Errorf("%s: %d findings shown, want %d", name, findings, len(r.Findings))
		}
		withText := 0
		for j, f := range r.Findings {
			if f.Detail != "" || f.Fix != "" {
				withText++
			}
			if j < len(titles) && titles[j] != report.Explain(report.LangZH, f.ID).Title {
				t.Errorf("%s: finding %s titled %q, want its Chinese title", name, f.ID, titles[j])
			}
		}
		if originals != withText {
			t.Errorf("%s: %d findings keep their English in <details>, want %d", name, originals, withText)
		}
	}
}

// TestJSONChinese: --lang zh JSON is the English JSON plus l10n objects:
// removing them gives back the English output exactly, and every finding,
// fix and verdict has its Chinese beside it.
func TestJSONChinese(t *testing.T) {
	t.Parallel()
	reps := demoReports(t)
	en := render(t, func(b *bytes.Buffer) report.Renderer { return report.NewJSONRenderer(b) }, reps)
	zh := render(t, func(b *bytes.Buffer) report.Renderer { return report.NewJSONRendererLang(b, report.LangZH) }, reps)
	enLines := strings.Split(strings.TrimSuffix(string(en), "\n"), "\n")
	zhLines := strings.Split(strings.TrimSuffix(string(zh), "\n"), "\n")
	if len(enLines) != len(zhLines) {
		t.Fatalf("%d English lines, %d Chinese", len(enLines), len(zhLines))
	}
	root := loadSchema(t)
	for i := range zhLines {
		for _, e := range validate(root, root, decodeLine(t, zhLines[i]), "") {
			t.Errorf("report %d: %s", i+1, e)
		}
		var r report.Report
		if err := json.Unmarshal([]byte(zhLines[i]), &r); err != nil {
			t.Fatal(err)
		}
		if r.Verdict.L10n == nil || r.Verdict.L10n.Lang != "zh" || r.Verdict.L10n.Line == "" {
			t.Errorf("report %d: verdict l10n %+v", i+1, r.Verdict.L10n)
		}
		if r.L10n == nil || r.L10n.Lang != "zh" {
			t.Errorf("report %d: report l10n %+v", i+1, r.L10n)
		}
		for _, f := range r.Findings {
			if f.L10n == nil || f.L10n.Title == "" || f.L10n.Meaning == "" || f.Severity == report.SeverityError && f.L10n.Fix == "" {
				t.Errorf("report %d: finding %s l10n %+v", i+1, f.ID, f.L10n)
			}
		}
		for _, f := range r.Fixes {
			if f.L10n == nil || f.L10n.Title == "" || len(f.L10n.Steps) != len(f.Steps) {
				t.Errorf("report %d: fix %q l10n %+v", i+1, f.Title, f.L10n)
			}
		}
		// Without the l10n objects, the same document as in English.
		r.Verdict.L10n, r.L10n = nil, nil
		for j := range r.Findings {
			r.Findings[j].L10n = nil
		}
		for j := range r.Fixes {
			r.Fixes[j].L10n = nil
		}
		back, err := report.MarshalJSONLine(&r)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSuffix(string(back), "\n") != enLines[i] {
			t.Errorf("report %d: without l10n the Chinese JSON differs from the English:\n%s\n%s", i+1, back, enLines[i])
		}
	}
}

// TestQQRulesTranslated: every rule of the QQ receiver profile and every
// QQ bounce rule has its Chinese; the other receivers' rules are listed.
func TestQQRulesTranslated(t *testing.T) {
	t.Parallel()
	var rules []receiver.Rule
	for _, pr := range receiver.QQ.Rules() {
		rules = append(rules, pr.Rule)
	}
	for _, r := range rules {
		if _, ok := report.ZhReceiverRules[r.ID]; !ok {
			t.Errorf("QQ receiver rule %s has no Chinese: %q", r.ID, r.Text)
		}
	}
	var others []string
	for _, r := range bounce.Rules() {
		_, ok := report.ZhBounceRules[r.ID]
		switch {
		case r.Receiver == bounce.ReceiverQQ && !ok:
			t.Errorf("QQ bounce rule %s has no Chinese meaning and action", r.ID)
		case !ok:
			others = append(others, r.ID)
		}
	}
	for id, z := range report.ZhBounceRules {
		if z.Meaning == "" || z.Action == "" {
			t.Errorf("bounce rule %s: Chinese meaning or action empty", id)
		}
	}
	if len(others) > 0 {
		t.Logf("bounce rules shown in English in Chinese output: %s", strings.Join(others, ", "))
	}
}

// TestBounceHTMLChinese: the bounce page in Chinese says lang="zh-CN" and
// gives a QQ rule's meaning and action in Chinese, the reply verbatim.
func TestBounceHTMLChinese(t *testing.T) {
	t.Parallel()
	b := &report.Bounce{Kind: "dsn", ReportingMTA: "mail.shop.example", Diagnoses: []report.BounceDiagnosis{{
		Receiver: "qq", ReceiverName: "QQ Mail (Tencent)", Code: "550", Reason: "DMARC check failed", Category: "authentication",
		Rule: "qq.dmarc", Recognised: true, Confidence: "high", Recipient: "li.wei@qq.com",
		Reply:   "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
		Meaning: "English meaning", Action: "English action",
	}}}
	var buf bytes.Buffer
	if err := report.WriteBounce(&buf, b, report.Options{Format: report.FormatHTML, TextOptions: report.TextOptions{Lang: report.LangZH}}); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var dd []string
	walk(doc, func(n *html.Node) {
		if n.Data == "html" && attr(n, "lang") != "zh-CN" {
			t.Errorf("<html lang=%q>", attr(n, "lang"))
		}
		if n.Data == "dd" {
			dd = append(dd, textOf(n))
		}
	})
	all := strings.Join(dd, "\n")
	for _, want := range []string{"邮件在 QQ 未通过 DMARC", "让邮件对其发件域通过 DMARC", "身份认证"} {
		if !strings.Contains(all, want) {
			t.Errorf("the page does not say %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "English meaning") || !strings.Contains(buf.String(), "550 DMARC check failed.") {
		t.Errorf("the meaning should be the rule's Chinese and the reply verbatim")
	}
}
