package dkim

import (
	"bytes"
	"encoding"
	"hash"
	"io"
	"strings"
)

// This file holds the streaming pieces: the LF→CRLF reader, the body
// canonicalizers of RFC 6376 §3.4.3 and §3.4.4 with bounded memory, and the
// header canonicalizations of §3.4.1 and §3.4.2.

// crlfReader turns every bare LF into CRLF, as the message would travel over
// SMTP (RFC 5321 §2.3.8), and counts how many it converted. Files saved on
// Unix-like systems often have LF line endings; verifying them as stored
// would fail every simple-canonicalized signature.
type crlfReader struct {
	r        io.Reader
	buf      []byte
	off, end int
	prevCR   bool
	needLF   bool
	bareLF   int64
	err      error
}

func newCRLFReader(r io.Reader) *crlfReader {
	return &crlfReader{r: r, buf: make([]byte, 32<<10)}
}

func (c *crlfReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if c.needLF {
			p[n] = '\n'
			n++
			c.needLF = false
			c.prevCR = false
			continue
		}
		if c.off == c.end {
			if n > 0 {
				return n, nil
			}
			if c.err != nil {
				return 0, c.err
			}
			m, err := c.r.Read(c.buf)
			c.off, c.end, c.err = 0, m, err
			continue
		}
		chunk := c.buf[c.off:c.end]
		i := bytes.IndexByte(chunk, '\n')
		run := chunk
		if i >= 0 {
			run = chunk[:i]
		}
		if len(run) > 0 {
			k := copy(p[n:], run)
			n += k
			c.off += k
			c.prevCR = run[k-1] == '\r'
			continue
		}
		// chunk starts with '\n'.
		c.off++
		if c.prevCR {
			p[n] = '\n'
			n++
			c.prevCR = false
			continue
		}
		c.bareLF++
		p[n] = '\r'
		n++
		c.needLF = true
	}
	return n, nil
}

// limitHash feeds at most limit bytes (all when limit < 0) to h and counts
// every byte written.
type limitHash struct {
	h     hash.Hash
	limit int64
	n     int64
	ring  *prefixRing // nil: no prefix snapshots
	newH  func() hash.Hash
}

func (w *limitHash) Write(p []byte) (int, error) {
	switch {
	case w.limit < 0:
		w.h.Write(p)
	case w.n < w.limit:
		k := int64(len(p))
		if rest := w.limit - w.n; k > rest {
			k = rest
		}
		w.h.Write(p[:k])
	}
	w.n += int64(len(p))
	return len(p), nil
}

// bodyCanon canonicalizes a body as it streams through Write (RFC 6376
// §3.4.3 simple, §3.4.4 relaxed). Trailing empty lines are counted, not
// buffered, so memory stays constant however many there are.
type bodyCanon struct {
	relaxed bool
	out     io.Writer
	buf     []byte
	pending int64 // CRLFs seen after the last content, not yet written
	wsp     bool  // relaxed: WSP seen since the last content on this line
	cr      bool  // the previous input byte was a CR not yet resolved
	content bool  // anything but line breaks has been written
	// mixed holds the pending line-break bytes once a lone CR is among
	// them (relaxed only; like go-msgauth, a lone CR is treated as line
	// break material: it ends WSP runs and is dropped at the end).
	mixed []byte
}

func newBodyCanon(c Canonicalization, out io.Writer) *bodyCanon {
	return &bodyCanon{relaxed: c == Relaxed, out: out, buf: make([]byte, 0, 32<<10)}
}

func (b *bodyCanon) flushPending() {
	if len(b.mixed) > 0 {
		b.flush()
		b.out.Write(b.mixed)
		b.mixed = b.mixed[:0]
	}
	for ; b.pending > 0; b.pending-- {
		b.buf = append(b.buf, '\r', '\n')
		if len(b.buf) >= cap(b.buf)-2 {
			b.flush()
		}
	}
	if b.wsp {
		b.buf = append(b.buf, ' ')
		b.wsp = false
	}
}

func (b *bodyCanon) flush() {
	if len(b.buf) > 0 {
		b.out.Write(b.buf)
		b.buf = b.buf[:0]
	}
}

// Bytes that end a run of ordinary body content.
var simpleSpecial, relaxedSpecial [256]bool

func init() {
	simpleSpecial['\r'], simpleSpecial['\n'] = true, true
	relaxedSpecial = simpleSpecial
	relaxedSpecial[' '], relaxedSpecial['\t'] = true, true
}

func (b *bodyCanon) Write(p []byte) (int, error) {
	n := len(p)
	special := &simpleSpecial
	if b.relaxed {
		special = &relaxedSpecial
	}
	for len(p) > 0 {
		if b.cr {
			b.cr = false
			if p[0] == '\n' {
				b.lineBreak()
				p = p[1:]
				continue
			}
			if b.relaxed {
				b.loneCR()
				continue
			}
			// A lone CR is content (simple).
			b.flushPending()
			b.buf = append(b.buf, '\r')
			b.content = true
		}
		i := 0
		for i < len(p) && !special[p[i]] {
			i++
		}
		if i > 0 {
			b.flushPending()
			if len(b.buf)+i > cap(b.buf) {
				b.flush()
			}
			if i > cap(b.buf) {
				b.out.Write(p[:i])
			} else {
				b.buf = append(b.buf, p[:i]...)
			}
			b.content = true
			p = p[i:]
			continue
		}
		switch p[0] {
		case '\r':
			b.cr = true
		case '\n':
			// A bare LF (the input is normally CRLF already) ends a line.
			b.lineBreak()
		default: // ' ', '\t' in relaxed mode
			b.wsp = true
		}
		p = p[1:]
	}
	if len(b.buf) > cap(b.buf)/2 {
		b.flush()
	}
	return n, nil
}

