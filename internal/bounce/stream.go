package bounce

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Streaming. A bounce is a few kilobytes of report beside, at most, the
// returned message; an input of tens of megabytes is either a bounce that
// returned a large message or not a bounce at all (a newsletter, a message
// with attachments). Parse does not read such an input into memory to find
// out: past streamAbove bytes it reads the input once, line by line, and
// keeps only the parts a bounce is made of (see prune), each up to a
// bound, so that time and memory stay proportional to what is kept. What
// the parser then sees is the input with the other parts' bodies left out,
// which it treats exactly as it treats the whole (walker ignores those
// parts): a small input is parsed whole, a large one gives the same
// answer.

// streamAbove is the size up to which an input is read whole and parsed as
// it is.
const streamAbove = 1 << 20

// Bounds on what prune keeps of a large input, per part.
const (
	maxHeaderSection = 1 << 20  // a message's or part's header section
	maxStatusPart    = 16 << 20 // a delivery-status part (10,000 recipients are about 2 MiB)
	maxReturned      = 16 << 20 // a returned message kept whole; past it, its header section only
	maxSmallPart     = 1 << 20  // feedback report, returned headers, JSON
	maxBounceText    = 4 << 20  // a text part of a message that looks like a bounce
	maxOrdinaryText  = 256 << 10
	maxOrdinaryTotal = 1 << 20 // all text parts of a message that does not look like a bounce
)

// Parse reads one bounce from r (at most MaxInput bytes). It accepts, in this
// order: a MIME message (a DSN at any depth, a plain-text bounce from a
// mailer daemon, an ESP's notification sent by mail), an ESP's JSON event,
// pasted delivery-status fields, MTA log lines, a pasted bounce body, a bare
// SMTP reply. CRLF and LF line ends are both accepted, and text in any
// charset a mail client sends. Input that holds no bounce gives an error
// matching ErrNotBounce that says what the input looked like; input that is
// a recognised notice (feedback report, auto-reply, success report) gives a
// *Notice, which also matches ErrNotBounce.
//
// A message larger than 1 MiB is streamed: read once, keeping the parts that
// can make it a bounce (delivery-status, text, returned message, JSON), each
// within a bound, and skipping the bodies of the others (attachments). A
// returned message over 16 MiB is kept as its header section only, as a
// text/rfc822-headers return would be. Memory stays bounded by what is kept,
// not by the input; a 50 MB newsletter is "not a bounce" after one pass.
func Parse(r io.Reader) (*Bounce, error) { return parseStream(r, streamAbove) }

func parseStream(r io.Reader, above int) (*Bounce, error) {
	// The first 64 KiB at least, to tell a message from the rest.
	head, err := readUpTo(r, max(above+1, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("bounce: reading input: %w", err)
	}
	if len(head) <= above {
		return ParseBytes(head)
	}
	if !streamable(head) {
		// Logs, JSON, pasted text: read whole (they are what they look like
		// from the first line to the last).
		rest, err := io.ReadAll(io.LimitReader(r, int64(MaxInput+1-len(head))))
		if err != nil {
			return nil, fmt.Errorf("bounce: reading input: %w", err)
		}
		data := append(head, rest...)
		if len(data) > MaxInput {
			return nil, fmt.Errorf("%w (more than %d MiB)", ErrTooLarge, MaxInput>>20)
		}
		return ParseBytes(data)
	}
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	p := newPruner(io.MultiReader(bytes.NewReader(head), r), MaxInput)
	data, err := p.run()
	if err != nil {
		return nil, err
	}
	b, err := parseMessage(data, 0)
	if p.cutText {
		// A text part was cut short: a returned message found in it (after
		// "This is a copy of the message") is incomplete, so only its
		// header section can be trusted.
		if b != nil && b.Original != nil && !b.HeadersOnly && strings.HasPrefix(b.OriginalType, "text/") {
			b.Original, b.HeadersOnly = headerSection(b.Original), true
		}
		if n, ok := err.(*Notice); ok && n.Original != nil && !n.HeadersOnly {
			n.Original, n.HeadersOnly = headerSection(n.Original), true
		}
	}
	return b, err
}

// streamable reports whether an input that starts with head is a message
// prune can stream: a header section, in UTF-8 (not UTF-16, which is
// converted whole), and not an Outlook .msg file.
func streamable(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) ||
		bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return false
	}
	return looksLikeMessage(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}))
}

// readUpTo reads at most n bytes of r; it stops early only at EOF.
func readUpTo(r io.Reader, n int) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(io.LimitReader(r, int64(n)))
	return buf.Bytes(), err
}

// headerSection returns the header section of a message (up to and
// including the blank line that ends it).
func headerSection(msg []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(msg, sep); i >= 0 {
			return msg[:i+len(sep)]
		}
	}
	return msg
}

