package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"preflight/dmarc"
	"preflight/dns"
)

//go:embed html/*.tmpl html/style.css
var htmlFS embed.FS

// HTMLOptions tune the HTML report.
type HTMLOptions struct {
	// Title heads the page ("preflight report" when empty).
	Title string
	// Interactive adds the copy buttons of `preflight serve` (a small
	// script served with the page). A report file leaves it false: it
	// needs no script to be read.
	Interactive bool
	// Lang is the page's language ("" is English): <html lang>, every
	// heading and label, the verdict, and each finding's title, meaning
	// and general fix, with the English detail kept in a <details>.
	Lang Lang
}

// NewHTMLRenderer returns a Renderer that writes one self-contained HTML
// document (inline CSS and SVG, no external requests, no script needed to
// read it): for several reports a summary table first, then each report —
// the verdict, the alignment picture (From domain ↔ SPF domain ↔ each DKIM
// d=, with organizational domains and ✓/✗ on each link), the fixes with the
// records to publish, the findings, the assumptions and the DNS work.
//
// Every string passes through Safe and then html/template's contextual
// escaping: header fields, TXT records and bounce text cannot inject markup
// or reorder the page with bidi overrides.
func NewHTMLRenderer(w io.Writer, o HTMLOptions) Renderer {
	return &htmlRenderer{w: w, o: o}
}

type htmlRenderer struct {
	w    io.Writer
	o    HTMLOptions
	reps []*Report
}

func (h *htmlRenderer) Add(r *Report) error {
	h.reps = append(h.reps, SafeCopy(r))
	return nil
}

func (h *htmlRenderer) Close() error {
	l := h.o.Lang
	page := htmlPage{Title: h.o.Title, Interactive: h.o.Interactive, CSS: template.CSS(htmlCSS()), Lang: l.HTMLLang()}
	if page.Title == "" {
		page.Title = T(l, "preflight report")
	}
	for i, r := range h.reps {
		page.Reports = append(page.Reports, newHTMLReport(l, i+1, r))
	}
	page.Summary = len(page.Reports) > 1
	var buf bytes.Buffer
	if err := htmlTemplates(l).ExecuteTemplate(&buf, "page", page); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	_, err := h.w.Write(buf.Bytes())
	return err
}

// WriteHTMLFragment writes the body of one report (no <html> around it),
// as `preflight serve` embeds it in its page; n numbers it (its anchor is
// "m"+n).
func WriteHTMLFragment(w io.Writer, r *Report, n int) error {
	return WriteHTMLFragmentLang(w, r, n, LangEN)
}

// WriteHTMLFragmentLang is WriteHTMLFragment in language l. A page that
// embeds Chinese fragments says so with <html lang="zh-CN"> (l.HTMLLang).
func WriteHTMLFragmentLang(w io.Writer, r *Report, n int, l Lang) error {
	return htmlTemplates(l).ExecuteTemplate(w, "report", newHTMLReport(l, n, SafeCopy(r)))
}

// HTMLStyle is the stylesheet of the HTML report, for pages that embed
// report fragments.
func HTMLStyle() string { return htmlCSS() }

