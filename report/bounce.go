package report

import (
	"fmt"
	"io"
	"strings"
)

// Bounce is what `preflight bounce` explains about one bounce: what the
// input was, and one diagnosis per bounced recipient. The text and Markdown
// renderers show all of it; the JSON output is one BounceDiagnosis per line.
//
// Every string may come from the bounce (a DSN field, a reply, a log line)
// and is untrusted; the renderers escape all of them as they escape a
// Report's.
type Bounce struct {
	// Kind is the form the input came in: dsn, message (a bounce without a
	// delivery-status part), log, reply, fields (pasted delivery-status
	// fields) or json (an ESP's event).
	Kind string
	// Per-message DSN fields (RFC 3464 §2.2), as written; empty when the
	// input has none.
	ReportingMTA string
	ArrivalDate  string
	// EnvelopeSender is the MAIL FROM of the bounced message when the bounce
	// says it; EnvelopeSenderSource says where it was found.
	EnvelopeSender       string
	EnvelopeSenderSource string
	// Source names the input in a run over several (a file, or
	// "MAILBOX#N" for the Nth message of an mbox); "" for a single input.
	Source string
	// Delayed is true for a delay warning: every recipient's delivery is
	// still being retried, nothing has failed yet.
	Delayed   bool
	Diagnoses []BounceDiagnosis
}

// BounceDiagnosis is what one bounced recipient's reply means, and what a
// re-check of the returned message found. Its JSON encoding is the
// `preflight bounce --format json` contract (one object per line); field
// names are API: add, never rename.
type BounceDiagnosis struct {
	// Kind is "bounce": it tells a diagnosis from the other lines of a
	// mailbox run (notices, "not-a-bounce", "unreadable", the "summary").
	Kind string `json:"kind"`
	// Source names the input the diagnosis comes from in a run over
	// several (Bounce.Source).
	Source   string `json:"source,omitempty"`
	Receiver string `json:"receiver"` // receiver ID ("qq"), empty when unknown
	Code     string `json:"code"`     // reply code ("550")
	Enhanced string `json:"enhanced"` // the reply's own enhanced code; never a relay's invention for QQ
	Reason   string `json:"reason"`   // short canonical reason ("DMARC check failed")
	Category string `json:"category"` // authentication, recipient, rate, content, …
	Retry    bool   `json:"retry"`    // whether retrying the same message can succeed
	// Delayed is true for a delay warning: the sending MTA still holds the
	// message and keeps retrying (DSN Action "delayed").
	Delayed bool   `json:"delayed"`
	Meaning string `json:"meaning"`
	Action  string `json:"action"`
	HelpURL string `json:"help_url"`
	// Recipient is the final recipient address, when the input names one.
	Recipient string `json:"recipient"`
	// Recheck is set for an authentication bounce: its fields are encoded
	// here, in line (check, recheck, recheck_note).
	*Recheck

	ReceiverName      string   `json:"receiver_name,omitempty"`
	ReceiverEvidence  string   `json:"receiver_evidence,omitempty"` // how the receiver was recognised
	Confidence        string   `json:"confidence"`                  // high, medium, low
	Recognised        bool     `json:"recognised"`                  // false for "unrecognised reply"
	Rule              string   `json:"rule,omitempty"`
	Provenance        string   `json:"provenance,omitempty"`
	Reply             string   `json:"reply"` // the reply as received, unwrapped
	RemoteMTA         string   `json:"remote_mta,omitempty"`
	ClientIP          string   `json:"client_ip,omitempty"` // the sender's IP as the receiver printed it
	Stage             string   `json:"stage,omitempty"`     // SMTP stage of the reply ("end of DATA command")
	DSNStatus         string   `json:"dsn_status,omitempty"`
	DSNAction         string   `json:"dsn_action,omitempty"`
	OriginalRecipient string   `json:"original_recipient,omitempty"`
	Returned          string   `json:"returned,omitempty"` // message, headers, or "" when nothing came back
	Notes             []string `json:"notes,omitempty"`
	// L10n: the meaning, the action and the re-check note in another
	// language, when JSON output was asked for in it.
	L10n *L10n `json:"l10n,omitempty"`
}

