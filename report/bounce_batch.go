package report

import (
	"fmt"
	"io"
	"strings"
)

// BounceItem is one message of a `preflight bounce` run over several: a
// bounce (diagnosed), a notice (recognised, not a failure), or neither.
type BounceItem struct {
	// Source names the message: a file, or "MAILBOX#N" for the Nth message
	// of an mbox.
	Source string
	Bounce *Bounce
	Notice *BounceNotice
	// Problem says why a message that is neither was not diagnosed: what
	// it is ("input is not a bounce: a mail message …") or why it could not
	// be read.
	Problem string
	// Unreadable marks a message or file that could not be read (an input
	// error), as opposed to one read and found not to be a bounce.
	Unreadable bool
}

// The kinds of the lines of a run's JSON output besides "bounce" and the
// notices': a message that is not a bounce, one that could not be read.
const (
	NotBounceKind  = "not-a-bounce"
	UnreadableKind = "unreadable"
)

// bounceProblem is the JSON line of a message that was not diagnosed.
type bounceProblem struct {
	Kind   string `json:"kind"` // NotBounceKind or UnreadableKind
	Source string `json:"source"`
	Error  string `json:"error"`
}

// BounceRenderer writes a run over several messages as it goes: Add for
// each message in input order, Close with the summary at the end.
type BounceRenderer interface {
	Add(BounceItem) error
	Close(*BounceTriage) error
}

// NewBounceRenderer returns the renderer for o.Format:
//
//	text      one line per diagnosis (with Verbose, each bounce in full),
//	          one per notice or other message, then the triage summary
//	          (with Quiet, the summary only)
//	json      JSON Lines: one BounceDiagnosis per diagnosis ("kind":"bounce"),
//	          one BounceNotice per notice, {"kind":"not-a-bounce"|"unreadable",
//	          "source","error"} per other message, then the BounceTriage
//	          ("kind":"summary")
//	markdown  the summary, then a table of every diagnosis and message
//	junit     a test case per diagnosis (a failure for authentication), a
//	          skipped case per notice or other message, an error per
//	          unreadable one; the summary in the suite's system-out
//	github    an ::error per authentication failure and unreadable
//	          message, a ::warning per other failure, then the summary as
//	          ::error (authentication groups, with the fix) and ::notice
//	html      one self-contained page: the summary, then every diagnosis
func NewBounceRenderer(w io.Writer, o Options) (BounceRenderer, error) {
	f, err := o.format("bounce", FormatText, FormatJSON, FormatMarkdown, FormatJUnit, FormatGitHub, FormatHTML)
	if err != nil {
		return nil, err
	}
	switch f {
	case FormatJSON:
		return &bounceJSON{w: w, lang: o.JSONLang}, nil
	case FormatMarkdown:
		return &bounceMarkdown{w: w}, nil
	case FormatJUnit:
		return newBounceJUnit(w), nil
	case FormatGitHub:
		return &bounceGitHub{w: w}, nil
	case FormatHTML:
		return &bounceHTML{w: w, lang: o.Lang}, nil
	}
	return &bounceTextRenderer{t: &textWriter{w: w, o: o.TextOptions}, o: o}, nil
}

// bounceTextRenderer writes one line per diagnosis, notice or message.
type bounceTextRenderer struct {
	t     *textWriter
	o     Options
	shown int
}