func htmlCSS() string {
	b, err := htmlFS.ReadFile("html/style.css")
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

// htmlTmpls holds the parsed templates per language: their "t" function
// is T in that language. Parsed once each; safe for concurrent use (serve
// renders from many goroutines).
var htmlTmpls sync.Map // Lang → *template.Template

func htmlTemplates(l Lang) *template.Template {
	if l != LangZH {
		l = LangEN
	}
	if v, ok := htmlTmpls.Load(l); ok {
		return v.(*template.Template)
	}
	t := template.Must(template.New("").Funcs(template.FuncMap{
		"add":    func(a, b int) int { return a + b },
		"t":      func(key string, args ...any) string { return T(l, key, args...) },
		"word":   func(s string) string { return word(l, s) },
		"md":     codeSpans,
		"result": func(s string) string { return (&textWriter{o: TextOptions{Lang: l}}).result(s) },
	}).ParseFS(htmlFS, "html/*.tmpl"))
	v, _ := htmlTmpls.LoadOrStore(l, t)
	return v.(*template.Template)
}

type htmlPage struct {
	Title       string
	Interactive bool
	CSS         template.CSS
	Lang        string // <html lang>
	Summary     bool
	Reports     []htmlReport
}

// htmlReport is a report prepared for the template: the verdict's class
// and words, and the alignment picture laid out.
type htmlReport struct {
	N       int
	R       *Report
	Anchor  string
	Name    string // the receiver's display name
	Class   string // accept, quarantine, reject, unknown
	Mark    string // ✓ ⚠ ✗ ?
	Verdict string
	Reply   string // the SMTP reply when the verdict line does not quote it
	Picture htmlPicture
	// Matrix has a row per receiver when several were asked
	// (Report.Verdicts).
	Matrix []htmlVerdictRow
	htmlTexts
}

// htmlVerdictRow is one receiver's verdict in the matrix.
type htmlVerdictRow struct {
	Class, Mark, Name, Disposition, Reply string
}

func newHTMLReport(l Lang, n int, r *Report) htmlReport {
	h := htmlReport{N: n, R: r, Anchor: fmt.Sprintf("m%d", n), Name: receiverName(l, r)}
	h.htmlTexts = newHTMLTexts(l, r)
	line := VerdictLineIn(l, r)
	h.Mark, h.Verdict, _ = strings.Cut(line, " ")
	if !strings.Contains(h.Verdict, r.Verdict.SMTPReply) {
		h.Reply = r.Verdict.SMTPReply
	}
	switch {
	case r.Error != "":
		h.Class = "unknown"
	case r.Verdict.Disposition == DispositionReject:
		h.Class = "reject"
	case r.Verdict.Disposition == DispositionQuarantine:
		h.Class = "quarantine"
	case r.Verdict.Disposition == DispositionDefer || r.Verdict.Disposition == DispositionUnknown:
		h.Class = "unknown"
	default:
		h.Class = "accept"
	}
	h.Picture = newPicture(l, r)
	if len(r.Verdicts) > 1 {
		for _, v := range r.Verdicts {
			row := htmlVerdictRow{Class: string(v.Disposition), Mark: dispositionMark(v.Disposition), Name: verdictName(l, v),
				Disposition: word(l, string(v.Disposition)), Reply: v.SMTPReply}
			if row.Reply == "" && v.Disposition != DispositionAccept {
				row.Reply = T(l, "reply text not documented")
			}
			h.Matrix = append(h.Matrix, row)
		}
	}
	return h
}

// htmlPicture is the alignment picture: the From domain on the left, each
// authenticated identifier (the SPF domain, each DKIM d=) on the right, one
// link per identifier marked ✓ when it passes and aligns.
type htmlPicture struct {
	Width, Height int
	From          htmlNode
	Links         []htmlLink
}

type htmlNode struct {
	X, Y, W, H int
	Label      string // "From: brand.example"
	Sub        string // "org brand.example"
}

type htmlLink struct {
	Node       htmlNode
	X1, Y1     int // from the From node
	X2, Y2     int // to the identifier node
	MX, MY     int // the mark's centre
	OK         bool
	Mark       string
	Why        string // the alignment in words (a tooltip and the text below)
	Kind       string // spf or dkim
	Identifier string
}

const (
	picWidth  = 560
	picRowH   = 74
	picNodeW  = 250
	picNodeH  = 52
	picMargin = 12
)

func newPicture(l Lang, r *Report) htmlPicture {
	type id struct {
		kind, label, domain, result, why string
		aligned, counted                 bool
	}
	var ids []id
	if r.SPF.Domain != "" || r.Envelope.MailFromDomain != "" {
		d := r.SPF.Domain
		if d == "" {
			d = r.Envelope.MailFromDomain
		}
		ids = append(ids, id{kind: "spf", label: "SPF: " + d, domain: d, result: orDash(r.SPF.Result), why: Localize(l, r.SPF.Alignment),
			aligned: r.SPF.Aligned, counted: true})
	}
	for _, k := range r.DKIM {
		ids = append(ids, id{kind: "dkim", label: "DKIM d=" + k.Domain + " s=" + k.Selector, domain: k.Domain, result: k.Result,
			why: Localize(l, k.Alignment), aligned: k.Aligned, counted: k.Counted})
	}
	rows := max(len(ids), 1)
	p := htmlPicture{Width: picWidth, Height: rows*picRowH + picMargin}
	fromY := p.Height/2 - picNodeH/2
	p.From = htmlNode{X: picMargin, Y: fromY, W: picNodeW - 70, H: picNodeH,
		Label: T(l, "From: %s", orDash(r.Message.FromDomain)), Sub: orgLabel(l, r.Message.FromDomain)}
	for i, x := range ids {
		n := htmlNode{X: picWidth - picMargin - picNodeW, Y: picMargin/2 + i*picRowH + (picRowH-picNodeH)/2, W: picNodeW, H: picNodeH,
			Label: clipRunes(x.label, 27), Sub: x.result + " · " + orgLabel(l, x.domain)}
		ok := x.result == "pass" && x.aligned && x.counted
		link := htmlLink{Node: n, OK: ok, Why: x.why, Kind: x.kind, Identifier: x.label,
			X1: p.From.X + p.From.W, Y1: fromY + picNodeH/2, X2: n.X, Y2: n.Y + picNodeH/2}
		link.MX, link.MY = (link.X1+link.X2)/2, (link.Y1+link.Y2)/2
		switch {
		case ok:
			link.Mark = "✓"
		default:
			link.Mark = "✗"
		}
		if link.Why == "" {
			link.Why = linkWords(l, x.result, x.aligned, x.counted)
		}
		p.Links = append(p.Links, link)
	}
	return p
}

func linkWords(l Lang, result string, aligned, counted bool) string {
	switch {
	case result != "pass":
		return T(l, "does not pass (%s)", result)
	case !aligned:
		return T(l, "passes but is not aligned with the From domain")
	case !counted:
		return T(l, "passes and aligns, but the receiver does not count it")
	}
	return T(l, "passes and aligns")
}

// orgLabel names the organizational domain of d ("org esp.example").
func orgLabel(l Lang, d string) string {
	pd, err := dns.ParseDomain(d)
	if err != nil {
		return T(l, "no usable domain")
	}
	org, ok := dmarc.OrgDomain(pd)
	if !ok {
		return T(l, "a public suffix")
	}
	return T(l, "org %s", org.Unicode())
}

// codeSpans escapes s for HTML and turns its `back-quoted` spans (the
// Markdown of FINDINGS.md's meanings) into <code> elements.
func codeSpans(s string) template.HTML {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return template.HTML(template.HTMLEscapeString(s)) // unbalanced: plain text
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString("<code>" + template.HTMLEscapeString(p) + "</code>")
		} else {
			b.WriteString(template.HTMLEscapeString(p))
		}
	}
	return template.HTML(b.String())
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
