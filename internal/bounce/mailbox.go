package bounce

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
)

// An mbox file (RFC 4155) is messages one after another, each starting
// with a "From_" line: "From ", the envelope sender, and the time it was
// written ("From MAILER-DAEMON Thu Jan 15 12:00:07 2026"). A line of a
// message that starts with "From " is written ">From " so it cannot be
// taken for a separator. mboxo quotes only "From " lines; mboxrd also
// quotes lines that are already quoted (">From " becomes ">>From "), so
// that reading removes exactly one ">" from every line matching ">+From ".
// Mbox reads the mboxrd way: for an mboxo file it differs only on a line
// that was ">From " before it was written, which is rare and harmless.
//
// Writers do not agree on the blank line before a From_ line (mboxrd writes
// one, some tools do not), so a From_ line is recognised by its own shape
// — "From " and a sender, then a date (an asctime weekday or an ISO date) —
// wherever it stands, and the blank line before it, if any, is the
// separator's, not the message's.

// fromLineRE is a From_ line.
var fromLineRE = regexp.MustCompile(`^From \S*[ \t]+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|[0-9]{4}-[0-9]{2}-[0-9]{2})`)

// IsMbox reports whether data, the start of a file, is an mbox: its first
// line is a From_ line.
func IsMbox(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return fromLineRE.Match(line)
}

// Mbox reads the messages of an mbox file one at a time, so that a mailbox
// of any size is read with the memory of its largest message at most (and
// with Parse, which streams, less). Next returns each message without its
// From_ line, unquoted.
type Mbox struct {
	br      *bufio.Reader
	cur     *mboxMessage
	started bool
	err     error
}

// NewMbox returns a reader of the mbox file r.
func NewMbox(r io.Reader) *Mbox { return &Mbox{br: bufio.NewReaderSize(r, 64<<10)} }

// Next returns the next message, readable until the following call of
// Next (which reads past what the caller left unread), or io.EOF after the
// last one. Text before the first From_ line is skipped. A read error of
// the underlying reader is returned by the message's Read and then by
// Next.
func (m *Mbox) Next() (io.Reader, error) {
	if m.cur != nil {
		_, _ = io.Copy(io.Discard, m.cur)
		m.cur = nil
	}
	if m.err != nil {
		return nil, m.err
	}
	if !m.started {
		m.started = true
		// Skip to the first From_ line (an mbox starts with one; a
		// byte-order mark or a stray blank line before it is tolerated).
		for {
			line, err := m.peekLine()
			if err != nil {
				m.err = err
				return nil, err
			}
			if fromLineRE.Match(bytes.TrimPrefix(line, []byte{0xEF, 0xBB, 0xBF})) {
				break
			}
			m.discardLine()
		}
	}
	// At a From_ line (or the end).
	if _, err := m.peekLine(); err != nil {
		m.err = err
		return nil, err
	}
	m.discardLine()
	m.cur = &mboxMessage{m: m, bol: true}
	return m.cur, nil
}

// peekLine returns the start of the next line (up to the reader's buffer)
// without consuming it; io.EOF at the end of input.
func (m *Mbox) peekLine() ([]byte, error) {
	b, err := m.br.Peek(1)
	if len(b) == 0 {
		if err == nil {
			err = io.EOF
		}
		return nil, err
	}
	n := m.br.Buffered()
	buf, _ := m.br.Peek(n)
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		return buf[:i+1], nil
	}
	// A line longer than what is buffered: fill the buffer.
	buf, _ = m.br.Peek(m.br.Size())
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		return buf[:i+1], nil
	}
	return buf, nil
}

// discardLine consumes the next line, however long.
func (m *Mbox) discardLine() {
	for {
		_, err := m.br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return
		}
	}
}

// mboxMessage reads one message of an mbox: its lines up to the next From_
// line, with one ">" removed from each ">+From " line. A blank line just
// before a From_ line is held back until the next line shows whether it
// is the separator.
type mboxMessage struct {
	m       *Mbox
	buf     []byte // unquoted bytes ready to be read
	bol     bool   // the next byte read starts a line
	blank   []byte // a blank line held back
	scratch []byte // buf's storage, reused once buf is read
	done    bool
}

func (r *mboxMessage) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		r.fill()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// fill reads the next line (or piece of a long line) into buf.
func (r *mboxMessage) fill() {
	m := r.m
	if r.bol {
		line, err := m.peekLine()
		if err != nil {
			if err != io.EOF {
				m.err = err
			}
			r.done, r.buf = true, r.blank // a final blank line is the message's
			return
		}
		if fromLineRE.Match(line) {
			r.done = true // the next message; a blank line before it is the separator
			return
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 && line[len(line)-1] == '\n' {
			held := r.blank
			r.blank = append([]byte(nil), line...)
			m.discardLine()
			r.buf = held
			return
		}
	}
	chunk, err := m.br.ReadSlice('\n')
	if r.bol && quotedFrom(chunk) {
		chunk = chunk[1:]
	}
	r.scratch = append(append(r.scratch[:0], r.blank...), chunk...)
	r.buf, r.blank = r.scratch, nil
	r.bol = err != bufio.ErrBufferFull
	if err != nil && err != bufio.ErrBufferFull {
		if err != io.EOF {
			m.err = err
		}
		r.done = true
	}
}

// quotedFrom reports whether line is a quoted From_ line: ">From ",
// ">>From ", ….
func quotedFrom(line []byte) bool {
	rest := bytes.TrimLeft(line, ">")
	return len(rest) < len(line) && bytes.HasPrefix(rest, []byte("From "))
}
