package bounce

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func readMbox(t *testing.T, data string) []string {
	t.Helper()
	mb := NewMbox(strings.NewReader(data))
	var out []string
	for {
		r, err := mb.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
}

func TestMbox(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{name: "mboxrd", in: "From MAILER-DAEMON Thu Jan 15 12:00:07 2026\nSubject: a\n\n>From here\n>>From there\n> From not quoted\n\nFrom MAILER-DAEMON Thu Jan 15 12:00:08 2026\nSubject: b\n\nbody\n\n",
			want: []string{"Subject: a\n\nFrom here\n>From there\n> From not quoted\n", "Subject: b\n\nbody\n\n"}},
		{name: "no blank line before From_", in: "From a@b  Thu Jul  2 12:05:05 2020\r\nSubject: a\r\n\r\nx\r\nFrom c@d  Thu Jul  2 12:05:05 2020\r\nSubject: b\r\n\r\ny\r\n",
			want: []string{"Subject: a\r\n\r\nx\r\n", "Subject: b\r\n\r\ny\r\n"}},
		{name: "ISO date", in: "From () 2019-10-02 05:04:34 +0000\nSubject: a\n\nx\n",
			want: []string{"Subject: a\n\nx\n"}},
		{name: "body From without a date is content", in: "From - Mon Jan  1 00:00:00 2024\nSubject: a\n\nFrom the desk of the CEO\n",
			want: []string{"Subject: a\n\nFrom the desk of the CEO\n"}},
		{name: "blank lines kept", in: "From x Mon Jan  1 00:00:00 2024\nSubject: a\n\n\n\nx\n\n\nFrom y Mon Jan  1 00:00:00 2024\n\n",
			want: []string{"Subject: a\n\n\n\nx\n\n", "\n"}},
		{name: "empty", in: "", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readMbox(t, tc.in)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestMboxLongLines: lines longer than the reader's buffer pass through
// whole, and a quoted From_ after one is still unquoted.
func TestMboxLongLines(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 200<<10)
	in := "From a Mon Jan  1 00:00:00 2024\nSubject: a\n\n" + long + "\n>From b\n" + long + "From c Mon Jan  1 00:00:00 2024\n"
	got := readMbox(t, in)
	if len(got) != 1 || got[0] != "Subject: a\n\n"+long+"\nFrom b\n"+long+"From c Mon Jan  1 00:00:00 2024\n" {
		t.Errorf("got %d messages, first %d bytes", len(got), len(got[0]))
	}
}

// TestMboxPartialRead: a message the caller stops reading early is read
// past by the next Next.
func TestMboxPartialRead(t *testing.T) {
	t.Parallel()
	mb := NewMbox(strings.NewReader("From a Mon Jan  1 00:00:00 2024\nSubject: a\n\n" + strings.Repeat("line\n", 100000) + "From b Mon Jan  1 00:00:00 2024\nSubject: b\n"))
	r, _ := mb.Next()
	buf := make([]byte, 10)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	r, err := mb.Next()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); string(b) != "Subject: b\n" {
		t.Errorf("second message %q", b)
	}
	if _, err := mb.Next(); err != io.EOF {
		t.Errorf("after the last: %v", err)
	}
}

func TestIsMbox(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"From MAILER-DAEMON  Thu Apr 29 23:34:45 2015\n": true,
		"\xef\xbb\xbfFrom x Mon Jan 1 00:00:00 2024\n":   true,
		"From: a@b\n":                 false,
		"From the desk of the CEO\n":  false,
		"Return-Path: <>\nFrom x Mon": false,
	} {
		if got := IsMbox([]byte(in)); got != want {
			t.Errorf("IsMbox(%q) = %v", in, got)
		}
	}
}

// TestMboxBounces: the messages of an mbox parse as the bounces they are.
func TestMboxBounces(t *testing.T) {
	t.Parallel()
	in := "From MAILER-DAEMON Thu Jan 15 12:00:07 2026\n" + dsnHead + base64Line + dsnTail + "\n" +
		"From MAILER-DAEMON Thu Jan 15 12:00:08 2026\nFrom: news@brand.example\nSubject: hello\n\n>From the team\n"
	mb := NewMbox(strings.NewReader(in))
	r, _ := mb.Next()
	b, err := Parse(r)
	if err != nil || len(b.Recipients) != 1 || !bytes.Contains(b.Original, []byte("Winter sale")) {
		t.Fatalf("first: %v %+v", err, b)
	}
	r, _ = mb.Next()
	if _, err := Parse(r); !errors.Is(err, ErrNotBounce) {
		t.Errorf("second: %v", err)
	}
}
