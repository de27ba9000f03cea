package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
)

// htmlBounce is a Bounce prepared for the HTML templates.
type htmlBounce struct {
	Describe  string
	Diagnoses []htmlDiagnosis
}

type htmlDiagnosis struct {
	D       BounceDiagnosis
	Class   string // reject (a definite refusal), quarantine (a delay), unknown
	Mark    string
	Recheck *Recheck
	Report  *htmlReport // the re-check's report, laid out
}

func newHTMLBounce(b *Bounce) htmlBounce {
	c := safeValue(*b)
	h := htmlBounce{Describe: describeBounce(&c)}
	for i, d := range c.Diagnoses {
		hd := htmlDiagnosis{D: d, Class: "unknown", Mark: "?"}
		switch {
		case d.Retry:
			hd.Class, hd.Mark = "quarantine", "⚠"
		case d.Recognised:
			hd.Class, hd.Mark = "reject", "✗"
		}
		if d.Recheck != nil {
			hd.Recheck = d.Recheck
			if d.Recheck.Report != nil {
				r := newHTMLReport(i+1, d.Recheck.Report)
				r.Anchor = fmt.Sprintf("r%d", i+1)
				hd.Report = &r
			}
		}
		h.Diagnoses = append(h.Diagnoses, hd)
	}
	return h
}

// WriteBounceHTML writes b as one self-contained HTML document: per
// recipient the reply, its meaning, what to do, and the re-check of the
// returned message with the same picture and content as check's report.
func WriteBounceHTML(w io.Writer, b *Bounce) error {
	page := struct {
		Title  string
		CSS    template.CSS
		Bounce htmlBounce
	}{"preflight bounce report", template.CSS(htmlCSS()), newHTMLBounce(b)}
	var buf bytes.Buffer
	if err := htmlTemplates().ExecuteTemplate(&buf, "bounce-page", page); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteBounceHTMLFragment writes the body of a bounce diagnosis (no <html>
// around it), as `preflight serve` embeds it in its page.
func WriteBounceHTMLFragment(w io.Writer, b *Bounce) error {
	return htmlTemplates().ExecuteTemplate(w, "bounce", newHTMLBounce(b))
}
