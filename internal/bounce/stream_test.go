package bounce

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// outcome summarises what parsing an input gave, for comparing two ways of
// parsing it: the error's cause, or the notice, or every diagnosis with
// what was returned.
func outcome(b *Bounce, err error) string {
	var n *Notice
	switch {
	case errors.As(err, &n):
		return fmt.Sprintf("notice %s %q %d", n.Kind, n.Summary, len(n.Original))
	case err != nil:
		return "error: " + err.Error()
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s %q %q headers-only=%v original=%d", b.Kind, b.EnvelopeSender, b.Subject, b.HeadersOnly, len(b.Original))
	for _, d := range Diagnose(b).Diagnoses {
		fmt.Fprintf(&s, "\n[%s %s %s %s %s %v]", d.Recipient, d.Code, d.Category, d.Rule, d.ClientIP, d.Delayed)
	}
	return s.String()
}

// streamInputs are the inputs the streaming parser is compared on: our
// own test cases and, when it is there, the real-bounce corpus.
func streamInputs(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, glob := range []string{"testdata/*", "testdata/notbounce/*", filepath.Join(conformanceDir, "emails", "*.eml")} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
				files = append(files, f)
			}
		}
	}
	return files
}

// TestStreamSameOutcome: every input streamed (as an input over 1 MiB is)
// gives what parsing it whole gives, so streaming changes cost, not
// answers.
func TestStreamSameOutcome(t *testing.T) {
	t.Parallel()
	for _, f := range streamInputs(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		whole := outcome(ParseBytes(data))
		streamed := outcome(parseStream(bytes.NewReader(data), 0))
		if whole != streamed {
			t.Errorf("%s:\nwhole:    %s\nstreamed: %s", filepath.Base(f), whole, streamed)
		}
	}
}

// FuzzStream: any input streams without panicking, and a bounce found by
// streaming has recipients, as one found whole does.
func FuzzStream(f *testing.F) {
	f.Add([]byte("From: MAILER-DAEMON@a\nContent-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@qq.com\nAction: failed\nDiagnostic-Code: smtp; 550 SPF check failed [t IP: 192.0.2.1]\n--x\nContent-Type: message/rfc822\n\nFrom: b@c\n\nbody\n--x--\n"))
	f.Add([]byte("From: a@b\nContent-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\ntext\n--o--\n"))
	f.Add([]byte("From: a@b\nSubject: Fwd\nContent-Type: message/rfc822\n\nFrom: MAILER-DAEMON@x\nSubject: Undelivered\n\n<a@qq.com>: host mx3.qq.com[1.2.3.4] said: 550 Mailbox not found.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := parseStream(bytes.NewReader(data), 0)
		if err == nil && len(b.Recipients) == 0 {
			t.Fatalf("streamed bounce without recipients: %q", data)
		}
	})
}

