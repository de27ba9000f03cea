package bounce

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// TestFormats parses the bounce formats that the shared corpus lacks or that
// must be tested without it, all written for this project under testdata/:
// Chinese bounces in GBK and GB18030, NetEase's and QQ's newer replies, ESP
// JSON events (SES through SNS, SendGrid, Mailgun), plain-text bounces
// without a reply code, delay warnings, HTML-only NDRs.
func TestFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		kind    Kind
		subject string
		delayed bool
		want    []want
	}{
		{
			file: "gbk-plain-bounce-qq-dmarc.eml", kind: KindMessage, subject: "系统退信：邮件投递失败",
			want: []want{{Recipient: "li.wei@qq.com", Receiver: "qq", Code: "550", Reason: ReasonDMARC, Category: CategoryAuthentication}},
		},
		{
			file: "gb18030-postfix-netease.eml", kind: KindDSN, subject: "邮件退回：无法投递",
			want: []want{
				{Recipient: "wu.ting@163.com", Receiver: "netease", Code: "550", Reason: ReasonDMARC, Category: CategoryAuthentication, RemoteMTA: "163mx01.mxmail.netease.com"},
				{Recipient: "zhang.wei@126.com", Receiver: "netease", Code: "550", Reason: ReasonSPF, Category: CategoryAuthentication, RemoteMTA: "126mx02.mxmail.netease.com"},
			},
		},
		{
			file: "gbk-pasted-qq-content.txt", kind: KindReply,
			want: []want{{Recipient: "chen.jie@qq.com", Receiver: "qq", Code: "550", Reason: "Mail content denied", Category: CategoryContent, ClientIP: "192.0.2.10"}},
		},
		{
			file: "exim-qq-new-formats.eml", kind: KindMessage,
			want: []want{
				{Recipient: "liu.yang@qq.com", Receiver: "qq", Code: "550", Reason: "Domain may not exist or DNS check failed", Category: CategoryPolicy, ClientIP: "192.0.2.10", RemoteMTA: "mx3.qq.com"},
				{Recipient: "fan.bo@foxmail.com", Receiver: "qq", Code: "550", Reason: "Mail content denied", Category: CategoryContent, ClientIP: "192.0.2.10", RemoteMTA: "mx2.qq.com"},
			},
		},
		{
			file: "ses-sns-envelope.json", kind: KindJSON,
			want: []want{{Recipient: "kim@gmail.com", Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: ReasonDMARC, Category: CategoryAuthentication, RemoteMTA: "203.0.113.26"}},
		},
		{
			file: "ses-delivery-delay.json", kind: KindJSON, delayed: true,
			want: []want{{Recipient: "zhou.li@qq.com", Receiver: "qq", Code: "450", Reason: "IP frequency limited", Category: CategoryRate, Retry: true}},
		},
		{
			file: "sendgrid-events.json", kind: KindJSON,
			want: []want{
				{Recipient: "ana@gmail.com", Receiver: "gmail", Code: "550", Enhanced: "5.7.26", Reason: ReasonUnauth, Category: CategoryAuthentication},
				{Recipient: "bo@example.org", Receiver: "yahoo", Code: "421", Enhanced: "4.7.0", Reason: "Temporarily deferred", Category: CategoryRate, Retry: true},
			},
		},
		{
			file: "mailgun-temporary.json", kind: KindJSON, delayed: true,
			want: []want{{Recipient: "ivan@mail.ru", Receiver: "mailru", Code: "451", Enhanced: "4.7.1", Reason: "Temporarily deferred", Category: CategoryRate, Retry: true, RemoteMTA: "mxs.mail.ru"}},
		},
		{
			file: "mailgun-permanent.json", kind: KindJSON,
			want: []want{{Recipient: "pat@icloud.com", Receiver: "apple", Code: "554", Enhanced: "5.7.1", Reason: ReasonUnauth, Category: CategoryAuthentication, RemoteMTA: "mx01.mail.icloud.com"}},
		},
		{
			file: "gmail-delay.eml", kind: KindMessage, delayed: true,
			want: []want{{Recipient: "bob@mail.example.net", Receiver: "", Reason: "Receiver unreachable", Category: CategoryNetwork, Retry: true}},
		},
		{
			file: "qmail-no-code.eml", kind: KindMessage,
			want: []want{
				{Recipient: "nobody@gone.example", Reason: "Recipient domain not found", Category: CategoryRecipient},
				{Recipient: "full@mail.example.org", Code: "552", Enhanced: "5.2.2", Reason: "Mailbox full", Category: CategoryRecipient, Retry: true},
			},
		},
		{
			file: "exchange2003-ndr.eml", kind: KindMessage,
			want: []want{{Recipient: "buyer@corp.example", Reason: "Mailbox not found", Category: CategoryRecipient}},
		},
		{
			file: "notes-iso2022jp.eml", kind: KindMessage,
			want: []want{{Recipient: "taro@notes.example.co.jp", Reason: "Mailbox not found", Category: CategoryRecipient}},
		},
		{
			file: "dsn-no-recipient-fields.eml", kind: KindDSN,
			want: []want{{Recipient: "lin.na@qq.com", Receiver: "qq", Code: "550", Reason: "Mailbox not found", Category: CategoryRecipient}},
		},
		{
			file: "exchange-online-html.eml", kind: KindMessage,
			want: []want{{Recipient: "client@fabrikam.example", Code: "550", Enhanced: "5.7.1", Reason: "Sender block-listed", Category: CategoryReputation}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := ParseBytes(data)
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			if b.Kind != tt.kind {
				t.Errorf("Kind = %q, want %q", b.Kind, tt.kind)
			}
			if tt.subject != "" && b.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", b.Subject, tt.subject)
			}
			if b.Delayed() != tt.delayed {
				t.Errorf("Delayed() = %v, want %v", b.Delayed(), tt.delayed)
			}
			a := Diagnose(b)
			var gotW []want
			for _, d := range a.Diagnoses {
				gotW = append(gotW, got(d))
				if tt.delayed && !d.Delayed {
					t.Errorf("%s: Delayed = false in a delay warning", d.Recipient)
				}
				if d.Meaning == "" || d.Action == "" {
					t.Errorf("%s: empty meaning or action", d.Recipient)
				}
				if !isValidUTF8(d.Reply) {
					t.Errorf("%s: reply is not UTF-8: %q", d.Recipient, d.Reply)
				}
			}
			if diff := cmp.Diff(tt.want, gotW); diff != "" {
				t.Errorf("diagnoses (-want +got):\n%s", diff)
			}
		})
	}
}

