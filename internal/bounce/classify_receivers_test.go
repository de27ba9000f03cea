package bounce

import "testing"

// TestClassifyNeverCriesWolf runs the receivers' reply texts of
// research/receivers-2.md and the refusals that only look like
// authentication through the classifier: authentication is claimed when the
// reply says SPF, DKIM or DMARC failed, and only then.
func TestClassifyNeverCriesWolf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reply    string
		host     string
		reason   string
		category Category
		recheck  bool
	}{
		// Gmail, receivers-2.md 1.
		{name: "gmail 5.7.26 dmarc", host: "gmail-smtp-in.l.google.com",
			reply:  "550-5.7.26 Unauthenticated email from example.jp is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of example.jp domain if 550-5.7.26 this was a legitimate mail. 550 5.7.26 https://support.google.com/mail/?p=DmarcRejection - gsmtp",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		{name: "gmail 4.7.26 dmarc dns", host: "gmail-smtp-in.l.google.com",
			reply:  "451 4.7.26 Unauthenticated email from example.jp is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication.",
			reason: "DMARC temporary error", category: CategoryAuthentication, recheck: true},
		{name: "gmail 2019 5.7.1 no authentication information", host: "aspmx.l.google.com",
			reply:  "550-5.7.1 This message does not have authentication information or fails to pass 550-5.7.1 authentication checks. To best protect our users from spam, the 550-5.7.1 message has been blocked. 550 5.7.1 https://support.google.com/mail/answer/81126#authentication - gsmtp",
			reason: ReasonUnauth, category: CategoryAuthentication, recheck: true},
		{name: "gmail 5.7.1 no authentication information, relayed without a host",
			reply:  "550-5.7.1 This message does not have authentication information or fails to pass 550 5.7.1 authentication checks.",
			reason: ReasonUnauth, category: CategoryAuthentication, recheck: true},
		{name: "gmail 2022 SPF and DKIM both do not pass", host: "gmail-smtp-in.l.google.com",
			reply:  "550-5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass). SPF check for [aspades.xyz] does not pass with ip: [75.127.7.127].",
			reason: ReasonUnauth, category: CategoryAuthentication, recheck: true},
		{name: "gmail 421 4.7.26 rate limited unauthenticated", host: "gmail-smtp-in.l.google.com",
			reply:  "421-4.7.26 This email has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
			reason: ReasonUnauth, category: CategoryAuthentication, recheck: true},
		{name: "gmail 5.7.27 bulk spf", host: "gmail-smtp-in.l.google.com",
			reply:  "550 5.7.27 This message was blocked because it didn't pass SPF authentication. Gmail requires all bulk email senders to authenticate their email with SPF.",
			reason: ReasonSPF, category: CategoryAuthentication, recheck: true},
		{name: "gmail 4.7.30 bulk dkim", host: "gmail-smtp-in.l.google.com",
			reply:  "421 4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message. Gmail requires all email bulk senders to authenticate their email with DKIM.",
			reason: ReasonDKIM, category: CategoryAuthentication, recheck: true},
		{name: "gmail 5.7.32 alignment", host: "gmail-smtp-in.l.google.com",
			reply:  "550 5.7.32 Your email has been blocked because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
			reason: "From not aligned", category: CategoryAuthentication, recheck: true},
		{name: "gmail 4.7.32 early text", host: "gmail-smtp-in.l.google.com",
			reply:  "421 4.7.32 This mail has been rate limited because there is no DMARC alignment",
			reason: "From not aligned", category: CategoryAuthentication, recheck: true},
		{name: "gmail 5.7.40 no dmarc record", host: "gmail-smtp-in.l.google.com",
			reply:  "550 5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy.",
			reason: "No DMARC record", category: CategoryAuthentication, recheck: true},
		{name: "gmail 4.7.24 suspicious spf", host: "gmail-smtp-in.l.google.com",
			reply:  "451 4.7.24 The SPF record of the sending domain has one or more suspicious entries. To protect our users from spam, email sent from your IP address has been temporarily rate limited.",
			reason: "Suspicious SPF record", category: CategoryAuthentication, recheck: true},
		{name: "gmail 5.7.29 tls is not authentication", host: "gmail-smtp-in.l.google.com",
			reply:  "550 5.7.29 Your email has been blocked because you're not using a TLS connection.",
			reason: "TLS required", category: CategoryPolicy},
		{name: "gmail unsolicited is spam, not authentication", host: "gmail-smtp-in.l.google.com",
			reply:  "550-5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.",
			reason: "Suspected spam", category: CategoryContent},
		{name: "google groups spam classification with SPF advice", host: "googlemail.com",
			reply:  "Your email to group kijitora@example.com was rejected due to spam classification. To address this issue: * Contact the owner of the group. * Set up SPF records for your sending domain if you have not done so already.",
			reason: "Suspected spam", category: CategoryContent},
		// Yahoo / AOL / Yahoo! JAPAN, receivers-2.md 2.
		{name: "yahoo 554 5.7.9 policy reasons", host: "mta7.am0.yahoodns.net",
			reply:  "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		{name: "yahoo 550 5.7.9 unauthenticated", host: "mta6.am0.yahoodns.net",
			reply:  "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.",
			reason: ReasonUnauth, category: CategoryAuthentication, recheck: true},
		{name: "yahoo PH01 is content", host: "mta6.am0.yahoodns.net",
			reply:  "554 Message not allowed - [PH01] Email not accepted for policy reasons.",
			reason: "Refused by content policy", category: CategoryContent},
		{name: "yahoo japan 895",
			reply:  "554 5.7.9 DM Email not accepted for policy reasons [895]",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		// Microsoft, receivers-2.md 3.
		{name: "microsoft 5.7.509",
			reply:  "550 5.7.509 Access denied, sending domain EXAMPLE.JP does not pass DMARC verification and has a DMARC policy of reject.",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		{name: "microsoft 5.7.515",
			reply:  "550 5.7.515 Access denied, sending domain NYAAAAN.EXAMPLE.JP doesn't meet the required authentication level. Spf= Fail , Dkim= Pass , DMARC= Pass",
			reason: "Authentication requirements not met", category: CategoryAuthentication, recheck: true},
		{name: "microsoft 5.7.512 is the From header",
			reply:  "550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant",
			reason: "From header not RFC 5322 compliant", category: CategorySyntax},
		// Apple iCloud, receivers-2.md 4.
		{name: "icloud dmarc", host: "mx01.mail.icloud.com",
			reply:  "554 5.7.1 Your message was rejected due to example.org's DMARC policy. See https://support.apple.com/en-us/HT204137 for info",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		{name: "icloud HME1", host: "mx02.mail.icloud.com",
			reply:  "554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication checks. See https://support.apple.com/en-us/HT204137",
			reason: ReasonUnauth, category: CategoryAuthentication, recheck: true},
		{name: "icloud CS01 local policy", host: "mx02.mail.icloud.com",
			reply:  "550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137",
			reason: "Refused by policy", category: CategoryPolicy},
		// Mail.ru, receivers-2.md 6.
		{name: "mail.ru dmarc", host: "mxs.mail.ru",
			reply:  "550 5.7.1 This message was not accepted due to domain (example.org) owner DMARC policy (RFC 7489) https://help.mail.ru/mail-help/postmaster/dmarc",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		{name: "mail.ru spam", host: "mxs.mail.ru",
			reply:  "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=1 or report details to abuse@corp.mail.ru.",
			reason: "Suspected spam", category: CategoryContent},
		// NetEase / Coremail, receivers-2.md 5.
		{name: "netease MI:DMA", host: "163mx01.mxmail.netease.com",
			reply:  "550 MI:DMA 该邮件未被发信域的DMARC许可。请参考http://dmarc.org/关于DMARC规范的定义；",
			reason: ReasonDMARC, category: CategoryAuthentication, recheck: true},
		{name: "netease MI:SPF", host: "mx14.mxmail.netease.com",
			reply:  "550 MI:SPF mx14,QMCowECpA0qTiftVaeB3Cg--.872S2 1442548128 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.177&hostid=mx14&time=1442548128",
			reason: ReasonSPF, category: CategoryAuthentication, recheck: true},
		{name: "netease DT:SUM", reply: "554 DT:SUM 信封发件人和信头发件人不匹配；",
			reason: "Envelope and header sender differ", category: CategoryAuthentication, recheck: true},
		{name: "netease DT:SPM", reply: "554 DT:SPM 163 mx13,P8CowECpNVM_oEVaenoEAQ--.23796S3 1514512449, please try again 15min later",
			reason: "Suspected spam", category: CategoryContent},
		// QQ, receivers-2.md 9.
		{name: "qq dns check", host: "mx3.qq.com",
			reply:  "550 Domain may not exist or DNS check failed [MAn2ccjsT8/dGXHYYcKAYpVkzXagYb6X+4VyrfnG+iZyT3eGcyUjin64l9/0DGsKBA== IP: 192.0.2.233].",
			reason: "Domain may not exist or DNS check failed", category: CategoryPolicy, recheck: true},
		// Refusals that only look like authentication.
		{name: "smtp auth at a relay", reply: "550 Unauthenticated senders not allowed",
			reason: ReasonSMTPAuth, category: CategoryPolicy},
		{name: "smtp auth required", reply: "530 5.7.0 Authentication required",
			reason: ReasonSMTPAuth, category: CategoryPolicy},
		{name: "relay access denied", reply: "554 5.7.1 <x@example.net>: Relay access denied",
			reason: "Relaying denied", category: CategoryPolicy},
		{name: "bad SPF records is SPF", reply: "550 Bad SPF records for [example.org:192.0.2.2], see http://spf.pobox.com/",
			reason: ReasonSPF, category: CategoryAuthentication, recheck: true},
		{name: "spf as advice in a block-list refusal",
			reply:  "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org. Please check your SPF record.",
			reason: "Sender block-listed", category: CategoryReputation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Classify(Recipient{RemoteMTA: tt.host, Reply: ParseReply(tt.reply)})
			if d.Reason != tt.reason || d.Category != tt.category || d.NeedsRecheck() != tt.recheck {
				t.Errorf("got %q %q recheck=%v (rule %s); want %q %q recheck=%v", d.Reason, d.Category, d.NeedsRecheck(), d.Rule,
					tt.reason, tt.category, tt.recheck)
			}
			if d.Meaning == "" || d.Action == "" {
				t.Errorf("empty meaning or action: %+v", d)
			}
		})
	}
}
