package receiver

import "strings"

// Reply is a known SMTP reply of a receiver: what a bounce classifier can
// match (Reason, case-insensitively, is the stable part) and what Predict's
// profiles quote. Samples are verbatim from ../shared/research/receivers.md
// (tokens and IPs as the source had them).
type Reply struct {
	Receiver string // profile name, or the provider's name when there is no profile
	// Kind classifies the reply: "dmarc", "spf", "auth" (neither SPF nor
	// DKIM), "dkim", "alignment", "no-dmarc", "content", "spam",
	// "mailbox", "syntax", "rate", "size", "connection", "ptr", "tls",
	// "policy".
	Kind      string
	Code      int    // the SMTP reply code
	Enhanced  string // the RFC 3463 code the receiver sends; "" when it sends none
	Reason    string // the stable reason text
	Sample    string // one verbatim reply line
	HelpURL   string
	Format    string // QQ: "old" (cgi-bin/help) or "new" ([token IP: …] /detail/)
	Temporary bool   // a 4xx

	Provenance Provenance
	Confidence Confidence
	Source     string
}

const (
	qqNewHelp  = "https://service.mail.qq.com/detail/122/"
	sisimaiTQ  = "Sisimai rhost/for-tencent.go (help-page map)"
	postmarkQQ = "https://smtp.codes/qq"
)

