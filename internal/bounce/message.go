package bounce

import (
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
)

// A bounce without a delivery-status part (old Exim, qmail, Exchange 2003,
// Notes, Gmail's and Yahoo's plain-text notices) is recognised by its
// headers or by the words of its report.
var (
	bounceFromRE    = regexp.MustCompile(`(?i)mailer-daemon|postmaster|post_master|mail delivery (?:system|subsystem)|microsoftexchange|mailer daemon|system administrator|mail administrator`)
	bounceSubjectRE = regexp.MustCompile(`(?i)undeliver|undelivered|delivery (?:status|failure|notification|has failed|problem|report)|mail delivery failed|returned mail|failure notice|could not be delivered|non[- ]?delivery|delivery failure|mail system error|mail failure|permanent (?:delivery )?failure|delivery error|not delivered|there was an error sending|warning: could not send|delayed mail|退信|系统退信|投递失败|无法投递|未送達|送信エラー|配信エラー|エラー`)
	// bounceBodyRE are the words with which MTAs open a bounce report.
	bounceBodyRE = regexp.MustCompile(`(?i)could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|could not deliver|couldn't deliver|\*\* (?:address not found|message not delivered|message blocked|delivery incomplete) \*\*|wasn't able to deliver|unable to deliver|not able to deliver|delivery to the following recipients? (?:failed|has been delayed)|did not reach the following recipient|the following address(?:es)? (?:had|failed)|following address\(es\) failed|failed to deliver|delivery has failed|permanent error|error delivering your mail|undeliverable|delivery (?:status notification|failure)|message (?:was|could) not be (?:delivered|sent)|mail delivery failed|has been delayed|rejected by a remote mail server|we had trouble delivering|error has occurred while attempting to deliver|delivery to the following recipients? (?:failed|has been delayed)|投递失败|退信|無法送達|送信できませんでした|配送できませんでした`)
)

// parseMessage parses a MIME message: a DSN (at any depth of nesting), a
// forwarded DSN, a plain-text bounce, an ESP's notification sent by mail, or
// a notice (feedback report, auto-reply, success DSN).
func parseMessage(data []byte, depth int) (*Bounce, error) {
	hdr, body := splitMessage(data)
	// Delivery-status fields pasted on their own look like a header section.
	if hdr.Get("From") == "" && hdr.Get("Content-Type") == "" && dsnFieldRE.Match(data) {
		if b, err := parseText(string(data)); err == nil {
			return b, nil
		}
	}
	w := &walker{}
	w.walk(textproto.MIMEHeader(hdr), body, depth)
	subject := decodeHeader(hdr.Get("Subject"))
	text := strings.Join(w.texts, "\n\n")

	// An ARF feedback report quotes the reported message, which may look
	// like anything: it is recognised first.
	if w.feedback != nil || w.reportType == "feedback-report" {
		fb := w.feedback
		if fb == nil {
			if loc := feedbackFieldRE.FindStringIndex(text); loc != nil {
				fb = []byte(text[loc[0]:])
			}
		}
		return nil, feedbackNotice(fb, hdr, w)
	}

	var partial *Bounce // per-message fields of a DSN without recipient fields
	var statusErr error
	if w.status != nil {
		sb, err := parseStatusFields(string(w.status), KindDSN)
		var n *Notice
		switch {
		case err == nil:
			return finishMessage(sb, hdr, subject, w, text), nil
		case errors.As(err, &n):
			n.Subject, n.From = subject, decodeHeader(hdr.Get("From"))
			return nil, n
		case errors.Is(err, errNoRecipients):
			// The human-readable part, the X-Failed-Recipients header or
			// the returned message may still name the recipients.
			partial, statusErr = sb, err
		default:
			return nil, err
		}
	}
	// A bounce forwarded as an attachment (the DSN inside a message/rfc822
	// part) is read before the forwarder's own words, unless those come
	// from an MTA: a bounce's returned message can itself quote a bounce.
	fromMTA := bounceFromRE.MatchString(hdr.Get("From")) || strings.TrimSpace(hdr.Get("Return-Path")) == "<>" ||
		len(hdr["X-Failed-Recipients"]) > 0 || w.status != nil
	if !fromMTA {
		if nb := parseNested(w, depth); nb != nil {
			return nb, nil
		}
	}
	// Delivery-status fields in a text part: a DSN whose MIME structure was
	// lost on the way (flattened by a forwarder, boundaries stripped).
	if loc := embeddedStatusRE.FindStringIndex(text); loc != nil && w.status == nil {
		if sb, err := parseStatusFields(text[loc[0]:], KindDSN); err == nil {
			return finishMessage(sb, hdr, subject, w, text[:loc[0]]), nil
		}
	}
	// An ESP's notification sent by mail (Amazon SES over SNS, …) is JSON.
	for _, j := range w.jsons {
		jb, ok, err := parseJSON([]byte(j))
		if !ok {
			// Amazon SNS breaks a notification's long line with "!" and a
			// folded line break when it sends it by mail.
			jb, ok, err = parseJSON([]byte(snsFoldRE.ReplaceAllString(j, "")))
		}
		if ok {
			if err != nil {
				var n *Notice
				if errors.As(err, &n) {
					return nil, n
				}
				continue
			}
			jb.Subject = subject
			return jb, nil
		}
	}
	// An automatic reply (RFC 3834) comes from the recipient's mailbox, not
	// from a mailer daemon, and names no failed recipient.
	if n := autoReplyNotice(hdr, subject); n != nil && w.status == nil && !bounceFromRE.MatchString(hdr.Get("From")) &&
		len(hdr["X-Failed-Recipients"]) == 0 && len(specificOnly(scanText(text))) == 0 {
		return nil, n
	}
	if b, ok := parseReport(hdr, subject, text, w, partial); ok {
		return finishMessage(b, hdr, subject, w, text), nil
	}
	if fromMTA {
		if nb := parseNested(w, depth); nb != nil {
			return nb, nil
		}
	}
	if n := autoReplyNotice(hdr, subject); n != nil {
		return nil, n
	}
	if statusErr != nil {
		return nil, statusErr
	}
	what := "a mail message"
	if mt, params, err := mime.ParseMediaType(hdr.Get("Content-Type")); err == nil && mt == "multipart/report" {
		// RFC 6522: MDN read receipts, TLS reports, ….
		what = fmt.Sprintf("a report of type %q", params["report-type"])
	}
	if subject != "" {
		what += fmt.Sprintf(" (Subject: %q)", truncate(subject, 60))
	}
	return nil, fmt.Errorf("%w: %s without a delivery-status part or an SMTP error reply", ErrNotBounce, what)
}

