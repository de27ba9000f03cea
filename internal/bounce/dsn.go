package bounce

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
)

// errNoRecipients: a delivery-status part without per-recipient fields.
var errNoRecipients = fmt.Errorf("%w: the delivery-status part has no per-recipient fields", ErrNotBounce)

const maxDepth = 6 // nesting of multiparts and forwarded messages

var headerLineRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9!#$%&'*+.^_\x60|~-]*[ \t]*:`)

// dsnFieldRE recognises delivery-status fields (RFC 3464 §2.2, §2.3).
var dsnFieldRE = regexp.MustCompile(`(?im)^(?:final-recipient|original-recipient|diagnostic-code|reporting-mta|remote-mta)[ \t]*:`)

// knownHeaders are header fields that make a header section a message's.
var knownHeaders = []string{"From", "To", "Subject", "Date", "Received", "Return-Path",
	"Content-Type", "Mime-Version", "Message-Id", "X-Failed-Recipients", "Delivered-To", "Auto-Submitted"}

// looksLikeMessage reports whether data starts with a header section.
func looksLikeMessage(data []byte) bool {
	first := data
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if len(first) > 1000 {
		first = first[:1000]
	}
	if !headerLineRE.Match(first) && !bytes.HasPrefix(first, []byte("From ")) {
		return false
	}
	h, _ := splitMessage(data)
	for _, k := range knownHeaders {
		if h.Get(k) != "" {
			return true
		}
	}
	return dsnFieldRE.Match(data)
}

// splitMessage parses a header section leniently (net/mail first, then a
// forgiving line parser for sections textproto rejects) and returns the body.
func splitMessage(data []byte) (mail.Header, []byte) {
	if bytes.HasPrefix(data, []byte("From ")) { // mbox separator line
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
		body, _ := io.ReadAll(m.Body)
		return m.Header, body
	}
	head, body := data, []byte(nil)
	for _, sep := range []string{"\r\n\r\n", "\n\n", "\n\r\n"} {
		if i := bytes.Index(data, []byte(sep)); i >= 0 && (body == nil || i < len(head)) {
			head, body = data[:i], data[i+len(sep):]
		}
	}
	h := mail.Header{}
	for _, f := range parseFields(string(head)) {
		k := textproto.CanonicalMIMEHeaderKey(f.name)
		h[k] = append(h[k], f.value)
	}
	return h, body
}

var blankLineRE = regexp.MustCompile(`\n[ \t]*\n`)

// pastedHeaderRE finds where a returned message's header section starts in
// pasted text.
var pastedHeaderRE = regexp.MustCompile(`(?im)^(?:return-path|received|dkim-signature):`)

type field struct{ name, value string }

// parseFields parses "Name: value" lines with folding (RFC 5322 §2.2.3):
// continuation lines are joined with one space. Lines that are not fields
// are skipped rather than failing the block.
func parseFields(block string) []field {
	var out []field
	for _, line := range strings.Split(strings.ReplaceAll(block, "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].value = collapseSpace(out[len(out)-1].value + " " + line)
			continue
		}
		if !headerLineRE.MatchString(line) {
			continue
		}
		i := strings.IndexByte(line, ':')
		out = append(out, field{name: strings.TrimSpace(line[:i]), value: collapseSpace(line[i+1:])})
	}
	return out
}

// fieldBlocks splits a delivery-status body into its blocks (RFC 3464 §2.1:
// per-message fields, then per-recipient fields, separated by blank lines).
func fieldBlocks(body string) [][]field {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	var out [][]field
	for _, blk := range blankLineRE.Split(body, -1) {
		out = append(out, splitRecipients(parseFields(blk))...)
	}
	return out
}

