package bounce

// Category groups reasons by what the sender has to change.
type Category string

// The categories of a diagnosis.
const (
	CategoryAuthentication Category = "authentication" // SPF, DKIM, DMARC, sender identity
	CategoryRecipient      Category = "recipient"      // the mailbox: missing, full, blocking this sender
	CategoryContent        Category = "content"        // the message: spam-like, too large
	CategoryReputation     Category = "reputation"     // the sending IP or domain: spam history, PTR, block lists
	CategoryRate           Category = "rate"           // frequency and connection limits
	CategorySyntax         Category = "syntax"         // malformed addresses or commands
	CategoryUnknown        Category = "unknown"        // the reply was not recognised
)

// Confidence says how sure a rule is about the meaning it gives a reply.
type Confidence string

// Confidence levels, as in research/receivers.md.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

// Rule is one entry of the classification table: which replies it matches and
// what they mean. The table is data; classify walks it in order and the first
// matching rule wins, so specific rules come before general ones.
type Rule struct {
	// ID is stable ("qq.dmarc"); it names the rule in output and tests.
	ID string
	// Receiver limits the rule to replies recognised as that receiver's;
	// empty matches any receiver, including an unrecognised one.
	Receiver string
	// Codes are the reply codes or code classes ("550", "5") the rule accepts;
	// empty accepts any.
	Codes []string
	// Enhanced are the enhanced status codes the reply must carry; empty
	// accepts any (or none).
	Enhanced []string
	// Match is an RE2 pattern matched against the lower-cased, unwrapped
	// reply text (code and enhanced code removed). Empty matches any text.
	Match string

	Reason     string
	Category   Category
	Retry      bool
	Meaning    string
	Action     string
	HelpURL    string // used when the reply carries no URL of its own
	Confidence Confidence
	// Provenance points to the evidence, normally a section of
	// research/receivers.md.
	Provenance string
}

// Canonical reasons shared across receivers, so that a consumer can key on
// them: every receiver's DMARC rejection has Reason ReasonDMARC.
const (
	ReasonDMARC        = "DMARC check failed"
	ReasonSPF          = "SPF check failed"
	ReasonDKIM         = "DKIM check failed"
	ReasonUnauth       = "Sender unauthenticated"
	ReasonUnrecognised = "unrecognised reply"
)

// Texts shared by several rules.
const (
	dmarcAction = "Make the message pass DMARC for its From domain: sign it with DKIM using d= the From domain " +
		"(or a subdomain of its organizational domain), or send with a Return-Path (MAIL FROM) under the From domain " +
		"whose SPF record authorises the sending IP. One aligned pass is enough. Ask the ESP for a custom DKIM " +
		"domain or custom Return-Path; then run `preflight check` on the message."
	spfAction = "Add the sending IP (or the ESP's include:) to the SPF record of the MAIL FROM (Return-Path) domain, " +
		"keep it under 10 DNS lookups, and check it with `preflight spf DOMAIN IP`. QQ may cache the old SPF result for up to about 12 hours."
	rateAction = "Slow down: spread the sending over more time, lower the connections per IP, and retry later; " +
		"the sending MTA's normal retries usually succeed. Register the sending domain at https://openmail.qq.com/."
	tencentDMARCPage = "https://open.work.weixin.qq.com/help2/pc/19819"
	qqDetail         = "https://service.mail.qq.com/detail/"
)