// pruner copies a MIME message from a stream, keeping each entity's header
// section and, of its body, what a bounce can be made of (see keepBody),
// bounded; the bodies of other parts are read past. Multipart structure is
// followed by the delimiter lines of every open boundary, as
// mime/multipart does, so that a part that never ends (a missing close
// delimiter) ends with its parent.
type pruner struct {
	br    *bufio.Reader
	limit int64
	read  int64
	out   bytes.Buffer
	err   error
	// pending is a line read but not yet used: the delimiter that ended a
	// part, for the multipart that owns it.
	pending  []byte
	pendCont bool
	midLine  bool     // the last line read was a piece of a longer line
	bounds   []string // the boundaries of the open multiparts, outermost first
	cutText  bool     // a kept text part was cut at its bound
}

func newPruner(r io.Reader, limit int64) *pruner {
	return &pruner{br: bufio.NewReaderSize(r, 64<<10), limit: limit}
}

func (p *pruner) run() ([]byte, error) {
	p.entity(0, entityCtx{top: true})
	if p.err != nil && p.err != io.EOF {
		return nil, p.err
	}
	return p.out.Bytes(), nil
}

// next returns the next line with its line end. A line longer than the
// reader's buffer comes in pieces; cont is true for the pieces after the
// first, which cannot be delimiters or header lines.
func (p *pruner) next() (line []byte, cont bool, ok bool) {
	if p.pending != nil {
		line, cont = p.pending, p.pendCont
		p.pending = nil
		return line, cont, true
	}
	if p.err != nil {
		return nil, false, false
	}
	cont = p.midLine
	line, err := p.br.ReadSlice('\n')
	p.midLine = err == bufio.ErrBufferFull
	if err != nil && err != bufio.ErrBufferFull {
		p.err = err
	}
	p.read += int64(len(line))
	if p.read > p.limit {
		p.err = fmt.Errorf("%w (more than %d MiB)", ErrTooLarge, p.limit>>20)
		return nil, false, false
	}
	if len(line) == 0 {
		return nil, false, false
	}
	return line, cont, true
}

// unread gives a line back, for the caller up the tree.
func (p *pruner) unread(line []byte, cont bool) {
	p.pending, p.pendCont = append([]byte(nil), line...), cont
}

// delimiter reports whether line is a delimiter of an open boundary: the
// index of that boundary in bounds and whether it is a close delimiter.
// As mime/multipart: "--" boundary, then optionally "--", then only
// linear white space to the end of the line.
func (p *pruner) delimiter(line []byte, cont bool) (int, bool, bool) {
	if cont || len(p.bounds) == 0 || !bytes.HasPrefix(line, []byte("--")) {
		return 0, false, false
	}
	for i := len(p.bounds) - 1; i >= 0; i-- {
		rest, ok := bytes.CutPrefix(line[2:], []byte(p.bounds[i]))
		if !ok {
			continue
		}
		closing := bytes.HasPrefix(rest, []byte("--"))
		if closing {
			rest = rest[2:]
		}
		if len(bytes.Trim(rest, " \t\r\n")) == 0 {
			return i, closing, true
		}
	}
	return 0, false, false
}

// entityCtx is what an entity inherits from where it stands.
type entityCtx struct {
	top       bool // the message itself, or a message nested in one
	digest    bool // a part of multipart/digest: message/rfc822 by default
	bounceish bool // the message it belongs to looks like a bounce (see looksBounce)
	depth     int
	text      *int // what is left of the text budget of an ordinary message
}

// entity copies one entity — header section, then body — up to the
// delimiter that ends it (left pending) or the end of input.
func (p *pruner) entity(depth int, c entityCtx) {
	hpos := p.out.Len()
	var hdr bytes.Buffer
	for {
		line, cont, ok := p.next()
		if !ok {
			break
		}
		if _, _, d := p.delimiter(line, cont); d {
			p.unread(line, cont) // a part without a body
			break
		}
		if hdr.Len() < maxHeaderSection {
			hdr.Write(line)
		}
		if !cont && len(bytes.TrimRight(line, "\r\n")) == 0 {
			break // the blank line that ends the header section
		}
	}
	p.out.Write(hdr.Bytes())
	fields := parseFields(string(hdr.Bytes()))
	ct, cte := fieldValue(fields, "Content-Type"), fieldValue(fields, "Content-Transfer-Encoding")
	if ct == "" && c.digest {
		ct = "message/rfc822"
	}
	mt, params := mediaType(ct)
	if c.top {
		c.bounceish = looksBounce(fields, mt)
		if !c.bounceish {
			budget := maxOrdinaryTotal
			c.text = &budget
		}
	}
	c.top, c.digest = false, false
	if depth > maxDepth {
		p.skip()
		return
	}
	switch {
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		p.multipart(params["boundary"], mt == "multipart/digest", depth, c)
	case mt == "message/rfc822" || mt == "message/global" || mt == "message/partial":
		p.message(hpos, hdr.Bytes(), cte, depth, c)
	default:
		bound := p.bodyBound(mt, c)
		if p.keep(bound) && bound > 0 {
			p.cutText = true
		}
	}
}