// knownReplies is the table; KnownReplies returns a copy.
var knownReplies = []Reply{
	// QQ / Tencent: the replies Predict uses.
	{Receiver: "qq", Kind: "dmarc", Code: 550, Reason: "DMARC check failed", Sample: QQReplyDMARC,
		HelpURL: "http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16", Format: "old",
		Provenance: ThirdParty, Confidence: High, Source: "Sisimai set-of-emails maildir/bsd/rhost-tencent-03.eml; " + postmarkQQ},
	{Receiver: "qq", Kind: "spf", Code: 550, Reason: "SPF check failed",
		Sample:  "550 SPF check failed [MHPq59EnwWnnM2tSL4bvrVEKOVVHKNfjuxAsCqMyAPcMwoY0AikKkglVMn3WLmuSwQ==  IP: X.X.X.X]. https://service.mail.qq.com/detail/122/72.",
		HelpURL: qqNewHelp + "72", Format: "new", Provenance: ThirdParty, Confidence: High, Source: "https://github.com/elttwl/smtp-server (2025)"},
	{Receiver: "qq", Kind: "spf", Code: 550, Reason: "SPF check failed",
		Sample:  "550 SPF check failed [MHFj/vQ9AuZjoFVr6n7Q+k9tLDR6VUsoQb1oGIlL+9NNpxuJ0a/MJp7JZKvIwo70Qg==  IP: 61.161.131.38]. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001445&&id=20022.",
		HelpURL: "http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001445&&id=20022", Format: "old", Provenance: ThirdParty, Confidence: High, Source: "osst-users@lists.sourceforge.net DSNs (2020)"},
	// QQ, other reasons (new format, Sisimai's help-page map).
	{Receiver: "qq", Kind: "content", Code: 550, Reason: "Mail content denied", Format: "new", HelpURL: qqNewHelp + "171",
		Sample:     "550 Mail content denied [MJ8vvB3Z9HILDyk+wodtP4MX11azy2kRSERV7gfPvneArAnaGVv31DttVmD2vtJv1Q== IP: 服务器ip]. https://service.mail.qq.com/detail/122/171.",
		Provenance: ThirdParty, Confidence: High, Source: "https://github.com/Jinnrry/PMail/issues/220"},
	{Receiver: "qq", Kind: "policy", Code: 550, Reason: "Mail is rejected by recipients", Format: "new", HelpURL: qqNewHelp + "92",
		Sample: "550 Mail is rejected by recipients [..... IP: 138.197.213.185]. https://service.mail.qq.com/detail/0/92.", Provenance: ThirdParty, Confidence: High, Source: "forwardemail.net helpers/get-bounce-info.js"},
	{Receiver: "qq", Kind: "spam", Code: 550, Reason: "Suspected bounce attacks", Format: "new", HelpURL: qqNewHelp + "57",
		Sample: "550 Suspected bounce attacks [...]. https://service.mail.qq.com/detail/122/57.", Provenance: ThirdParty, Confidence: High, Source: "forwardemail.net helpers/get-bounce-info.js"},
	{Receiver: "qq", Kind: "mailbox", Code: 550, Reason: "Mailbox unavailable or access denied", Format: "new", HelpURL: qqNewHelp + "166",
		Sample: "550 Mailbox unavailable or access denied. http://service.mail.qq.com/detail/122/166", Provenance: ThirdParty, Confidence: High, Source: "forwardemail.net helpers/get-bounce-info.js"},
	{Receiver: "qq", Kind: "spam", Code: 550, Reason: "Suspected spam ip", Format: "new", HelpURL: qqNewHelp + "66", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "connection", Code: 550, Reason: "Connection denied", Format: "new", HelpURL: qqNewHelp + "170", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "size", Code: 550, Reason: "Message too large", Format: "new", HelpURL: qqNewHelp + "168", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "spam", Code: 550, Reason: "Suspected spam", Format: "new", HelpURL: qqNewHelp + "71", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "spam", Code: 550, Reason: "Spam is embedded in the email", Format: "new", HelpURL: qqNewHelp + "59", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "syntax", Code: 550, Reason: "Bad address syntax", Format: "new", HelpURL: qqNewHelp + "167", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "mailbox", Code: 550, Reason: "Mailbox not found", Format: "new", HelpURL: qqNewHelp + "169", Provenance: ThirdParty, Confidence: Medium, Source: sisimaiTQ},
	{Receiver: "qq", Kind: "rate", Code: 550, Reason: "frequency limited", Format: "new", Provenance: ThirdParty, Confidence: Medium,
		Source: sisimaiTQ + ": ip / domain / sender / connection frequency limited map to pages 122/172 to 122/175"},
	// QQ and Exmail, old format.
	{Receiver: "qq", Kind: "syntax", Code: 501, Reason: "Bad address syntax", Format: "old",
		Sample: "501 Bad address syntax. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000730", HelpURL: "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000730", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ},
	{Receiver: "qq", Kind: "policy", Code: 550, Reason: "Mail is rejected by recipients", Format: "old", Sample: "550 Mail is rejected by recipients", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ + " (help no=1001262)"},
	{Receiver: "qq", Kind: "mailbox", Code: 550, Reason: "Mailbox unavailable or access denied", Format: "old", Sample: "550 Mailbox unavailable or access denied", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ + " (help no=1000742)"},
	{Receiver: "qq", Kind: "mailbox", Code: 550, Reason: "Mailbox not found", Format: "old",
		Sample: "550 Mailbox not found. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728", HelpURL: "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ},
	{Receiver: "qq", Kind: "content", Code: 550, Reason: "Mail content denied", Format: "old",
		Sample: "550 Mail content denied. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726", HelpURL: "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ},
	{Receiver: "qq", Kind: "rate", Code: 550, Reason: "Sender frequency limited", Format: "old",
		Sample: "550 Sender frequency limited. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000723", HelpURL: "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000723", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ},
	{Receiver: "qq", Kind: "spam", Code: 550, Reason: "Suspected spam sender", Format: "old", Sample: "550 Suspected spam sender.", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ + " (help no=1001461)"},
	{Receiver: "qq", Kind: "rate", Code: 550, Reason: "Ip frequency limited", Format: "old",
		Sample: "550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725", HelpURL: "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ},
	{Receiver: "qq", Kind: "rate", Code: 550, Reason: "Connection frequency limited", Format: "old",
		Sample: "550 Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722", HelpURL: "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722", Provenance: ThirdParty, Confidence: High, Source: postmarkQQ},
	// Exmail / WeCom tenants.
	{Receiver: "qq", Kind: "mailbox", Code: 550, Reason: "Mailbox unavailable or access denied", Format: "new",
		Sample: "550 Mailbox unavailable or access denied [...]. https://open.work.weixin.qq.com/help2/pc/20057.", HelpURL: "https://open.work.weixin.qq.com/help2/pc/20057", Provenance: ThirdParty, Confidence: High, Source: "forwardemail.net helpers/get-bounce-info.js"},
	{Receiver: "qq", Kind: "policy", Code: 550, Reason: "Mail is rejected by recipients", Format: "new",
		Sample: "550 Mail is rejected by recipients [...]. https://open.work.weixin.qq.com/help2/pc/20051.", HelpURL: "https://open.work.weixin.qq.com/help2/pc/20051", Provenance: ThirdParty, Confidence: High, Source: "forwardemail.net helpers/get-bounce-info.js"},

	// Gmail (https://support.google.com/a/answer/3726730).
	{Receiver: "gmail", Kind: "dmarc", Code: 550, Enhanced: "5.7.26", Reason: "is not accepted due to domain's", // the reply is wrapped across "550-5.7.26" lines
		Sample:  "550-5.7.26 Unauthenticated email from example.jp is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of example.jp domain if 550-5.7.26 this was a legitimate mail. To learn about the DMARC initiative, go 550-5.7.26 to 550 5.7.26  https://support.google.com/mail/?p=DmarcRejection 98e67ed59e1d1-2c2d0e28189si6418580a91.13 - gsmtp",
		HelpURL: "https://support.google.com/mail/?p=DmarcRejection", Provenance: Documented, Confidence: High, Source: "https://support.google.com/a/answer/3726730"},
	{Receiver: "gmail", Kind: "dmarc", Code: 451, Enhanced: "4.7.26", Temporary: true, Reason: "temporary DNS failures prevent authentication",
		Sample:     "451 4.7.26 Unauthenticated email from domain-name is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication.",
		Provenance: Documented, Confidence: High, Source: "https://support.google.com/a/answer/3726730"},
	{Receiver: "gmail", Kind: "auth", Code: 550, Enhanced: "5.7.26", Reason: "Gmail requires all senders to authenticate with either SPF or DKIM",
		Sample:     "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
		Provenance: Documented, Confidence: High, Source: "https://support.google.com/a/answer/3726730"},
	{Receiver: "gmail", Kind: "spf", Code: 550, Enhanced: "5.7.26", Reason: "has an SPF record with a hard fail policy (-all)",
		Sample:     "550 5.7.26 The (E)MAIL FROM domain [domain-name] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [ip-address].",
		Provenance: Documented, Confidence: High, Source: "https://support.google.com/a/answer/3726730"},
	{Receiver: "gmail", Kind: "alignment", Code: 550, Enhanced: "5.7.32", Reason: "isn't aligned with either the authenticated SPF or DKIM organizational domain",
		Sample:     "421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
		Provenance: Documented, Confidence: High, Source: "https://support.google.com/a/answer/3726730"},
	{Receiver: "gmail", Kind: "no-dmarc", Code: 550, Enhanced: "5.7.40", Reason: "doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy",
		Sample:     "550 5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy.",
		Provenance: Documented, Confidence: High, Source: "https://support.google.com/a/answer/3726730"},

	// Yahoo / AOL.
	{Receiver: "yahoo", Kind: "dmarc", Code: 554, Enhanced: "5.7.9", Reason: "Message not accepted for policy reasons",
		Sample:  "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.verizonmedia.com/error-codes",
		HelpURL: "https://postmaster.yahooinc.com/error-codes", Provenance: ThirdParty, Confidence: MediumHigh, Source: "Sisimai lhost-postfix-66..69 (2020)"},
	{Receiver: "yahoo", Kind: "auth", Code: 550, Enhanced: "5.7.9", Reason: "Yahoo requires all senders to authenticate with either SPF or DKIM",
		Sample:     "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.",
		Provenance: Documented, Confidence: High, Source: "https://senders.yahooinc.com/smtp-error-codes/"},

	// Microsoft.
	{Receiver: "microsoft", Kind: "dmarc", Code: 550, Enhanced: "5.7.509", Reason: "does not pass DMARC verification and has a DMARC policy of reject",
		Sample:     "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification and has a DMARC policy of reject.",
		Provenance: ThirdParty, Confidence: High, Source: "Sisimai rhost-microsoft-04/06"},
	{Receiver: "microsoft", Kind: "auth", Code: 550, Enhanced: "5.7.515", Reason: "doesn't meet the required authentication level",
		Sample:  "550 5.7.515 Access denied, sending domain NYAAAAN.EXAMPLE.JP doesn't meet the required authentication level.",
		HelpURL: "https://go.microsoft.com/fwlink/p/?linkid=2319303", Provenance: ThirdParty, Confidence: High, Source: "https://pastebin.com/sQaSsUZe (2025)"},

	// Receivers without a profile yet (for the bounce classifier).
	{Receiver: "apple", Kind: "dmarc", Code: 554, Enhanced: "5.7.1", Reason: "DMARC policy",
		Sample:     "554 5.7.1 Your message was rejected due to libsisimai.org's DMARC policy. See https://support.apple.com/en-us/HT204137 for info",
		Provenance: ThirdParty, Confidence: High, Source: "Sisimai rhost-apple-02"},
	{Receiver: "mailru", Kind: "dmarc", Code: 550, Enhanced: "5.7.1", Reason: "owner DMARC policy",
		Sample:     "550 5.7.1 This message was not accepted due to domain (libsisimai.org) owner DMARC policy (RFC 7489) https://help.mail.ru/mail-help/postmaster/dmarc",
		Provenance: ThirdParty, Confidence: High, Source: "Sisimai lhost-postfix-72"},
	{Receiver: "netease", Kind: "dmarc", Code: 550, Reason: "MI:DMA", Sample: "550 MI:DMA 该邮件未被发信域的DMARC许可。请参考http://dmarc.org/关于DMARC规范的定义；",
		Provenance: Documented, Confidence: High, Source: "https://biecuoliao.com/pa/MBRrwEM.html"},
	{Receiver: "netease", Kind: "spf", Code: 550, Reason: "MI:SPF", Sample: "550 MI:SPF 发信IP未被发送域的SPF许可。",
		Provenance: Documented, Confidence: High, Source: "https://biecuoliao.com/pa/MBRrwEM.html"},
	{Receiver: "orange", Kind: "dmarc", Code: 571, Enhanced: "5.7.1", Reason: "DMARC verification Failed",
		Sample: "571 5.7.1 Message refused, DMARC verification Failed.", Provenance: ThirdParty, Confidence: High, Source: "go-sisimai rhost/for-franceptt.go"},
	{Receiver: "comcast", Kind: "dmarc", Code: 550, Enhanced: "5.2.0", Reason: "Message rejected due to DMARC",
		Sample:  "550 5.2.0 Message rejected due to DMARC. Please see http://postmaster.comcast.net/smtp-error-codes.php#DM000001",
		HelpURL: "http://postmaster.comcast.net/smtp-error-codes.php#DM000001", Provenance: ThirdParty, Confidence: High, Source: "https://smtp.codes (550.json)"},
	{Receiver: "zoho", Kind: "dmarc", Code: 550, Enhanced: "5.7.1", Reason: "Email rejected per DMARC policy",
		Sample: "550 5.7.1 Email rejected per DMARC policy for libsisimai.org", Provenance: ThirdParty, Confidence: High, Source: "Sisimai lhost-postfix-73"},
}

// KnownReplies returns every known reply (a copy; callers may modify it).
func KnownReplies() []Reply {
	return append([]Reply(nil), knownReplies...)
}

// RepliesFor returns the known replies of one receiver.
func RepliesFor(receiver string) []Reply {
	var out []Reply
	for _, r := range knownReplies {
		if strings.EqualFold(r.Receiver, receiver) {
			out = append(out, r)
		}
	}
	return out
}
