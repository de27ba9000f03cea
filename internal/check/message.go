package check

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"preflight/dns"
)

// maxHeaderBytes bounds the header block read into memory; the body is never
// held whole (DKIM streams it from the file).
const maxHeaderBytes = 1 << 20

// ErrNotMessage marks input that is not an RFC 5322 message.
var ErrNotMessage = errors.New("check: not an email message")

// Header is one header field, unfolded, in message order.
type Header struct {
	Name  string // as written
	Value string // unfolded, raw (not RFC 2047-decoded)
}

// Message is what preflight needs of a sample message: its header fields in
// order and a way to read the whole message again (DKIM streams the body).
type Message struct {
	Path    string // as given; "-" for stdin
	Headers []Header
	// LFOnly is true when the header block uses bare LF line endings (a
	// message saved by a tool rather than taken off the wire).
	LFOnly bool
	// Size is the message size in bytes.
	Size int64

	data []byte // the whole message when it came from stdin or memory
	file string // otherwise the file to reopen
}

// Open returns the whole message, from the start.
func (m *Message) Open() (io.ReadCloser, error) {
	if m.file == "" {
		return io.NopCloser(bytes.NewReader(m.data)), nil
	}
	return os.Open(m.file)
}

// Get returns the values of every header field named name (case-insensitive).
func (m *Message) Get(name string) []string {
	var out []string
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

// ReadMessageFile reads the header block of a message file. The file is not
// modified and its body is not read.
func ReadMessageFile(path string) (*Message, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a folder", path)
	}
	m, err := parseHeaders(bufio.NewReaderSize(f, 64<<10), path)
	if err != nil {
		return nil, err
	}
	m.file, m.Size = path, st.Size()
	return m, nil
}

// ReadMessage reads a whole message from r (stdin); it is kept in memory.
func ReadMessage(r io.Reader, name string) (*Message, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return ParseMessage(data, name)
}

// ParseMessage parses a message held in memory.
func ParseMessage(data []byte, name string) (*Message, error) {
	m, err := parseHeaders(bufio.NewReader(bytes.NewReader(data)), name)
	if err != nil {
		return nil, err
	}
	m.data, m.Size = data, int64(len(data))
	return m, nil
}

var fieldName = regexp.MustCompile(`^[!-9;-~]+$`) // RFC 5322 §3.6.8 ftext

// parseHeaders reads the header block leniently: bare LF or CRLF, folded
// lines, 8-bit bytes. It fails when the input does not start like a message.
func parseHeaders(br *bufio.Reader, name string) (*Message, error) {
	m := &Message{Path: name}
	var total int
	var cur *Header
	crlf, lf := 0, 0
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%w: %s: header line %d is longer than %d bytes", ErrNotMessage, name, lineNo, br.Size())
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		total += len(line)
		if total > maxHeaderBytes {
			return nil, fmt.Errorf("%w: %s: no end of the header block in the first %d bytes", ErrNotMessage, name, maxHeaderBytes)
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return nil, fmt.Errorf("%w: %s: binary data (NUL byte) in the header block, line %d", ErrNotMessage, name, lineNo)
		}
		text := string(line)
		switch {
		case strings.HasSuffix(text, "\r\n"):
			crlf++
			text = text[:len(text)-2]
		case strings.HasSuffix(text, "\n"):
			lf++
			text = text[:len(text)-1]
		}
		if lineNo == 1 && strings.HasPrefix(text, "From ") && !strings.Contains(strings.SplitN(text, " ", 2)[0], ":") {
			continue // mbox "From " separator line
		}
		if text == "" {
			if len(m.Headers) == 0 && err != io.EOF && lineNo == 1 {
				return nil, fmt.Errorf("%w: %s: starts with an empty line, so it has no header fields", ErrNotMessage, name)
			}
			break
		}
		if text[0] == ' ' || text[0] == '\t' {
			if cur == nil {
				return nil, fmt.Errorf("%w: %s: line %d is a continuation line with no header field before it", ErrNotMessage, name, lineNo)
			}
			cur.Value += " " + strings.TrimLeft(text, " \t")
		} else {
			fname, value, ok := strings.Cut(text, ":")
			if !ok || !fieldName.MatchString(strings.TrimRight(fname, " \t")) {
				if len(m.Headers) == 0 {
					return nil, fmt.Errorf("%w: %s: line %d is not a header field (%q)", ErrNotMessage, name, lineNo, clip(text, 40))
				}
				// A malformed line ends the header block the way most
				// parsers would treat it; keep what we have.
				break
			}
			m.Headers = append(m.Headers, Header{Name: strings.TrimRight(fname, " \t"), Value: strings.TrimSpace(value)})
			cur = &m.Headers[len(m.Headers)-1]
		}
		if err == io.EOF {
			break
		}
	}
	if len(m.Headers) == 0 {
		return nil, fmt.Errorf("%w: %s: no header fields", ErrNotMessage, name)
	}
	known := false
	for i := range m.Headers {
		m.Headers[i].Value = strings.TrimSpace(m.Headers[i].Value)
		known = known || knownFields[strings.ToLower(m.Headers[i].Name)]
	}
	if !known {
		return nil, fmt.Errorf("%w: %s: none of its header fields is one an email has (From, Date, Subject, To, Received …)", ErrNotMessage, name)
	}
	m.LFOnly = lf > 0 && crlf == 0
	return m, nil
}