// snsFoldRE is the line break SNS inserts into long lines of a mailed notification.
var snsFoldRE = regexp.MustCompile(`!\r?\n `)

// parseNested parses the message/rfc822 parts of a message as bounces.
func parseNested(w *walker, depth int) *Bounce {
	if depth >= maxDepth {
		return nil
	}
	for _, n := range w.nested {
		if nb, err := parseMessage(n, depth+1); err == nil && len(nb.Recipients) > 0 {
			return nb
		}
	}
	return nil
}

// embeddedStatusRE finds delivery-status fields standing in text: a
// Final-Recipient or Original-Recipient field (per-recipient fields, RFC 3464
// §2.3), with the per-message block before it when there is one.
var embeddedStatusRE = regexp.MustCompile(`(?im)^(?:reporting-mta[ \t]*:[^\n]*\n(?:[A-Za-z-]+[ \t]*:[^\n]*\n|[ \t]+[^\n]*\n)*[ \t]*\r?\n)?(?:final-recipient|original-recipient)[ \t]*:[ \t]*\S`)

// finishMessage completes a bounce parsed from a message: its subject, the
// returned message, the envelope sender, and what the human-readable text
// adds to the recipients' fields.
func finishMessage(b *Bounce, hdr mail.Header, subject string, w *walker, text string) *Bounce {
	b.Subject = subject
	if b.Original == nil {
		b.Original, b.OriginalType, b.HeadersOnly = w.original, w.origType, w.headersOnly
	}
	if b.EnvelopeSender == "" {
		if to, err := mail.ParseAddress(hdr.Get("To")); err == nil {
			b.EnvelopeSender, b.EnvelopeSenderSource = to.Address, "the bounce's To header (a bounce goes to the envelope sender)"
		}
	}
	if text != "" {
		fillFromText(b, text)
	}
	if b.Kind == KindDSN || b.Kind == KindFields {
		fillFailedRecipients(b, hdr)
	}
	markDelays(b, subject, text)
	return b
}

// fillFailedRecipients names DSN recipients that the delivery-status part
// left without a valid address (a Final-Recipient of "@host", a remote
// alias), from the X-Failed-Recipients header when it names as many.
func fillFailedRecipients(b *Bounce, hdr mail.Header) {
	failed := failedRecipients(hdr)
	if len(failed) != len(b.Recipients) {
		return
	}
	for i := range b.Recipients {
		if !validAddress(b.Recipients[i].FinalRecipient) {
			b.Recipients[i].FinalRecipient = failed[i]
		}
	}
}

// failedRecipients reads the X-Failed-Recipients headers (Exim, Gmail,
// Google Groups): the addresses the bounce is about.
func failedRecipients(hdr mail.Header) []string {
	var out []string
	for _, v := range hdr["X-Failed-Recipients"] {
		for _, a := range strings.Split(v, ",") {
			if a = strings.Trim(strings.TrimSpace(a), "<>"); validAddress(a) {
				out = appendAddr(out, a)
			}
		}
	}
	return out
}

