package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"

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
	page := htmlPage{Title: h.o.Title, Interactive: h.o.Interactive, CSS: template.CSS(htmlCSS())}
	if page.Title == "" {
		page.Title = "preflight report"
	}
	for i, r := range h.reps {
		page.Reports = append(page.Reports, newHTMLReport(i+1, r))
	}
	page.Summary = len(page.Reports) > 1
	var buf bytes.Buffer
	if err := htmlTemplates().ExecuteTemplate(&buf, "page", page); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	_, err := h.w.Write(buf.Bytes())
	return err
}

// WriteHTMLFragment writes the body of one report (no <html> around it),
// as `preflight serve` embeds it in its page.
func WriteHTMLFragment(w io.Writer, r *Report, n int) error {
	return htmlTemplates().ExecuteTemplate(w, "report", newHTMLReport(n, SafeCopy(r)))
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

var htmlTmpl *template.Template

func htmlTemplates() *template.Template {
	if htmlTmpl == nil {
		htmlTmpl = template.Must(template.New("").Funcs(template.FuncMap{
			"add": func(a, b int) int { return a + b },
		}).ParseFS(htmlFS, "html/*.tmpl"))
	}
	return htmlTmpl
}

type htmlPage struct {
	Title       string
	Interactive bool
	CSS         template.CSS
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
}

func newHTMLReport(n int, r *Report) htmlReport {
	h := htmlReport{N: n, R: r, Anchor: fmt.Sprintf("m%d", n), Name: r.Verdict.DisplayName()}
	line := VerdictLine(r)
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
	h.Picture = newPicture(r)
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

func newPicture(r *Report) htmlPicture {
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
		ids = append(ids, id{kind: "spf", label: "SPF: " + d, domain: d, result: orDash(r.SPF.Result), why: r.SPF.Alignment,
			aligned: r.SPF.Aligned, counted: true})
	}
	for _, k := range r.DKIM {
		ids = append(ids, id{kind: "dkim", label: "DKIM d=" + k.Domain + " s=" + k.Selector, domain: k.Domain, result: k.Result,
			why: k.Alignment, aligned: k.Aligned, counted: k.Counted})
	}
	rows := max(len(ids), 1)
	p := htmlPicture{Width: picWidth, Height: rows*picRowH + picMargin}
	fromY := p.Height/2 - picNodeH/2
	p.From = htmlNode{X: picMargin, Y: fromY, W: picNodeW - 70, H: picNodeH,
		Label: "From: " + orDash(r.Message.FromDomain), Sub: orgLabel(r.Message.FromDomain)}
	for i, x := range ids {
		n := htmlNode{X: picWidth - picMargin - picNodeW, Y: picMargin/2 + i*picRowH + (picRowH-picNodeH)/2, W: picNodeW, H: picNodeH,
			Label: clipRunes(x.label, 27), Sub: x.result + " · " + orgLabel(x.domain)}
		ok := x.result == "pass" && x.aligned && x.counted
		l := htmlLink{Node: n, OK: ok, Why: x.why, Kind: x.kind, Identifier: x.label,
			X1: p.From.X + p.From.W, Y1: fromY + picNodeH/2, X2: n.X, Y2: n.Y + picNodeH/2}
		l.MX, l.MY = (l.X1+l.X2)/2, (l.Y1+l.Y2)/2
		switch {
		case ok:
			l.Mark = "✓"
		default:
			l.Mark = "✗"
		}
		if l.Why == "" {
			l.Why = linkWords(x.result, x.aligned, x.counted)
		}
		p.Links = append(p.Links, l)
	}
	return p
}

func linkWords(result string, aligned, counted bool) string {
	switch {
	case result != "pass":
		return "does not pass (" + result + ")"
	case !aligned:
		return "passes but is not aligned with the From domain"
	case !counted:
		return "passes and aligns, but the receiver does not count it"
	}
	return "passes and aligns"
}

// orgLabel names the organizational domain of d ("org esp.example").
func orgLabel(d string) string {
	pd, err := dns.ParseDomain(d)
	if err != nil {
		return "no usable domain"
	}
	org, ok := dmarc.OrgDomain(pd)
	if !ok {
		return "a public suffix"
	}
	return "org " + org.Unicode()
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
