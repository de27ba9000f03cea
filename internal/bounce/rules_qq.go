package bounce

// qqRules are QQ Mail's and Tencent Exmail's replies (receivers.md section a,
// receivers-2.md section 9).
var qqRules = []Rule{
	// --- QQ Mail / Tencent Exmail (receivers.md section a) ---
	{
		ID: "qq.dmarc", Receiver: ReceiverQQ, Match: `^dmarc check failed`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "The message failed DMARC at QQ: neither SPF nor DKIM passed in alignment with the From domain, and the " +
			"domain's policy is p=reject (the only policy QQ is known to bounce for), so QQ refused it at end of DATA. " +
			"The reply does not say which of SPF or DKIM failed: re-check the message to find out.",
		Action:  dmarcAction,
		HelpURL: tencentDMARCPage, Confidence: ConfidenceHigh,
		Provenance: "real bounce in the Sisimai corpus https://github.com/sisimai/set-of-emails, maildir/bsd/rhost-tencent-03.eml (added 2024-02-02); Postmark SMTP Field Manual https://smtp.codes/qq (entry added 2021-01-19); Tencent, DMARC guide https://open.work.weixin.qq.com/help2/pc/19819 (crawled 2026-03-26)",
	},
	{
		ID: "qq.spf", Receiver: ReceiverQQ, Match: `^spf check failed`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning: "QQ evaluated SPF for the MAIL FROM (Return-Path) domain and the sending IP (shown in the reply's IP: block) " +
			"is not authorised; QQ rejects SPF failures on their own, even when DMARC is not enforcing " +
			"(whether a ~all softfail alone triggers it is not known).",
		Action:  spfAction,
		HelpURL: qqDetail + "122/72", Confidence: ConfidenceHigh,
		Provenance: "real bounces: osst-users@lists.sourceforge.net DSNs (2020-11) and the Postfix log in https://github.com/elttwl/smtp-server (README, 2025); QQ help http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=417&&id=48 (forged mail returned when the IP is not in SPF)",
	},
	{
		ID: "qq.dns-check", Receiver: ReceiverQQ, Match: `^domain may not exist or dns check failed`,
		Reason: "Domain may not exist or DNS check failed", Category: CategoryPolicy, Recheck: true,
		Meaning: "QQ checked the sender in DNS and one check failed; the reply does not say which. In the cases seen, the sending host had a " +
			"HELO name that was not a resolvable FQDN, no reverse DNS, and a MAIL FROM / From domain whose SPF did not list the IP: the MAIL FROM " +
			"or From domain may not resolve, the sending IP may lack a PTR, or SPF may fail.",
		Action: "Make sure the MAIL FROM (Return-Path) and From domains exist (MX or A records), the sending IP has a PTR record whose name " +
			"resolves back to it, the HELO name is that FQDN, and SPF authorises the IP; then run `preflight check` on the message.",
		Confidence: ConfidenceMedium,
		Provenance: "real bounces: sourceforge list-archive DSNs (2020-05-13, 2020-05-19) and a Postfix log parser's README (2024-01-05); https://github.com/Macr0phag3/email_hack/issues/8 (2020-07-28); which check triggers it is not known",
	},
	{
		ID: "qq.mailbox-not-found", Receiver: ReceiverQQ, Match: `^mailbox not found`,
		Reason: "Mailbox not found", Category: CategoryRecipient,
		Meaning: "The recipient address does not exist at QQ.",
		Action:  "Remove the address from the list or correct it; do not retry.",
		HelpURL: qqDetail + "122/169", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1000728); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/169",
	},
	{
		ID: "qq.mailbox-unavailable", Receiver: ReceiverQQ, Match: `^mailbox unavailable or access denied|^frequency of receiving messages is limited`,
		Reason: "Mailbox unavailable or access denied", Category: CategoryRecipient, Retry: true,
		Meaning: "QQ is temporarily refusing mail for this mailbox: the recipient is receiving a large number of messages " +
			"in a short time and QQ blocks senders to protect it (it is also returned for suspended mailboxes).",
		Action:  "Retry later at a lower rate; if it persists for days, treat the mailbox as unavailable and suppress it.",
		HelpURL: qqDetail + "122/166", Confidence: ConfidenceMedium,
		Provenance: "real bounces: osst-users@lists.sourceforge.net DSNs (2020-11); Postmark SMTP Field Manual https://smtp.codes/qq (help no=1000742); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/166; Tencent WeCom help https://open.work.weixin.qq.com/help2/pc/20057",
	},
	{
		ID: "qq.deactivated", Receiver: ReceiverQQ, Match: `is a deactivated mailbox`,
		Reason: "Mailbox deactivated", Category: CategoryRecipient,
		Meaning:    "The QQ mailbox has been deactivated.",
		Action:     "Remove the address from the list; do not retry.",
		Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025)",
	},
	{
		ID: "qq.rejected-by-recipient", Receiver: ReceiverQQ, Match: `^mail is rejected by recipients`,
		Reason: "Mail is rejected by recipients", Category: CategoryRecipient,
		Meaning: "The recipient has put the sender on a personal block list, or a filter rule the recipient created rejected the message.",
		Action:  "Nothing to fix on the sending side: stop mailing this recipient unless they ask for the mail and unblock the sender.",
		HelpURL: qqDetail + "0/92", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1001262); forwardemail helpers/get-bounce-info.js https://github.com/forwardemail/forwardemail.net (pages 0/92, 122/92); Tencent WeCom help https://open.work.weixin.qq.com/help2/pc/20051",
	},
	{
		ID: "qq.content-denied", Receiver: ReceiverQQ, Match: `^mail content denied`,
		Reason: "Mail content denied", Category: CategoryContent,
		Meaning: "QQ's content filter refused the message: its content looks like bulk mail that many users reported as spam.",
		Action: "Change the content (links, URL shorteners, images-only mail, spammy wording), check that links' domains are not block-listed, " +
			"send to engaged recipients only, and test with a small batch before retrying.",
		HelpURL: qqDetail + "122/171", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1000726); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/171; real bounces https://github.com/Jinnrry/PMail/issues/220 (2024-11) and https://github.com/YMFE/yapi/issues/1964 (2020)",
	},
	{
		ID: "qq.spam-embedded", Receiver: ReceiverQQ, Match: `^spam is embedded in the email`,
		Reason: "Spam is embedded in the email", Category: CategoryContent,
		Meaning: "QQ found content it classifies as spam inside the message (links, attachments or quoted text).",
		Action:  "Remove the flagged content or links and retry with a test message.",
		HelpURL: qqDetail + "122/59", Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/59",
	},
	{
		ID: "qq.sender-frequency", Receiver: ReceiverQQ, Match: `^sender frequency limited`,
		Reason: "Sender frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending address exceeded QQ's undisclosed per-sender limit (per hour or per day); further mail is refused for a while.",
		Action:  rateAction,
		HelpURL: qqDetail + "122/174", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1000723); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help pages 122/172-175",
	},
	{
		ID: "qq.ip-frequency", Receiver: ReceiverQQ, Match: `^ip frequency limited`,
		Reason: "IP frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending IP exceeded QQ's undisclosed per-IP limit; QQ also shows this to new or low-reputation IPs at low volume.",
		Action:  rateAction + " Warm up new IPs gradually (about 4,000 messages per hour per IP is a common guideline).",
		HelpURL: qqDetail + "122/172", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1000725); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help pages 122/172-175; Validity, Tencent QQMail overview https://knowledge.validity.com/hc/en-us/articles/220562127-Tencent-QQMail-overview; https://www.computersolutions.cn/blog/qq-mail-550-ip-frequency-limited-errors-and-how-to-solve-them/ (limits shown at low volume)",
	},
	{
		ID: "qq.domain-frequency", Receiver: ReceiverQQ, Match: `^domain frequency limited`,
		Reason: "Domain frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending domain exceeded QQ's undisclosed per-domain limit.",
		Action:  rateAction,
		HelpURL: qqDetail + "122/173", Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help pages 122/172-175",
	},
	{
		ID: "qq.connection-frequency", Receiver: ReceiverQQ, Match: `^connection frequency limited`,
		Reason: "Connection frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending IP opened too many connections to QQ in a short time.",
		Action:  "Lower the number of concurrent connections and connection rate to QQ's MX hosts, reuse connections, and retry later.",
		HelpURL: qqDetail + "122/175", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1000722); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help pages 122/172-175",
	},
	{
		ID: "qq.suspected-spam-sender", Receiver: ReceiverQQ, Match: `^suspected spam sender`,
		Reason: "Suspected spam sender", Category: CategoryReputation,
		Meaning: "QQ believes the sending domain or mail operator has sent a large amount of spam.",
		Action: "Clean the list (remove unengaged and unknown addresses), make sure SPF, DKIM and DMARC pass, set a PTR record, " +
			"and ask for review at https://openmail.qq.com/ before sending again.",
		Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (help no=1001461)",
	},
	{
		ID: "qq.suspected-spam-ip", Receiver: ReceiverQQ, Match: `^suspected spam ip`,
		Reason: "Suspected spam IP", Category: CategoryReputation,
		Meaning: "QQ believes the sending IP sends spam.",
		Action:  "Check the IP against public block lists, stop any compromised or unauthenticated sending from it, and ask for review at https://openmail.qq.com/ or send from another IP.",
		HelpURL: qqDetail + "122/66", Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/66",
	},
	{
		ID: "qq.suspected-bounce-attack", Receiver: ReceiverQQ, Match: `^suspected bounce attacks?`,
		Reason: "Suspected bounce attacks", Category: CategoryReputation,
		Meaning: "QQ took the message for backscatter: a bounce or auto-reply (usually with an empty MAIL FROM) sent to a QQ address that did not send the original mail.",
		Action:  "Do not send bounces or auto-replies to forged senders: reject unwanted mail during the SMTP session instead of bouncing it afterwards, and do not auto-reply to spam.",
		HelpURL: qqDetail + "122/57", Confidence: ConfidenceMedium,
		Provenance: "forwardemail helpers/get-bounce-info.js https://github.com/forwardemail/forwardemail.net; go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/57",
	},
	{
		ID: "qq.suspected-spam", Receiver: ReceiverQQ, Match: `^suspected spam`,
		Reason: "Suspected spam", Category: CategoryContent,
		Meaning: "QQ's filters judged this message to be spam.",
		Action:  "Review content and list quality, make sure SPF, DKIM and DMARC pass, and retry with a small test batch.",
		HelpURL: qqDetail + "122/71", Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/71",
	},
	{
		ID: "qq.connection-denied", Receiver: ReceiverQQ, Match: `^connection denied`,
		Reason: "Connection denied", Category: CategoryReputation,
		Meaning: "QQ refused the connection from the sending IP.",
		Action:  "Check the IP's reputation and PTR record and ask for review at https://openmail.qq.com/.",
		HelpURL: qqDetail + "122/170", Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/170",
	},
	{
		ID: "qq.too-large", Receiver: ReceiverQQ, Match: `^message too large`,
		Reason: "Message too large", Category: CategoryContent,
		Meaning: "The message is larger than QQ accepts.",
		Action:  "Make the message smaller: link to large files instead of attaching them.",
		HelpURL: qqDetail + "122/168", Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/168",
	},
	{
		ID: "qq.bad-address-syntax", Receiver: ReceiverQQ, Match: `^bad address syntax`,
		Reason: "Bad address syntax", Category: CategorySyntax,
		Meaning: "The recipient (or sender) address is not a valid address.",
		Action:  "Fix or remove the malformed address; do not retry it as is.",
		HelpURL: qqDetail + "122/167", Confidence: ConfidenceHigh,
		Provenance: "Postmark SMTP Field Manual https://smtp.codes/qq (501, help no=1000730); go-sisimai rhost/for-tencent.go https://github.com/sisimai/go-sisimai (2025), help page 122/167",
	},
	{
		ID: "qq.submission-content", Receiver: ReceiverQQ, Match: `may contain inappropriate words or content`,
		Reason: "Inappropriate content (submission)", Category: CategoryContent,
		Meaning:    "smtp.qq.com refused to send this message through a QQ account; this comes from QQ's submission server, not from QQ's MX.",
		Action:     "Change the message content; this is not a deliverability problem of your own domain.",
		Confidence: ConfidenceMedium,
		Provenance: "submission replies of smtp.qq.com quoted in public bounce-handling code (not seen from QQ's inbound MX) [I]",
	},
}