// bodyBound is how much of a body of media type mt prune keeps: 0 for the
// parts a bounce is not made of (walker ignores them).
func (p *pruner) bodyBound(mt string, c entityCtx) int {
	switch mt {
	case "message/delivery-status", "message/global-delivery-status":
		return maxStatusPart
	case "message/feedback-report", "text/rfc822-headers", "message/global-headers", "application/json":
		return maxSmallPart
	case "text/plain", "text/html", "text/enriched", "text", "text/x-aol":
	default:
		if !strings.HasPrefix(mt, "multipart/") {
			return 0
		}
		// A multipart without a boundary is read as text, as walker does.
	}
	if c.bounceish {
		return maxBounceText
	}
	n := min(maxOrdinaryText, *c.text)
	*c.text -= n
	return n
}

// keep copies body lines up to the delimiter that ends the body, keeping at
// most bound bytes of whole lines; cut says whether lines were left out.
func (p *pruner) keep(bound int) (cut bool) {
	kept := 0
	for {
		line, cont, ok := p.next()
		if !ok {
			return cut
		}
		if _, _, d := p.delimiter(line, cont); d {
			p.unread(line, cont)
			return cut
		}
		if cut || kept+len(line) > bound {
			cut = true
			continue
		}
		p.out.Write(line)
		kept += len(line)
	}
}

// skip reads past body lines up to the delimiter that ends the body.
func (p *pruner) skip() { p.keep(0) }

// multipart copies a multipart body: the preamble (bounded), then each
// part, then the close delimiter; the epilogue is read past. A body in
// which the boundary never appears is kept as text up to its bound (walker
// then looks for the boundary actually used, as it does for a small input).
func (p *pruner) multipart(boundary string, digest bool, depth int, c entityCtx) {
	p.bounds = append(p.bounds, boundary)
	own := len(p.bounds) - 1
	defer func() { p.bounds = p.bounds[:own] }()
	// The preamble: to the first delimiter of any open boundary.
	if p.keep(p.bodyBound("text/plain", c)) {
		p.cutText = true
	}
	for {
		line, cont, ok := p.next()
		if !ok {
			return
		}
		i, closing, d := p.delimiter(line, cont)
		if !d || i < own {
			p.unread(line, cont) // an enclosing multipart's delimiter: this one was never closed
			return
		}
		p.out.Write(line)
		if closing {
			p.bounds = p.bounds[:own] // the epilogue belongs to no part of this multipart
			p.skip()
			return
		}
		pc := c
		pc.digest = digest
		p.entity(depth+1, pc)
	}
}

// message copies a message/rfc822 part. In a bounce it is the returned
// message: kept whole up to maxReturned, past that as its header section
// (the part becomes text/rfc822-headers, which says only the headers came
// back). Elsewhere it may be a forwarded bounce: it is pruned as a message
// of its own.
func (p *pruner) message(hpos int, hdr []byte, cte string, depth int, c entityCtx) {
	encoded := !isIdentityCTE(cte)
	if !c.bounceish && !encoded {
		nc := entityCtx{top: true}
		p.entity(depth+1, nc)
		return
	}
	bound := maxReturned
	if !c.bounceish {
		bound = maxSmallPart // an encoded forward: kept if small
	}
	bpos := p.out.Len()
	if !p.keep(bound) {
		return
	}
	// Over the bound: keep the header section only.
	body := append([]byte(nil), p.out.Bytes()[bpos:]...)
	p.out.Truncate(hpos)
	if encoded {
		p.out.Write(withContentType(hdr, "text/plain"))
		return
	}
	p.out.Write(withContentType(hdr, "text/rfc822-headers"))
	p.out.Write(headerSection(body))
}

func isIdentityCTE(cte string) bool {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
		return true
	}
	return false
}

// withContentType rewrites a part's header section with Content-Type mt
// and no Content-Transfer-Encoding.
func withContentType(hdr []byte, mt string) []byte {
	var out bytes.Buffer
	out.WriteString("Content-Type: " + mt + "\r\n")
	drop := false
	for _, line := range bytes.SplitAfter(hdr, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !drop {
				out.Write(line)
			}
			continue
		}
		name, _, _ := bytes.Cut(line, []byte(":"))
		n := strings.ToLower(strings.TrimSpace(string(name)))
		drop = n == "content-type" || n == "content-transfer-encoding"
		if !drop {
			out.Write(line)
		}
	}
	return out.Bytes()
}

// looksBounce reports whether a message's header section says it may be a
// bounce or a notice: the signs parseMessage itself looks for first (a
// mailer daemon's From, a null Return-Path, X-Failed-Recipients, a
// multipart/report, a bounce's Subject, an automatic reply's headers). A
// message without them keeps less text (maxOrdinaryText): its report, if it
// carries one (a bounce pasted into a forward), stands at its start.
func looksBounce(fields []field, mt string) bool {
	subject := decodeHeader(fieldValue(fields, "Subject"))
	switch {
	case mt == "multipart/report",
		bounceFromRE.MatchString(fieldValue(fields, "From")),
		strings.TrimSpace(fieldValue(fields, "Return-Path")) == "<>",
		fieldValue(fields, "X-Failed-Recipients") != "",
		fieldValue(fields, "Auto-Submitted") != "",
		bounceSubjectRE.MatchString(subject), autoReplySubjectRE.MatchString(subject):
		return true
	}
	return false
}

func fieldValue(fs []field, name string) string { return get(fs, name) }