// fillFromText completes DSN recipients that lack a reply (or a remote MTA)
// from the human-readable part, matching by address; a DSN without a
// Diagnostic-Code has its reply only there.
func fillFromText(b *Bounce, text string) {
	need := false
	for _, rc := range b.Recipients {
		if rc.Reply.Code == "" || rc.RemoteMTA == "" || rc.Stage == "" || !validAddress(rc.FinalRecipient) || truncatedReply(rc.Reply) {
			need = true
		}
	}
	if !need || b.Kind != KindDSN && b.Kind != KindFields {
		return
	}
	report, _, _ := cutReturned(text)
	all := scanText(report)
	segs := foldByRecipient(all, false)
	for i := range b.Recipients {
		rc := &b.Recipients[i]
		if truncatedReply(rc.Reply) {
			// Sendmail keeps only the first line of a multi-line reply in
			// Diagnostic-Code; its transcript has them all.
			best := rc.Reply
			for _, s := range all {
				if r := ParseReply(s.reply); r.Code == best.Code && !truncatedReply(r) && len(r.Text) > len(best.Text) && strings.HasPrefix(r.Text, rc.Reply.Text) {
					best = r
				}
			}
			rc.Reply = best
		}
		var match *segment
		for j := range segs {
			if segs[j].recipient != "" && (strings.EqualFold(segs[j].recipient, rc.FinalRecipient) || strings.EqualFold(segs[j].recipient, rc.OriginalRecipient)) {
				match = &segs[j]
				break
			}
		}
		if match == nil && len(segs) == 1 && len(b.Recipients) == 1 {
			match = &segs[0]
		}
		if match == nil {
			continue
		}
		if rc.Reply.Code == "" && (match.via != viaPlain || rc.Reply.Text == "") {
			old := rc.Reply
			rc.Reply = ParseReply(match.reply)
			if rc.Reply.Code == "" && old.Text != "" {
				rc.Reply = old
			} else if rc.DiagnosticCode == "" {
				rc.DiagnosticCode = rc.Reply.Raw
			}
		}
		if !validAddress(rc.FinalRecipient) && validAddress(match.recipient) {
			rc.FinalRecipient = match.recipient
		}
		if rc.RemoteMTA == "" || strings.HasPrefix(rc.RemoteMTA, "[") {
			if match.host != "" {
				rc.RemoteMTA = match.host
			}
		}
		if rc.RemoteIP == "" {
			rc.RemoteIP = match.hostIP
		}
		if rc.Stage == "" {
			rc.Stage = match.stage
		}
	}
}

// truncatedReply reports whether r is the first line of a multi-line reply
// whose other lines were cut off ("550-5.7.1 first line" and nothing after).
func truncatedReply(r Reply) bool {
	return r.Code != "" && strings.HasPrefix(r.Raw, r.Code+"-") && !strings.Contains(r.Raw, " "+r.Code+" ")
}

// parseText parses input that is not a message: pasted delivery-status
// fields, MTA log lines, a pasted bounce body, or a bare reply.
func parseText(text string) (*Bounce, error) {
	if loc := dsnFieldRE.FindStringIndex(text); loc != nil {
		b, err := parseStatusFields(text[loc[0]:], KindFields)
		var n *Notice
		if errors.As(err, &n) {
			return nil, n
		}
		if err == nil {
			// A pasted bounce may go on with the returned message's header
			// section. Its body, if any, has lost its MIME framing and
			// whitespace, so only the headers are kept.
			if h := pastedHeaderRE.FindStringIndex(text[loc[0]:]); h != nil {
				hdr := text[loc[0]+h[0]:]
				if i := blankLineRE.FindStringIndex(hdr); i != nil {
					hdr = hdr[:i[0]+1]
				}
				if strings.Contains(strings.ToLower(hdr), "\nfrom:") {
					b.Original, b.OriginalType, b.HeadersOnly = []byte(hdr), "text/plain", true
				}
			}
			fillFromText(b, text[:loc[0]])
			markDelays(b, "", text[:loc[0]])
			return b, nil
		}
	}
	segs := scanText(text)
	if len(segs) == 0 {
		// A pasted human-readable bounce without reply codes ("<a@b>:
		// Sorry, I couldn't find any host named b").
		if bounceWords(text) {
			if b, ok := parseReport(mail.Header{}, "", text, &walker{}, nil); ok {
				b.Kind = KindReply
				return b, nil
			}
		}
		return nil, fmt.Errorf("%w: no SMTP reply found (expected a DSN, an MTA log line, or a reply such as \"550 …\")", ErrNotBounce)
	}
	b := &Bounce{Kind: KindReply}
	for _, s := range segs {
		if s.log {
			b.Kind = KindLog
		}
	}
	if b.Kind != KindLog {
		segs = foldByRecipient(segs, false)
	}
	b.Recipients = recipientsFromSegments(segs)
	markDelays(b, "", text)
	return b, nil
}

// bounceWords reports whether a report opens with the words of a bounce;
// they stand at its start, so only that is searched.
func bounceWords(text string) bool {
	if len(text) > 16<<10 {
		text = text[:16<<10]
	}
	return bounceBodyRE.MatchString(collapseSpace(text)) // phrases wrap across lines
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
