package bounce

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
)

// Notice is a message that preflight recognises but that reports no failed
// delivery: an ARF feedback report (RFC 5965, a recipient's spam complaint
// relayed by the receiver), an automatic reply (RFC 3834: vacation, out of
// office), or a delivery status notification or ESP event that reports
// success. None of them is a bounce, and diagnosing one as a failure would
// send a support engineer after a problem that does not exist.
//
// Parse returns a *Notice as its error. It matches ErrNotBounce, so a caller
// that only diagnoses bounces refuses the input as before (with a message
// that names what it is), and a caller that wants to show it gets it with
// errors.As.
type Notice struct {
	// Kind is KindFeedback, KindAutoReply or KindDelivered.
	Kind Kind
	// Summary says in one line what the input is, for an error message.
	Summary string
	Subject string // of the notice itself
	From    string // who sent the notice (the reporting receiver, the auto-replying mailbox)

	// Feedback report fields (RFC 5965 §3.1, §3.2), when Kind is KindFeedback.
	FeedbackType     string // abuse, fraud, virus, auth-failure, not-spam, other
	UserAgent        string // the reporting software ("Yahoo!-Mail-Feedback/2.0")
	SourceIP         string // the IP the reported message came from
	ReportedDomain   string
	OriginalMailFrom string
	OriginalRcptTo   []string
	AuthFailure      string // for Feedback-Type auth-failure (RFC 6591): dkim, spf, adsp, …
	ArrivalDate      string

	// Recipients are the addresses a success report names as delivered.
	Recipients []string

	// Original is the reported or quoted message, when the notice carries it.
	Original    []byte
	HeadersOnly bool
}

// Kinds of notices (Notice.Kind).
const (
	KindFeedback  Kind = "feedback-report" // an ARF feedback report (RFC 5965): a complaint, not a bounce
	KindAutoReply Kind = "auto-reply"      // an automatic reply (RFC 3834): vacation, out of office
	KindDelivered Kind = "delivered"       // a DSN or ESP event reporting successful delivery
)

func (n *Notice) Error() string { return "bounce: input is not a bounce: " + n.Summary }

// Is makes a Notice match ErrNotBounce.
func (n *Notice) Is(target error) bool { return target == ErrNotBounce }

// feedbackNotice builds the notice for an ARF report from its
// message/feedback-report fields (RFC 5965 §3).
func feedbackNotice(fields []byte, hdr mail.Header, w *walker) *Notice {
	n := &Notice{Kind: KindFeedback, Subject: decodeHeader(hdr.Get("Subject")), From: decodeHeader(hdr.Get("From")),
		Original: w.original, HeadersOnly: w.headersOnly}
	for _, f := range parseFields(strings.ReplaceAll(string(fields), "\r\n", "\n")) {
		switch strings.ToLower(f.name) {
		case "feedback-type":
			n.FeedbackType = strings.ToLower(f.value)
		case "user-agent":
			n.UserAgent = f.value
		case "source-ip":
			n.SourceIP = f.value
		case "reported-domain":
			if n.ReportedDomain == "" {
				n.ReportedDomain = f.value
			}
		case "original-mail-from":
			n.OriginalMailFrom = strings.Trim(f.value, "<> ")
		case "original-rcpt-to", "removal-recipient":
			n.OriginalRcptTo = append(n.OriginalRcptTo, strings.Trim(f.value, "<> "))
		case "auth-failure":
			n.AuthFailure = f.value
		case "arrival-date", "received-date":
			n.ArrivalDate = f.value
		}
	}
	what := "an ARF feedback report"
	switch n.FeedbackType {
	case "abuse", "":
		what += " (a recipient marked a message as spam)"
	case "auth-failure":
		what += " (an authentication failure report, RFC 6591"
		if n.AuthFailure != "" {
			what += ": " + n.AuthFailure
		}
		what += ")"
	default:
		what += " (feedback type " + n.FeedbackType + ")"
	}
	if n.UserAgent != "" {
		what += " from " + n.UserAgent
	}
	if n.SourceIP != "" {
		what += ", about mail from " + n.SourceIP
	}
	n.Summary = what + "; it is a complaint or report, not a delivery failure: remove the complaining recipient from the list"
	return n
}

// feedbackFieldRE recognises feedback report fields when the report part
// lost its media type (some FBLs send it as text/plain).
var feedbackFieldRE = regexp.MustCompile(`(?im)^feedback-type[ \t]*:[ \t]*\S`)

// Auto-replies are recognised by their headers (RFC 3834 §5 Auto-Submitted,
// and the de-facto headers of Exchange, Apple and Japanese and Chinese
// webmail systems) or by a Subject that says so.
var (
	anyValue         = regexp.MustCompile(`\S`)
	autoReplyHeaders = []struct {
		name string
		re   *regexp.Regexp
	}{
		{"Auto-Submitted", regexp.MustCompile(`(?i)^auto-replied`)},
		{"X-Autoreply", anyValue},
		{"X-Autorespond", anyValue},
		{"X-Autoresponder", anyValue},
		{"X-Auto-Response-Suppress", regexp.MustCompile(`(?i)\boof\b`)},
		{"X-Apple-Action", regexp.MustCompile(`(?i)vacation`)},
		{"Precedence", regexp.MustCompile(`(?i)^auto_reply`)},
		{"X-Mail-Autoreply", anyValue},
		{"X-Vacation", anyValue},
	}
	autoReplySubjectRE = regexp.MustCompile(`(?i)^\s*(?:auto(?:matic)?[ -]?(?:reply|response|antwort|matische antwort)|out of (?:the )?office|away from (?:the )?office|vacation|on vacation|abwesenheit|absence|r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|自动回复|自動回覆|自動応答|自動返信|不在)|^\s*away until\b|\(auto[- ]?reply\)`)
)

// autoReplyNotice returns the notice for an automatic reply, or nil.
func autoReplyNotice(hdr mail.Header, subject string) *Notice {
	why := ""
	for _, h := range autoReplyHeaders {
		if v := hdr.Get(h.name); v != "" && h.re.MatchString(v) {
			why = h.name + ": " + v
			break
		}
	}
	if why == "" && autoReplySubjectRE.MatchString(subject) {
		why = fmt.Sprintf("Subject: %q", truncate(subject, 60))
	}
	if why == "" {
		return nil
	}
	from := decodeHeader(hdr.Get("From"))
	n := &Notice{Kind: KindAutoReply, Subject: subject, From: from}
	who := ""
	if a, err := mail.ParseAddress(hdr.Get("From")); err == nil {
		who = " from " + a.Address
		n.Recipients = []string{a.Address}
	}
	n.Summary = "an automatic reply" + who + " (" + why + "): the message was delivered; nothing to fix"
	return n
}

// deliveredNotice is the notice for a DSN whose recipients were all
// delivered, relayed or expanded (RFC 3464 §2.3.3).
func deliveredNotice(action string, recipients []string) *Notice {
	return &Notice{Kind: KindDelivered, Recipients: recipients,
		Summary: fmt.Sprintf("the delivery-status notification reports success (Action: %s)", action)}
}
