package report

import (
	"fmt"
	"io"
	"strings"
)

// BounceNotice is a message `preflight bounce` recognises but does not
// diagnose as a failure: an ARF feedback report (RFC 5965: a complaint), an
// automatic reply (RFC 3834: the message was delivered), or a delivery
// notification that reports success. Its JSON encoding is one line of the
// bounce JSON output, told from a diagnosis by its "kind"; field names are
// API: add, never rename.
//
// Every string may come from the message and is untrusted; the renderers
// escape all of them.
type BounceNotice struct {
	Kind   string `json:"kind"` // NoticeFeedback, NoticeAutoReply or NoticeDelivered
	Source string `json:"source,omitempty"`
	// Summary says in one line (English) what the message is.
	Summary string `json:"summary"`
	Subject string `json:"subject,omitempty"`
	From    string `json:"from,omitempty"`
	// Feedback report fields (RFC 5965 §3.1, §3.2).
	FeedbackType     string   `json:"feedback_type,omitempty"`
	UserAgent        string   `json:"user_agent,omitempty"`
	SourceIP         string   `json:"source_ip,omitempty"`
	ReportedDomain   string   `json:"reported_domain,omitempty"`
	OriginalMailFrom string   `json:"original_mail_from,omitempty"`
	OriginalRcptTo   []string `json:"original_rcpt_to,omitempty"`
	AuthFailure      string   `json:"auth_failure,omitempty"`
	ArrivalDate      string   `json:"arrival_date,omitempty"`
	// Recipients are the addresses a success report names as delivered,
	// or the mailbox that replied automatically.
	Recipients []string `json:"recipients,omitempty"`
	// Returned says what the notice carries of the original message:
	// "message", "headers" or "".
	Returned string `json:"returned,omitempty"`
	// Action is what to do about it (English; NoticeAction).
	Action string `json:"action"`
	// L10n: the notice's title and action in another language, when JSON
	// output was asked for in it.
	L10n *L10n `json:"l10n,omitempty"`
}

// The kinds of notices (BounceNotice.Kind), as the bounce package names them.
const (
	NoticeFeedback  = "feedback-report"
	NoticeAutoReply = "auto-reply"
	NoticeDelivered = "delivered"
)

// NoticeAction is what to do about a notice of kind k (and, for a feedback
// report, feedback type ft).
func NoticeAction(k, ft string) string {
	switch {
	case k == NoticeFeedback && ft == "auth-failure":
		return msg("The receiver reports a message that failed its authentication checks (RFC 6591): run preflight check on the message it quotes; nothing bounced.")
	case k == NoticeFeedback:
		return msg("A recipient reported the message as spam: stop mailing that recipient (feedback loops expect it) and look at why they complained; nothing bounced and nothing in DNS changes this.")
	case k == NoticeAutoReply:
		return msg("The message was delivered: the reply came from the recipient's mailbox (vacation, out of office). Nothing to fix; do not count it as a bounce.")
	}
	return msg("Delivery succeeded: nothing to fix.")
}

// noticeTitle names a notice's kind in l.
func noticeTitle(l Lang, n *BounceNotice) string {
	switch n.Kind {
	case NoticeFeedback:
		return T(l, "Feedback report (ARF) — a complaint, not a bounce")
	case NoticeAutoReply:
		return T(l, "Automatic reply — not a bounce: the message was delivered")
	}
	return T(l, "Delivery notification — not a bounce: delivery succeeded")
}

// noticeShort names a notice's kind in one word group, for a line of a
// mailbox run.
func noticeShort(l Lang, n *BounceNotice) string {
	switch n.Kind {
	case NoticeFeedback:
		if n.FeedbackType != "" {
			return T(l, "feedback report (%s)", n.FeedbackType)
		}
		return T(l, "feedback report")
	case NoticeAutoReply:
		return T(l, "automatic reply")
	}
	return T(l, "delivery notification")
}

