package bounce

import (
	"regexp"
	"strings"
	"testing"
)

// TestClassifyReplies runs every QQ reply of the seed and of
// research/receivers.md section a, both formats, and the other receivers'
// DMARC rejections of section b through the classifier.
func TestClassifyReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reply     string
		host      string // Remote-MTA, when the case has one
		recipient string
		receiver  string
		reason    string
		category  Category
		retry     bool
		ip        string
		helpURL   string // the URL the diagnosis should point to; "" = don't care
	}{
		// QQ, seed and old format (cgi-bin/help).
		{name: "qq 501 bad syntax", reply: "501 Bad address syntax. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000730",
			receiver: "qq", reason: "Bad address syntax", category: CategorySyntax,
			helpURL: "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000730"},
		{name: "qq rejected by recipients, no URL, host", reply: "550 Mail is rejected by recipients", host: "mx3.qq.com",
			receiver: "qq", reason: "Mail is rejected by recipients", category: CategoryRecipient},
		{name: "qq rejected by recipients, text only", reply: "550 Mail is rejected by recipients",
			receiver: "qq", reason: "Mail is rejected by recipients", category: CategoryRecipient},
		{name: "qq mailbox unavailable", reply: "550 Mailbox unavailable or access denied",
			receiver: "qq", reason: "Mailbox unavailable or access denied", category: CategoryRecipient, retry: true},
		{name: "qq mailbox not found", reply: "550 Mailbox not found. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728",
			receiver: "qq", reason: "Mailbox not found", category: CategoryRecipient},
		{name: "qq content denied", reply: "550 Mail content denied. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726",
			receiver: "qq", reason: "Mail content denied", category: CategoryContent},
		{name: "qq sender frequency", reply: "550 Sender frequency limited. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000723",
			receiver: "qq", reason: "Sender frequency limited", category: CategoryRate, retry: true},
		{name: "qq suspected spam sender", reply: "550 Suspected spam sender.", host: "mx2.qq.com",
			receiver: "qq", reason: "Suspected spam sender", category: CategoryReputation},
		{name: "qq dmarc old, seed", reply: "550 DMARC check failed http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
			receiver: "qq", reason: "DMARC check failed", category: CategoryAuthentication,
			helpURL: "http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16"},
		{name: "qq dmarc old, full stop", reply: "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
			receiver: "qq", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "qq ip frequency", reply: "550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725",
			receiver: "qq", reason: "IP frequency limited", category: CategoryRate, retry: true},
		{name: "qq connection frequency", reply: "550 Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722",
			receiver: "qq", reason: "Connection frequency limited", category: CategoryRate, retry: true},
		// QQ, new format ([token IP: …]. https://service.mail.qq.com/detail/…).
		{name: "qq spf 2020", reply: "550 SPF check failed [MHFj/vQ9AuZjoFVr6n7Q+k9tLDR6VUsoQb1oGIlL+9NNpxuJ0a/MJp7JZKvIwo70Qg==  IP: 198.51.100.38]. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001445&&id=20022.",
			receiver: "qq", reason: "SPF check failed", category: CategoryAuthentication, ip: "198.51.100.38"},
		{name: "qq spf 2025", reply: "550 SPF check failed [MHPq59EnwWnnM2tSL4bvrVEKOVVHKNfjuxAsCqMyAPcMwoY0AikKkglVMn3WLmuSwQ==  IP: 192.0.2.165]. https://service.mail.qq.com/detail/122/72.",
			receiver: "qq", reason: "SPF check failed", category: CategoryAuthentication, ip: "192.0.2.165", helpURL: "https://service.mail.qq.com/detail/122/72"},
		{name: "qq spf placeholder ip", reply: "550 SPF check failed [MHPq59EnwWnnM2tSL4bvrVEKOVVHKNfjuxAsCqMyAPcMwoY0AikKkglVMn3WLmuSwQ==  IP: X.X.X.X]. https://service.mail.qq.com/detail/122/72.",
			receiver: "qq", reason: "SPF check failed", category: CategoryAuthentication},
		{name: "qq content denied new, non-ASCII ip", reply: "550 Mail content denied [MJ8vvB3Z9HILDyk+wodtP4MX11azy2kRSERV7gfPvneArAnaGVv31DttVmD2vtJv1Q== IP: 服务器ip]. https://service.mail.qq.com/detail/122/171.",
			receiver: "qq", reason: "Mail content denied", category: CategoryContent},
		{name: "qq rejected new", reply: "550 Mail is rejected by recipients [..... IP: 198.51.100.185]. https://service.mail.qq.com/detail/0/92.",
			receiver: "qq", reason: "Mail is rejected by recipients", category: CategoryRecipient, ip: "198.51.100.185"},
		{name: "qq bounce attacks", reply: "550 Suspected bounce attacks [...]. https://service.mail.qq.com/detail/122/57.",
			receiver: "qq", reason: "Suspected bounce attacks", category: CategoryReputation},
		{name: "qq mailbox unavailable new", reply: "550 Mailbox unavailable or access denied. http://service.mail.qq.com/detail/122/166",
			receiver: "qq", reason: "Mailbox unavailable or access denied", category: CategoryRecipient, retry: true},
		{name: "exmail mailbox unavailable", reply: "550 Mailbox unavailable or access denied [...]. https://open.work.weixin.qq.com/help2/pc/20057.",
			receiver: "qq", reason: "Mailbox unavailable or access denied", category: CategoryRecipient, retry: true},
		{name: "exmail rejected", reply: "550 Mail is rejected by recipients [...]. https://open.work.weixin.qq.com/help2/pc/20051.",
			receiver: "qq", reason: "Mail is rejected by recipients", category: CategoryRecipient},
		{name: "exmail via netease NDR", reply: "SMTP error, DOT: Host danduola.com(203.0.113.34) DOT said 550 Mail content denied. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726",
			receiver: "qq", reason: "Mail content denied", category: CategoryContent},
		{name: "qq domain frequency", reply: "550 Domain frequency limited [abc IP: 192.0.2.1]. https://service.mail.qq.com/detail/122/173.",
			receiver: "qq", reason: "Domain frequency limited", category: CategoryRate, retry: true, ip: "192.0.2.1"},
		{name: "qq suspected spam ip", reply: "550 Suspected spam ip [abc IP: 192.0.2.2]. https://service.mail.qq.com/detail/122/66.",
			receiver: "qq", reason: "Suspected spam IP", category: CategoryReputation, ip: "192.0.2.2"},
		{name: "qq suspected spam", reply: "550 Suspected spam [abc IP: 192.0.2.3]. https://service.mail.qq.com/detail/122/71.",
			receiver: "qq", reason: "Suspected spam", category: CategoryContent, ip: "192.0.2.3"},
		{name: "qq message too large", reply: "552 Message too large", host: "mx1.qq.com",
			receiver: "qq", reason: "Message too large", category: CategoryContent, helpURL: "https://service.mail.qq.com/detail/122/168"},
		{name: "qq connection denied", reply: "550 Connection denied [abc IP: 192.0.2.4]. https://service.mail.qq.com/detail/122/170.",
			receiver: "qq", reason: "Connection denied", category: CategoryReputation, ip: "192.0.2.4"},
		{name: "qq spam embedded", reply: "550 Spam is embedded in the email [abc IP: 192.0.2.5]. https://service.mail.qq.com/detail/122/59.",
			receiver: "qq", reason: "Spam is embedded in the email", category: CategoryContent, ip: "192.0.2.5"},
		{name: "qq dmarc new format (hypothetical)", reply: "550 DMARC check failed [MJ8vvB3Z IP: 203.0.113.9]. https://service.mail.qq.com/detail/122/99.",
			receiver: "qq", reason: "DMARC check failed", category: CategoryAuthentication, ip: "203.0.113.9"},
		{name: "qq relay-invented 5.0.0 ignored", reply: "550 5.0.0 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
			host: "mx3.qq.com", receiver: "qq", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "qq IronPort relay 5.3.0", reply: "5.3.0 - Other mail system problem 550-'SPF check failed [MD+a9hGRwrPERtw3Uk4rl+2DIXCsfN0MmlCzT4b1Le1RX1eok6cbOYHfEuU/8bVtdA==  IP: 203.0.113.243]. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001445&&id=20022.' (delivery attempts: 0)",
			receiver: "qq", reason: "SPF check failed", category: CategoryAuthentication, ip: "203.0.113.243"},
		{name: "qq submission content", reply: "550 The mail may contain inappropriate words or content.", host: "smtp.qq.com",
			receiver: "qq", reason: "Inappropriate content (submission)", category: CategoryContent},
		{name: "qq recognised by recipient domain only", reply: "550 Mailbox not found.", recipient: "a@qq.com",
			receiver: "qq", reason: "Mailbox not found", category: CategoryRecipient},

		// Other receivers (receivers.md section b and b.1).
		{name: "gmail dmarc 2024", reply: "550-5.7.26 Unauthenticated email from example.jp is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of example.jp domain if 550-5.7.26 this was a legitimate mail. To learn about the DMARC initiative, go 550-5.7.26 to 550 5.7.26  https://support.google.com/mail/?p=DmarcRejection 98e67ed59e1d1-2c2d0e28189si6418580a91.13 - gsmtp",
			receiver: "gmail", reason: "DMARC check failed", category: CategoryAuthentication, helpURL: "https://support.google.com/mail/?p=DmarcRejection"},
		{name: "gmail dmarc 2017 5.7.1", reply: "550-5.7.1 Unauthenticated email from example.no is not accepted due to 550-5.7.1 domain's DMARC policy. Please contact the administrator of 550-5.7.1 example.no domain if this was a legitimate mail. 550 5.7.1 DMARC initiative. r75si5694561wmf.156 - gsmtp",
			receiver: "gmail", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "gmail dmarc temp dns", reply: "451 4.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. Please contact the administrator of example.org domain if this was a legitimate email.",
			host: "gmail-smtp-in.l.google.com", receiver: "gmail", reason: "DMARC temporary error", category: CategoryAuthentication, retry: true},
		{name: "gmail unauthenticated", reply: "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
			receiver: "gmail", reason: "Sender unauthenticated", category: CategoryAuthentication},
		{name: "gmail spf hard fail", reply: "550 5.7.26 The (E)MAIL FROM domain [example.com] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [192.0.2.9]. To best protect our users from spam and phishing, the message has been blocked.",
			host: "aspmx.l.google.com", receiver: "gmail", reason: "SPF check failed", category: CategoryAuthentication},
		{name: "gmail bulk not aligned 421", reply: "421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
			host: "gmail-smtp-in.l.google.com", receiver: "gmail", reason: "From not aligned", category: CategoryAuthentication, retry: true},
		{name: "gmail no dmarc", reply: "550 5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy.",
			host: "gmail-smtp-in.l.google.com", receiver: "gmail", reason: "No DMARC record", category: CategoryAuthentication},
		{name: "gmail ptr by code", reply: "550 5.7.25 The IP address sending this message does not have a PTR record setup. - gsmtp",
			receiver: "gmail", reason: "No reverse DNS", category: CategoryReputation},
		{name: "yahoo policy", reply: "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
			receiver: "yahoo", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "yahoo unauthenticated", reply: "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.",
			receiver: "yahoo", reason: "Sender unauthenticated", category: CategoryAuthentication},
		{name: "microsoft 5.7.509", reply: "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification and has a DMARC policy of reject. [TY1P286MB3121.JPNP286.PROD.OUTLOOK.COM 2024-06-24T08:58:06.389Z 08DC93087F48F48A]",
			receiver: "microsoft", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "microsoft 5.7.515", reply: "550 5.7.515 Access denied, sending domain NYAAAAN.EXAMPLE.JP doesn't meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. To learn how to fix this see: https://go.microsoft.com/fwlink/p/?linkid=2319303 Spf= Fail , Dkim= Pass , DMARC= Pass",
			receiver: "microsoft", reason: "Authentication requirements not met", category: CategoryAuthentication},
		{name: "apple dmarc", reply: "554 5.7.1 Your message was rejected due to example.org's DMARC policy. See https://support.apple.com/en-us/HT204137 for info",
			receiver: "apple", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "apple spf and dkim", reply: "554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication checks. See https://support.apple.com/en-us/HT204137 for mailing best practices",
			receiver: "apple", reason: "Sender unauthenticated", category: CategoryAuthentication},
		{name: "mail.ru dmarc", reply: "550 5.7.1 This message was not accepted due to domain (example.org) owner DMARC policy (RFC 7489) https://help.mail.ru/mail-help/postmaster/dmarc",
			receiver: "mailru", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "netease dmarc", reply: "550 MI:DMA 该邮件未被发信域的DMARC许可。请参考http://dmarc.org/关于DMARC规范的定义；",
			receiver: "netease", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "netease spf", reply: "550 MI:SPF mx14,QMCowECpA0qTiftVaeB3Cg--.872S2 1442548128 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.177&hostid=mx14&time=1442548128",
			receiver: "netease", reason: "SPF check failed", category: CategoryAuthentication},
		{name: "netease sender mismatch", reply: "554 DT:SUM 信封发件人和信头发件人不匹配",
			receiver: "netease", reason: "Envelope and header sender differ", category: CategoryAuthentication},
		{name: "netease spam", reply: "554 DT:SPM 发送的邮件内容包含了未被许可的信息,或被系统识别为垃圾邮件.",
			receiver: "netease", reason: "Suspected spam", category: CategoryContent},
		{name: "orange dmarc", reply: "571 5.7.1 Message refused, DMARC verification Failed.", host: "smtp-in.orange.fr",
			receiver: "orange", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "orange dmarc french", reply: "550 5.7.1 Message refuse, verification DMARC en echec LPN007_517",
			receiver: "orange", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "orange spf", reply: "550 5.5.0 SPF: 192.0.2.1 is not allowed to send mail. LPN004_401",
			receiver: "orange", reason: "SPF check failed", category: CategoryAuthentication},
		{name: "comcast dmarc", reply: "550 5.2.0 Message rejected due to DMARC. Please see http://postmaster.comcast.net/smtp-error-codes.php#DM000001",
			receiver: "comcast", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "comcast ptr", reply: "554 resimta-h1p-0.sys.comcast.net comcast 192.0.2.11 Comcast requires that all mail servers must have a PTR record with a valid Reverse DNS entry.",
			receiver: "comcast", reason: "No reverse DNS", category: CategoryReputation},
		{name: "gmx spf", reply: "550 <user@example.com>: Reject due to SPF policy. The originating IP of the message is not permitted by the domain owner", host: "mx00.emig.gmx.net",
			receiver: "gmx", reason: "SPF check failed", category: CategoryAuthentication},
		{name: "zoho dmarc", reply: "550 5.7.1 Email rejected per DMARC policy for example.org",
			receiver: "zoho", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "unknown receiver dmarc, generic", reply: "550 5.7.1 Message rejected: DMARC policy violation for example.org",
			receiver: "", reason: "DMARC check failed", category: CategoryAuthentication},
		{name: "unknown receiver, no DMARC record", reply: "550 5.7.1 Rejected: the sender domain has no DMARC record",
			receiver: "", reason: "No DMARC record", category: CategoryAuthentication},
		{name: "unknown receiver spf, generic", reply: "550 5.7.23 Sender 192.0.2.8 not permitted by SPF for example.org",
			receiver: "", reason: "SPF check failed", category: CategoryAuthentication},

		{name: "Chinese NDR text, fullwidth colon", reply: "发送失败原因：550 Mail content denied. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726",
			receiver: "qq", reason: "Mail content denied", category: CategoryContent},

		// Unknown receivers and replies.
		{name: "text starting with an IP after the enhanced code", reply: "550 5.7.1 192.0.2.4 is not allowed to send mail from example.org",
			receiver: "", reason: "SPF check failed", category: CategoryAuthentication},
		{name: "not authorized to send to a recipient is not SPF", reply: "Remote Server returned '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized to send to recipient'",
			receiver: "", reason: "Refused by policy", category: CategoryPolicy},
		{name: "microsoft block list", reply: "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
			host: "outlook-com.olc.protection.outlook.com", receiver: "microsoft", reason: "Sender block-listed", category: CategoryReputation},
		{name: "yahoo TSS04", reply: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
			receiver: "yahoo", reason: "Temporarily deferred", category: CategoryRate, retry: true},
		{name: "generic user unknown", reply: "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
			receiver: "", reason: "Mailbox not found", category: CategoryRecipient},
		{name: "generic mailbox full 452", reply: "452 4.2.2 The email account that you tried to reach is over quota.",
			receiver: "", reason: "Mailbox full", category: CategoryRecipient, retry: true},
		{name: "enhanced code only", reply: "550 5.1.1 Computer says no",
			receiver: "", reason: "Mailbox not found", category: CategoryRecipient},
		{name: "unrecognised", reply: "550 Transaction failed ref 7781",
			receiver: "", reason: ReasonUnrecognised, category: CategoryUnknown},
		{name: "unrecognised 4xx retries", reply: "421 Transaction failed ref 12",
			receiver: "", reason: ReasonUnrecognised, category: CategoryUnknown, retry: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rc := Recipient{RemoteMTA: tt.host, FinalRecipient: tt.recipient}
			if s, ok := findReply(tt.reply); ok {
				applySegment(&rc, s)
			} else if m := genericReplyRE.FindStringSubmatch(tt.reply); m != nil {
				rc.Reply = ParseReply(m[1])
			} else {
				rc.Reply = ParseReply(tt.reply)
			}
			d := Classify(rc)
			if d.Receiver != tt.receiver || d.Reason != tt.reason || d.Category != tt.category || d.Retry != tt.retry {
				t.Errorf("got receiver=%q reason=%q category=%q retry=%v (rule %s, text %q); want %q %q %q %v",
					d.Receiver, d.Reason, d.Category, d.Retry, d.Rule, rc.Reply.Text, tt.receiver, tt.reason, tt.category, tt.retry)
			}
			if d.ClientIP != tt.ip {
				t.Errorf("ClientIP = %q, want %q", d.ClientIP, tt.ip)
			}
			if tt.helpURL != "" && d.HelpURL != tt.helpURL {
				t.Errorf("HelpURL = %q, want %q", d.HelpURL, tt.helpURL)
			}
			if d.Receiver == ReceiverQQ && d.Enhanced != "" {
				t.Errorf("QQ diagnosis carries enhanced code %q; QQ sends none", d.Enhanced)
			}
			if d.Recognised == (d.Reason == ReasonUnrecognised) {
				t.Errorf("Recognised = %v with reason %q", d.Recognised, d.Reason)
			}
		})
	}
}

