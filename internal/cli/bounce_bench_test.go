package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"preflight/internal/testutil"
)

// The bounce mailbox benchmarks: how fast a large bounce mailbox is
// triaged, in how much memory, and what a large message that is not a
// bounce costs. The README's figures come from here:
//
//	go test ./internal/cli -run XXX -bench 'BounceMailbox|BounceNonBounce' -benchtime 3x
//
// bounces/s is bounce messages per second through the whole command (parse,
// classify, shared re-check against the demo zone, output); peak-MiB is the
// largest heap in use during a run, sampled every millisecond.

// mailboxBounces are the bounce messages of the triage fixture: the
// campaign's DSNs and our other bounce cases.
func mailboxBounces(b *testing.B) [][]byte {
	b.Helper()
	msgs := fixtureMessages(b)
	var out [][]byte
	for _, i := range []int{0, 1, 2, 3, 4, 6, 7, 8, 10} {
		out = append(out, msgs[i])
	}
	return out
}

// writeMailbox writes an mbox of n bounces, cycling through msgs, each
// message's recipient made distinct so that nothing is shared by accident
// but what the re-check shares on purpose.
func writeMailbox(b *testing.B, n int, msgs [][]byte) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bounces.mbox")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		m := msgs[i%len(msgs)]
		m = []byte(strings.ReplaceAll(string(m), "li.wei@qq.com", fmt.Sprintf("li.wei.%d@qq.com", i)))
		if _, err := w.Write(mboxrd([][]byte{m})); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkBounceMailbox10000(b *testing.B) {
	const n = 10000
	path := writeMailbox(b, n, mailboxBounces(b))
	st, _ := os.Stat(path)
	for _, tc := range []struct {
		name, format string
		extra        []string
	}{
		{"text", "text", nil},
		{"json", "json", nil},
		{"text-jobs1", "text", []string{"--jobs", "1"}}, // one core
	} {
		format := tc.format
		b.Run(tc.name, func(b *testing.B) {
			var peak uint64
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				peak = max(peak, testutil.PeakHeap(func() {
					var errb strings.Builder
					args := append([]string{"bounce", "--format", format, "--zone", demoDir + "demo.zone", "--now", "2026-12-01T00:00:00Z", path}, tc.extra...)
					code := Run(context.Background(), args, strings.NewReader(""), io.Discard, &errb)
					if code != 0 {
						b.Fatalf("exit %d: %s", code, errb.String())
					}
				}))
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "bounces/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(float64(st.Size())/(1<<20), "mbox-MiB")
		})
	}
}

// BenchmarkBounceNonBounce50MB: `preflight bounce` on a 50 MB ordinary
// message (issue 11 measured 16 s and 242 MB before streaming): a text body,
// and a short text with a 50 MB attachment.
func BenchmarkBounceNonBounce50MB(b *testing.B) {
	for _, tc := range []struct{ name, head, line, tail string }{
		{"text", "From: Brand News <news@brand.example>\r\nTo: reader@qq.com\r\nSubject: Our 550 best offers\r\n\r\n",
			"Lorem ipsum dolor sit amet, 550 consectetur adipiscing elit, sed do eiusmod tempor incididunt\r\n", ""},
		{"attachment", "From: Brand News <news@brand.example>\r\nSubject: Report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"I\"\r\n\r\n" +
			"--I\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--I\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			"JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k\r\n", "--I--\r\n"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "big.eml")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriter(f)
			w.WriteString(tc.head)
			for n := 0; n < 50<<20; n += len(tc.line) {
				w.WriteString(tc.line)
			}
			w.WriteString(tc.tail)
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			runtime.GC()
			var peak uint64
			for b.Loop() {
				peak = max(peak, testutil.PeakHeap(func() {
					var errb strings.Builder
					code := Run(context.Background(), []string{"bounce", "--zone", demoDir + "demo.zone", path}, strings.NewReader(""), io.Discard, &errb)
					if code != ExitUsage || !strings.Contains(errb.String(), "not a bounce") {
						b.Fatalf("exit %d: %s", code, errb.String())
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		})
	}
}
