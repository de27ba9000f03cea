package dkim

import (
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"sync"
)

// The streaming plumbing of Verify: the guard that shields go-msgauth, the
// fan-out of the body to our canonicalizers, and the goroutine hand-off.

// maxBlankRun is the longest run of CR, LF, SP and TAB bytes go-msgauth is
// given. go-msgauth buffers such runs whole, and its simple body
// canonicalizer copies the buffer on every write: a body of megabytes of
// empty lines takes quadratic time and linear memory. Past this length
// go-msgauth sees the end of the body and our own analysis decides alone.
const maxBlankRun = 1 << 20

// blankRunGuard ends the stream (io.EOF) once a run of blank bytes exceeds
// max. Ending it, rather than failing, lets go-msgauth finish normally.
type blankRunGuard struct {
	r       io.Reader
	run     int64
	max     int64
	tripped bool
}

func (g *blankRunGuard) Read(p []byte) (int, error) {
	if g.tripped {
		return 0, io.EOF
	}
	n, err := g.r.Read(p)
	i := n - 1
	for i >= 0 && (p[i] == '\r' || p[i] == '\n' || p[i] == ' ' || p[i] == '\t') {
		i--
	}
	if i < 0 {
		g.run += int64(n)
	} else {
		g.run = int64(n - 1 - i)
	}
	if g.run > g.max {
		g.tripped = true
		return n, io.EOF
	}
	return n, err
}

// bodyFan canonicalizes the body once per canonicalization and feeds the
// result to every hash that needs it.
type bodyFan struct {
	canons map[Canonicalization]*bodyCanon
	outs   map[Canonicalization]*multiHash
	hashes map[string]*limitHash
	raw    int64
}

type multiHash struct{ ws []*limitHash }

func (m *multiHash) Write(p []byte) (int, error) {
	for _, w := range m.ws {
		w.Write(p)
	}
	return len(p), nil
}

func (f *bodyFan) hashFor(s *Signature) *limitHash {
	var newHash func() hash.Hash
	switch s.HashAlgorithm {
	case "sha256":
		newHash = sha256.New
	case "sha1":
		newHash = sha1.New
	default:
		return nil
	}
	if !validCanon(s.BodyCanon) {
		return nil
	}
	key := fmt.Sprintf("%s/%s/%d", s.BodyCanon, s.HashAlgorithm, s.BodyLength)
	if h := f.hashes[key]; h != nil {
		return h
	}
	h := &limitHash{h: newHash(), limit: s.BodyLength, newH: newHash}
	if s.BodyLength < 0 {
		h.ring = &prefixRing{last: -1}
	}
	f.hashes[key] = h
	out := f.outs[s.BodyCanon]
	if out == nil {
		out = &multiHash{}
		f.outs[s.BodyCanon] = out
		f.canons[s.BodyCanon] = newBodyCanon(s.BodyCanon, out)
	}
	out.ws = append(out.ws, h)
	return h
}

func (f *bodyFan) Write(p []byte) (int, error) {
	f.raw += int64(len(p))
	for _, c := range f.canons {
		c.Write(p)
	}
	return len(p), nil
}

func (f *bodyFan) Close() {
	for _, c := range f.canons {
		c.Close()
	}
}

// asyncWriter hands copies of what is written to w in another goroutine.
// Memory is bounded: at most cap(ch)+2 chunks exist at a time.
type asyncWriter struct {
	once sync.Once
	ch   chan []byte
	free chan []byte
	done chan struct{}
}

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{ch: make(chan []byte, 4), free: make(chan []byte, 6), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		for b := range a.ch {
			w.Write(b)
			select {
			case a.free <- b[:0]:
			default:
			}
		}
	}()
	return a
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	var b []byte
	select {
	case b = <-a.free:
	default:
	}
	b = append(b[:0], p...)
	a.ch <- b
	return len(p), nil
}

// Close waits until everything written has been processed.
func (a *asyncWriter) Close() {
	a.once.Do(func() { close(a.ch) })
	<-a.done
}
