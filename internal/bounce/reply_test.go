package bounce

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseReply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Reply
	}{
		{
			name: "qq old format",
			in:   "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
			want: Reply{Code: "550", Text: "DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
				URL: "http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16"},
		},
		{
			name: "qq new format, two spaces before IP, folded",
			in:   "550 SPF check failed [MHPq59En==  IP:\n    192.0.2.9]. https://service.mail.qq.com/detail/122/72.",
			want: Reply{Code: "550", Text: "SPF check failed [MHPq59En== IP: 192.0.2.9]. https://service.mail.qq.com/detail/122/72.",
				Token: "MHPq59En==", IPText: "192.0.2.9", URL: "https://service.mail.qq.com/detail/122/72"},
		},
		{
			name: "elided token",
			in:   "550 Suspected bounce attacks [... IP: 2001:db8::25]. https://service.mail.qq.com/detail/122/57.",
			want: Reply{Code: "550", Text: "Suspected bounce attacks [... IP: 2001:db8::25]. https://service.mail.qq.com/detail/122/57.",
				IPText: "2001:db8::25", URL: "https://service.mail.qq.com/detail/122/57"},
		},
		{
			name: "gmail multi-line, flattened",
			in:   "550-5.7.26 Unauthenticated email from a.example is not accepted due to 550-5.7.26 domain's DMARC policy. 550 5.7.26 DMARC initiative. x - gsmtp",
			want: Reply{Code: "550", Enhanced: "5.7.26", Text: "Unauthenticated email from a.example is not accepted due to domain's DMARC policy. DMARC initiative. x - gsmtp"},
		},
		{
			name: "multi-line without enhanced code",
			in:   "550-Mail content denied\r\n550-more text\r\n550 end",
			want: Reply{Code: "550", Text: "Mail content denied more text end"},
		},
		{
			name: "relay quotes",
			in:   "550-'SPF check failed [T IP: 192.0.2.1].' (delivery attempts: 0)",
			want: Reply{Code: "550", Text: "SPF check failed [T IP: 192.0.2.1].", Token: "T", IPText: "192.0.2.1"},
		},
		{
			name: "no code",
			in:   "Host or domain name not found",
			want: Reply{Text: "Host or domain name not found"},
		},
		{
			name: "code only",
			in:   "554",
			want: Reply{Code: "554"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ParseReply(tt.in)
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Reply{}, "Raw", "ClientIP")); diff != "" {
				t.Errorf("ParseReply (-want +got):\n%s", diff)
			}
			if got.IPText != "" && strings.Contains(got.IPText, ".") != got.ClientIP.Is4() {
				t.Errorf("ClientIP %v does not match IPText %q", got.ClientIP, got.IPText)
			}
		})
	}
}

func TestFindReply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                          string
		in                            string
		ok                            bool
		recipient, host, stage, reply string
	}{
		{
			name: "postfix log", ok: true,
			in:        "Jan 1 00:00:00 m postfix/smtp[1]: AB: to=<a@qq.com>, relay=mx3.qq.com[192.0.2.1]:25, dsn=5.0.0, status=bounced (host mx3.qq.com[192.0.2.1] said: 550 DMARC check failed. (in reply to end of DATA command))",
			recipient: "a@qq.com", host: "mx3.qq.com", stage: "end of DATA", reply: "550 DMARC check failed.",
		},
		{
			name: "postfix refused to talk", ok: true,
			in:        "<b@example.net>: host mx.example.net[192.0.2.2] refused to talk to me: 554 5.7.1 Service unavailable; blocked using zen.example",
			recipient: "b@example.net", host: "mx.example.net", reply: "554 5.7.1 Service unavailable; blocked using zen.example",
		},
		{
			name: "exim log, H= before", ok: true,
			in:        "2026-01-01 00:00:00 1abc ** c@qq.com R=dnslookup T=remote_smtp H=mx1.qq.com [192.0.2.3]: SMTP error from remote mail server after RCPT TO:<c@qq.com>: 550 Mailbox not found.",
			recipient: "c@qq.com", host: "mx1.qq.com", stage: "RCPT TO:<c@qq.com>", reply: "550 Mailbox not found.",
		},
		{
			name: "exchange returned", ok: true,
			in:        "d@icloud.com Remote Server at mx01.mail.icloud.com (192.0.2.4) returned '554 5.7.1 Your message was rejected due to x.example's DMARC policy.'",
			recipient: "d@icloud.com", host: "mx01.mail.icloud.com", reply: "554 5.7.1 Your message was rejected due to x.example's DMARC policy.",
		},
		{
			name: "exchange hash form", ok: true,
			in:        "e@example.com #< #5.7.509 smtp;550 5.7.509 Access denied, sending domain [X.EXAMPLE] does not pass DMARC verification> #SMTP#",
			recipient: "e@example.com", reply: "550 5.7.509 Access denied, sending domain [X.EXAMPLE] does not pass DMARC verification",
		},
		{name: "prose", in: "We moved to 500 Main Street and sent 550 letters.", ok: false},
		{name: "success", in: "status=sent (250 2.0.0 Ok: queued as 7F3A21)", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ok := findReply(tt.in)
			if ok != tt.ok {
				t.Fatalf("found = %v, want %v (%+v)", ok, tt.ok, s)
			}
			if !ok {
				return
			}
			got := []string{s.recipient, s.host, s.stage, strings.TrimSpace(s.reply)}
			want := []string{tt.recipient, tt.host, tt.stage, tt.reply}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("recipient, host, stage, reply (-want +got):\n%s", diff)
			}
		})
	}
}