// Recheck is what re-running the checks on what an authentication bounce
// carries (the returned message or its headers, the client IP in the reply)
// found against today's DNS.
type Recheck struct {
	// Report is the check of the returned message; nil when there was
	// nothing to check. Diagnoses answered by the same check share it.
	Report *Report `json:"check,omitempty"`
	Status string  `json:"recheck,omitempty"` // RecheckStillFails, RecheckNowPasses or RecheckNotChecked
	Note   string  `json:"recheck_note,omitempty"`
	// Ref, when set, names the diagnosis (its recipient, or "recipient
	// #N" when it has none) that shows the same re-check: renderers
	// print Report only there and refer to it here. In JSON it is
	// "recheck_ref", and the line carries no "check" object.
	Ref string `json:"recheck_ref,omitempty"`
	// RefSource, in a run over several inputs, is the Source of the
	// diagnosis Ref names (the re-check is shared across the mailbox).
	RefSource string `json:"recheck_ref_source,omitempty"`
}

// BounceKind is the kind of a bounce diagnosis line (BounceDiagnosis.Kind).
const BounceKind = "bounce"

// Re-check outcomes.
const (
	RecheckStillFails = "still-fails"
	RecheckNowPasses  = "now-passes"
	RecheckNotChecked = "not-checked"
)

// WriteBounce writes b in o.Format:
//
//	text      per recipient: the reply, its meaning, what to do, the re-check
//	          (with Quiet one line per recipient; with Verbose the DSN
//	          fields and the rule that matched)
//	json      one BounceDiagnosis per line (JSON Lines)
//	markdown  a support-ticket summary: a table per recipient, the re-check
//	          report as NewMarkdownRenderer writes it
//	html      one self-contained page (WriteBounceHTML)
func WriteBounce(w io.Writer, b *Bounce, o Options) error {
	f, err := o.format("bounce", FormatText, FormatJSON, FormatMarkdown, FormatHTML)
	if err != nil {
		return err
	}
	switch f {
	case FormatHTML:
		return WriteBounceHTMLLang(w, b, o.Lang)
	case FormatJSON:
		return writeBounceJSON(w, b, o.JSONLang)
	case FormatMarkdown:
		return writeBounceMarkdown(w, b, o)
	}
	return writeBounceText(w, b, o)
}

func writeBounceJSON(w io.Writer, b *Bounce, l Lang) error {
	for _, d := range b.Diagnoses {
		d = bounceL10n(d, l)
		d.Kind = BounceKind
		if d.Recheck != nil && d.Recheck.Report != nil {
			rc := *d.Recheck
			if rc.Ref != "" {
				rc.Report = nil // the line of rc.Ref carries it
			} else {
				rc.Report = withArrays(rc.Report) // [] not null, as check writes it
			}
			d.Recheck = &rc
		}
		if err := writeJSONLine(w, d); err != nil {
			return err
		}
	}
	return nil
}

