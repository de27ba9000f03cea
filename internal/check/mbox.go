package check

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
)

// An mbox (RFC 4155) holds several messages in one file, each after a
// "From " separator line. Read as one message, its first message's body
// runs on through all the others, and every DKIM body hash "fails": so
// check finds mboxes among its inputs and checks each message on its own.

// mboxFrom is an mbox separator line: "From " then the envelope sender
// and a date, never a header field ("From:").
var mboxFrom = regexp.MustCompile(`^From [^\s:]*(\s|$)`)

// IsMbox reports whether data starts as an mbox does: with a "From "
// separator line.
func IsMbox(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return mboxFrom.Match(line)
}

// SplitMbox splits an mbox into its messages. A message starts after a
// "From " line that opens the file or follows an empty line; the empty
// line before a separator belongs to the mbox, not to the message, and
// the mboxrd quoting of body lines (">From " for "From ", ">>From " for
// ">From ") is undone one level.
func SplitMbox(data []byte) [][]byte {
	var msgs [][]byte
	var cur *bytes.Buffer
	prevEmpty := true
	for len(data) > 0 {
		line, rest, found := bytes.Cut(data, []byte("\n"))
		if found {
			line = data[:len(line)+1]
		}
		data = rest
		text := bytes.TrimRight(line, "\r\n")
		if prevEmpty && mboxFrom.Match(text) {
			if cur != nil {
				msgs = append(msgs, trimSeparatorGap(cur.Bytes()))
			}
			cur = &bytes.Buffer{}
			prevEmpty = false
			continue
		}
		prevEmpty = len(text) == 0
		if cur == nil {
			continue // text before the first separator: not a message
		}
		if q := bytes.TrimLeft(text, ">"); len(q) < len(text) && bytes.HasPrefix(q, []byte("From ")) {
			line = line[1:]
		}
		cur.Write(line)
	}
	if cur != nil {
		msgs = append(msgs, cur.Bytes())
	}
	return msgs
}

// trimSeparatorGap drops the one empty line an mbox writes before the
// next separator.
func trimSeparatorGap(m []byte) []byte {
	switch {
	case bytes.HasSuffix(m, []byte("\r\n\r\n")):
		return m[:len(m)-2]
	case bytes.HasSuffix(m, []byte("\n\n")):
		return m[:len(m)-1]
	}
	return m
}

// ExpandMbox reads an input that is an mbox and returns one input per
// message, named "PATH#N" (1-based) when there are several; any other
// input comes back as it is, with a stdin that still yields every byte.
// An mbox is read whole, up to MaxMessage.
func ExpandMbox(in Input) ([]Input, error) {
	var r io.Reader
	switch {
	case in.Data != nil || in.Path == "":
		return []Input{in}, nil
	case in.Path == "-":
		br := bufio.NewReader(in.Stdin)
		in.Stdin = br
		head, _ := br.Peek(64)
		if !IsMbox(head) {
			return []Input{in}, nil
		}
		r = br
	default:
		f, err := os.Open(in.Path)
		if err != nil {
			return []Input{in}, nil // One reports it
		}
		defer f.Close()
		head := make([]byte, 64)
		n, _ := io.ReadFull(f, head)
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || !IsMbox(head[:n]) {
			return []Input{in}, nil
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		r = f
	}
	data, ok, err := ReadAtMost(r, MaxMessage)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	case !ok:
		return nil, fmt.Errorf("%w: %s: an mbox larger than %d MiB; split it, or check a folder of .eml files", ErrNotMessage, in.Path, MaxMessage>>20)
	}
	msgs := SplitMbox(data)
	if len(msgs) == 0 {
		return nil, fmt.Errorf("%w: %s: an mbox with no message after its separator line", ErrNotMessage, in.Path)
	}
	out := make([]Input, len(msgs))
	for i, m := range msgs {
		out[i] = Input{Path: in.Path, Data: m}
		if len(msgs) > 1 {
			out[i].Path = fmt.Sprintf("%s#%d", in.Path, i+1)
		}
	}
	return out, nil
}