func (b *bodyCanon) lineBreak() {
	b.wsp = false
	if len(b.mixed) > 0 {
		b.mixed = append(b.mixed, '\r', '\n')
		return
	}
	if b.pending == 0 && b.content {
		// The body could have ended here: let the hashes remember
		// their state, to find later whether a prefix of the body is
		// what was signed (a footer appended after signing).
		if s, ok := b.out.(snapshotter); ok {
			b.flush()
			s.snapshot()
		}
	}
	b.pending++
}

type snapshotter interface{ snapshot() }

// prefixRing keeps the hash states at the last few line ends of the
// canonical body (without the final CRLF).
type prefixRing struct {
	states [][]byte
	lens   []int64
	next   int
	last   int64
}

const prefixRingSize = 256

func (w *limitHash) snapshot() {
	if w.ring == nil || w.n == w.ring.last {
		return
	}
	ap, ok := w.h.(encoding.BinaryAppender)
	if !ok {
		return
	}
	r := w.ring
	i := r.next % prefixRingSize
	if len(r.states) < prefixRingSize {
		r.states = append(r.states, nil)
		r.lens = append(r.lens, 0)
	}
	st, err := ap.AppendBinary(r.states[i][:0])
	if err != nil {
		return
	}
	r.states[i], r.lens[i], r.last = st, w.n, w.n
	r.next++
}

// signedPrefix looks for a line end of the canonical body where the body
// hash would have been want: the body then ended there when it was signed
// and the rest was added later. It returns the length of that canonical
// prefix (its final CRLF included).
func (w *limitHash) signedPrefix(newHash func() hash.Hash, want []byte) (int64, bool) {
	if w.ring == nil {
		return 0, false
	}
	r := w.ring
	for k := 1; k <= len(r.states); k++ {
		i := (r.next - k) % prefixRingSize
		if i < 0 {
			i += prefixRingSize
		}
		h := newHash()
		u, ok := h.(encoding.BinaryUnmarshaler)
		if !ok || u.UnmarshalBinary(r.states[i]) != nil {
			return 0, false
		}
		h.Write([]byte("\r\n"))
		if bytes.Equal(h.Sum(nil), want) {
			return r.lens[i] + 2, true
		}
	}
	return 0, false
}

func (m *multiHash) snapshot() {
	for _, w := range m.ws {
		w.snapshot()
	}
}

func (b *bodyCanon) loneCR() {
	b.wsp = false
	for ; b.pending > 0; b.pending-- {
		b.mixed = append(b.mixed, '\r', '\n')
	}
	b.mixed = append(b.mixed, '\r')
}

// Close writes the final CRLF: simple always ends with one (an empty body
// is "CRLF"); relaxed ends non-empty bodies with one and leaves an empty
// body empty.
func (b *bodyCanon) Close() error {
	if b.cr && b.relaxed {
		b.cr = false
		b.loneCR()
	}
	if b.cr {
		b.cr = false
		b.flushPending()
		b.buf = append(b.buf, '\r')
		b.content = true
	}
	b.wsp = false
	b.mixed = b.mixed[:0]
	if b.content || !b.relaxed {
		b.buf = append(b.buf, '\r', '\n')
	}
	b.flush()
	return nil
}

// canonHeader canonicalizes one raw header field (name, colon, value and its
// folding, ending in CRLF) per RFC 6376 §3.4.1 (simple: unchanged) or
// §3.4.2 (relaxed: lower-case name, unfolded value, WSP runs reduced to one
// space, no WSP around the colon or at the end).
func canonHeader(c Canonicalization, raw string) string {
	if c != Relaxed {
		return raw
	}
	name, value, _ := strings.Cut(raw, ":")
	name = strings.ToLower(strings.TrimRight(name, " \t"))
	value = strings.Join(strings.FieldsFunc(value, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}), " ")
	return name + ":" + value + "\r\n"
}

// stripSignatureValue returns the raw DKIM-Signature field with the value of
// its b= tag removed and everything else kept byte for byte (RFC 6376 §3.7).
func stripSignatureValue(raw string) string {
	colon := strings.IndexByte(raw, ':')
	if colon < 0 {
		return raw
	}
	pos := colon + 1
	for pos <= len(raw) {
		end := strings.IndexByte(raw[pos:], ';')
		if end < 0 {
			end = len(raw)
		} else {
			end += pos
		}
		spec := raw[pos:end]
		if name, _, ok := strings.Cut(spec, "="); ok && trimFWS(name) == "b" {
			// RFC 6376 §3.7: the value "including all surrounding
			// whitespace" is deleted, as if b= were empty.
			eq := pos + strings.IndexByte(spec, '=')
			return raw[:eq+1] + raw[end:]
		}
		pos = end + 1
	}
	return raw
}