func writeBounceText(w io.Writer, b *Bounce, o Options) error {
	c := safeValue(*b)
	b = &c
	t := &textWriter{w: w, o: o.TextOptions}
	if o.Quiet {
		for _, d := range b.Diagnoses {
			t.printf("%s: %s %s (%s, %s)\n", orDefault(d.Recipient, "-"), orDefault(d.Receiver, t.tr("unknown")),
				strings.TrimSpace(d.Code+" "+d.Reason), word(t.o.Lang, d.Category), t.retryWords(d))
		}
		return t.err
	}
	if b.Delayed {
		t.printf("%s\n", t.tr("Delay warning — the sending server is still retrying; nothing has failed yet."))
		t.printf("%s\n", t.tr("%s, %d recipient(s)", t.describeBounce(b), len(b.Diagnoses)))
	} else {
		t.printf("%s\n", t.tr("%s, %d recipient(s)", t.describeBounce(b), len(b.Diagnoses)))
	}
	if o.Verbose {
		if b.ArrivalDate != "" {
			t.field(t.tr("arrived"), b.ArrivalDate)
		}
		if b.EnvelopeSender != "" {
			t.field(t.tr("sender"), t.tr("%s (from %s)", b.EnvelopeSender, word(t.o.Lang, b.EnvelopeSenderSource)))
		}
	}
	for _, d := range b.Diagnoses {
		t.printf("\n%s\n", t.tr("%s — %s: %s", orDefault(d.Recipient, "-"), orDefault(bounceReceiverName(t.o.Lang, d), t.tr("unknown receiver")),
			strings.TrimSpace(d.Code+" "+d.Reason)))
		retry := t.tr("retrying will not help")
		switch {
		case d.Delayed:
			retry = t.tr("delayed: the sending server is still retrying")
		case d.Retry:
			retry = t.tr("a retry can help")
		}
		t.field(t.tr("category"), t.tr("%s · %s · confidence %s", word(t.o.Lang, d.Category), retry, word(t.o.Lang, d.Confidence)))
		t.field(t.tr("reply"), d.Reply)
		if d.RemoteMTA != "" || d.Stage != "" {
			remote := orDefault(d.RemoteMTA, "-")
			if d.Stage != "" {
				remote += t.tr(" (in reply to %s)", d.Stage)
			}
			t.field(t.tr("remote"), remote)
		}
		if d.ClientIP != "" {
			t.field(t.tr("client IP"), t.tr("%s (as the receiver saw the sender)", d.ClientIP))
		}
		meaning, action := d.Meaning, d.Action
		if t.zh() {
			meaning, action = bounceTextsIn(t.o.Lang, d)
		}
		t.field(t.tr("meaning"), meaning)
		t.field(t.tr("action"), action)
		if d.HelpURL != "" {
			t.field(t.tr("help"), d.HelpURL)
		}
		switch d.Returned {
		case "message":
			t.field(t.tr("returned"), t.tr("the original message"))
		case "headers":
			if d.Category == "authentication" {
				t.field(t.tr("returned"), t.tr("the original headers only (a DKIM body hash cannot be checked)"))
			} else {
				t.field(t.tr("returned"), t.tr("the original headers only"))
			}
		}
		for _, n := range d.Notes {
			t.field(t.tr("note"), Localize(t.o.Lang, n))
		}
		if o.Verbose {
			if d.ReceiverEvidence != "" {
				t.field(t.tr("receiver"), t.tr("recognised from the %s", word(t.o.Lang, d.ReceiverEvidence)))
			}
			if d.Rule != "" {
				t.field(t.tr("rule"), d.Rule+" — "+d.Provenance)
			}
			if d.DSNStatus != "" {
				t.field(t.tr("status"), d.DSNStatus)
			}
		}
		if d.Recheck != nil {
			t.recheck(d.Recheck)
		}
	}
	return t.err
}

// field writes "  label:     text", text wrapped under itself at column 13
// (14 in Chinese, whose labels are wider).
func (t *textWriter) field(label, text string) {
	col := 13
	if t.zh() {
		col = 14
		label = strings.TrimSuffix(label, ":")
	}
	t.line(2, col-2, padRight(label+t.tr(":"), col-2)+text)
}

// recheck writes a re-check under its diagnosis: the note, then the
// report of the returned message, indented.
func (t *textWriter) recheck(rc *Recheck) {
	t.field(t.tr("re-check"), Localize(t.o.Lang, rc.Note))
	if rc.Ref != "" {
		// Under the note, aligned with it: the report is not repeated.
		if rc.RefSource != "" {
			t.line(13, 0, t.tr("(same re-check as %s in %s)", rc.Ref, rc.RefSource))
		} else {
			t.line(13, 0, t.tr("(same re-check as %s above)", rc.Ref))
		}
		return
	}
	if rc.Report == nil || t.err != nil {
		return
	}
	var b strings.Builder
	t.err = WriteText(&b, rc.Report, TextOptions{Color: t.o.Color, Verbose: t.o.Verbose, Width: t.width() - 4, Lang: t.o.Lang})
	t.printf("\n")
	for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		t.printf("    %s\n", l)
	}
}

// describeBounce names what the input was.
func describeBounce(b *Bounce) string {
	t := &textWriter{}
	return t.describeBounce(b)
}