func isValidUTF8(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.ContainsRune(s, '\uFFFD')
}

// TestNotices checks that feedback reports, automatic replies and success
// reports are named for what they are and not diagnosed as failures.
func TestNotices(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		kind Kind
		says string
	}{
		{"notbounce/arf-complaint.eml", KindFeedback, "feedback report"},
		{"notbounce/ses-complaint.json", KindFeedback, "complaint"},
		{"notbounce/out-of-office.eml", KindAutoReply, "automatic reply"},
		{"notbounce/success-dsn.eml", KindDelivered, "reports success"},
		{"notbounce/webhook-delivered.json", KindDelivered, "delivery"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseBytes(data)
			var n *Notice
			if !errors.As(err, &n) || !errors.Is(err, ErrNotBounce) {
				t.Fatalf("err = %v; want a *Notice matching ErrNotBounce", err)
			}
			if n.Kind != tt.kind || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("notice %q %q; want kind %q saying %q", n.Kind, err, tt.kind, tt.says)
			}
		})
	}
}

// TestCharsets decodes bounces written in the charsets mail clients send,
// encoded here with golang.org/x/text so that no test file hides its bytes:
// the body in the charset of its Content-Type, the Subject as RFC 2047
// encoded-words in the same charset, and a text part whose label is wrong.
func TestCharsets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		charset string
		enc     encoding.Encoding
		text    string // a sentence in the charset's language
	}{
		{"GBK", simplifiedchinese.GBK, "邮件无法投递，请检查收件人地址。"},
		{"GB18030", simplifiedchinese.GB18030, "邮件无法投递，请检查收件人地址。"},
		{"gb2312", simplifiedchinese.GBK, "邮件无法投递。"},
		{"Big5", traditionalchinese.Big5, "郵件無法傳遞，請檢查收件人地址。"},
		{"ISO-2022-JP", japanese.ISO2022JP, "メールを配送できませんでした。"},
		{"Shift_JIS", japanese.ShiftJIS, "メールを配送できませんでした。"},
		{"EUC-JP", japanese.EUCJP, "メールを配送できませんでした。"},
		{"EUC-KR", korean.EUCKR, "메일을 배달할 수 없습니다."},
		{"KOI8-R", charmap.KOI8R, "Письмо не может быть доставлено."},
		{"windows-1251", charmap.Windows1251, "Письмо не может быть доставлено."},
		{"ISO-8859-1", charmap.ISO8859_1, "Le message n'a pas pu être remis."},
	}
	for _, tt := range tests {
		t.Run(tt.charset, func(t *testing.T) {
			t.Parallel()
			body, err := tt.enc.NewEncoder().String(tt.text + "\n\n<user@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n")
			if err != nil {
				t.Fatal(err)
			}
			subj, err := tt.enc.NewEncoder().String(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			var msg bytes.Buffer
			msg.WriteString("From: MAILER-DAEMON@out.example.com\nTo: news@example.com\n")
			msg.WriteString("Subject: =?" + tt.charset + "?B?" + b64(subj) + "?=\n")
			msg.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=\"" + tt.charset + "\"\nContent-Transfer-Encoding: base64\n\n")
			msg.WriteString(b64(body) + "\n")
			b, err := ParseBytes(msg.Bytes())
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			if b.Subject != tt.text {
				t.Errorf("Subject = %q, want %q", b.Subject, tt.text)
			}
			if len(b.Recipients) != 1 || b.Recipients[0].FinalRecipient != "user@example.net" || b.Recipients[0].Reply.Code != "550" {
				t.Errorf("recipients = %+v", b.Recipients)
			}
		})
	}
	// EUC-JP text labelled ISO-2022-JP (a common Japanese mislabel) still
	// reads as Japanese, and 8-bit GBK text without any label reads as
	// Chinese.
	euc, _ := japanese.EUCJP.NewEncoder().String("メールを配送できませんでした。")
	if got := string(decodeCharset("iso-2022-jp", []byte(euc))); got != "メールを配送できませんでした。" {
		t.Errorf("EUC-JP labelled ISO-2022-JP: %q", got)
	}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("退信原因：邮箱不存在")
	if got := string(decodeCharset("", []byte(gbk))); got != "退信原因：邮箱不存在" {
		t.Errorf("unlabelled GBK: %q", got)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TestJSONBatch: a SendGrid batch mixes a bounce and a deferral; each keeps
// its own outcome.
func TestJSONBatch(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/sendgrid-events.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(bytes.NewReader(data))
	if err != nil || len(a.Diagnoses) != 2 || a.Diagnoses[0].Delayed || !a.Diagnoses[1].Delayed || a.Bounce.Delayed() {
		t.Errorf("SendGrid batch: %+v, %v; want a failure then a deferral", a, err)
	}
}