// TestRulesTable checks the table itself: unique IDs, valid patterns, and
// every rule carrying what a diagnosis must say.
func TestRulesTable(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	cats := map[Category]bool{CategoryAuthentication: true, CategoryRecipient: true, CategoryContent: true,
		CategoryReputation: true, CategoryRate: true, CategorySyntax: true, CategoryPolicy: true, CategoryNetwork: true,
		CategorySystem: true}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule ID %q", r.ID)
		}
		seen[r.ID] = true
		if r.Match != "" {
			if _, err := regexp.Compile(r.Match); err != nil {
				t.Errorf("%s: %v", r.ID, err)
			}
			if r.Match != strings.ToLower(r.Match) {
				t.Errorf("%s: pattern %q has upper case; it is matched against lower-cased text", r.ID, r.Match)
			}
		}
		if r.Match == "" && len(r.Enhanced) == 0 {
			t.Errorf("%s: matches nothing (no pattern, no enhanced codes)", r.ID)
		}
		if r.Reason == "" || r.Meaning == "" || r.Action == "" || r.Provenance == "" || r.Confidence == "" {
			t.Errorf("%s: missing reason, meaning, action, provenance or confidence", r.ID)
		}
		if !cats[r.Category] {
			t.Errorf("%s: category %q is not one of the contract's", r.ID, r.Category)
		}
		if r.Receiver != "" && !known(r.Receiver) {
			t.Errorf("%s: unknown receiver %q", r.ID, r.Receiver)
		}
	}
}

