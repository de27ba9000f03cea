package bounce

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// want is what a corpus case must yield for one recipient.
type want struct {
	Recipient string
	Receiver  string
	Code      string
	Enhanced  string
	Reason    string
	Category  Category
	Retry     bool
	ClientIP  string
	RemoteMTA string
}

func got(d Diagnosis) want {
	return want{
		Recipient: d.Recipient, Receiver: d.Receiver, Code: d.Code, Enhanced: d.Enhanced,
		Reason: d.Reason, Category: d.Category, Retry: d.Retry, ClientIP: d.ClientIP, RemoteMTA: d.RemoteMTA,
	}
}

// TestCorpus parses every bounce under testdata/ (written for this project:
// example domains, documentation IPs) and checks each diagnosis.
func TestCorpus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file        string
		kind        Kind
		original    bool
		headersOnly bool
		sender      string
		want        []want
	}{
		{
			file: "postfix-qq-dmarc.eml", kind: KindDSN, original: true, sender: "bounces@shop.example",
			want: []want{{Recipient: "li.wei@qq.com", Receiver: "qq", Code: "550", Reason: "DMARC check failed",
				Category: CategoryAuthentication, RemoteMTA: "mx3.qq.com"}},
		},
		{
			file: "postfix-qq-spf-headers-crlf.eml", kind: KindDSN, original: true, headersOnly: true, sender: "rp-7731@esp.example",
			want: []want{{Recipient: "zhang.min@foxmail.com", Receiver: "qq", Code: "550", Reason: "SPF check failed",
				Category: CategoryAuthentication, ClientIP: "192.0.2.77", RemoteMTA: "mx1.qq.com"}},
		},
		{
			file: "exim-qq-multi.eml", kind: KindDSN, original: true, headersOnly: true, sender: "newsletter@lists.example.org",
			want: []want{
				{Recipient: "wang.fang@qq.com", Receiver: "qq", Code: "550", Reason: "Mailbox not found", Category: CategoryRecipient, RemoteMTA: "mx1.qq.com"},
				{Recipient: "chen.jie@qq.com", Receiver: "qq", Code: "550", Reason: "Sender frequency limited", Category: CategoryRate, Retry: true, RemoteMTA: "mx1.qq.com"},
				{Recipient: "liu.yang@vip.qq.com", Receiver: "qq", Code: "550", Reason: "Mail content denied", Category: CategoryContent, ClientIP: "203.0.113.5", RemoteMTA: "mx2.qq.com"},
			},
		},
		{
			file: "exchange-relay-qq.eml", kind: KindDSN, original: true, sender: "campaigns@corp.example.com",
			want: []want{
				{Recipient: "zhao.lei@qq.com", Receiver: "qq", Code: "550", Reason: "SPF check failed", Category: CategoryAuthentication, ClientIP: "198.51.100.61"},
				{Recipient: "sun.hui@qq.com", Receiver: "qq", Code: "550", Reason: "Mailbox unavailable or access denied", Category: CategoryRecipient, Retry: true, ClientIP: "198.51.100.61"},
			},
		},
		{
			file: "ironport-relay-qq-spf.eml", kind: KindDSN, sender: "alerts@example.net",
			want: []want{{Recipient: "he.jun@qq.com", Receiver: "qq", Code: "550", Reason: "SPF check failed",
				Category: CategoryAuthentication, ClientIP: "192.0.2.243", RemoteMTA: "[203.0.113.57]"}},
		},
		{
			file: "exmail-wecom-rejected.eml", kind: KindDSN, sender: "hr@agency.example",
			want: []want{{Recipient: "talent@partner.example.cn", Receiver: "qq", Code: "550", Reason: "Mail is rejected by recipients",
				Category: CategoryRecipient, ClientIP: "198.51.100.99", RemoteMTA: "mxbiz1.qq.com"}},
		},
		{
			file: "postfix-gmail-dmarc.eml", kind: KindDSN, original: true, sender: "news@example.com",
			want: []want{{Recipient: "ana.souza@gmail.com", Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: "DMARC check failed",
				Category: CategoryAuthentication, RemoteMTA: "gmail-smtp-in.l.google.com"}},
		},
		{
			file: "exchange-online-5.7.509.eml", kind: KindDSN, original: true, headersOnly: true, sender: "billing@contoso.example",
			want: []want{{Recipient: "client@fabrikam.example", Receiver: "microsoft", Code: "550", Enhanced: "5.7.509", Reason: "DMARC check failed",
				Category: CategoryAuthentication}},
		},
		{
			file: "delayed-dsn.eml", kind: KindDSN, sender: "promo@example.com",
			want: []want{{Recipient: "fan.bo@qq.com", Receiver: "qq", Code: "451", Reason: "Connection frequency limited",
				Category: CategoryRate, Retry: true, RemoteMTA: "mx3.qq.com"}},
		},
		{
			file: "dsn-no-diagnostic.eml", kind: KindDSN, sender: "team@example.org",
			want: []want{{Recipient: "ma.rui@qq.com", Receiver: "qq", Code: "550", Reason: "Message too large",
				Category: CategoryContent, RemoteMTA: "mx1.qq.com"}},
		},
		{
			file: "exim-plain-bounce.eml", kind: KindMessage, original: true, sender: "sales@oldhost.example",
			want: []want{{Recipient: "nina@yahoo.com", Receiver: "yahoo", Code: "554", Enhanced: "5.7.9", Reason: "DMARC check failed",
				Category: CategoryAuthentication, RemoteMTA: "mta7.am0.yahoodns.net"}},
		},
		{
			file: "sendmail-qq-dmarc.eml", kind: KindDSN, original: true, headersOnly: true, sender: "info@example.com",
			want: []want{{Recipient: "xu.jing@qq.com", Receiver: "qq", Code: "550", Reason: "DMARC check failed",
				Category: CategoryAuthentication, RemoteMTA: "mx3.qq.com"}},
		},
		{
			file: "gmail-sender-dsn-qq.eml", kind: KindDSN, original: true, sender: "ops@startup.example",
			want: []want{{Recipient: "qian.lu@qq.com", Receiver: "qq", Code: "550", Reason: "Mailbox not found",
				Category: CategoryRecipient, RemoteMTA: "mx3.qq.com"}},
		},
		{
			file: "qmail-bounce.eml", kind: KindMessage, original: true, sender: "shop@hosting.example",
			want: []want{{Recipient: "jiang.tao@qq.com", Receiver: "qq", Code: "550", Reason: "Mailbox unavailable or access denied",
				Category: CategoryRecipient, Retry: true, ClientIP: "192.0.2.201"}},
		},
		{
			file: "sendmail-transcript.txt", kind: KindReply,
			want: []want{{Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: "DMARC check failed",
				Category: CategoryAuthentication, RemoteMTA: "gmail-smtp-in.l.google.com"}},
		},
		{
			file: "ses-notification.json", kind: KindJSON,
			want: []want{
				{Recipient: "li.wei@qq.com", Receiver: "qq", Code: "550", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "203.0.113.40"},
				{Recipient: "bo.chen@qq.com", Receiver: "qq", Code: "550", Reason: "Mailbox not found", Category: CategoryRecipient, RemoteMTA: "203.0.113.40"},
			},
		},
		{
			file: "esp-events.jsonl", kind: KindJSON,
			want: []want{
				{Recipient: "ana@gmail.com", Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: "DMARC check failed", Category: CategoryAuthentication},
				{Recipient: "ivan@mail.ru", Receiver: "mailru", Code: "550", Enhanced: "5.7.1", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "mxs.mail.ru"},
			},
		},
		{
			file: "pasted-postfix-body.txt", kind: KindFields, original: true, headersOnly: true, sender: "bounces@shop.example",
			want: []want{{Recipient: "tang.yu@qq.com", Receiver: "qq", Code: "550", Reason: "DMARC check failed",
				Category: CategoryAuthentication, RemoteMTA: "mx2.qq.com"}},
		},
		{
			file: "fields-paste.txt", kind: KindFields,
			want: []want{{Recipient: "gao.yu@qq.com", Receiver: "qq", Code: "501", Reason: "Bad address syntax",
				Category: CategorySyntax, RemoteMTA: "mx2.qq.com"}},
		},
		{
			file: "postfix.log", kind: KindLog,
			want: []want{
				{Recipient: "li.wei@qq.com", Receiver: "qq", Code: "550", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "mx3.qq.com"},
				{Recipient: "zhou.li@qq.com", Receiver: "qq", Code: "450", Reason: "IP frequency limited", Category: CategoryRate, Retry: true, RemoteMTA: "mx2.qq.com"},
				{Recipient: "wu.ting@163.com", Receiver: "netease", Code: "550", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "163mx01.mxmail.netease.com"},
				{Recipient: "kim@gmail.com", Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "gmail-smtp-in.l.google.com"},
			},
		},
		{
			file: "exim-main.log", kind: KindLog,
			want: []want{
				{Recipient: "ivan.petrov@mail.ru", Receiver: "mailru", Code: "550", Enhanced: "5.7.1", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "mxs.mail.ru"},
				{Recipient: "marie@orange.fr", Receiver: "orange", Code: "571", Enhanced: "5.7.1", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "smtp-in.orange.fr"},
				{Recipient: "joe@comcast.net", Receiver: "comcast", Code: "550", Enhanced: "5.2.0", Reason: "DMARC check failed", Category: CategoryAuthentication, RemoteMTA: "mx1.comcast.net"},
			},
		},
		{
			file: "exchange-ndr-paste.txt", kind: KindReply,
			want: []want{{Recipient: "pat@icloud.com", Receiver: "apple", Code: "554", Enhanced: "5.7.1", Reason: "DMARC check failed", Category: CategoryAuthentication}},
		},
		{
			file: "reply-qq-dmarc.txt", kind: KindReply,
			want: []want{{Receiver: "qq", Code: "550", Reason: "DMARC check failed", Category: CategoryAuthentication}},
		},
		{
			file: "reply-gmail-multiline.txt", kind: KindReply,
			want: []want{{Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: "DMARC check failed", Category: CategoryAuthentication}},
		},
		{
			file: "reply-qq-wrapped.txt", kind: KindReply,
			want: []want{{Receiver: "qq", Code: "550", Reason: "Suspected bounce attacks", Category: CategoryReputation, ClientIP: "203.0.113.200"}},
		},
		{
			file: "unknown-reply.log", kind: KindLog,
			want: []want{{Recipient: "info@mx-hosted.example", Code: "550", Reason: ReasonUnrecognised, Category: CategoryUnknown, RemoteMTA: "mx.mx-hosted.example"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			a, err := Analyze(f)
			if err != nil {
				t.Fatalf("Analyze: %v", err)
			}
			b := a.Bounce
			if b.Kind != tt.kind {
				t.Errorf("Kind = %q, want %q", b.Kind, tt.kind)
			}
			if (b.Original != nil) != tt.original || b.HeadersOnly != tt.headersOnly {
				t.Errorf("Original present = %v, HeadersOnly = %v; want %v, %v", b.Original != nil, b.HeadersOnly, tt.original, tt.headersOnly)
			}
			if b.EnvelopeSender != tt.sender {
				t.Errorf("EnvelopeSender = %q, want %q", b.EnvelopeSender, tt.sender)
			}
			var gotW []want
			for _, d := range a.Diagnoses {
				gotW = append(gotW, got(d))
				if d.Meaning == "" || d.Action == "" || d.Confidence == "" || d.Reply == "" {
					t.Errorf("%s: empty meaning, action, confidence or reply: %+v", d.Recipient, d)
				}
			}
			if diff := cmp.Diff(tt.want, gotW); diff != "" {
				t.Errorf("diagnoses (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNotBounce checks that inputs that are not bounces are refused with
// ErrNotBounce and a message saying what the input looked like.
func TestNotBounce(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "notbounce", "*"))
	if err != nil || len(files) < 8 {
		t.Fatalf("notbounce corpus: %v (%d files)", err, len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			b, err := ParseBytes(data)
			if !errors.Is(err, ErrNotBounce) {
				t.Fatalf("ParseBytes = %+v, %v; want ErrNotBounce", b, err)
			}
			if len(err.Error()) < len("bounce: input is not a bounce: x") {
				t.Errorf("error %q does not say why", err)
			}
		})
	}
}

func TestRepeatedLogLines(t *testing.T) {
	t.Parallel()
	line := "Jan 15 12:00:09 mail postfix/smtp[1]: 4Q: to=<zhou.li@qq.com>, relay=mx2.qq.com[203.0.113.41]:25, dsn=4.0.0, status=deferred (host mx2.qq.com[203.0.113.41] said: 450 Ip frequency limited. (in reply to MAIL FROM command))\n"
	a, err := Analyze(strings.NewReader(line + line + line))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Diagnoses) != 1 {
		t.Fatalf("%d diagnoses, want the three repeats folded into 1", len(a.Diagnoses))
	}
	if !slices.Contains(a.Diagnoses[0].Notes, "the input holds this reply 3 times for this recipient") {
		t.Errorf("notes %q do not count the repeats", a.Diagnoses[0].Notes)
	}
}