// endless reads as an endless run of 'x'.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	if _, err := Parse(io.LimitReader(endless{}, MaxInput+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse(MaxInput+1 bytes) = %v, want ErrTooLarge", err)
	}
	// Long garbage must finish and be refused, not hang.
	for _, garbage := range [][]byte{
		bytes.Repeat([]byte("550-550-550- [[[ IP: IP: "), 40000),
		bytes.Repeat([]byte("at 550 b "), 50000), // many reply-like candidates in one line
		bytes.Repeat([]byte("  a@b.example\n"), 10000),
	} {
		if _, err := ParseBytes(garbage); err != nil && !errors.Is(err, ErrNotBounce) {
			t.Errorf("garbage: unexpected error kind %v", err)
		}
	}
}

// FuzzParse feeds arbitrary input to the parser and classifier: they must
// never panic, and a parsed bounce always has at least one recipient.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
		"550-5.7.26 a\n550 5.7.26 b",
		"From: a@b\nContent-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@qq.com\nAction: failed\nDiagnostic-Code: smtp; 550 SPF check failed [t IP: 192.0.2.1]\n--x--\n",
		"Final-Recipient: rfc822; x@y\nDiagnostic-Code: smtp;",
		"Jan 1 00:00:00 h postfix/smtp[1]: to=<a@b>, status=bounced (host h[1.2.3.4] said: 550 x (in reply to RCPT TO command))",
		"From: a\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: message/rfc822\n\nFrom: c\n",
		`{"bounce":{"bouncedRecipients":[{"emailAddress":"a@qq.com","diagnosticCode":"smtp; 550 Mailbox not found."}]}}`,
		`{"recipient":"b@x.example","delivery-status":{"code":550,"message":"5.1.1 no"}}` + "\n" + `[1,"a",{"x":[]}]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBytes(data)
		if err != nil {
			return
		}
		if len(b.Recipients) == 0 {
			t.Fatalf("parsed bounce without recipients: %q", data)
		}
		for _, d := range Diagnose(b).Diagnoses {
			if d.Reason == "" || d.Category == "" {
				t.Fatalf("diagnosis without reason or category: %+v", d)
			}
		}
	})
}

func BenchmarkAnalyzeDSN(b *testing.B) {
	data, err := os.ReadFile("testdata/exim-qq-multi.eml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Analyze(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyzeLog(b *testing.B) {
	data, err := os.ReadFile("testdata/postfix.log")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Analyze(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEncodedParts checks a DSN whose delivery-status part is base64 and whose
// text part is quoted-printable, with LF line ends.
func TestEncodedParts(t *testing.T) {
	t.Parallel()
	status := "Reporting-MTA: dns; out.example.com\n\nFinal-Recipient: rfc822; he.li@qq.com\nAction: failed\nStatus: 5.0.0\nRemote-MTA: dns; mx2.qq.com\nDiagnostic-Code: smtp; 550 Suspected spam sender.\n"
	msg := "From: MAILER-DAEMON@out.example.com\nTo: a@example.com\nSubject: Undelivered Mail\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"E\"\n\n" +
		"--E\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nSee the report=\n below.\n" +
		"--E\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString([]byte(status)) + "\n--E--\n"
	a, err := Analyze(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Diagnoses) != 1 {
		t.Fatalf("%d diagnoses, want 1", len(a.Diagnoses))
	}
	d := a.Diagnoses[0]
	if d.Recipient != "he.li@qq.com" || d.Receiver != ReceiverQQ || d.Reason != "Suspected spam sender" || d.Category != CategoryReputation {
		t.Errorf("got %s %s %q %s", d.Recipient, d.Receiver, d.Reason, d.Category)
	}
}

// TestDSNWithoutRecipientFields: a delivery-status part with only
// per-message fields; the human-readable part still names the recipient.
func TestDSNWithoutRecipientFields(t *testing.T) {
	t.Parallel()
	msg := "From: MAILER-DAEMON@out.example.com\nTo: a@example.com\nSubject: Undelivered Mail Returned to Sender\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"E\"\n\n" +
		"--E\nContent-Type: text/plain\n\n<sun.li@qq.com>: host mx1.qq.com[198.51.100.11] said: 550 Domain frequency\n    limited (in reply to MAIL FROM command)\n\n" +
		"--E\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; out.example.com\n\n--E--\n"
	a, err := Analyze(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Diagnoses) != 1 {
		t.Fatalf("%d diagnoses, want 1", len(a.Diagnoses))
	}
	d := a.Diagnoses[0]
	if d.Recipient != "sun.li@qq.com" || d.Receiver != ReceiverQQ || d.Reason != "Domain frequency limited" || !d.Retry {
		t.Errorf("got %s %s %q retry=%v", d.Recipient, d.Receiver, d.Reason, d.Retry)
	}
	// Without a reply, the report's own words are the diagnosis.
	words := strings.Replace(msg, "said: 550 Domain frequency\n    limited", "said nothing", 1)
	a, err = Analyze(strings.NewReader(words))
	if err != nil || len(a.Diagnoses) != 1 || a.Diagnoses[0].Recipient != "sun.li@qq.com" || a.Diagnoses[0].Code != "" {
		t.Errorf("DSN with words only: %+v, %v; want sun.li@qq.com without a reply code", a, err)
	}
	// With no text to fall back on, it is not a bounce.
	empty := strings.Replace(msg, "<sun.li@qq.com>: host mx1.qq.com[198.51.100.11] said: 550 Domain frequency\n    limited (in reply to MAIL FROM command)", "", 1)
	if _, err := Analyze(strings.NewReader(empty)); !errors.Is(err, ErrNotBounce) {
		t.Errorf("empty DSN: err = %v, want ErrNotBounce", err)
	}
}

func TestAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		xtext bool
		want  string
	}{
		{in: "rfc822; li.wei@qq.com", want: "li.wei@qq.com"},
		{in: "rfc822;<li.wei@qq.com>", want: "li.wei@qq.com"},
		{in: "rfc822; a+2Btag@example.com", xtext: true, want: "a+tag@example.com"},
		{in: "rfc822; a+2Btag@example.com", want: "a+2Btag@example.com"},
		{in: "rfc822; a+beef@example.com", xtext: true, want: "a+beef@example.com"},
		{in: "utf-8; 用户@例子.example", want: "用户@例子.example"},
		{in: "", want: ""},
	}
	for _, tt := range tests {
		if got := address(tt.in, tt.xtext); got != tt.want {
			t.Errorf("address(%q, %v) = %q, want %q", tt.in, tt.xtext, got, tt.want)
		}
	}
}

func TestMessageHeadersOnly(t *testing.T) {
	t.Parallel()
	b := &Bounce{Original: []byte("From: a@b.example\nSubject: x\n\n\n"), HeadersOnly: true}
	if got, want := string(b.Message()), "From: a@b.example\nSubject: x\r\n\r\n"; got != want {
		t.Errorf("Message() = %q, want %q", got, want)
	}
	if (&Bounce{}).Message() != nil {
		t.Error("Message() of a bounce without a returned message is not nil")
	}
}

// TestOddEncodings: UTF-16 text saved by a Windows editor, a UTF-8 byte order
// mark, recipients' fields run together, and an Outlook .msg file.
func TestOddEncodings(t *testing.T) {
	t.Parallel()
	reply := "550 Mail content denied. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726\r\n"
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range reply {
		utf16le = append(utf16le, byte(r), 0)
	}
	for name, data := range map[string][]byte{
		"utf-16le":  utf16le,
		"utf-8 bom": append([]byte{0xEF, 0xBB, 0xBF}, reply...),
	} {
		a, err := Analyze(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := a.Diagnoses[0]; d.Receiver != ReceiverQQ || d.Reason != "Mail content denied" {
			t.Errorf("%s: got %s %q", name, d.Receiver, d.Reason)
		}
	}

	fields := "Reporting-MTA: dns; out.example.com\n\nFinal-Recipient: rfc822; a@qq.com\nAction: failed\nDiagnostic-Code: smtp; 550 Mailbox not found.\n" +
		"Final-Recipient: rfc822; b@qq.com\nAction: failed\nDiagnostic-Code: smtp; 550 Mail content denied.\n"
	a, err := Analyze(strings.NewReader(fields))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range a.Diagnoses {
		got = append(got, d.Recipient+" "+d.Reason)
	}
	if diff := cmp.Diff([]string{"a@qq.com Mailbox not found", "b@qq.com Mail content denied"}, got); diff != "" {
		t.Errorf("run-together recipients (-want +got):\n%s", diff)
	}

	msg := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...)
	if _, err := ParseBytes(msg); !errors.Is(err, ErrNotBounce) || !strings.Contains(err.Error(), ".msg") {
		t.Errorf("Outlook .msg: err = %v", err)
	}
}
