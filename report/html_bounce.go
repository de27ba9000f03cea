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
	Delayed   bool // a delay warning: nothing has failed yet
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
	h := htmlBounce{Describe: t.describeBounce(&c), Delayed: c.Delayed}
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
			if d.Recheck.Ref != "" && d.Recheck.RefSource != "" {
				hd.Note += " " + T(l, "(same re-check as %s in %s)", d.Recheck.Ref, d.Recheck.RefSource)
			} else if d.Recheck.Ref != "" {
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

// htmlNotice is a notice prepared for the HTML templates.
type htmlNotice struct {
	N      BounceNotice
	Title  string
	Action string
}

func newHTMLNotice(l Lang, n *BounceNotice) htmlNotice {
	c := safeValue(*n)
	action := c.Action
	if action == "" {
		action = NoticeAction(c.Kind, c.FeedbackType)
	}
	return htmlNotice{N: c, Title: noticeTitle(l, &c), Action: Localize(l, action)}
}

// WriteBounceNoticeHTML writes a notice (a feedback report, an automatic
// reply, a success report) as one self-contained HTML page in language l.
func WriteBounceNoticeHTML(w io.Writer, n *BounceNotice, l Lang) error {
	page := struct {
		Title  string
		CSS    template.CSS
		Lang   string
		Notice htmlNotice
	}{T(l, "preflight bounce report"), template.CSS(htmlCSS()), l.HTMLLang(), newHTMLNotice(l, n)}
	var buf bytes.Buffer
	if err := htmlTemplates(l).ExecuteTemplate(&buf, "notice-page", page); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// bounceHTML holds a run's rows until Close, which writes the page with
// the summary first.
type bounceHTML struct {
	w    io.Writer
	lang Lang
	rows []htmlRow
}

// htmlRow is one line of the page's table: a diagnosis, a notice or a
// message that is neither.
type htmlRow struct {
	Source, Recipient, Receiver, Reply, Category, Retry, Recheck string
	Class                                                        string // reject, quarantine, unknown, accept
}

func (r *bounceHTML) Add(it BounceItem) error {
	l := r.lang
	t := &textWriter{o: TextOptions{Lang: l}}
	src := Safe(it.Source)
	switch {
	case it.Bounce != nil:
		for _, d := range it.Bounce.Diagnoses {
			row := htmlRow{Source: src, Recipient: Safe(d.Recipient), Receiver: Safe(t.receiverName(d.Receiver, d.ReceiverName)),
				Reply: Safe(strings.TrimSpace(d.Code + " " + orDefault(d.Reason, ReasonUnrecognised))), Category: Safe(word(l, d.Category)),
				Retry: T(l, "no retry"), Class: "unknown"}
			switch {
			case d.Delayed:
				row.Retry, row.Class = T(l, "delayed, still being retried"), "quarantine"
			case d.Retry:
				row.Retry, row.Class = T(l, "retry can help"), "quarantine"
			case d.Recognised:
				row.Class = "reject"
			}
			if d.Recheck != nil {
				row.Recheck = Safe(word(l, strings.ReplaceAll(d.Recheck.Status, "-", " ")))
			}
			r.rows = append(r.rows, row)
		}
	case it.Notice != nil:
		n := safeValue(*it.Notice)
		r.rows = append(r.rows, htmlRow{Source: src, Reply: T(l, "%s, not a bounce", noticeShort(l, &n)), Class: "accept"})
	case it.Unreadable:
		r.rows = append(r.rows, htmlRow{Source: src, Reply: T(l, "cannot be read: %s", Safe(it.Problem)), Class: "unknown"})
	default:
		r.rows = append(r.rows, htmlRow{Source: src, Reply: T(l, "not a bounce: %s", Safe(it.Problem)), Class: "unknown"})
	}
	return nil
}

// htmlTriage is the summary prepared for the page.
type htmlTriage struct {
	Headline string
	Groups   []htmlTriageGroup
	Auth     []htmlTriageAuth
}

type htmlTriageGroup struct {
	Count                       int
	Category, Receiver, Reasons string
}

type htmlTriageAuth struct {
	Title, Recheck, Action, First string
	Fixes                         []Fix
}

func (r *bounceHTML) Close(s *BounceTriage) error {
	l := r.lang
	c := safeValue(*s)
	var head strings.Builder
	t := &textWriter{w: &head, o: TextOptions{Lang: l, Width: 1 << 20}}
	t.triageHeadline(&c)
	h := htmlTriage{Headline: strings.TrimSpace(head.String())}
	for _, g := range c.Groups {
		var reasons []string
		for _, x := range g.Reasons {
			reasons = append(reasons, fmt.Sprintf("%s ×%d", x.Reason, x.Count))
		}
		h.Groups = append(h.Groups, htmlTriageGroup{Count: g.Count, Category: t.groupCategory(g), Receiver: t.receiverName(g.Receiver, g.ReceiverName),
			Reasons: strings.Join(reasons, ", ")})
	}
	for _, a := range c.Authentication {
		x := t.authTexts(a)
		ha := htmlTriageAuth{Title: x.Title, Recheck: x.Recheck, Action: x.Action, First: x.First}
		for _, f := range a.Fixes {
			f.Title = fixTitle(l, f)
			ha.Fixes = append(ha.Fixes, f)
		}
		h.Auth = append(h.Auth, ha)
	}
	page := struct {
		Title  string
		CSS    template.CSS
		Lang   string
		Triage htmlTriage
		Rows   []htmlRow
	}{T(l, "preflight bounce triage"), template.CSS(htmlCSS()), l.HTMLLang(), h, r.rows}
	var buf bytes.Buffer
	if err := htmlTemplates(l).ExecuteTemplate(&buf, "bounce-batch-page", page); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	_, err := r.w.Write(buf.Bytes())
	return err
}

// WriteBounceNoticeHTMLFragment writes a notice's body (no <html> around
// it), as `preflight serve` embeds it in its page.
func WriteBounceNoticeHTMLFragment(w io.Writer, n *BounceNotice, l Lang) error {
	return htmlTemplates(l).ExecuteTemplate(w, "notice", newHTMLNotice(l, n))
}
