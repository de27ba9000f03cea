package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// htmlBounce is a Bounce prepared for the HTML templates.
type htmlBounce struct {
	Describe  string
	Diagnoses []htmlDiagnosis
}

type htmlDiagnosis struct {
	D BounceDiagnosis
	// Receiver, Meaning, Action and Note are D's texts in the page's
	// language; Category and Confidence its words.
	Receiver, Meaning, Action, Note string
	Category, Confidence, Status    string
	Class                           string // reject (a definite refusal), quarantine (a delay), unknown
	Mark                            string
	Recheck                         *Recheck
	Report                          *htmlReport // the re-check's report, laid out
}

func newHTMLBounce(l Lang, b *Bounce) htmlBounce {
	c := safeValue(*b)
	t := &textWriter{o: TextOptions{Lang: l}}
	h := htmlBounce{Describe: t.describeBounce(&c)}
	for i, d := range c.Diagnoses {
		hd := htmlDiagnosis{D: d, Class: "unknown", Mark: "?", Receiver: bounceReceiverName(l, d),
			Category: word(l, d.Category), Confidence: word(l, d.Confidence)}
		hd.Meaning, hd.Action = d.Meaning, d.Action
		if l == LangZH {
			hd.Meaning, hd.Action = bounceTextsIn(l, d)
		}
		if d.Recheck != nil {
			hd.Note = Localize(l, d.Recheck.Note)
			hd.Status = d.Recheck.Status
			if l == LangZH {
				hd.Status = word(l, strings.ReplaceAll(d.Recheck.Status, "-", " "))
			}
		}
		switch {
		case d.Retry:
			hd.Class, hd.Mark = "quarantine", "⚠"
		case d.Recognised:
			hd.Class, hd.Mark = "reject", "✗"
		}
		if d.Recheck != nil {
			hd.Recheck = d.Recheck
			if d.Recheck.Ref != "" {
				// The re-check is laid out under the recipient named.
				hd.Note += " " + T(l, "(same re-check as %s above)", d.Recheck.Ref)
			} else if d.Recheck.Report != nil {
				r := newHTMLReport(l, i+1, d.Recheck.Report)
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
func WriteBounceHTML(w io.Writer, b *Bounce) error { return WriteBounceHTMLLang(w, b, LangEN) }

// WriteBounceHTMLLang is WriteBounceHTML in language l.
func WriteBounceHTMLLang(w io.Writer, b *Bounce, l Lang) error {
	page := struct {
		Title  string
		CSS    template.CSS
		Lang   string
		Bounce htmlBounce
	}{T(l, "preflight bounce report"), template.CSS(htmlCSS()), l.HTMLLang(), newHTMLBounce(l, b)}
	var buf bytes.Buffer
	if err := htmlTemplates(l).ExecuteTemplate(&buf, "bounce-page", page); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteBounceHTMLFragment writes the body of a bounce diagnosis (no <html>
// around it), as `preflight serve` embeds it in its page.
func WriteBounceHTMLFragment(w io.Writer, b *Bounce) error {
	return WriteBounceHTMLFragmentLang(w, b, LangEN)
}

// WriteBounceHTMLFragmentLang is WriteBounceHTMLFragment in language l.
func WriteBounceHTMLFragmentLang(w io.Writer, b *Bounce, l Lang) error {
	return htmlTemplates(l).ExecuteTemplate(w, "bounce", newHTMLBounce(l, b))
}