// Rules returns a copy of the classification table, in the order Classify
// tries it.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// rules is the classification table. QQ first (the receiver preflight is built
// for), then the other receivers of research/receivers.md section b, then
// receiver-independent rules on common wording, then RFC 3463 / RFC 7372
// enhanced status codes as a last resort.
var rules = []Rule{
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

	// --- Gmail (receivers.md b, b.1) ---
	{
		ID: "gmail.dmarc-tempfail", Receiver: ReceiverGmail, Codes: []string{"4"}, Match: `dmarc policy.*temporary dns failures`,
		Reason: "DMARC temporary error", Category: CategoryAuthentication, Retry: true,
		Meaning: "Gmail could not finish DMARC for the From domain because DNS lookups (SPF, DKIM key or _dmarc) failed temporarily; it deferred the message.",
		Action:  "Check that the From domain's DNS servers answer reliably (SPF, DKIM key, _dmarc TXT); the sending MTA's retries will deliver once DNS answers.",
		HelpURL: "https://support.google.com/a/answer/3726730", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b.1 (451 4.7.26, documented)",
	},
	{
		ID: "gmail.dmarc", Receiver: ReceiverGmail, Match: `unauthenticated email from .* is not accepted due to .*dmarc policy`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "The message failed DMARC for the From domain (no aligned SPF or DKIM pass) and the domain's policy is p=reject, so Gmail refused it.",
		Action:  dmarcAction,
		HelpURL: "https://support.google.com/mail/?p=DmarcRejection", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Gmail row) and b.1 (550 5.7.26, formerly 5.7.1)",
	},
	{
		ID: "gmail.unauthenticated", Receiver: ReceiverGmail, Match: `sender is unauthenticated|this mail is unauthenticated`,
		Reason: ReasonUnauth, Category: CategoryAuthentication,
		Meaning: "Neither SPF nor DKIM passed for this message; Gmail requires every sender to pass at least one.",
		Action:  "Publish SPF for the MAIL FROM domain covering the sending IP and sign with DKIM; then re-check the message.",
		HelpURL: "https://support.google.com/a/answer/81126", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b.1 ('Neither SPF nor DKIM passes')",
	},
	{
		ID: "gmail.spf-hardfail", Receiver: ReceiverGmail, Match: `spf record with a hard fail policy`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning: "The MAIL FROM domain's SPF record ends in -all and does not list the sending IP, so Gmail blocked the message.",
		Action:  spfAction,
		HelpURL: "https://support.google.com/a/answer/3726730", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b.1 (SPF hard fail)",
	},
	{
		ID: "gmail.not-aligned", Receiver: ReceiverGmail, Match: `isn't aligned with either the authenticated spf or dkim`,
		Reason: "From not aligned", Category: CategoryAuthentication,
		Meaning: "Gmail's bulk-sender rule: the From domain matches neither the SPF-authenticated nor the DKIM-signing organizational domain.",
		Action:  dmarcAction,
		HelpURL: "https://support.google.com/a/answer/14229414", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b.1 (4.7.32 / 5.7.32)",
	},
	{
		ID: "gmail.no-dmarc", Receiver: ReceiverGmail, Match: `doesn't have a dmarc record|dmarc record doesn't specify a dmarc policy`,
		Reason: "No DMARC record", Category: CategoryAuthentication,
		Meaning: "Gmail's bulk-sender rule: the From domain publishes no DMARC record (p=none is enough).",
		Action:  "Publish a DMARC record at _dmarc.<From domain>, e.g. \"v=DMARC1; p=none; rua=mailto:dmarc@<domain>\".",
		HelpURL: "https://support.google.com/a/answer/14229414", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b.1 (4.7.40 / 5.7.40)",
	},
	{
		ID: "gmail.bulk-spf", Receiver: ReceiverGmail, Enhanced: []string{"4.7.27", "5.7.27"},
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning: "Gmail's bulk-sender rule: the message did not pass SPF.",
		Action:  spfAction,
		HelpURL: "https://support.google.com/a/answer/3726730", Confidence: ConfidenceMedium,
		Provenance: "receivers.md b.1 (other bulk checks: 4.7.27 / 5.7.27)",
	},
	{
		ID: "gmail.bulk-dkim", Receiver: ReceiverGmail, Enhanced: []string{"4.7.30", "5.7.30"},
		Reason: ReasonDKIM, Category: CategoryAuthentication,
		Meaning: "Gmail's bulk-sender rule: the message did not pass DKIM.",
		Action:  "Sign every message with DKIM (a key of at least 1024 bits, 2048 recommended) and check the key with `preflight dkim`.",
		HelpURL: "https://support.google.com/a/answer/3726730", Confidence: ConfidenceMedium,
		Provenance: "receivers.md b.1 (other bulk checks: 4.7.30 / 5.7.30)",
	},
	{
		ID: "gmail.ptr", Receiver: ReceiverGmail, Enhanced: []string{"4.7.23", "5.7.25"},
		Reason: "No reverse DNS", Category: CategoryReputation, Retry: false,
		Meaning: "The sending IP has no PTR record, or its PTR name does not resolve back to the IP.",
		Action:  "Ask the IP's owner to publish a PTR record whose name resolves (A/AAAA) back to the sending IP.",
		HelpURL: "https://support.google.com/a/answer/81126", Confidence: ConfidenceMedium,
		Provenance: "receivers.md b.1 (PTR: 451 4.7.23 / 550 5.7.25)",
	},

	// --- Yahoo / AOL ---
	{
		ID: "yahoo.unauthenticated", Receiver: ReceiverYahoo, Match: `sender is unauthenticated`,
		Reason: ReasonUnauth, Category: CategoryAuthentication,
		Meaning: "Neither SPF nor DKIM passed; Yahoo requires every sender to pass at least one.",
		Action:  "Publish SPF for the MAIL FROM domain covering the sending IP and sign with DKIM; then re-check the message.",
		HelpURL: "https://senders.yahooinc.com/smtp-error-codes/", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Yahoo row, 550 5.7.9 unauthenticated)",
	},
	{
		ID: "yahoo.dmarc", Receiver: ReceiverYahoo, Match: `not accepted for policy reasons`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "Yahoo refused the message for policy reasons at end of DATA; with a p=reject From domain this is its DMARC rejection " +
			"(Yahoo uses the same words for some other policy blocks, so re-check authentication first).",
		Action:  dmarcAction,
		HelpURL: "https://senders.yahooinc.com/smtp-error-codes/", Confidence: ConfidenceMedium,
		Provenance: "receivers.md b (Yahoo row: 554 5.7.9 … policy reasons, 2020; Yahoo Japan 'DM Email not accepted for policy reasons')",
	},

	// --- Microsoft ---
	{
		ID: "microsoft.dmarc", Receiver: ReceiverMicrosoft, Match: `does not pass dmarc verification`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "The From domain publishes p=reject and the message passed neither SPF nor DKIM in alignment with it, so Microsoft refused it (5.7.509).",
		Action:  dmarcAction,
		HelpURL: "https://postmaster.live.com/pm/troubleshooting.aspx", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Microsoft row, 550 5.7.509)",
	},
	{
		ID: "microsoft.auth-level", Receiver: ReceiverMicrosoft, Match: `doesn't meet the required authentication level`,
		Reason: "Authentication requirements not met", Category: CategoryAuthentication,
		Meaning: "Microsoft's high-volume sender rule (5.7.515): SPF and DKIM must both pass, and DMARC must pass aligned with one of them; a DMARC pass alone is not enough.",
		Action:  "Make SPF and DKIM both pass (check the Spf=/Dkim=/DMARC= results in the reply) and publish DMARC of at least p=none.",
		HelpURL: "https://go.microsoft.com/fwlink/p/?linkid=2319303", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Microsoft row, 550 5.7.515) and b.2",
	},

	// --- Apple iCloud ---
	{
		ID: "apple.dmarc", Receiver: ReceiverApple, Match: `rejected due to .*dmarc policy`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "iCloud honours the From domain's DMARC policy; the message failed DMARC and the policy is p=reject.",
		Action:  dmarcAction,
		HelpURL: "https://support.apple.com/en-us/102322", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Apple row, 554 5.7.1)",
	},
	{
		ID: "apple.spf-dkim", Receiver: ReceiverApple, Match: `failing both spf and dkim`,
		Reason: ReasonUnauth, Category: CategoryAuthentication,
		Meaning: "The message passed neither SPF nor DKIM, so iCloud blocked it.",
		Action:  "Publish SPF for the MAIL FROM domain covering the sending IP and sign with DKIM; then re-check the message.",
		HelpURL: "https://support.apple.com/en-us/102322", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Apple row, [HME1])",
	},

	// --- Mail.ru ---
	{
		ID: "mailru.dmarc", Receiver: ReceiverMailRu, Match: `owner dmarc policy`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "The message failed DMARC for the From domain and the domain's policy is p=reject, so Mail.ru refused it.",
		Action:  dmarcAction,
		HelpURL: "https://help.mail.ru/mail-help/postmaster/dmarc", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Mail.ru row, 550 5.7.1)",
	},

	// --- NetEase (163.com, 126.com, yeah.net, qiye.163.com) ---
	{
		ID: "netease.dmarc", Receiver: ReceiverNetEase, Match: `\bmi:dma\b`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "NetEase's DMARC rejection (MI:DMA, \"not permitted by the sending domain's DMARC\"): the message failed DMARC for the From domain.",
		Action:  dmarcAction,
		HelpURL: "http://dmarc.org/", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (NetEase row, 550 MI:DMA)",
	},
	{
		ID: "netease.spf", Receiver: ReceiverNetEase, Match: `\bmi:spf\b`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning:    "NetEase's SPF rejection (MI:SPF): the sending IP is not permitted by the sending domain's SPF record.",
		Action:     spfAction,
		Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (NetEase row, 550 MI:SPF, 2015 sample)",
	},
	{
		ID: "netease.sender-mismatch", Receiver: ReceiverNetEase, Match: `\bdt:sum\b`,
		Reason: "Envelope and header sender differ", Category: CategoryAuthentication,
		Meaning:    "NetEase requires the envelope sender (MAIL FROM) and the From header to match (DT:SUM).",
		Action:     "Use a Return-Path in the same domain as the From address.",
		Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (NetEase row, 554 DT:SUM)",
	},
	{
		ID: "netease.spam", Receiver: ReceiverNetEase, Match: `\bdt:spm\b`,
		Reason: "Suspected spam", Category: CategoryContent,
		Meaning:    "NetEase's filter classified the content as spam or as containing unpermitted information (DT:SPM).",
		Action:     "Change the content and links, send to engaged recipients only, and retry with a small test.",
		Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (NetEase row, 554 DT:SPM; qiye.163 550 5.7.0 DT:SPM)",
	},
	{
		ID: "netease.ip-blocked", Receiver: ReceiverNetEase, Match: `\bhl:ipb\b`,
		Reason: "IP not allowed", Category: CategoryReputation,
		Meaning:    "NetEase does not accept mail from the sending IP (HL:IPB).",
		Action:     "Send from an IP with a clean reputation and PTR record, or ask NetEase's postmaster to review the IP.",
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b (NetEase row, 554 HL:IPB)",
	},
	{
		ID: "netease.rate", Receiver: ReceiverNetEase, Match: `\b(?:hl:ifc|hl:icc|mi:sfq)\b`,
		Reason: "Frequency limited", Category: CategoryRate, Retry: true,
		Meaning:    "NetEase's per-IP or per-sender rate limit was exceeded.",
		Action:     "Send more slowly with fewer connections; the sending MTA's retries usually succeed.",
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b (NetEase row, 421 HL:IFC/ICC, 451 MI:SFQ)",
	},

	// --- Orange ---
	{
		ID: "orange.dmarc", Receiver: ReceiverOrange, Match: `dmarc verification failed|verification dmarc en echec|lpn007_517`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning:    "Orange refused the message because it failed DMARC for the From domain.",
		Action:     dmarcAction,
		Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Orange row, 571 5.7.1 / LPN007_517)",
	},
	{
		ID: "orange.spf", Receiver: ReceiverOrange, Match: `lpn004_401|spf: .* is not allowed to send mail`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning:    "Orange enforces SPF on its own: the sending IP is not allowed by the MAIL FROM domain's SPF record.",
		Action:     spfAction,
		Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Orange row, 550 5.5.0 SPF … LPN004_401)",
	},
	{
		ID: "orange.invalid-sender", Receiver: ReceiverOrange, Match: `emetteur invalide|invalid sender|ofr004_405`,
		Reason: "Invalid sender", Category: CategorySyntax,
		Meaning:    "Orange did not accept the sender address (MAIL FROM).",
		Action:     "Use a valid, resolvable sender address (a domain with MX or A records).",
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b (Orange row, 501 5.1.0 OFR004_405)",
	},

	// --- Comcast ---
	{
		ID: "comcast.dmarc", Receiver: ReceiverComcast, Match: `rejected due to dmarc|dm000001`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning: "Comcast refused the message because it failed DMARC for the From domain.",
		Action:  dmarcAction,
		HelpURL: "http://postmaster.comcast.net/smtp-error-codes.php#DM000001", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Comcast row, 550 5.2.0 … DM000001)",
	},
	{
		ID: "comcast.ptr", Receiver: ReceiverComcast, Match: `must have a ptr record`,
		Reason: "No reverse DNS", Category: CategoryReputation,
		Meaning: "Comcast requires every sending server to have a valid PTR (reverse DNS) record.",
		Action:  "Ask the IP's owner to publish a PTR record whose name resolves back to the sending IP.",
		HelpURL: "http://postmaster.comcast.net/smtp-error-codes.php", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Comcast row, 554 PTR)",
	},

	{
		ID: "yahoo.deferred", Receiver: ReceiverYahoo, Match: `\[ts[0-9]{2}\]|temporarily deferred`,
		Reason: "Temporarily deferred", Category: CategoryRate, Retry: true,
		Meaning: "Yahoo is deferring mail from this IP because of its volume or of user complaints ([TSnn] codes).",
		Action:  "Slow down and let the sending MTA retry; lower complaint rates (unsubscribe, list hygiene) if it persists.",
		HelpURL: "https://senders.yahooinc.com/smtp-error-codes/", Confidence: ConfidenceLow,
		Provenance: "Yahoo SMTP error code page listed in receivers.md sources [I]",
	},

	{
		ID: "zoho.dmarc", Receiver: ReceiverZoho, Match: `rejected per dmarc policy`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning:    "Zoho refused the message because it failed DMARC for the From domain, whose policy is p=reject.",
		Action:     dmarcAction,
		Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (Zoho row, for reference: 550 5.7.1 … Sisimai lhost-postfix-73)",
	},

	// --- GMX / web.de, Yandex ---
	{
		ID: "gmx.spf", Receiver: ReceiverGMX, Match: `reject due to spf policy`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning: "GMX / web.de reject SPF failures on their own: the sending IP is not permitted by the domain owner.",
		Action:  spfAction,
		HelpURL: "https://postmaster.gmx.com/en/error-messages", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (GMX / web.de row)",
	},
	{
		ID: "gmx.blocklisted", Receiver: ReceiverGMX, Match: `ip address is block ?listed`,
		Reason: "IP block-listed", Category: CategoryReputation,
		Meaning: "GMX / web.de have the sending IP on a block list.",
		Action:  "Follow the case URL in the reply to request delisting, after stopping whatever caused the listing.",
		HelpURL: "https://postmaster.gmx.com/en/error-messages", Confidence: ConfidenceHigh,
		Provenance: "receivers.md b (GMX / web.de row)",
	},
	{
		ID: "yandex.spam", Receiver: ReceiverYandex, Match: `suspicion of spam`,
		Reason: "Suspected spam", Category: CategoryContent,
		Meaning:    "Yandex rejected the message as suspected spam.",
		Action:     "Review content and list quality; make sure SPF, DKIM and DMARC pass.",
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b (Yandex row)",
	},

	// --- Any receiver: common wording (lower confidence) ---
	{
		ID: "generic.dmarc-temp", Codes: []string{"4"}, Match: `dmarc`,
		Reason: "DMARC temporary error", Category: CategoryAuthentication, Retry: true,
		Meaning:    "The receiver deferred the message while evaluating DMARC, usually because DNS lookups failed temporarily.",
		Action:     "Check that the From domain's SPF, DKIM key and _dmarc records resolve reliably; retries will deliver once they do.",
		Confidence: ConfidenceLow,
		Provenance: "receivers.md c (DNS errors: temperror as 4xx deferral) [I]",
	},
	{
		ID: "generic.no-dmarc", Match: `no dmarc record|doesn't have a dmarc record|dmarc record (?:is )?(?:missing|not found)`,
		Reason: "No DMARC record", Category: CategoryAuthentication,
		Meaning:    "The receiver requires the From domain to publish a DMARC record, and it has none.",
		Action:     "Publish a DMARC record at _dmarc.<From domain>, e.g. \"v=DMARC1; p=none; rua=mailto:dmarc@<domain>\".",
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b.1 (Gmail 5.7.40), b (Yahoo bulk rule) [I]",
	},
	{
		ID: "generic.dmarc", Match: `dmarc`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning:    "The reply names DMARC: the message most likely failed DMARC for its From domain under a p=reject policy.",
		Action:     dmarcAction,
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b.2 (every DMARC rejection found names DMARC in its text) [I]",
	},
	{
		ID: "generic.spf", Match: `\bspf\b|sender policy framework|designated as permitted sender|not (?:permitted|authorized|allowed) to send (?:mail|e-?mail|messages)`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning:    "The reply names SPF: the sending IP is most likely not authorised by the MAIL FROM domain's SPF record.",
		Action:     spfAction,
		Confidence: ConfidenceMedium,
		Provenance: "receivers.md b.2 (SPF enforced on its own by several receivers) [I]",
	},
	{
		ID: "generic.dkim", Match: `\bdkim\b`,
		Reason: ReasonDKIM, Category: CategoryAuthentication,
		Meaning:    "The reply names DKIM: the signature is missing, did not verify, or its key is unacceptable.",
		Action:     "Sign with DKIM using a published key of at least 1024 bits (2048 recommended) and verify it with `preflight dkim`.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 7372 §3.1 [I]",
	},
	{
		ID: "generic.unauthenticated", Match: `unauthenticated|authentication (?:check|requirement)s? (?:failed|not met)`,
		Reason: ReasonUnauth, Category: CategoryAuthentication,
		Meaning:    "The receiver says the message is not authenticated (no SPF or DKIM pass).",
		Action:     "Publish SPF for the MAIL FROM domain covering the sending IP and sign with DKIM; then re-check the message.",
		Confidence: ConfidenceLow,
		Provenance: "receivers.md b.1, b (Yahoo) wording [I]",
	},
	{
		ID: "generic.mailbox-full", Match: `mailbox (?:is )?full|over ?quota|quota exceeded|insufficient (?:system )?storage|exceeded (?:the )?storage`,
		Reason: "Mailbox full", Category: CategoryRecipient, Retry: true,
		Meaning:    "The recipient's mailbox is full.",
		Action:     "Retry later; suppress the address if it stays full for days.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.2.2 wording [I]",
	},
	{
		ID: "generic.mailbox-not-found", Match: `user unknown|unknown user|no such (?:user|mailbox|recipient)|mailbox (?:not found|does not exist|unavailable)|does not exist|invalid recipient|recipient (?:not found|unknown|rejected)|recipient address rejected|not a valid mailbox|account (?:has been |is )?(?:disabled|inactive)|mailbox (?:is )?(?:disabled|inactive)|no mailbox`,
		Reason: "Mailbox not found", Category: CategoryRecipient,
		Meaning:    "The receiver says the recipient address does not exist or cannot receive mail.",
		Action:     "Correct the address or remove it from the list; do not retry it as is.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.1.1 wording [I]",
	},
	{
		ID: "generic.too-large", Match: `too (?:large|big)|size (?:limit|exceeds)|exceeds .*size|message size`,
		Reason: "Message too large", Category: CategoryContent,
		Meaning:    "The message is larger than the receiver accepts.",
		Action:     "Make the message smaller: link to large files instead of attaching them.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.3.4 wording [I]",
	},
	{
		ID: "generic.rate", Match: `rate limit|too many (?:messages|connections|recipients|emails)|frequency|try again later|throttl|unusual rate`,
		Reason: "Rate limited", Category: CategoryRate, Retry: true,
		Meaning:    "The receiver is limiting how fast it accepts mail from this sender or IP.",
		Action:     "Send more slowly with fewer connections; the sending MTA's retries usually succeed.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID: "generic.ptr", Match: `reverse dns|\bptr\b|rdns`,
		Reason: "No reverse DNS", Category: CategoryReputation,
		Meaning:    "The receiver requires a PTR (reverse DNS) record for the sending IP that matches its forward DNS.",
		Action:     "Ask the IP's owner to publish a PTR record whose name resolves back to the sending IP.",
		Confidence: ConfidenceLow,
		Provenance: "receivers.md b (Gmail, Yahoo, Microsoft, Comcast PTR requirements) [I]",
	},
	{
		ID: "generic.blocklist", Match: `block ?list|black ?list|banned|spamhaus|spamcop|barracuda|\brbl\b|\bdnsbl\b|listed (?:at|on|in)|poor reputation|bad reputation`,
		Reason: "Sender block-listed", Category: CategoryReputation,
		Meaning:    "The sending IP or domain is on a block list or has a poor reputation at the receiver.",
		Action:     "Find the listing (the reply usually names it), fix the cause, and request delisting.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID: "generic.spam", Match: `\bspam\b|junk|unsolicited`,
		Reason: "Suspected spam", Category: CategoryContent,
		Meaning:    "The receiver's filters judged the message to be spam.",
		Action:     "Review content and list quality, make sure SPF, DKIM and DMARC pass, and retry with a small test batch.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID: "generic.syntax", Match: `syntax|malformed|invalid address|bad address`,
		Reason: "Bad address syntax", Category: CategorySyntax,
		Meaning:    "The receiver could not parse an address or command.",
		Action:     "Fix the malformed address.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 3463 X.1.3 wording [I]",
	},

	// --- RFC 3463 / RFC 7372 enhanced status codes alone ---
	esc("esc.mailbox-not-found", []string{"5.1.1", "4.1.1"}, "Mailbox not found", CategoryRecipient, false, "RFC 3463 X.1.1: bad destination mailbox address."),
	esc("esc.domain-not-found", []string{"5.1.2", "4.1.2"}, "Recipient domain not found", CategoryRecipient, false, "RFC 3463 X.1.2: bad destination system address."),
	esc("esc.address-syntax", []string{"5.1.3"}, "Bad address syntax", CategorySyntax, false, "RFC 3463 X.1.3: bad destination mailbox address syntax."),
	esc("esc.sender-address", []string{"5.1.7", "5.1.8", "4.1.8"}, "Bad sender address", CategorySyntax, false, "RFC 3463 X.1.7 / X.1.8: bad sender mailbox address or system address."),
	esc("esc.mailbox-disabled", []string{"5.2.1", "4.2.1"}, "Mailbox disabled", CategoryRecipient, false, "RFC 3463 X.2.1: mailbox disabled, not accepting messages."),
	esc("esc.mailbox-full", []string{"5.2.2", "4.2.2"}, "Mailbox full", CategoryRecipient, true, "RFC 3463 X.2.2: mailbox full."),
	esc("esc.too-large", []string{"5.2.3", "5.3.4"}, "Message too large", CategoryContent, false, "RFC 3463 X.2.3 / X.3.4: message length exceeds the limit."),
	esc("esc.dkim", []string{"5.7.20", "5.7.21", "5.7.22"}, ReasonDKIM, CategoryAuthentication, false, "RFC 7372 §3.1: no passing, no acceptable, or no author-matched DKIM signature."),
	esc("esc.spf", []string{"5.7.23", "5.7.24"}, ReasonSPF, CategoryAuthentication, false, "RFC 7372 §3.2: SPF validation failed or SPF validation error."),
	esc("esc.ptr", []string{"5.7.25"}, "No reverse DNS", CategoryReputation, false, "RFC 7372 §3.3: reverse DNS validation failed."),
	esc("esc.auth-multiple", []string{"5.7.26"}, ReasonUnauth, CategoryAuthentication, false, "RFC 7372 §3.4: multiple authentication checks failed."),
	esc("esc.not-authorised", []string{"5.7.1"}, "Delivery not authorised", CategoryReputation, false, "RFC 3463 X.7.1: delivery not authorized, message refused (the receiver's policy, often reputation or content)."),
}

// esc builds a last-resort rule from an enhanced status code alone.
func esc(id string, codes []string, reason string, cat Category, retry bool, meaning string) Rule {
	return Rule{
		ID: id, Enhanced: codes, Reason: reason, Category: cat, Retry: retry,
		Meaning:    "The reply text was not recognised; its enhanced status code says: " + meaning,
		Action:     "Read the reply text for the receiver's own explanation.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 3463 / RFC 7372 status code registry",
	}
}