// TestRuleTextsPublic: what a user reads about a rule (its provenance,
// meaning, action, and the notes Classify adds) cites public sources, never
// the project's own research notes or how a rule was first written.
func TestRuleTextsPublic(t *testing.T) {
	t.Parallel()
	internal := regexp.MustCompile(`(?i)receivers(?:-2)?\.md|\bseed\b|issue 14`)
	for _, r := range Rules() {
		for name, s := range map[string]string{"provenance": r.Provenance, "meaning": r.Meaning, "action": r.Action, "reason": r.Reason} {
			if internal.MatchString(s) {
				t.Errorf("%s: %s cites an internal document: %q", r.ID, name, s)
			}
		}
		if !strings.Contains(r.Provenance, "http") && !strings.Contains(r.Provenance, "RFC") && !strings.Contains(r.Provenance, "[I]") {
			t.Errorf("%s: provenance %q names no public source (URL or RFC) and is not marked inferred [I]", r.ID, r.Provenance)
		}
	}
	rc := Recipient{FinalRecipient: "a@qq.com", RemoteMTA: "mx3.qq.com", Reply: ParseReply("550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725")}
	for _, n := range Classify(rc).Notes {
		if internal.MatchString(n) {
			t.Errorf("note cites an internal document: %q", n)
		}
	}
}