// knownFields are header fields of which an email has at least one.
var knownFields = map[string]bool{
	"from": true, "to": true, "cc": true, "subject": true, "date": true, "message-id": true,
	"received": true, "return-path": true, "mime-version": true, "content-type": true,
	"dkim-signature": true, "sender": true, "reply-to": true, "delivered-to": true,
	"authentication-results": true, "arc-seal": true, "x-mailer": true, "list-unsubscribe": true,
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Author is the RFC5322.From of a message as DMARC sees it.
type Author struct {
	Address string // the address (local@domain), display name dropped
	Domain  string // canonical A-label domain; "" when there is none
	// Others are the domains of the other addresses of a From field that
	// holds several (RFC 7489 §6.6.1), in order, without Domain.
	Others []string
	// Problem explains why DMARC cannot use this From (zero, several,
	// group, no domain); "" when it can.
	Problem string
	// Lenient is set when the field was not valid RFC 5322 and the domain
	// was taken from its last "@", as many receivers do.
	Lenient string
}

var decoder = mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	return input, nil // keep bytes of unknown charsets; only the address matters
}}

// FromAuthor extracts the single From address DMARC evaluates (RFC 7489
// §6.6.1): exactly one From field holding exactly one mailbox.
func FromAuthor(m *Message) Author {
	froms := m.Get("From")
	switch {
	case len(froms) == 0:
		return Author{Problem: "the message has no From header field; DMARC cannot be evaluated and many receivers reject such mail"}
	case len(froms) > 1:
		return Author{Problem: fmt.Sprintf("the message has %d From header fields; RFC 5322 allows one and many receivers reject such mail (DMARC has no single author domain)", len(froms))}
	}
	return ParseAuthor(froms[0])
}

// ParseAuthor parses the value of a From field, or a bare address or domain
// given on the command line.
func ParseAuthor(v string) Author {
	v = strings.TrimSpace(v)
	if isGroup(v) {
		return Author{Problem: fmt.Sprintf("From is a group (%q), which names no author domain; many receivers reject such mail", clip(v, 60))}
	}
	if !strings.ContainsAny(v, "@<") {
		// A bare domain (command line --from brand.example).
		d, err := NormalizeDomain(v)
		if err != nil {
			return Author{Problem: err.Error()}
		}
		return Author{Address: "", Domain: d}
	}
	p := mail.AddressParser{WordDecoder: &decoder}
	addrs, err := p.ParseList(v)
	if err != nil {
		// Fall back to the last "@domain" in the value, as receivers do for
		// slightly broken headers, but say so.
		if at := strings.LastIndexByte(v, '@'); at >= 0 {
			dom := strings.TrimRight(strings.TrimSpace(v[at+1:]), ">) ")
			if d, derr := NormalizeDomain(dom); derr == nil {
				return Author{Address: strings.Trim(v, "<> "), Domain: d,
					Lenient: fmt.Sprintf("From %q is not valid RFC 5322 (%v); its domain was taken from the last \"@\", as many receivers do", clip(v, 60), err)}
			}
		}
		return Author{Problem: fmt.Sprintf("From %q cannot be parsed as an address: %v", clip(v, 60), err)}
	}
	if len(addrs) != 1 {
		return Author{Problem: fmt.Sprintf("From holds %d addresses; DMARC needs exactly one author domain and many receivers reject such mail", len(addrs))}
	}
	return addressAuthor(addrs[0].Address)
}

