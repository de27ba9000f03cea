package check

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadAtMost: the chunked reader keeps every byte in order across chunk
// boundaries, and refuses (keeping nothing) one byte over the limit.
func TestReadAtMost(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, spoolChunk - 1, spoolChunk, spoolChunk + 1, 3*spoolChunk + 17} {
		want := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
		// iotest-like: one byte short reads mixed in.
		got, ok, err := ReadAtMost(io.MultiReader(bytes.NewReader(want[:n/2]), bytes.NewReader(want[n/2:])), int64(n))
		if err != nil || !ok || !bytes.Equal(got, want) {
			t.Errorf("n=%d: ok %v, err %v, equal %v", n, ok, err, bytes.Equal(got, want))
		}
		if _, ok, _ := ReadAtMost(bytes.NewReader(append(want, 'x')), int64(n)); ok {
			t.Errorf("n=%d: one byte over the limit accepted", n)
		}
	}
	var s Spool
	s.Write([]byte("ab"))
	s.Write(bytes.Repeat([]byte("c"), spoolChunk))
	if s.Len() != spoolChunk+2 || string(s.Bytes()[:3]) != "abc" {
		t.Errorf("Spool.Write: %d", s.Len())
	}
}

// TestReadMessageLimits: a message from a stream is refused past
// MaxMessage, matching ErrTooLarge and ErrNotMessage; a file over it is
// refused from its size.
func TestReadMessageLimits(t *testing.T) {
	t.Parallel()
	head := "From: news@brand.example\r\nSubject: x\r\n\r\n"
	body := io.LimitReader(neverEnding('x'), MaxMessage-int64(len(head))+1)
	_, err := ReadMessage(io.MultiReader(strings.NewReader(head), body), "-")
	if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrNotMessage) || err.Error() != "-: the message is larger than 100 MiB, the limit of a message" {
		t.Errorf("stream over the limit: %v", err)
	}
	p := filepath.Join(t.TempDir(), "big.eml")
	if err := os.WriteFile(p, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, MaxMessage+1); err != nil {
		t.Skip(err)
	}
	if _, err := ReadMessageFile(p); !errors.Is(err, ErrTooLarge) {
		t.Errorf("file over the limit: %v", err)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestReadMessageFIFO: a message file that is a FIFO is read once, whole,
// like stdin: its body must not be read again from the FIFO (a second
// open would wait for a writer that never comes).
func TestReadMessageFIFO(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "fifo.eml")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	data, err := os.ReadFile(demoDir + "esp-defaults.eml")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	m, err := ReadMessageFile(p)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := m.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, data) || m.Size != int64(len(data)) {
		t.Errorf("FIFO message: %d bytes, want %d", len(got), len(data))
	}
}