func (r *bounceTextRenderer) Add(it BounceItem) error {
	t := r.t
	if r.o.Quiet {
		return nil // the summary only
	}
	src := Safe(it.Source)
	switch {
	case it.Bounce != nil && r.o.Verbose:
		if r.shown > 0 {
			t.printf("%s\n", strings.Repeat("─", 60))
		}
		t.printf("%s\n", src)
		if err := writeBounceText(t.w, it.Bounce, r.o); err != nil {
			return err
		}
	case it.Bounce != nil:
		for _, d := range it.Bounce.Diagnoses {
			// Only what the line shows is made safe: a deep copy of the
			// whole diagnosis (its re-check report) per line is the cost
			// of a mailbox's text output otherwise.
			d := BounceDiagnosis{Recipient: Safe(d.Recipient), Receiver: Safe(d.Receiver), ReceiverName: Safe(d.ReceiverName),
				Code: Safe(d.Code), Reason: Safe(d.Reason), Category: Safe(d.Category), Retry: d.Retry, Delayed: d.Delayed, Recheck: d.Recheck}
			t.printf("%s\n", t.tr("%s: %s — %s", src, orDefault(d.Recipient, "-"), t.diagnosisLine(d)))
		}
	case it.Notice != nil:
		n := safeValue(*it.Notice)
		what := noticeShort(t.o.Lang, &n)
		if len(n.Recipients) > 0 && n.Kind == NoticeAutoReply {
			what = t.tr("%s from %s", what, n.Recipients[0])
		} else if n.SourceIP != "" {
			what = t.tr("%s about mail from %s", what, n.SourceIP)
		}
		t.printf("%s\n", t.tr("%s: %s, not a bounce", src, what))
	case it.Unreadable:
		t.printf("%s\n", t.tr("%s: cannot be read: %s", src, Safe(it.Problem)))
	default:
		t.printf("%s\n", t.tr("%s: not a bounce: %s", src, Safe(it.Problem)))
	}
	r.shown++
	return t.err
}

// diagnosisLine says a diagnosis in one line: receiver, reply, category,
// whether a retry helps, the re-check.
func (t *textWriter) diagnosisLine(d BounceDiagnosis) string {
	return t.tr("%s %s (%s, %s)", t.receiverName(d.Receiver, d.ReceiverName), strings.TrimSpace(d.Code+" "+orDefault(d.Reason, ReasonUnrecognised)),
		word(t.o.Lang, d.Category), t.retryWords(d))
}

// retryWords say whether retrying can help (or the bounce is a delay) and
// what the re-check found, for the one-line forms of a diagnosis.
func (t *textWriter) retryWords(d BounceDiagnosis) string {
	retry := t.tr("no retry")
	switch {
	case d.Delayed:
		retry = t.tr("delayed, still being retried")
	case d.Retry:
		retry = t.tr("retry can help")
	}
	if d.Recheck != nil && d.Recheck.Status != "" {
		retry += t.tr("; re-check: %s", word(t.o.Lang, strings.ReplaceAll(Safe(d.Recheck.Status), "-", " ")))
	}
	return retry
}

func (r *bounceTextRenderer) Close(s *BounceTriage) error {
	if r.shown > 0 {
		r.t.printf("\n")
	}
	r.t.triage(s)
	return r.t.err
}

// bounceJSON writes JSON Lines.
type bounceJSON struct {
	w    io.Writer
	lang Lang
}

func (r *bounceJSON) Add(it BounceItem) error {
	switch {
	case it.Bounce != nil:
		b := *it.Bounce
		b.Diagnoses = append([]BounceDiagnosis(nil), b.Diagnoses...)
		for i := range b.Diagnoses {
			if b.Diagnoses[i].Source == "" {
				b.Diagnoses[i].Source = it.Source
			}
		}
		return writeBounceJSON(r.w, &b, r.lang)
	case it.Notice != nil:
		n := noticeL10n(*it.Notice, r.lang)
		if n.Source == "" {
			n.Source = it.Source
		}
		if n.Action == "" {
			n.Action = NoticeAction(n.Kind, n.FeedbackType)
		}
		return writeJSONLine(r.w, n)
	}
	kind := NotBounceKind
	if it.Unreadable {
		kind = UnreadableKind
	}
	return writeJSONLine(r.w, bounceProblem{Kind: kind, Source: it.Source, Error: it.Problem})
}

func (r *bounceJSON) Close(s *BounceTriage) error {
	c := *s
	c.Kind = SummaryKind
	return writeJSONLine(r.w, c)
}

// bounceMarkdown writes the summary first (it is what a ticket needs), so
// it holds the table of diagnoses until Close.
type bounceMarkdown struct {
	w    io.Writer
	rows strings.Builder
}