func addressAuthor(addr string) Author {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return Author{Address: addr, Problem: fmt.Sprintf("From address %q has no domain", addr)}
	}
	d, err := NormalizeDomain(addr[at+1:])
	if err != nil {
		return Author{Address: addr, Problem: err.Error()}
	}
	return Author{Address: addr[:at+1] + d, Domain: d}
}

// isGroup reports whether a From value uses RFC 5322 group syntax
// ("undisclosed-recipients:;"): a colon outside quotes and angle brackets.
func isGroup(v string) bool {
	inQuote, inAngle := false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case c == ':' && !inAngle:
			return true
		}
	}
	return false
}

// NormalizeDomain returns a mail domain in the canonical form every
// comparison uses (dns.ParseDomain: lower-case A-labels, no trailing dot),
// or an error that says why it is not a usable domain. Unlike
// dns.ParseDomain it also refuses single-label names, which no author or
// bounce domain can be.
func NormalizeDomain(d string) (string, error) {
	d = strings.TrimSpace(d)
	if strings.ContainsRune(d, '@') {
		return "", fmt.Errorf("%q is an address, not a domain", d)
	}
	pd, err := dns.ParseDomain(d)
	if err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), dns.ErrInvalidName.Error()+": "))
	}
	if !strings.Contains(string(pd), ".") {
		return "", fmt.Errorf("%q is not a fully qualified domain", d)
	}
	return string(pd), nil
}

// ReturnPath returns the address of the Return-Path field ("" for the null
// path "<>"), and ok=false when there is no such field.
func ReturnPath(m *Message) (addr string, ok bool) {
	rp := m.Get("Return-Path")
	if len(rp) == 0 {
		return "", false
	}
	v := strings.TrimSpace(rp[0])
	v = strings.TrimSuffix(strings.TrimPrefix(v, "<"), ">")
	return strings.TrimSpace(v), true
}

var receivedFrom = regexp.MustCompile(`(?i)\bfrom\b[^;]*?\[(?:IPv6:)?([0-9a-fA-F:.]+)\]`)

// ReceivedIP returns the client IP of the first Received field, top-down,
// whose from-clause names a public address: the host that handed the message
// to the receiving organisation. ok is false when no such hop exists (e.g. a
// template never sent).
func ReceivedIP(m *Message) (netip.Addr, string, bool) {
	for _, v := range m.Get("Received") {
		sub := receivedFrom.FindStringSubmatch(v)
		if sub == nil {
			continue
		}
		ip, err := netip.ParseAddr(sub[1])
		if err != nil {
			continue
		}
		ip = ip.Unmap()
		if ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || cgnat.Contains(ip) {
			continue
		}
		return ip, v, true
	}
	return netip.Addr{}, "", false
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// ExpandPaths turns command-line message arguments into files: a folder
// means every .eml file inside it (recursively, in lexical order); "-" is
// kept for stdin.
func ExpandPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %v", a, pe.Err)
			}
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".eml") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("folder %s has no .eml files", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// ReadSeekCloser is a message opened for reading more than once.
type ReadSeekCloser interface {
	io.ReadSeeker
	io.Closer
}

// OpenSeeker is Open for readers that need to seek (sign-simulation).
func (m *Message) OpenSeeker() (ReadSeekCloser, error) {
	if m.file == "" {
		return nopSeekCloser{bytes.NewReader(m.data)}, nil
	}
	return os.Open(m.file)
}

type nopSeekCloser struct{ *bytes.Reader }

func (nopSeekCloser) Close() error { return nil }