func (t *textWriter) describeBounce(b *Bounce) string {
	var s string
	switch b.Kind {
	case "dsn":
		s = t.tr("Delivery status notification")
	case "message":
		s = t.tr("Bounce message (no delivery-status part)")
	case "log":
		s = t.tr("MTA log")
	case "fields":
		s = t.tr("Delivery-status fields")
	case "json":
		s = t.tr("ESP bounce event (JSON)")
	default:
		s = t.tr("SMTP reply")
	}
	if b.ReportingMTA != "" {
		s = t.tr("%s from %s", s, b.ReportingMTA)
	}
	return s
}

// writeBounceMarkdown writes a bounce for a support ticket, every string
// through the escapers check's Markdown uses (mdText, mdCode, mdURL).
func writeBounceMarkdown(w io.Writer, b *Bounce, o Options) error {
	var s strings.Builder
	if b.Delayed {
		fmt.Fprintf(&s, "# Delay warning\n\nThe sending server is still retrying; nothing has failed yet. %s, %d recipient(s).\n", mdText(describeBounce(b)), len(b.Diagnoses))
	} else {
		fmt.Fprintf(&s, "# Bounce diagnosis\n\n%s, %d recipient(s).\n", mdText(describeBounce(b)), len(b.Diagnoses))
	}
	if b.ArrivalDate != "" || b.EnvelopeSender != "" {
		s.WriteString("\n")
		if b.ArrivalDate != "" {
			fmt.Fprintf(&s, "- Arrival date: %s\n", mdText(b.ArrivalDate))
		}
		if b.EnvelopeSender != "" {
			fmt.Fprintf(&s, "- Envelope sender: %s (from %s)\n", mdCode(b.EnvelopeSender, false), mdText(b.EnvelopeSenderSource))
		}
	}
	for _, d := range b.Diagnoses {
		fmt.Fprintf(&s, "\n## %s: %s\n\n", mdText(orDefault(d.Recipient, "-")), mdText(d.Reason))
		s.WriteString("| | |\n|---|---|\n")
		row := func(k, v string) {
			if v != "" {
				fmt.Fprintf(&s, "| %s | %s |\n", k, v)
			}
		}
		row("Receiver", mdText(orDefault(d.ReceiverName, "unknown")))
		row("Reply", mdCode(d.Reply, true))
		row("Code", mdCode(strings.TrimSpace(d.Code+" "+d.Enhanced), true))
		row("Category", mdText(d.Category))
		row("Retry helps", yesNo(d.Retry))
		if d.Delayed {
			row("Delayed", "yes, still being retried")
		}
		row("Confidence", mdText(d.Confidence))
		row("Remote MTA", mdCode(d.RemoteMTA, true))
		row("Client IP", mdCode(d.ClientIP, true))
		row("Help", mdURL(d.HelpURL, true))
		row("Returned", mdText(d.Returned))
		fmt.Fprintf(&s, "\n**What it means.** %s\n\n**What to do.** %s\n", mdText(d.Meaning), mdText(d.Action))
		if len(d.Notes) > 0 {
			s.WriteString("\n")
			for _, n := range d.Notes {
				fmt.Fprintf(&s, "- %s\n", mdText(n))
			}
		}
		if o.Verbose && d.Rule != "" {
			fmt.Fprintf(&s, "\nRule %s (%s).\n", mdCode(d.Rule, false), mdText(d.Provenance))
		}
		if rc := d.Recheck; rc != nil {
			fmt.Fprintf(&s, "\n**Re-check now.** %s\n", mdText(rc.Note))
			if rc.Ref != "" && rc.RefSource != "" {
				fmt.Fprintf(&s, "\nSame re-check as %s in %s.\n", mdText(rc.Ref), mdText(rc.RefSource))
			} else if rc.Ref != "" {
				fmt.Fprintf(&s, "\nSame re-check as %s above.\n", mdText(rc.Ref))
			} else if rc.Report != nil {
				s.WriteString("\n")
				rd := NewMarkdownRenderer(&s, MarkdownOptions{Title: "Re-check of the returned message"})
				if err := rd.Add(rc.Report); err != nil {
					return err
				}
				if err := rd.Close(); err != nil {
					return err
				}
			}
		}
	}
	_, err := io.WriteString(w, s.String())
	return err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