func (r *bounceMarkdown) Add(it BounceItem) error {
	src := mdText(it.Source)
	switch {
	case it.Bounce != nil:
		for _, d := range it.Bounce.Diagnoses {
			rc := ""
			if d.Recheck != nil {
				rc = mdText(d.Recheck.Status)
			}
			retry := yesNo(d.Retry)
			if d.Delayed {
				retry = "delayed"
			}
			fmt.Fprintf(&r.rows, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", src, mdCode(orDefault(d.Recipient, "-"), true),
				mdText(orDefault(d.ReceiverName, "unknown")), mdCode(d.Code, true), mdText(orDefault(d.Reason, ReasonUnrecognised)),
				mdText(d.Category), retry, rc)
		}
	case it.Notice != nil:
		fmt.Fprintf(&r.rows, "| %s | | | | %s | not a bounce | | |\n", src, mdText(noticeShort(LangEN, it.Notice)))
	case it.Unreadable:
		fmt.Fprintf(&r.rows, "| %s | | | | cannot be read: %s | | | |\n", src, mdText(it.Problem))
	default:
		fmt.Fprintf(&r.rows, "| %s | | | | not a bounce: %s | | | |\n", src, mdText(it.Problem))
	}
	return nil
}

func (r *bounceMarkdown) Close(s *BounceTriage) error {
	var b strings.Builder
	b.WriteString("# Bounce triage\n\n")
	writeTriageMarkdown(&b, s)
	if r.rows.Len() > 0 {
		b.WriteString("\n## Every message\n\n| Source | Recipient | Receiver | Code | Reason | Category | Retry helps | Re-check |\n|---|---|---|---|---|---|---|---|\n")
		b.WriteString(r.rows.String())
	}
	_, err := io.WriteString(r.w, b.String())
	return err
}

// writeTriageMarkdown writes the summary as Markdown, every string through
// the Markdown escapers.
func writeTriageMarkdown(b *strings.Builder, s *BounceTriage) {
	var t strings.Builder
	(&textWriter{w: &t, o: TextOptions{Width: 1 << 20}}).triageHeadline(s)
	b.WriteString(mdText(strings.TrimSpace(t.String())) + "\n")
	if len(s.Groups) > 0 {
		b.WriteString("\n## By category and receiver\n\n| Recipients | Category | Receiver | Reasons |\n|---:|---|---|---|\n")
		for _, g := range s.Groups {
			var reasons []string
			for _, r := range g.Reasons {
				reasons = append(reasons, fmt.Sprintf("%s ×%d", r.Reason, r.Count))
			}
			cat := g.Category
			if g.Delayed {
				cat += " (delayed)"
			}
			fmt.Fprintf(b, "| %d | %s | %s | %s |\n", g.Count, mdText(orDefault(cat, "unknown")), mdText(orDefault(g.ReceiverName, "unknown receiver")), mdText(strings.Join(reasons, ", ")))
		}
	}
	if len(s.Authentication) > 0 {
		b.WriteString("\n## Authentication failures by From and Return-Path domain\n")
		for _, a := range s.Authentication {
			all := ""
			if a.All {
				all = "all "
			}
			fmt.Fprintf(b, "\n### %d × %s at %s, %sFrom %s via %s\n\n", a.Count, mdText(a.Reason), mdText(orDefault(a.ReceiverName, "unknown receiver")), all,
				mdCode(orDefault(a.FromDomain, "unknown (no message returned)"), false), mdCode(orDefault(a.MailFromDomain, "unknown"), false))
			var outcomes []string
			for _, st := range []string{RecheckStillFails, RecheckNowPasses, RecheckNotChecked} {
				if n := a.Recheck[st]; n > 0 {
					outcomes = append(outcomes, fmt.Sprintf("%s %d", st, n))
				}
			}
			if len(outcomes) > 0 {
				fmt.Fprintf(b, "- Re-check with today's DNS: %s\n", strings.Join(outcomes, ", "))
			}
			fmt.Fprintf(b, "- First seen: %s %s\n", mdText(a.Source), mdCode(a.Recipient, false))
			switch {
			case len(a.Fixes) > 0:
				b.WriteString("\n**Fix — any one of these is enough:**\n\n")
				for i, f := range a.Fixes {
					fmt.Fprintf(b, "%d. %s\n", i+1, mdText(capitalize(f.Title)))
					if len(f.Records) > 0 {
						b.WriteString("   - Publish:\n")
						for _, r := range f.Records {
							fmt.Fprintf(b, "     - %s\n", mdCode(r, false))
						}
					}
				}
			case a.Action != "":
				fmt.Fprintf(b, "\n**What to do.** %s\n", mdText(a.Action))
			}
		}
	}
}