// largeMessage streams a message of about size bytes: header, then a body
// made by part, repeated.
type repeatReader struct {
	head, unit, tail []byte
	n                int // units left
	cur              []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		switch {
		case r.head != nil:
			r.cur, r.head = r.head, nil
		case r.n > 0:
			r.cur = r.unit
			r.n--
		case r.tail != nil:
			r.cur, r.tail = r.tail, nil
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func repeated(head, unit, tail string, size int) *repeatReader {
	return &repeatReader{head: []byte(head), unit: []byte(unit), tail: []byte(tail), n: size / len(unit)}
}

const dsnHead = "From: MAILER-DAEMON@mail.shop.example\r\nTo: bounces@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n" +
	"--B\r\nContent-Type: text/plain\r\n\r\nThe message could not be delivered.\r\n\r\n" +
	"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.shop.example\r\n\r\n" +
	"Final-Recipient: rfc822; li.wei@qq.com\r\nAction: failed\r\nStatus: 5.0.0\r\nRemote-MTA: dns; mx3.qq.com\r\n" +
	"Diagnostic-Code: smtp; 550 DMARC check failed.\r\n\r\n" +
	"--B\r\nContent-Type: message/rfc822\r\n\r\n" +
	"From: news@brand.example\r\nTo: li.wei@qq.com\r\nSubject: Winter sale\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"I\"\r\n\r\n--I\r\nContent-Type: text/plain\r\n\r\nSale!\r\n" +
	"--I\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"

const dsnTail = "--I--\r\n\r\n--B--\r\n"

// base64Line is one line of a base64 attachment.
const base64Line = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k\r\n"

// TestStreamLarge: large inputs are parsed from a stream with memory that
// does not grow with them, and what is cut is said: a returned message over
// the bound comes back as its header section (HeadersOnly), one under it
// whole.
func TestStreamLarge(t *testing.T) {
	for _, tc := range []struct {
		name        string
		r           io.Reader
		size        int
		headersOnly bool
		wantErr     error
		// maxAlloc bounds what parsing allocates in all: what is kept (a
		// returned message up to 16 MiB, copied a few times as it is
		// parsed), never the input.
		maxAlloc uint64
	}{
		{name: "dsn returning 5 MB", r: repeated(dsnHead, base64Line, dsnTail, 5<<20), size: 5 << 20, maxAlloc: 64 << 20},
		{name: "dsn returning 40 MB", r: repeated(dsnHead, base64Line, dsnTail, 40<<20), headersOnly: true, maxAlloc: 128 << 20},
		{name: "plain 50 MB newsletter", r: repeated("From: news@brand.example\r\nTo: a@qq.com\r\nSubject: Our 550 best offers\r\n\r\n",
			"Lorem ipsum dolor sit amet 550 consectetur adipiscing elit, sed do eiusmod tempor\r\n", "", 50<<20), wantErr: ErrNotBounce, maxAlloc: 16 << 20},
		{name: "newsletter with 50 MB attachment", r: repeated("From: news@brand.example\r\nSubject: Report\r\nContent-Type: multipart/mixed; boundary=\"I\"\r\n\r\n"+
			"--I\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--I\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			base64Line, "--I--\r\n", 50<<20), wantErr: ErrNotBounce, maxAlloc: 16 << 20},
		{name: "over the limit", r: repeated(dsnHead, base64Line, dsnTail, MaxInput+1), wantErr: ErrTooLarge, maxAlloc: 128 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b, err := Parse(tc.r)
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > tc.maxAlloc && !raceEnabled {
				t.Errorf("allocated %d MiB, want at most %d MiB", alloc>>20, tc.maxAlloc>>20)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			a := Diagnose(b)
			if len(a.Diagnoses) != 1 || a.Diagnoses[0].Rule != "qq.dmarc" {
				t.Fatalf("diagnoses %+v", a.Diagnoses)
			}
			if b.HeadersOnly != tc.headersOnly {
				t.Errorf("HeadersOnly %v, want %v", b.HeadersOnly, tc.headersOnly)
			}
			switch {
			case tc.headersOnly && (len(b.Original) > 4096 || !bytes.Contains(b.Original, []byte("Subject: Winter sale"))):
				t.Errorf("headers-only original: %d bytes %q…", len(b.Original), b.Original[:min(200, len(b.Original))])
			case !tc.headersOnly && len(b.Original) < tc.size:
				t.Errorf("original %d bytes, want the whole returned message", len(b.Original))
			}
		})
	}
}

// TestStreamPlainBounceCut: a plain-text bounce that quotes a returned
// message too large to keep gives that message's header section only.
func TestStreamPlainBounceCut(t *testing.T) {
	t.Parallel()
	head := "From: Mail Delivery System <Mailer-Daemon@mx.shop.example>\r\nTo: bounces@shop.example\r\nSubject: Mail delivery failed: returning message to sender\r\n\r\n" +
		"This message was created automatically by mail delivery software.\r\n\r\nA message that you sent could not be delivered to one or more of its\r\nrecipients. This is a permanent error. The following address(es) failed:\r\n\r\n" +
		"  li.wei@qq.com\r\n    host mx3.qq.com [203.0.113.7]\r\n    SMTP error from remote mail server after end of data:\r\n    550 DMARC check failed.\r\n\r\n" +
		"------ This is a copy of the message, including all the headers. ------\r\n\r\n" +
		"From: news@brand.example\r\nTo: li.wei@qq.com\r\nSubject: Winter sale\r\n\r\n"
	b, err := Parse(repeated(head, "Sale! Sale! Sale! Sale! Sale! Sale! Sale! Sale!\r\n", "", 8<<20))
	if err != nil {
		t.Fatal(err)
	}
	if a := Diagnose(b); len(a.Diagnoses) != 1 || a.Diagnoses[0].Rule != "qq.dmarc" {
		t.Fatalf("diagnoses %+v", a.Diagnoses)
	}
	if !b.HeadersOnly || !bytes.HasSuffix(bytes.TrimRight(b.Original, "\r\n"), []byte("Subject: Winter sale")) {
		t.Errorf("original (headers only %v): %q", b.HeadersOnly, b.Original[:min(300, len(b.Original))])
	}
}
