// Package bounce reads a bounce — a delivery status notification (RFC 3464)
// at any depth of forwarding, a plain-text bounce message (qmail, Exim,
// Exchange, Notes, Gmail, …, with or without a reply code), MTA log lines,
// an ESP's JSON event, or a pasted SMTP reply — and explains it: which
// receiver answered, what its reply means, whether retrying helps, and what
// to change.
//
// Parse streams: an input over 1 MiB is read once, keeping only the parts a
// bounce is made of, so a large message that is not a bounce costs one pass
// and little memory. Mbox reads a mailbox one message at a time.
//
// Parsing and classification are separate phases. Parse turns the input into
// a Bounce: one Recipient per failed address, each with the receiving
// server's Reply unwrapped (RFC 5321 §4.2 multi-line replies, RFC 5322 §2.2.3
// folding), and the returned message or its headers as raw bytes. Text in
// any charset is decoded with golang.org/x/text. Input that is mail but not
// a failure — an ARF feedback report, an automatic reply, a success report —
// is returned as a *Notice error that names it. Classify matches a
// Recipient against Rules(), a table of receiver reply texts with the
// provenance of each (the receivers' pages and the real bounces, with
// dates). Analyze does both.
//
// A receiver's reply text is the evidence: QQ sends no RFC 3463 enhanced
// status code, so a "5.0.0" in a DSN about a QQ recipient was made up by a
// relay and is reported as such, never used to classify. Authentication is
// claimed only when a reply says SPF, DKIM or DMARC failed.
//
// The package does no DNS and no I/O beyond reading its input. Re-checking an
// authentication bounce (SPF, DKIM, DMARC on the returned message) is
// check.Recheck's job: Bounce.Message, Bounce.HeadersOnly, Diagnosis.ClientIP
// and Bounce.EnvelopeSender carry what it needs, and Diagnosis.NeedsRecheck
// says when. Rendering is package report's (report.Bounce). Receivers are
// named from the receiver registry (internal/receiver): IDs, display names,
// mailbox domains and MX hosts.
package bounce

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxInput is the largest input Parse reads; a bounce carrying a returned
// message with attachments rarely comes close.
const MaxInput = 64 << 20

// Errors. ErrNotBounce is the one a CLI maps to "not a bounce" (exit 2).
var (
	ErrNotBounce = errors.New("bounce: input is not a bounce")
	ErrTooLarge  = errors.New("bounce: input too large")
)

// Kind is the form the input came in.
type Kind string

// Input forms.
const (
	KindDSN     Kind = "dsn"     // multipart/report; report-type=delivery-status (RFC 3464)
	KindMessage Kind = "message" // a bounce message without a delivery-status part (plain-text NDR)
	KindLog     Kind = "log"     // MTA log lines (Postfix, Exim, Exchange, sendmail)
	KindReply   Kind = "reply"   // a bare SMTP reply, possibly wrapped or multi-line
	KindFields  Kind = "fields"  // pasted delivery-status fields (Diagnostic-Code: …)
	KindJSON    Kind = "json"    // an ESP's bounce event or notification (SES, SendGrid, Mailgun, Postmark)
)

// The kinds of input that are not bounces but are recognised (see Notice):
// KindFeedback, KindAutoReply, KindDelivered.

// Bounce is a parsed bounce: per-message facts and one Recipient per bounced
// address.
type Bounce struct {
	Kind Kind
	// Per-message DSN fields (RFC 3464 §2.2); empty when the input has none.
	ReportingMTA    string // type stripped: "mail.example.com"
	ArrivalDate     string // as written
	ReceivedFromMTA string
	// EnvelopeSender is the MAIL FROM of the bounced message when the bounce
	// says it (Postfix X-Postfix-Sender, else the bounce's To header, since a
	// bounce goes to the envelope sender); EnvelopeSenderSource says which.
	EnvelopeSender       string
	EnvelopeSenderSource string
	// Subject of the bounce message, when the input is a message.
	Subject string

	Recipients []Recipient

	// Original is the returned message (message/rfc822, message/global) or
	// its header section (text/rfc822-headers), raw as in the bounce; nil
	// when the bounce did not return it. HeadersOnly is true for the latter:
	// a DKIM body hash cannot be checked then.
	Original     []byte
	OriginalType string
	HeadersOnly  bool
}