// splitRecipients splits a block that holds several recipients' fields
// without the blank lines between them (a malformed DSN): a second
// Final-Recipient starts a new block, and so does an Original-Recipient after
// the current recipient's Action, Status or Diagnostic-Code (Postfix writes
// Original-Recipient after Final-Recipient, RFC 3464 §2.3 before it).
func splitRecipients(fs []field) [][]field {
	if len(fs) == 0 {
		return nil
	}
	var out [][]field
	start, seenFinal, seenBody := 0, false, false
	for i, f := range fs {
		final := strings.EqualFold(f.name, "Final-Recipient")
		orig := strings.EqualFold(f.name, "Original-Recipient")
		if final && seenFinal || orig && seenBody {
			out = append(out, fs[start:i])
			start, seenFinal, seenBody = i, false, false
		}
		switch {
		case final:
			seenFinal = true
		case strings.EqualFold(f.name, "Action") || strings.EqualFold(f.name, "Status") || strings.EqualFold(f.name, "Diagnostic-Code"):
			seenBody = true
		}
	}
	return append(out, fs[start:])
}

func get(fs []field, name string) string {
	for _, f := range fs {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// stripType removes an RFC 3464 type prefix ("rfc822;", "dns;", "smtp;").
func stripType(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 {
		t := strings.TrimSpace(v[:i])
		if t != "" && !strings.ContainsAny(t, " \t<>@[]") {
			return strings.TrimSpace(v[i+1:])
		}
	}
	return strings.TrimSpace(v)
}

// address returns the mailbox of a recipient field ("rfc822; <a@b>").
// Original-Recipient carries the ORCPT parameter, which is xtext (RFC 3461
// §4: "a+2Bb@c" is "a+b@c", hex digits upper case); with xtext set, that is
// decoded.
func address(v string, xtext bool) string {
	a := strings.Trim(stripType(v), "<> ")
	if !xtext || !strings.Contains(a, "+") {
		return a
	}
	var b strings.Builder
	for i := 0; i < len(a); i++ {
		if a[i] == '+' && i+2 < len(a) && strings.ToUpper(a[i+1:i+3]) == a[i+1:i+3] {
			if n, err := strconv.ParseUint(a[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(a[i])
	}
	return b.String()
}

// mtaName returns the host of an MTA-name field: "dns; mx3.qq.com. (203.0.113.40,
// the server for the domain qq.com.)" gives "mx3.qq.com".
func mtaName(v string) string {
	f := strings.Fields(stripType(v))
	if len(f) == 0 {
		return ""
	}
	return strings.TrimSuffix(f[0], ".")
}

// walker collects the parts of a MIME tree that a bounce is made of.
type walker struct {
	status      []byte   // first message/delivery-status body
	original    []byte   // first returned message or headers
	origType    string   // its media type
	headersOnly bool     // original is text/rfc822-headers
	texts       []string // decoded text/plain parts
	nested      [][]byte // message/rfc822 parts, in order
}

func (w *walker) walk(h textproto.MIMEHeader, body []byte, depth int) {
	if depth > maxDepth {
		return
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt == "" {
		mt = "text/plain"
	}
	body = decodeCTE(h.Get("Content-Transfer-Encoding"), body)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if params["boundary"] == "" {
			w.texts = append(w.texts, string(body))
			return
		}
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			pb, _ := io.ReadAll(io.LimitReader(p, MaxInput))
			ph := p.Header
			if ph.Get("Content-Type") == "" && mt == "multipart/digest" {
				ph = textproto.MIMEHeader{"Content-Type": {"message/rfc822"}}
			}
			w.walk(ph, pb, depth+1)
		}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		if w.status == nil {
			w.status = body
		}
	case mt == "message/rfc822" || mt == "message/global":
		if w.original == nil {
			w.original, w.origType = body, mt
		}
		w.nested = append(w.nested, body)
	case mt == "text/rfc822-headers" || mt == "message/global-headers":
		if w.original == nil {
			w.original, w.origType, w.headersOnly = body, mt, true
		}
	case mt == "text/plain":
		w.texts = append(w.texts, string(body))
	}
}

func decodeCTE(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, body)
		out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil && n == 0 {
			return body
		}
		return out[:n]
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil && len(out) == 0 {
			return body
		}
		return out
	}
	return body
}

// bounceFromRE and bounceSubjectRE recognise a bounce by its headers when it
// has no delivery-status part (old Exim, qmail, Exchange NDRs as plain text).
var (
	bounceFromRE    = regexp.MustCompile(`(?i)mailer-daemon|postmaster|mail delivery (?:system|subsystem)|microsoftexchange`)
	bounceSubjectRE = regexp.MustCompile(`(?i)undeliver|undelivered|delivery (?:status|failure|notification|has failed)|mail delivery failed|returned mail|failure notice|could not be delivered|non[- ]?delivery|退信|系统退信`)
	// eximCopyRE marks where an Exim or qmail plain-text bounce appends the
	// returned message.
	eximCopyRE = regexp.MustCompile(`(?m)^(?:-{3,} This is a copy of (?:the message|the message's headers)[^\n]*-{3,}|--- Below this line is a copy of the message\.)[ \t]*\r?\n\r?\n?`)
)

// parseMessage parses a MIME message: a DSN, a forwarded DSN, or a
// plain-text bounce.
func parseMessage(data []byte, depth int) (*Bounce, error) {
	hdr, body := splitMessage(data)
	// Delivery-status fields pasted on their own look like a header section.
	if hdr.Get("From") == "" && hdr.Get("Content-Type") == "" && dsnFieldRE.Match(data) {
		return parseStatusFields(string(data), KindFields)
	}
	w := &walker{}
	w.walk(textproto.MIMEHeader(hdr), body, depth)
	b := &Bounce{Subject: decodeWord(hdr.Get("Subject"))}
	var statusErr error
	if w.status != nil {
		sb, err := parseStatusFields(string(w.status), KindDSN)
		switch {
		case err == nil:
			sb.Subject = b.Subject
			b = sb
		case errors.Is(err, errNoRecipients):
			// A delivery-status part without recipient fields: the
			// human-readable part may still name them.
			statusErr = err
		default:
			return nil, err
		}
	}
	if w.status == nil || statusErr != nil {
		// A forwarded bounce: the DSN is inside a message/rfc822 part.
		if depth < maxDepth {
			for _, n := range w.nested {
				if nb, err := parseMessage(n, depth+1); err == nil {
					return nb, nil
				}
			}
		}
		bounceish := bounceFromRE.MatchString(hdr.Get("From")) || bounceSubjectRE.MatchString(b.Subject) ||
			strings.TrimSpace(hdr.Get("Return-Path")) == "<>" || hdr.Get("X-Failed-Recipients") != ""
		text := strings.Join(w.texts, "\n\n")
		if loc := eximCopyRE.FindStringIndex(text); loc != nil {
			if w.original == nil {
				w.original = []byte(text[loc[1]:])
				w.headersOnly = strings.Contains(text[loc[0]:loc[1]], "message's headers")
				w.origType = "text/plain"
			}
			text = text[:loc[0]]
		}
		segs := scanText(text)
		if !bounceish {
			segs = specificOnly(segs)
		}
		if len(segs) == 0 && statusErr != nil {
			return nil, statusErr
		}
		if len(segs) == 0 {
			what := "a mail message"
			if mt, params, err := mime.ParseMediaType(hdr.Get("Content-Type")); err == nil && mt == "multipart/report" {
				// RFC 6522: ARF feedback reports, MDN read receipts, TLS reports.
				what = fmt.Sprintf("a report of type %q", params["report-type"])
			}
			if b.Subject != "" {
				what += fmt.Sprintf(" (Subject: %q)", truncate(b.Subject, 60))
			}
			return nil, fmt.Errorf("%w: %s without a delivery-status part or an SMTP error reply", ErrNotBounce, what)
		}
		b.Kind = KindMessage
		b.Recipients = recipientsFromSegments(segs)
		if failed := strings.Split(hdr.Get("X-Failed-Recipients"), ","); failed[0] != "" && len(failed) == len(b.Recipients) {
			// Exim names the failed addresses in the order of its report.
			for i := range b.Recipients {
				if b.Recipients[i].FinalRecipient == "" {
					b.Recipients[i].FinalRecipient = strings.TrimSpace(failed[i])
				}
			}
		}
	}
	b.Original, b.OriginalType, b.HeadersOnly = w.original, w.origType, w.headersOnly
	if b.EnvelopeSender == "" {
		if to, err := mail.ParseAddress(hdr.Get("To")); err == nil {
			b.EnvelopeSender, b.EnvelopeSenderSource = to.Address, "the bounce's To header (a bounce goes to the envelope sender)"
		}
	}
	fillFromText(b, w.texts)
	return b, nil
}

// parseStatusFields parses a delivery-status body (RFC 3464 §2) into a Bounce.
func parseStatusFields(body string, kind Kind) (*Bounce, error) {
	b := &Bounce{Kind: kind}
	skipped := ""
	for i, blk := range fieldBlocks(body) {
		isRecipient := get(blk, "Final-Recipient") != "" || get(blk, "Original-Recipient") != "" ||
			get(blk, "Diagnostic-Code") != "" || get(blk, "Action") != ""
		if i == 0 && get(blk, "Reporting-MTA") != "" || !isRecipient {
			if v := get(blk, "Reporting-MTA"); v != "" {
				b.ReportingMTA = mtaName(v)
			}
			if v := get(blk, "Arrival-Date"); v != "" {
				b.ArrivalDate = v
			}
			if v := get(blk, "Received-From-MTA"); v != "" {
				b.ReceivedFromMTA = mtaName(v)
			}
			if v := get(blk, "X-Postfix-Sender"); v != "" {
				b.EnvelopeSender, b.EnvelopeSenderSource = stripType(v), "X-Postfix-Sender"
			}
			if !isRecipient {
				continue
			}
		}
		action := strings.ToLower(get(blk, "Action"))
		if action == "delivered" || action == "relayed" || action == "expanded" {
			skipped = action
			continue
		}
		rc := Recipient{
			FinalRecipient:    address(get(blk, "Final-Recipient"), false),
			OriginalRecipient: address(get(blk, "Original-Recipient"), true),
			Action:            action,
			Status:            strings.TrimSpace(strings.Fields(get(blk, "Status") + " x")[0]),
			RemoteMTA:         mtaName(get(blk, "Remote-MTA")),
			DiagnosticCode:    stripType(get(blk, "Diagnostic-Code")),
			LastAttemptDate:   get(blk, "Last-Attempt-Date"),
		}
		if rc.Status == "x" {
			rc.Status = ""
		}
		if rc.DiagnosticCode != "" {
			if s, ok := findReply(rc.DiagnosticCode); ok {
				applySegment(&rc, s)
			} else if m := genericReplyRE.FindStringSubmatch(rc.DiagnosticCode); m != nil {
				// A relay's own words around the receiver's reply
				// ("5.3.0 - Other mail system problem 550-'…'"): the field
				// holds a reply, so any code in it is taken.
				rc.Reply = ParseReply(m[1])
			} else {
				rc.Reply = ParseReply(rc.DiagnosticCode)
			}
		}
		b.Recipients = append(b.Recipients, rc)
	}
	if len(b.Recipients) == 0 {
		if skipped != "" {
			return nil, fmt.Errorf("%w: the delivery-status notification reports success (Action: %s)", ErrNotBounce, skipped)
		}
		return nil, errNoRecipients
	}
	return b, nil
}

// applySegment fills a DSN recipient from the reply found in its
// Diagnostic-Code, without overriding fields the DSN gave.
func applySegment(rc *Recipient, s segment) {
	rc.Reply = ParseReply(s.reply)
	if rc.RemoteMTA == "" || strings.HasPrefix(rc.RemoteMTA, "[") && s.host != "" {
		if s.host != "" {
			rc.RemoteMTA = s.host
		}
	}
	if rc.RemoteIP == "" {
		rc.RemoteIP = s.hostIP
	}
	if rc.Stage == "" {
		rc.Stage = s.stage
	}
	if rc.FinalRecipient == "" {
		rc.FinalRecipient = s.recipient
	}
	if rc.Status == "" {
		rc.Status = s.status
	}
}

// fillFromText completes DSN recipients that lack a reply (or a remote MTA)
// from the human-readable part, matching by address.
func fillFromText(b *Bounce, texts []string) {
	need := false
	for _, rc := range b.Recipients {
		if rc.Reply.Code == "" || rc.RemoteMTA == "" || rc.Stage == "" {
			need = true
		}
	}
	if !need || b.Kind != KindDSN && b.Kind != KindFields {
		return
	}
	segs := scanText(strings.Join(texts, "\n\n"))
	for i := range b.Recipients {
		rc := &b.Recipients[i]
		var match *segment
		for j := range segs {
			if strings.EqualFold(segs[j].recipient, rc.FinalRecipient) && segs[j].recipient != "" {
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
		if rc.Reply.Code == "" {
			rc.Reply = ParseReply(match.reply)
			if rc.DiagnosticCode == "" {
				rc.DiagnosticCode = rc.Reply.Raw
			}
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

func recipientFromSegment(s segment) Recipient {
	return Recipient{
		FinalRecipient:    s.recipient,
		OriginalRecipient: s.origRcpt,
		Status:            s.status,
		RemoteMTA:         s.host,
		RemoteIP:          s.hostIP,
		Stage:             s.stage,
		DiagnosticCode:    collapseSpace(s.reply),
		Reply:             ParseReply(s.reply),
		Count:             1,
	}
}

// parseText parses input that is not a message: pasted delivery-status
// fields, MTA log lines, or a bare reply.
func parseText(text string) (*Bounce, error) {
	if loc := dsnFieldRE.FindStringIndex(text); loc != nil {
		if b, err := parseStatusFields(text[loc[0]:], KindFields); err == nil {
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
			fillFromText(b, []string{text[:loc[0]]})
			return b, nil
		}
	}
	segs := scanText(text)
	if len(segs) == 0 {
		return nil, fmt.Errorf("%w: no SMTP reply found (expected a DSN, an MTA log line, or a reply such as \"550 …\")", ErrNotBounce)
	}
	b := &Bounce{Kind: KindReply}
	for _, s := range segs {
		if s.log {
			b.Kind = KindLog
		}
	}
	b.Recipients = recipientsFromSegments(segs)
	return b, nil
}

// recipientsFromSegments turns segments into recipients, folding repeats of
// the same reply for the same recipient (a log excerpt with every retry of a
// deferred message) into one, counted.
func recipientsFromSegments(segs []segment) []Recipient {
	var out []Recipient
	seen := map[string]int{}
	for _, s := range segs {
		rc := recipientFromSegment(s)
		key := strings.ToLower(rc.FinalRecipient) + "\x00" + rc.Reply.Code + "\x00" + rc.Reply.Text
		if i, ok := seen[key]; ok {
			out[i].Count++
			continue
		}
		seen[key] = len(out)
		out = append(out, rc)
	}
	return out
}

// specificOnly keeps the segments found by an MTA-specific pattern; in a
// message that does not look like a bounce, a bare "550 …" in prose is not
// evidence enough.
func specificOnly(segs []segment) []segment {
	var out []segment
	for _, s := range segs {
		if s.via != viaGeneric {
			out = append(out, s)
		}
	}
	return out
}

func decodeWord(s string) string {
	if d, err := new(mime.WordDecoder).DecodeHeader(s); err == nil {
		return d
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
