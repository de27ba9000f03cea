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
	"slices"
	"sort"
	"strings"

	"preflight/dns"
)

// Limits of one message. The header section is read into memory and must
// end within MaxHeaderBytes, in lines of at most maxHeaderLine bytes. A
// message file is never held whole (DKIM streams its body from the file)
// but is refused over MaxMessage all the same, and read no further than
// the size it had when its headers were read; a message from stdin, a pipe
// or a device is held in memory, up to MaxMessage. 100 MiB is four times
// what the large mailbox providers accept (25–35 MB with attachments).
const (
	MaxHeaderBytes = 1 << 20
	MaxMessage     = 100 << 20
	maxHeaderLine  = 64 << 10
)

// Errors of reading a message. ErrTooLarge also matches ErrNotMessage: a
// CLI reports both as bad input.
var (
	ErrNotMessage = errors.New("check: not an email message")
	ErrTooLarge   = fmt.Errorf("%w: larger than %d MiB", ErrNotMessage, MaxMessage>>20)
)

// tooLarge is the error of a message over MaxMessage, in words for the
// person who gave it.
func tooLarge(name string) error {
	return &sizeError{name: name}
}

type sizeError struct{ name string }

func (e *sizeError) Error() string {
	return fmt.Sprintf("%s: the message is larger than %d MiB, the limit of a message", e.name, MaxMessage>>20)
}
func (e *sizeError) Is(target error) bool { return target == ErrTooLarge || target == ErrNotMessage }

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

// Open returns the whole message, from the start. A file is read no
// further than Size.
func (m *Message) Open() (io.ReadCloser, error) {
	return m.OpenSeeker()
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
// modified and its body is not read. A file that is not a regular file (a
// FIFO, a device) cannot be read twice, so it is read whole, as stdin is.
// A message over MaxMessage gives an error matching ErrTooLarge.
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
	switch {
	case st.IsDir():
		return nil, fmt.Errorf("%s is a folder", path)
	case !st.Mode().IsRegular():
		return ReadMessage(f, path)
	case st.Size() > MaxMessage:
		return nil, tooLarge(path)
	}
	m, err := parseHeaders(bufio.NewReaderSize(f, maxHeaderLine), path)
	if err != nil {
		return nil, err
	}
	m.file, m.Size = path, st.Size()
	return m, nil
}

// ReadMessage reads a whole message from r (stdin); it is kept in memory.
// The header section is parsed as it arrives, so that input which is not a
// message (binary, /dev/zero) fails within its first line; the rest is read
// up to MaxMessage, past which the error matches ErrTooLarge.
func ReadMessage(r io.Reader, name string) (*Message, error) {
	var buf Spool
	lr := &io.LimitedReader{R: r, N: MaxMessage + 1}
	m, err := parseHeaders(bufio.NewReaderSize(io.TeeReader(lr, &buf), maxHeaderLine), name)
	if err != nil {
		return nil, err
	}
	// The buffered reader may have read past the header section: all of
	// it is in buf already, in order; the rest follows.
	if _, err := buf.ReadFrom(lr); err != nil {
		return nil, err
	}
	if buf.Len() > MaxMessage {
		return nil, tooLarge(name)
	}
	m.data = buf.Bytes()
	m.Size = int64(len(m.data))
	return m, nil
}

// Spool collects a stream of unknown length in fixed chunks, so that
// reading one up to a limit costs the limit, not the twice-over of a
// doubling buffer, and an input found too large is dropped without ever
// being copied. Bytes joins the chunks once the whole is known to be
// wanted.
type Spool struct {
	chunks [][]byte
	n      int
}

const spoolChunk = 1 << 20

// Write appends p.
func (s *Spool) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.chunks) == 0 || len(s.chunks[len(s.chunks)-1]) == spoolChunk {
			s.chunks = append(s.chunks, make([]byte, 0, spoolChunk))
		}
		last := &s.chunks[len(s.chunks)-1]
		k := min(len(p), spoolChunk-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
	s.n += n
	return n, nil
}

// ReadFrom appends what r gives until EOF.
func (s *Spool) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for {
		if len(s.chunks) == 0 || len(s.chunks[len(s.chunks)-1]) == spoolChunk {
			s.chunks = append(s.chunks, make([]byte, 0, spoolChunk))
		}
		last := &s.chunks[len(s.chunks)-1]
		k, err := r.Read((*last)[len(*last):cap(*last)])
		*last = (*last)[:len(*last)+k]
		s.n += k
		total += int64(k)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Len is the number of bytes collected.
func (s *Spool) Len() int { return s.n }

// Bytes returns everything collected, in one slice.
func (s *Spool) Bytes() []byte {
	if len(s.chunks) == 1 {
		return s.chunks[0]
	}
	out := make([]byte, 0, s.n)
	for _, c := range s.chunks {
		out = append(out, c...)
	}
	s.chunks = nil
	return out
}

// ReadAtMost reads r to its end, or until it has given more than limit
// bytes, in which case ok is false and nothing is kept.
func ReadAtMost(r io.Reader, limit int64) (data []byte, ok bool, err error) {
	var s Spool
	if _, err := s.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, false, err
	}
	if int64(s.Len()) > limit {
		return nil, false, nil
	}
	return s.Bytes(), true, nil
}

// ParseMessage parses a message held in memory.
func ParseMessage(data []byte, name string) (*Message, error) {
	m, err := parseHeaders(bufio.NewReaderSize(bytes.NewReader(data), maxHeaderLine), name)
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
		if total > MaxHeaderBytes {
			return nil, fmt.Errorf("%w: %s: no end of the header block in the first %d bytes", ErrNotMessage, name, MaxHeaderBytes)
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
	// holds several (RFC 7489 §6.6.1), in order, each once, without Domain.
	Others []string
	// Count is the number of addresses in the From field (several: every
	// author domain is evaluated, and some receivers refuse the message).
	Count int
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
	if len(addrs) == 0 {
		return Author{Problem: "From holds no address; DMARC has no author domain"}
	}
	// Several addresses (RFC 5322 allows them with a Sender field): RFC
	// 7489 §6.6.1 evaluates every author domain.
	a := addressAuthor(addrs[0].Address)
	a.Count = len(addrs)
	for _, x := range addrs[1:] {
		o := addressAuthor(x.Address)
		if o.Problem != "" {
			return Author{Problem: fmt.Sprintf("From holds %d addresses and one of them cannot be used: %s", len(addrs), o.Problem)}
		}
		if o.Domain != a.Domain && !slices.Contains(a.Others, o.Domain) {
			a.Others = append(a.Others, o.Domain)
		}
	}
	return a
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

// OpenSeeker is Open for readers that need to seek (sign-simulation). A
// file is read no further than Size, even if it has grown since.
func (m *Message) OpenSeeker() (ReadSeekCloser, error) {
	if m.file == "" {
		return nopSeekCloser{bytes.NewReader(m.data)}, nil
	}
	f, err := os.Open(m.file)
	if err != nil {
		return nil, err
	}
	return sectionFile{io.NewSectionReader(f, 0, m.Size), f}, nil
}

type nopSeekCloser struct{ *bytes.Reader }

func (nopSeekCloser) Close() error { return nil }

type sectionFile struct {
	*io.SectionReader
	f *os.File
}

func (s sectionFile) Close() error { return s.f.Close() }