// Delayed reports whether the bounce is a delay warning: every recipient's
// delivery is still being retried (RFC 3464 Action "delayed", or a
// plain-text warning such as Gmail's "Delivery Status Notification
// (Delay)"). Nothing has failed yet.
func (b *Bounce) Delayed() bool {
	if len(b.Recipients) == 0 {
		return false
	}
	for _, rc := range b.Recipients {
		if rc.Action != "delayed" {
			return false
		}
	}
	return true
}

// Recipient is one bounced address with what the bounce says about it.
type Recipient struct {
	FinalRecipient    string // address, type stripped
	OriginalRecipient string
	Action            string // failed, delayed, …
	Status            string // the DSN Status (may be invented by a relay)
	RemoteMTA         string // host name or [address], type stripped
	RemoteIP          string // the remote MTA's address when the input gives it
	DiagnosticCode    string // unfolded, type stripped
	LastAttemptDate   string
	Stage             string // "end of DATA command", when known
	Reply             Reply
	// Count is how many times the input holds this reply for this
	// recipient (log excerpts repeat deferrals); 0 or 1 means once.
	Count int
}

// ParseBytes is Parse on a byte slice. It does not modify data; Original
// may share memory with it.
func ParseBytes(data []byte) (*Bounce, error) {
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil, fmt.Errorf("%w: this is an Outlook .msg file; save the bounce as .eml (or paste its text) and try again", ErrNotBounce)
	}
	data = toUTF8(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: the input is empty", ErrNotBounce)
	}
	if bytes.IndexByte(data, 0) >= 0 && !looksLikeMessage(data) {
		return nil, fmt.Errorf("%w: the input is binary data", ErrNotBounce)
	}
	if looksLikeMessage(data) {
		return parseMessage(data, 0)
	}
	if b, ok, err := parseJSON(data); ok {
		return b, err
	}
	if !utf8.Valid(data) {
		// Pasted from an editor that saved it in the locale's charset.
		data = guessDecode(data)
	}
	return parseText(string(data))
}

// Message returns the returned message in a form a message parser accepts:
// Original as is, or for a headers-only return the header section followed
// by an empty body. It is nil when the bounce returned nothing.
func (b *Bounce) Message() []byte {
	if b.Original == nil || !b.HeadersOnly {
		return b.Original
	}
	h := bytes.TrimRight(b.Original, "\r\n")
	out := make([]byte, 0, len(h)+4)
	out = append(out, h...)
	return append(out, "\r\n\r\n"...)
}

// toUTF8 removes a UTF-8 byte order mark and converts UTF-16 text with a
// byte order mark (what Windows editors save) to UTF-8.
func toUTF8(data []byte) []byte {
	if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		return data[3:]
	}
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return data
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	return []byte(string(utf16.Decode(units)))
}

// Analysis is a parsed bounce with one diagnosis per recipient.
type Analysis struct {
	Bounce    *Bounce
	Diagnoses []Diagnosis
}

// Analyze parses r and classifies every recipient.
func Analyze(r io.Reader) (*Analysis, error) {
	b, err := Parse(r)
	if err != nil {
		return nil, err
	}
	return Diagnose(b), nil
}

// Diagnose classifies every recipient of b.
func Diagnose(b *Bounce) *Analysis {
	a := &Analysis{Bounce: b}
	for _, rc := range b.Recipients {
		d := Classify(rc)
		switch {
		case b.Original != nil && b.HeadersOnly:
			d.Returned = "headers"
		case b.Original != nil:
			d.Returned = "message"
		}
		a.Diagnoses = append(a.Diagnoses, d)
	}
	return a
}