// noticeL10n returns a copy of n with its title and action in l.
func noticeL10n(n BounceNotice, l Lang) BounceNotice {
	if l != LangZH {
		return n
	}
	n.L10n = &L10n{Lang: string(l), Title: noticeTitle(l, &n), Action: Localize(l, n.Action)}
	return n
}

// WriteBounceNotice writes n in o.Format (text, json, markdown, html), as
// `preflight bounce` shows a single input that is a notice.
func WriteBounceNotice(w io.Writer, n *BounceNotice, o Options) error {
	f, err := o.format("bounce", FormatText, FormatJSON, FormatMarkdown, FormatHTML)
	if err != nil {
		return err
	}
	switch f {
	case FormatJSON:
		c := noticeL10n(*n, o.JSONLang)
		if c.Action == "" {
			c.Action = NoticeAction(c.Kind, c.FeedbackType)
		}
		return writeJSONLine(w, c)
	case FormatMarkdown:
		return writeNoticeMarkdown(w, n)
	case FormatHTML:
		return WriteBounceNoticeHTML(w, n, o.Lang)
	}
	t := &textWriter{w: w, o: o.TextOptions}
	t.notice(n, o.Verbose)
	return t.err
}

// notice writes a notice as text: what it is, its fields, what to do.
func (t *textWriter) notice(n *BounceNotice, verbose bool) {
	c := safeValue(*n)
	t.printf("%s\n", noticeTitle(t.o.Lang, &c))
	if c.FeedbackType != "" {
		t.field(t.tr("type"), c.FeedbackType)
	}
	if c.AuthFailure != "" {
		t.field(t.tr("failed"), c.AuthFailure)
	}
	if c.UserAgent != "" {
		t.field(t.tr("reporter"), c.UserAgent)
	}
	if c.From != "" {
		t.field(t.tr("sender"), c.From)
	}
	if c.Subject != "" {
		t.field(t.tr("subject"), c.Subject)
	}
	if c.SourceIP != "" {
		t.field(t.tr("source IP"), c.SourceIP)
	}
	if c.OriginalMailFrom != "" {
		t.field(t.tr("mail from"), c.OriginalMailFrom)
	}
	if len(c.OriginalRcptTo) > 0 {
		t.field(t.tr("recipient"), strings.Join(c.OriginalRcptTo, ", "))
	}
	if c.ReportedDomain != "" {
		t.field(t.tr("domain"), c.ReportedDomain)
	}
	if len(c.Recipients) > 0 && c.Kind == NoticeDelivered {
		t.field(t.tr("delivered"), strings.Join(c.Recipients, ", "))
	}
	action := c.Action
	if action == "" {
		action = NoticeAction(c.Kind, c.FeedbackType)
	}
	t.field(t.tr("action"), Localize(t.o.Lang, action))
	if verbose && c.Summary != "" {
		t.field(t.tr("detail"), c.Summary)
	}
}

func writeNoticeMarkdown(w io.Writer, n *BounceNotice) error {
	var s strings.Builder
	fmt.Fprintf(&s, "# Not a bounce: %s\n\n%s\n\n| | |\n|---|---|\n", mdText(noticeShort(LangEN, n)), mdText(n.Summary))
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&s, "| %s | %s |\n", k, v)
		}
	}
	row("Kind", mdText(n.Kind))
	row("Feedback type", mdText(n.FeedbackType))
	row("Reporter", mdText(n.UserAgent))
	row("From", mdCode(n.From, true))
	row("Subject", mdText(n.Subject))
	row("Source IP", mdCode(n.SourceIP, true))
	row("Original MAIL FROM", mdCode(n.OriginalMailFrom, true))
	row("Original recipient", mdCode(strings.Join(n.OriginalRcptTo, ", "), true))
	row("Delivered to", mdCode(strings.Join(n.Recipients, ", "), true))
	action := n.Action
	if action == "" {
		action = NoticeAction(n.Kind, n.FeedbackType)
	}
	fmt.Fprintf(&s, "\n**What to do.** %s\n", mdText(action))
	_, err := io.WriteString(w, s.String())
	return err
}
