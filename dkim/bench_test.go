package dkim

import (
	"context"
	"crypto/sha256"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	msgauth "github.com/emersion/go-msgauth/dkim"
)

// bodyReader streams a message of the given body size without holding it:
// the header, then the same 76-byte line over and over.
type bodyReader struct {
	head []byte
	line []byte
	left int64 // body bytes still to produce
	off  int   // offset in the current line
}

func newBodyReader(head string, size int64) *bodyReader {
	return &bodyReader{head: []byte(head), line: []byte(strings.Repeat("lorem ipsum ", 6) + "dolor sit amet\r\n")[:76], left: size}
}

func (r *bodyReader) Read(p []byte) (int, error) {
	n := 0
	if len(r.head) > 0 {
		n = copy(p, r.head)
		r.head = r.head[n:]
	}
	for n < len(p) && r.left > 0 {
		k := copy(p[n:], r.line[r.off:])
		if int64(k) > r.left {
			k = int(r.left)
		}
		n += k
		r.left -= int64(k)
		r.off = (r.off + k) % len(r.line)
	}
	if n == 0 && r.left == 0 {
		return 0, io.EOF
	}
	return n, nil
}

const benchHead = "From: Brand <news@brand.example>\r\nTo: r@qq.example\r\nSubject: big\r\nDate: Fri, 27 Nov 2026 08:00:00 +0000\r\nMessage-ID: <big@brand.example>\r\n\r\n"

// peakHeap samples the heap while f runs and returns the highest number of
// bytes in heap objects (live and not yet swept). runtime/metrics does not
// stop the world, unlike runtime.ReadMemStats.
func peakHeap(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s := make([]metrics.Sample, 1)
		copy(s, sample)
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	<-finished
	return peak.Load()
}

func benchVerify(b *testing.B, size int64) {
	testKeys(b)
	signer, err := msgauth.NewSigner(&msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048,
		HeaderCanonicalization: msgauth.CanonicalizationRelaxed, BodyCanonicalization: msgauth.CanonicalizationRelaxed,
		HeaderKeys: []string{"From", "From", "To", "Subject", "Date", "Message-ID"}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(signer, newBodyReader(benchHead, size)); err != nil {
		b.Fatal(err)
	}
	if err := signer.Close(); err != nil {
		b.Fatal(err)
	}
	sigField := signer.Signature()
	v := Verifier{Resolver: zoneOf(b, map[string]string{"s1._domainkey.brand.example": keyRecord(b, &rsa2048.PublicKey, "")})}
	runtime.GC()
	b.SetBytes(size)
	b.ResetTimer()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
			rep, err := v.Verify(context.Background(), io.MultiReader(strings.NewReader(sigField), newBodyReader(benchHead, size)))
			if err != nil {
				b.Fatal(err)
			}
			if rep.Signatures[0].Result != StatusPass {
				b.Fatalf("not a pass: %s", rep.Signatures[0].Reason)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkVerify5MB, 50MB and 200MB show that memory does not grow with the
// body: compare their peak-heap-MiB (about 4 MiB each).
func BenchmarkVerify5MB(b *testing.B)   { benchVerify(b, 5<<20) }
func BenchmarkVerify50MB(b *testing.B)  { benchVerify(b, 50<<20) }
func BenchmarkVerify200MB(b *testing.B) { benchVerify(b, 200<<20) }

// BenchmarkGoMsgauthOnly50MB is go-msgauth's verification alone, without
// preflight's own analysis pass.
func BenchmarkGoMsgauthOnly50MB(b *testing.B) {
	const size = 50 << 20
	testKeys(b)
	signer, _ := msgauth.NewSigner(&msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048,
		HeaderCanonicalization: msgauth.CanonicalizationRelaxed, BodyCanonicalization: msgauth.CanonicalizationRelaxed})
	io.Copy(signer, newBodyReader(benchHead, size))
	signer.Close()
	rec := keyRecord(b, &rsa2048.PublicKey, "")
	b.SetBytes(size)
	for b.Loop() {
		vs, err := msgauth.VerifyWithOptions(io.MultiReader(strings.NewReader(signer.Signature()), newBodyReader(benchHead, size)),
			&msgauth.VerifyOptions{LookupTXT: func(string) ([]string, error) { return []string{rec}, nil }})
		if err != nil || vs[0].Err != nil {
			b.Fatal(err, vs[0].Err)
		}
	}
}

// BenchmarkSHA256Raw50MB is the floor: hashing the same bytes once, raw.
func BenchmarkSHA256Raw50MB(b *testing.B) {
	const size = 50 << 20
	b.SetBytes(size)
	buf := make([]byte, 64<<10)
	for b.Loop() {
		h := sha256.New()
		if _, err := io.CopyBuffer(h, newBodyReader(benchHead, size), buf); err != nil {
			b.Fatal(err)
		}
		h.Sum(nil)
	}
}

// BenchmarkBodyCanonRelaxed50MB measures our own canonicalization pass.
func BenchmarkBodyCanonRelaxed50MB(b *testing.B) {
	const size = 50 << 20
	b.SetBytes(size)
	buf := make([]byte, 64<<10)
	for b.Loop() {
		h := sha256.New()
		bc := newBodyCanon(Relaxed, h)
		if _, err := io.CopyBuffer(bc, newBodyReader("", size), buf); err != nil {
			b.Fatal(err)
		}
		bc.Close()
	}
}
