package bounce

import (
	"strings"
	"testing"

	"preflight/internal/receiver"
)

// TestKnownReplies classifies every sample reply of the receiver profiles
// (internal/receiver, quoted from research/receivers.md), so that the two
// tables cannot drift apart: each must be recognised, for the same receiver,
// in a category that fits the profile's kind.
func TestKnownReplies(t *testing.T) {
	t.Parallel()
	ids := map[string]string{"mail.ru": ReceiverMailRu} // profile name → our ID where they differ
	kinds := map[string][]Category{
		"dmarc": {CategoryAuthentication}, "spf": {CategoryAuthentication}, "auth": {CategoryAuthentication},
		"dkim": {CategoryAuthentication}, "alignment": {CategoryAuthentication}, "no-dmarc": {CategoryAuthentication},
		"content": {CategoryContent}, "spam": {CategoryContent, CategoryReputation},
		"mailbox": {CategoryRecipient}, "syntax": {CategorySyntax}, "rate": {CategoryRate},
		"size": {CategoryContent}, "connection": {CategoryReputation, CategoryRate}, "ptr": {CategoryReputation},
	}
	n := 0
	for _, kr := range receiver.KnownReplies() {
		if kr.Sample == "" {
			continue
		}
		n++
		t.Run(kr.Receiver+"/"+kr.Reason, func(t *testing.T) {
			t.Parallel()
			a, err := Analyze(strings.NewReader(kr.Sample))
			if err != nil {
				t.Fatalf("Analyze(%q): %v", kr.Sample, err)
			}
			d := a.Diagnoses[0]
			want := kr.Receiver
			if id, ok := ids[want]; ok {
				want = id
			}
			if !d.Recognised {
				t.Fatalf("%q not recognised", kr.Sample)
			}
			if d.Receiver != want && known(want) {
				t.Errorf("receiver %q, want %q (sample %q)", d.Receiver, want, kr.Sample)
			}
			if cats, ok := kinds[kr.Kind]; ok {
				found := false
				for _, c := range cats {
					found = found || c == d.Category
				}
				if !found {
					t.Errorf("kind %q classified as %q (%s, rule %s)", kr.Kind, d.Category, d.Reason, d.Rule)
				}
			}
			if d.Retry != kr.Temporary && kr.Temporary {
				t.Errorf("temporary reply %q: retry = false", kr.Sample)
			}
		})
	}
	if n < 10 {
		t.Errorf("only %d known replies with samples", n)
	}
}

func TestReceiverForHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"mx3.qq.com": ReceiverQQ, "MX1.QQ.COM.": ReceiverQQ, "mxbiz1.qq.com": ReceiverQQ, "mxdomain.qq.com": ReceiverQQ,
		"gmail-smtp-in.l.google.com": ReceiverGmail, "aspmx.l.google.com": ReceiverGmail,
		"example-com.mail.protection.outlook.com": ReceiverMicrosoft, "outlook-com.olc.protection.outlook.com": ReceiverMicrosoft,
		"mta7.am0.yahoodns.net": ReceiverYahoo, "mx01.mail.icloud.com": ReceiverApple, "mxs.mail.ru": ReceiverMailRu,
		"163mx01.mxmail.netease.com": ReceiverNetEase, "mx.126.com": ReceiverNetEase, "smtp-in.orange.fr": ReceiverOrange,
		"mx1.comcast.net": ReceiverComcast, "mx.example.com": "", "notqq.com": "", "[203.0.113.57]": "", "": "",
	} {
		if got := receiverForHost(host); got != want {
			t.Errorf("receiverForHost(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestExmailName(t *testing.T) {
	t.Parallel()
	rc := Recipient{RemoteMTA: "mxbiz1.qq.com", Reply: ParseReply("550 Mailbox not found.")}
	if d := Classify(rc); d.ReceiverName != "Tencent Exmail / WeCom mail" || d.Receiver != ReceiverQQ {
		t.Errorf("mxbiz1.qq.com: receiver %q (%q), want qq (Tencent Exmail)", d.Receiver, d.ReceiverName)
	}
	rc = Recipient{RemoteMTA: "mx3.qq.com", Reply: ParseReply("550 Mailbox not found.")}
	if d := Classify(rc); d.ReceiverName != "QQ Mail" {
		t.Errorf("mx3.qq.com: receiver name %q", d.ReceiverName)
	}
}

// known reports whether the receiver registry knows the ID.
func known(id string) bool {
	_, ok := receiver.ByID(id)
	return ok
}
