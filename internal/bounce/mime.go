package bounce

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
)

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

// walker collects the parts of a MIME tree that a bounce is made of.
type walker struct {
	status      []byte   // first message/delivery-status body
	feedback    []byte   // first message/feedback-report body (RFC 5965)
	original    []byte   // first returned message or headers
	origType    string   // its media type
	headersOnly bool     // original is text/rfc822-headers
	texts       []string // decoded text parts (text/plain, or text/html as text)
	nested      [][]byte // message/rfc822 parts, in order
	jsons       []string // application/json parts and text parts that are JSON
	reportType  string   // report-type of the first multipart/report
}

// walk visits one MIME entity. Real bounces break MIME in a few common ways,
// each handled here rather than given up on: a boundary parameter that does
// not match the delimiters in the body (the delimiter actually used is
// found), a boundary parameter that slipped into the body as an unfolded
// header line, a multipart body sent as text/plain ("This is a
// MIME-encapsulated message" followed by the parts), and a charset label
// that does not match the text.
func (w *walker) walk(h textproto.MIMEHeader, body []byte, depth int) {
	if depth > maxDepth {
		return
	}
	mt, params := mediaType(h.Get("Content-Type"))
	body = decodeCTE(h.Get("Content-Transfer-Encoding"), body)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if mt == "multipart/report" && w.reportType == "" {
			w.reportType = strings.ToLower(params["report-type"])
		}
		if !w.walkMultipart(mt, params["boundary"], body, depth) {
			if b := findBoundary(body); b != "" && b != params["boundary"] {
				if w.walkMultipart(mt, b, body, depth) {
					return
				}
			}
			w.addText(decodeCharset(params["charset"], body), depth)
		}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		if w.status == nil {
			w.status = decodeCharset(params["charset"], body)
		}
	case mt == "message/feedback-report":
		if w.feedback == nil {
			w.feedback = body
		}
	case mt == "message/rfc822" || mt == "message/global" || mt == "message/partial":
		if w.original == nil {
			w.original, w.origType = body, mt
		}
		w.nested = append(w.nested, body)
	case mt == "text/rfc822-headers" || mt == "message/global-headers":
		if w.original == nil {
			w.original, w.origType, w.headersOnly = body, mt, true
		}
	case mt == "application/json":
		w.jsons = append(w.jsons, string(decodeCharset(params["charset"], body)))
	case mt == "text/plain" || mt == "text/html" || mt == "text/enriched" || mt == "text" || mt == "text/x-aol":
		text := decodeCharset(params["charset"], body)
		if mt == "text/html" {
			if len(w.texts) > 0 {
				return // the text/plain alternative says the same
			}
			text = []byte(htmlToText(string(text)))
		}
		w.addText(text, depth)
	}
}

// mediaType parses a Content-Type leniently: one that mime rejects (a
// stray character, a duplicate parameter) keeps its type and parameters,
// and none at all is text/plain.
func mediaType(ct string) (string, map[string]string) {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt == "" {
		mt, params = "text/plain", lenientParams(ct)
		if i := strings.IndexByte(ct, ';'); i > 0 {
			mt = strings.ToLower(strings.TrimSpace(ct[:i]))
		}
	}
	return mt, params
}

// walkMultipart walks the parts of a multipart body; it reports false when
// the boundary delimits no part.
func (w *walker) walkMultipart(mt, boundary string, body []byte, depth int) bool {
	if boundary == "" || !bytes.Contains(body, []byte("--"+boundary)) {
		return false
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	n := 0
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		n++
		pb, _ := io.ReadAll(io.LimitReader(p, MaxInput))
		ph := p.Header
		if ph.Get("Content-Type") == "" && mt == "multipart/digest" {
			ph = textproto.MIMEHeader{"Content-Type": {"message/rfc822"}}
		}
		w.walk(ph, pb, depth+1)
	}
	return n > 0
}

// addText keeps a decoded text part, unless it is itself a multipart body
// sent as text (old Sendmail and hand-made DSNs), which is walked instead.
func (w *walker) addText(text []byte, depth int) {
	text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	if b := findBoundary(text); b != "" && depth < maxDepth {
		// Only a boundary that starts before the returned message begins:
		// a returned multipart message quoted in a plain-text bounce is
		// not the bounce's own structure.
		report, _, _ := cutReturned(string(text))
		if i := bytes.Index(text, []byte("--"+b)); i >= 0 && i <= len(report) {
			w.texts = append(w.texts, string(text[:i])) // the preamble may say what happened
			if w.walkMultipart("multipart/mixed", b, text, depth) {
				return
			}
			w.texts = w.texts[:len(w.texts)-1]
		}
	}
	if t := bytes.TrimSpace(text); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		w.jsons = append(w.jsons, string(t))
	}
	w.texts = append(w.texts, string(text))
}

// boundaryLineRE is a delimiter line followed by a part's header section.
var boundaryLineRE = regexp.MustCompile(`(?m)^--([^\s-][^\r\n]{0,69}?|-[^\r\n]{1,69}?)[ \t]*\r?\n(?:[A-Za-z-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?Content-(?:Type|Transfer-Encoding|Description|Disposition):`)

// findBoundary finds the boundary a multipart body really uses: a line
// "--X" followed by a part header, with X used again later in the body.
func findBoundary(body []byte) string {
	if len(body) > 1<<20 {
		body = body[:1<<20]
	}
	for _, m := range boundaryLineRE.FindAllSubmatchIndex(body, 4) {
		b := string(body[m[2]:m[3]])
		if bytes.Count(body, []byte("--"+b)) >= 2 {
			return b
		}
	}
	return ""
}

// lenientParams reads the parameters of a Content-Type that mime rejects
// (a stray character, a duplicate parameter), so that a charset or boundary
// is not lost with it.
func lenientParams(v string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(v, ";")
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := out[k]; !dup {
			out[k] = strings.Trim(strings.TrimSpace(val), `"'`)
		}
	}
	return out
}

var (
	htmlBreakRE = regexp.MustCompile(`(?i)<\s*(?:br|/p|/div|/tr|/li|/h[1-6]|p|div|tr|li)\b[^>]*>`)
	htmlTagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlDropRE  = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(?:script|style|head)\s*>`)
)

// htmlToText reduces an HTML bounce (Office 365 and some webmail systems
// send only HTML) to its text, one line per block element.
func htmlToText(s string) string {
	s = htmlDropRE.ReplaceAllString(s, "")
	s = htmlBreakRE.ReplaceAllString(s, "\n")
	s = htmlTagRE.ReplaceAllString(s, "")
	r := strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")
	return r.Replace(s)
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
