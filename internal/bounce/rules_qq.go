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
		Provenance: "receivers.md a.1 Q1-Q4, a.2 'DMARC, old format' (Sisimai rhost-tencent-03, Postmark smtp.codes/qq); seed",
	},
	{
		ID: "qq.spf", Receiver: ReceiverQQ, Match: `^spf check failed`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning: "QQ evaluated SPF for the MAIL FROM (Return-Path) domain and the sending IP (shown in the reply's IP: block) " +
			"is not authorised; QQ rejects SPF failures on their own, even when DMARC is not enforcing " +
			"(whether a ~all softfail alone triggers it is not known).",
		Action:  spfAction,
		HelpURL: qqDetail + "122/72", Confidence: ConfidenceHigh,
		Provenance: "receivers.md a.1 Q8, a.2 'SPF, 2020' and 'SPF, 2025'",
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
		Provenance: "receivers-2.md 9 ('Domain may not exist or DNS check failed', 2020 and 2024 samples; trigger unknown)",
	},
	{
		ID: "qq.mailbox-not-found", Receiver: ReceiverQQ, Match: `^mailbox not found`,
		Reason: "Mailbox not found", Category: CategoryRecipient,
		Meaning: "The recipient address does not exist at QQ.",
		Action:  "Remove the address from the list or correct it; do not retry.",
		HelpURL: qqDetail + "122/169", Confidence: ConfidenceHigh,
		Provenance: "seed; receivers.md a.2 old format (no=1000728) and Sisimai page 122/169",
	},
	{
		ID: "qq.mailbox-unavailable", Receiver: ReceiverQQ, Match: `^mailbox unavailable or access denied|^frequency of receiving messages is limited`,
		Reason: "Mailbox unavailable or access denied", Category: CategoryRecipient, Retry: true,
		Meaning: "QQ is temporarily refusing mail for this mailbox: the recipient is receiving a large number of messages " +
			"in a short time and QQ blocks senders to protect it (it is also returned for suspended mailboxes).",
		Action:  "Retry later at a lower rate; if it persists for days, treat the mailbox as unavailable and suppress it.",
		HelpURL: qqDetail + "122/166", Confidence: ConfidenceMedium,
		Provenance: "seed; receivers.md a.2 (2020 DSN, old no=1000742, new 122/166, Exmail help2/pc/20057)",
	},
	{
		ID: "qq.deactivated", Receiver: ReceiverQQ, Match: `is a deactivated mailbox`,
		Reason: "Mailbox deactivated", Category: CategoryRecipient,
		Meaning:    "The QQ mailbox has been deactivated.",
		Action:     "Remove the address from the list; do not retry.",
		Confidence: ConfidenceMedium,
		Provenance: "go-sisimai rhost/for-tencent.go (source cited in receivers.md a.2)",
	},
	{
		ID: "qq.rejected-by-recipient", Receiver: ReceiverQQ, Match: `^mail is rejected by recipients`,
		Reason: "Mail is rejected by recipients", Category: CategoryRecipient,
		Meaning: "The recipient has put the sender on a personal block list, or a filter rule the recipient created rejected the message.",
		Action:  "Nothing to fix on the sending side: stop mailing this recipient unless they ask for the mail and unblock the sender.",
		HelpURL: qqDetail + "0/92", Confidence: ConfidenceHigh,
		Provenance: "seed; receivers.md a.2 (old no=1001262, new 0/92 and 122/92, Exmail help2/pc/20051)",
	},
	{
		ID: "qq.content-denied", Receiver: ReceiverQQ, Match: `^mail content denied`,
		Reason: "Mail content denied", Category: CategoryContent,
		Meaning: "QQ's content filter refused the message: its content looks like bulk mail that many users reported as spam.",
		Action: "Change the content (links, URL shorteners, images-only mail, spammy wording), check that links' domains are not block-listed, " +
			"send to engaged recipients only, and test with a small batch before retrying.",
		HelpURL: qqDetail + "122/171", Confidence: ConfidenceHigh,
		Provenance: "seed; receivers.md a.2 (old no=1000726, new 122/171, PMail issue 220, yapi issue 1964)",
	},
	{
		ID: "qq.spam-embedded", Receiver: ReceiverQQ, Match: `^spam is embedded in the email`,
		Reason: "Spam is embedded in the email", Category: CategoryContent,
		Meaning: "QQ found content it classifies as spam inside the message (links, attachments or quoted text).",
		Action:  "Remove the flagged content or links and retry with a test message.",
		HelpURL: qqDetail + "122/59", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 help-page table (Sisimai mapping, page 122/59)",
	},
	{
		ID: "qq.sender-frequency", Receiver: ReceiverQQ, Match: `^sender frequency limited`,
		Reason: "Sender frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending address exceeded QQ's undisclosed per-sender limit (per hour or per day); further mail is refused for a while.",
		Action:  rateAction,
		HelpURL: qqDetail + "122/174", Confidence: ConfidenceHigh,
		Provenance: "seed; receivers.md a.2 (old no=1000723, new 122/172-175)",
	},
	{
		ID: "qq.ip-frequency", Receiver: ReceiverQQ, Match: `^ip frequency limited`,
		Reason: "IP frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending IP exceeded QQ's undisclosed per-IP limit; QQ also shows this to new or low-reputation IPs at low volume.",
		Action:  rateAction + " Warm up new IPs gradually (about 4,000 messages per hour per IP is a common guideline).",
		HelpURL: qqDetail + "122/172", Confidence: ConfidenceHigh,
		Provenance: "receivers.md a.2 (old no=1000725, new 122/172-175), a.5 (Validity guideline), a.6 (misleading frequency errors)",
	},
	{
		ID: "qq.domain-frequency", Receiver: ReceiverQQ, Match: `^domain frequency limited`,
		Reason: "Domain frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending domain exceeded QQ's undisclosed per-domain limit.",
		Action:  rateAction,
		HelpURL: qqDetail + "122/173", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 help-page table (122/172-175)",
	},
	{
		ID: "qq.connection-frequency", Receiver: ReceiverQQ, Match: `^connection frequency limited`,
		Reason: "Connection frequency limited", Category: CategoryRate, Retry: true,
		Meaning: "The sending IP opened too many connections to QQ in a short time.",
		Action:  "Lower the number of concurrent connections and connection rate to QQ's MX hosts, reuse connections, and retry later.",
		HelpURL: qqDetail + "122/175", Confidence: ConfidenceHigh,
		Provenance: "receivers.md a.2 (old no=1000722, new 122/172-175)",
	},
	{
		ID: "qq.suspected-spam-sender", Receiver: ReceiverQQ, Match: `^suspected spam sender`,
		Reason: "Suspected spam sender", Category: CategoryReputation,
		Meaning: "QQ believes the sending domain or mail operator has sent a large amount of spam.",
		Action: "Clean the list (remove unengaged and unknown addresses), make sure SPF, DKIM and DMARC pass, set a PTR record, " +
			"and ask for review at https://openmail.qq.com/ before sending again.",
		Confidence: ConfidenceHigh,
		Provenance: "seed; receivers.md a.2 (old no=1001461)",
	},
	{
		ID: "qq.suspected-spam-ip", Receiver: ReceiverQQ, Match: `^suspected spam ip`,
		Reason: "Suspected spam IP", Category: CategoryReputation,
		Meaning: "QQ believes the sending IP sends spam.",
		Action:  "Check the IP against public block lists, stop any compromised or unauthenticated sending from it, and ask for review at https://openmail.qq.com/ or send from another IP.",
		HelpURL: qqDetail + "122/66", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 help-page table (122/66)",
	},
	{
		ID: "qq.suspected-bounce-attack", Receiver: ReceiverQQ, Match: `^suspected bounce attacks?`,
		Reason: "Suspected bounce attacks", Category: CategoryReputation,
		Meaning: "QQ took the message for backscatter: a bounce or auto-reply (usually with an empty MAIL FROM) sent to a QQ address that did not send the original mail.",
		Action:  "Do not send bounces or auto-replies to forged senders: reject unwanted mail during the SMTP session instead of bouncing it afterwards, and do not auto-reply to spam.",
		HelpURL: qqDetail + "122/57", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 new format (forwardemail get-bounce-info.js), help-page table (122/57)",
	},
	{
		ID: "qq.suspected-spam", Receiver: ReceiverQQ, Match: `^suspected spam`,
		Reason: "Suspected spam", Category: CategoryContent,
		Meaning: "QQ's filters judged this message to be spam.",
		Action:  "Review content and list quality, make sure SPF, DKIM and DMARC pass, and retry with a small test batch.",
		HelpURL: qqDetail + "122/71", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 help-page table (122/71)",
	},
	{
		ID: "qq.connection-denied", Receiver: ReceiverQQ, Match: `^connection denied`,
		Reason: "Connection denied", Category: CategoryReputation,
		Meaning: "QQ refused the connection from the sending IP.",
		Action:  "Check the IP's reputation and PTR record and ask for review at https://openmail.qq.com/.",
		HelpURL: qqDetail + "122/170", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 help-page table (122/170)",
	},
	{
		ID: "qq.too-large", Receiver: ReceiverQQ, Match: `^message too large`,
		Reason: "Message too large", Category: CategoryContent,
		Meaning: "The message is larger than QQ accepts.",
		Action:  "Make the message smaller: link to large files instead of attaching them.",
		HelpURL: qqDetail + "122/168", Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 help-page table (122/168)",
	},
	{
		ID: "qq.bad-address-syntax", Receiver: ReceiverQQ, Match: `^bad address syntax`,
		Reason: "Bad address syntax", Category: CategorySyntax,
		Meaning: "The recipient (or sender) address is not a valid address.",
		Action:  "Fix or remove the malformed address; do not retry it as is.",
		HelpURL: qqDetail + "122/167", Confidence: ConfidenceHigh,
		Provenance: "seed; receivers.md a.2 (old no=1000730, new 122/167)",
	},
	{
		ID: "qq.submission-content", Receiver: ReceiverQQ, Match: `may contain inappropriate words or content`,
		Reason: "Inappropriate content (submission)", Category: CategoryContent,
		Meaning:    "smtp.qq.com refused to send this message through a QQ account; this comes from QQ's submission server, not from QQ's MX.",
		Action:     "Change the message content; this is not a deliverability problem of your own domain.",
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md a.2 'Not found' paragraph",
	},
}
