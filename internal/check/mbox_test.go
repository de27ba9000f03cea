package check

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"preflight/dkim"
)

func TestSplitMbox(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{"one", "From a@b.example Thu Jan 15 12:00:00 2026\nFrom: a@b.example\n\nhi\n",
			[]string{"From: a@b.example\n\nhi\n"}},
		{"two", "From a@b.example Thu Jan 15 12:00:00 2026\nFrom: a@b.example\n\nhi\n\nFrom c@d.example Thu Jan 15 12:01:00 2026\nFrom: c@d.example\n\nyo\n",
			[]string{"From: a@b.example\n\nhi\n", "From: c@d.example\n\nyo\n"}},
		{"crlf", "From a@b.example Thu\r\nFrom: a@b.example\r\n\r\nhi\r\n\r\nFrom c@d.example Thu\r\nFrom: c@d.example\r\n\r\nyo\r\n",
			[]string{"From: a@b.example\r\n\r\nhi\r\n", "From: c@d.example\r\n\r\nyo\r\n"}},
		{"quoted-from-in-body", "From a@b.example Thu\nFrom: a@b.example\n\n>From here on\n>>From there\n",
			[]string{"From: a@b.example\n\nFrom here on\n>From there\n"}},
		{"from-in-body-not-after-blank", "From a@b.example Thu\nFrom: a@b.example\n\nline\nFrom the start\n",
			[]string{"From: a@b.example\n\nline\nFrom the start\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range SplitMbox([]byte(tc.in)) {
				got = append(got, string(m))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
	if IsMbox([]byte("From: a@b.example\n")) || !IsMbox([]byte("From a@b.example Thu\n")) {
		t.Error("IsMbox confuses a From: header and a separator")
	}
}

// TestMboxMessagesVerify: each message of an mbox is checked on its own,
// so its DKIM signature verifies (read as one message, the first body
// runs on through the second and its body hash fails).
func TestMboxMessagesVerify(t *testing.T) {
	t.Parallel()
	const path = "../cli/testdata/mbox/two.mbox"
	ins, err := ExpandMbox(Input{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 || ins[0].Path != path+"#1" || ins[1].Path != path+"#2" {
		t.Fatalf("inputs %+v", ins)
	}
	cfg := config(t, demoZone(t), "qq")
	for _, in := range ins {
		r := One(context.Background(), cfg, in, Plan{})
		if r.Err != nil || len(r.DKIM) == 0 {
			t.Fatalf("%s: %v, %d signatures", in.Path, r.Err, len(r.DKIM))
		}
		for _, s := range r.DKIM {
			if s.DKIM.Result != dkim.StatusPass {
				t.Errorf("%s: DKIM %s: %s", in.Path, s.DKIM.Result, s.DKIM.Reason)
			}
		}
	}
	// From stdin too.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ins, err = ExpandMbox(Input{Path: "-", Stdin: bytes.NewReader(data)})
	if err != nil || len(ins) != 2 || ins[1].Path != "-#2" {
		t.Fatalf("stdin: %v %+v", err, ins)
	}
	// A message that is not an mbox keeps every byte of its stdin.
	msg := "From: a@b.example\n\nhi\n"
	ins, err = ExpandMbox(Input{Path: "-", Stdin: strings.NewReader(msg)})
	if err != nil || len(ins) != 1 {
		t.Fatalf("%v %+v", err, ins)
	}
	if m, err := ReadMessage(ins[0].Stdin, "-"); err != nil || m.Size != int64(len(msg)) {
		t.Errorf("the message after the peek: %v", err)
	}
}
