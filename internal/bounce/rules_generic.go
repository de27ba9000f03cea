package bounce

// genericRules classify replies by common wording, whatever the receiver.
// Their confidence is lower than a receiver's own rule. Authentication is
// claimed only where the reply states a failure of SPF, DKIM or DMARC or says
// the message is unauthenticated: a reply that names SPF as advice ("Set up
// SPF records for your sending domain") while refusing for another reason is
// that other reason, and a relay's "Unauthenticated senders not allowed" is
// about SMTP AUTH (RFC 4954), not about the message.
var genericRules = []Rule{
	{
		ID: "generic.dmarc-temp", Codes: []string{"4"}, Match: `dmarc`,
		Reason: "DMARC temporary error", Category: CategoryAuthentication, Retry: true,
		Meaning:    "The receiver deferred the message while evaluating DMARC, usually because DNS lookups failed temporarily.",
		Action:     "Check that the From domain's SPF, DKIM key and _dmarc records resolve reliably; retries will deliver once they do.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 7489 §6.6.3 (DNS errors left to the receiver); Gmail's 451 4.7.26 https://support.google.com/a/answer/3726730 [I]",
	},
	{
		ID: "generic.no-dmarc", Match: `no dmarc record|doesn't have a dmarc record|does not have a dmarc record|dmarc record (?:is )?(?:missing|not found)`,
		Reason: "No DMARC record", Category: CategoryAuthentication,
		Meaning:    "The receiver requires the From domain to publish a DMARC record, and it has none.",
		Action:     "Publish a DMARC record at _dmarc.<From domain>, e.g. \"v=DMARC1; p=none; rua=mailto:dmarc@<domain>\".",
		Confidence: ConfidenceMedium,
		Provenance: "Google, Gmail SMTP errors and codes https://support.google.com/a/answer/3726730 (captured 2026-02-15) (4.7.40 / 5.7.40); Yahoo Sender Hub best practices https://senders.yahooinc.com/best-practices/ (bulk senders need a DMARC record) [I]",
	},
	{
		ID:     "generic.dmarc",
		Match:  `dmarc (?:policy|check|verification|validation|fail|reject|alignment|authentication|evaluation)|(?:fail(?:ed|s|ing|ure)?|not pass(?:ed)?|violat[a-z]*|did not pass) (?:the )?(?:[^ ]+ )?dmarc|due to [^.]{0,80}\bdmarc\b|\bdmarc\b[^.]{0,60}(?:fail|reject|not (?:pass|accepted|permitted|aligned))|rfc 7489`,
		Reason: ReasonDMARC, Category: CategoryAuthentication,
		Meaning:    "The reply says the message failed DMARC for its From domain, most likely under a p=reject policy.",
		Action:     dmarcAction,
		Confidence: ConfidenceMedium,
		Provenance: "the DMARC refusals of Gmail, Yahoo, Microsoft, Apple, Mail.ru, Zoho and QQ all name DMARC in their text (sources on their own rules) [I]",
	},
	{
		ID: "generic.spf",
		Match: `\bspf\b[^.;]{0,40}(?:fail|not pass|did not pass|didn't pass|does not pass|violation|softfail|permerror|temperror|invalid|not (?:permitted|authori[sz]ed|allowed))|` +
			`(?:fail(?:ed|s|ing|ure)?|not pass(?:ed)?|violat[a-z]*) (?:the )?(?:[^ ]+ )?spf\b|(?:reject(?:ed)?|blocked|refused) (?:due to|because of|by) (?:the )?spf|spf (?:policy|check|validation|verification|authentication)|` +
			`sender policy framework|designated as permitted sender|(?:bad|invalid|broken) spf record|sender id (?:validation|check)|not (?:permitted|authori[sz]ed|allowed) to send (?:mail|e-?mail|messages) (?:on behalf of|for|from)`,
		Reason: ReasonSPF, Category: CategoryAuthentication,
		Meaning:    "The reply says SPF failed: the sending IP is most likely not authorised by the MAIL FROM domain's SPF record.",
		Action:     spfAction,
		Confidence: ConfidenceMedium,
		Provenance: "SPF refusals outside DMARC at QQ, GMX/web.de, Orange and NetEase (sources on their own rules); RFC 7208 §8 [I]",
	},
	{
		ID:     "generic.dkim",
		Match:  `\bdkim\b[^.;]{0,40}(?:fail|not pass|did not pass|didn't pass|does not pass|invalid|missing|required|not valid|too (?:short|weak)|revoked)|(?:fail(?:ed|s|ing|ure)?|not pass(?:ed)?|no (?:valid )?|missing|invalid) (?:the )?dkim\b|dkim (?:signature|check|validation|verification|authentication)`,
		Reason: ReasonDKIM, Category: CategoryAuthentication,
		Meaning:    "The reply says DKIM failed: the signature is missing, did not verify, or its key is unacceptable.",
		Action:     "Sign with DKIM using a published key of at least 1024 bits (2048 recommended) and verify it with `preflight dkim`.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 7372 §3.1 [I]",
	},
	{
		ID: "generic.unauthenticated",
		Match: `(?:message|mail|email|e-mail|sender) (?:is |was )?unauthenticated|unauthenticated (?:e-?mail|mail|message)|does not have authentication information|fails? to pass authentication checks?|` +
			`(?:does not|did not|didn't) pass authentication checks|authentication (?:checks?|requirements?) (?:failed|not met|did not pass)|authenticate with (?:either |at least one of )?spf (?:or|and) dkim|` +
			`failing both spf and dkim|neither spf nor dkim|spf and dkim both (?:do not|did not) pass`,
		Reason: ReasonUnauth, Category: CategoryAuthentication,
		Meaning:    "The receiver says the message is not authenticated: neither SPF nor DKIM passed for it.",
		Action:     "Publish SPF for the MAIL FROM domain covering the sending IP and sign with DKIM; then re-check the message.",
		Confidence: ConfidenceLow,
		Provenance: "Google, Gmail SMTP errors and codes https://support.google.com/a/answer/3726730 (captured 2026-02-15) (5.7.26 unauthenticated sender) and Yahoo Sender Hub, SMTP error codes https://senders.yahooinc.com/smtp-error-codes/ (captured 2026-02-15) (5.7.9) wording [I]",
	},
	{
		ID: "generic.smtp-auth",
		Match: `unauthenticated (?:senders?|users?|relay(?:ing)?|access|connections?|submission|clients?)|(?:smtp )?auth(?:entication)? (?:is )?(?:required|needed)|must (?:first )?(?:authenticate|log ?in)|` +
			`requires? (?:smtp )?auth(?:entication)?\b(?: to (?:send|relay))?|please (?:log ?in|authenticate)|not logged in|authentication (?:mechanism is too weak|credentials invalid)|relaying requires authentication`,
		Reason: ReasonSMTPAuth, Category: CategoryPolicy,
		Meaning: "The server refused to take the message from a client that had not logged in (SMTP AUTH, RFC 4954): it is a submission server or " +
			"a relay that only accepts mail from its own authenticated users. This is about the connection, not about SPF, DKIM or DMARC.",
		Action:     "Send through the server with SMTP authentication (user name and password on port 587), or deliver to the recipient's own MX instead of this relay.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 4954 §6 (530 5.7.0 Authentication required); relays' '550 Unauthenticated senders not allowed' in reply to MAIL FROM [I]",
	},
	{
		ID:     "generic.relay-denied",
		Match:  `relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed)|prohibited|refused)|not permitted to relay|unable to relay|we do not relay|no relaying|relay not permitted|not (?:a )?(?:gateway|local domain|local recipient)|not our customer|is not a registered gateway user`,
		Reason: "Relaying denied", Category: CategoryPolicy,
		Meaning:    "The server is not the recipient domain's mail server and does not relay for this sender.",
		Action:     "Check the recipient domain's MX records and the route the message took; deliver to the MX, or authenticate to the relay.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 5321 §3.6.2 (relaying) wording [I]",
	},
	{
		ID: "generic.mailbox-full",
		Match: `mailbox (?:is )?full|mail ?box (?:exceeds|has exceeded|size limit)|mailfolder is full|over ?quota|quota (?:exceeded|exceed)|exceeded (?:the |their |its )?(?:storage|quota)|insufficient (?:system )?storage|` +
			`storage (?:quota|space|limit)|out of storage|mailbox (?:size )?limit|number of messages in recipient's mailbox exceeded|mailbox exceeds allowed size|recipient(?:'s)? (?:mailbox|inbox) is full|inbox is full|their mailbox is full|` +
			`容量(?:超過|オーバー)|メールボックスがいっぱい|邮箱(?:已满|空间不足|容量不足)|信箱已满`,
		Reason: "Mailbox full", Category: CategoryRecipient, Retry: true,
		Meaning:    "The recipient's mailbox is full.",
		Action:     "Retry later; suppress the address if it stays full for days.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.2.2 wording [I]",
	},
	{
		ID:     "generic.mailbox-disabled",
		Match:  `account (?:has been |is )?(?:disabled|inactive|locked|suspended|deactivated|expired|discontinued)|mailbox (?:is )?(?:disabled|inactive|locked|suspended|deactivated)|user(?:\(s\))? account is disabled|disabled or discontinued|no longer (?:active|in use|valid|available)`,
		Reason: "Mailbox disabled", Category: CategoryRecipient,
		Meaning:    "The recipient's mailbox exists but is disabled, suspended or no longer in use.",
		Action:     "Remove the address from the list; do not retry it.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.2.1 wording [I]",
	},
	{
		ID: "generic.mailbox-not-found",
		Match: `user unknown|unknown user|no such (?:user|mailbox|recipient|address|account)|mailbox (?:not found|does not exist|unavailable|not available)|does not exist|invalid (?:recipient|user|mailbox|address)|` +
			`recipient (?:not found|unknown)|not a valid (?:mailbox|recipient|user)|no mailbox|unknown recipient|unknown address|user not found|address unknown|` +
			`recipient name is not recognized|not listed in (?:the )?(?:domino directory|public name & address book|address book|directory)|invalid final delivery userid|doesn't have an? [^ ]+ account|` +
			`ユーザーが見つかりません|ユーザ(?:ー)?不明|宛先(?:が|の)?(?:見つかりません|不明)|存在しないユーザ|用户不存在|收件人不存在|邮箱不存在|帐号不存在|账号不存在|查无此人|地址不存在|` +
			`undeliverable address|unknown or illegal (?:alias|user)|address (?:is )?not valid`,
		Reason: "Mailbox not found", Category: CategoryRecipient,
		Meaning:    "The receiver says the recipient address does not exist or cannot receive mail.",
		Action:     "Correct the address or remove it from the list; do not retry it as is.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.1.1 wording [I]",
	},
	{
		ID: "generic.domain-not-found",
		Match: `host (?:or domain name )?not found|host unknown|unknown host|no such domain|domain (?:does not exist|not found|name not found)|couldn't find any host named|name service error|unrouteable address|` +
			`couldn't find a mail exchanger|no mx (?:record|host)|dns lookup failure|nxdomain|unroutable|mail exchanger or ip address|host name lookup failure|no route to domain`,
		Reason: "Recipient domain not found", Category: CategoryRecipient,
		Meaning:    "The recipient's domain does not exist in DNS, or has no mail server (MX or address) to deliver to.",
		Action:     "Check the domain part of the address for typos; remove the address if the domain is gone.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.1.2 / X.4.4 wording [I]",
	},
	{
		ID: "generic.too-large", Match: `too (?:large|big)|size (?:limit|exceeds)|exceeds .*(?:message )?size|message size|mail size|message length exceeds`,
		Reason: "Message too large", Category: CategoryContent,
		Meaning:    "The message is larger than the receiver accepts.",
		Action:     "Make the message smaller: link to large files instead of attaching them.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.3.4 wording [I]",
	},
	{
		ID: "generic.receiving-rate", Match: `receiving mail (?:at a rate|too quickly)|receiving too (?:much|many)|too many messages for this (?:user|recipient|mailbox)`,
		Reason: "Recipient receiving too much mail", Category: CategoryRate, Retry: true,
		Meaning:    "The recipient's mailbox is receiving mail faster than the receiver allows; further messages to it are refused for a while.",
		Action:     "Retry later; the sending MTA's own retries usually deliver.",
		Confidence: ConfidenceMedium,
		Provenance: "Gmail 5.2.1 'receiving mail at a rate that prevents additional messages' wording [I]",
	},
	{
		ID: "generic.rate", Match: `rate limit|too many (?:messages|connections|recipients|emails|mails)|frequency|throttl|unusual rate|rate[- ]limited|sending rate|too fast|exceeded .* (?:limit|rate)`,
		Reason: "Rate limited", Category: CategoryRate, Retry: true,
		Meaning:    "The receiver is limiting how fast it accepts mail from this sender or IP.",
		Action:     "Send more slowly with fewer connections; the sending MTA's retries usually succeed.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID: "generic.deferred", Codes: []string{"4"}, Match: `greylist|grey-list|try again later|temporar(?:y|ily) (?:deferred|rejected|unavailable|blocked|refused)|please (?:try again|retry)|retry (?:later|in \d+)`,
		Reason: "Temporarily deferred", Category: CategoryRate, Retry: true,
		Meaning:    "The receiver deferred the message for now (greylisting, a temporary limit or check); a later attempt is expected to get through.",
		Action:     "Nothing to change unless it persists: the sending MTA retries on its own.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 5321 §4.2.1 (4yz transient negative completion) and common greylisting wording [I]",
	},
	{
		ID: "generic.expired",
		Match: `retry (?:timeout|time) (?:exceeded|expired)|message expired|queue\.expired|expired in (?:the )?queue|in the queue too long|could not deliver for the last|after multiple retries|giving up|gave up|` +
			`all hosts have been failing|message could not be delivered for \d+|envelope expired|delivery time expired|could not be delivered within|undelivered after \d+`,
		Reason: "Expired in the queue", Category: CategoryNetwork, Retry: true,
		Meaning: "The sending MTA (not the receiver) gave up: it could not deliver the message within its queue lifetime, " +
			"usually because the receiving server was unreachable or kept deferring it.",
		Action:     "Check that the recipient's domain has working MX hosts and that the sending server can reach them on port 25; resend later if the receiver was down.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 3463 X.4.7 wording [I]",
	},
	{
		ID: "generic.network",
		Match: `connection (?:refused|timed out|reset|lost|closed|dropped)|timed out|time-?out|network (?:error|is unreachable)|socket error|did not accept our requests to connect|host not reachable|unreachable|` +
			`unable to connect|could ?n[o']t connect|no route to host|establish (?:an )?smtp connection|not accepting (?:connections|mail|messages)|connection (?:to|with) .* failed|lost connection`,
		Reason: "Receiver unreachable", Category: CategoryNetwork, Retry: true,
		Meaning:    "The receiving server could not be reached or refused the connection; the message itself was not judged.",
		Action:     "Retry later; if it persists, check the recipient domain's MX hosts and whether the sending IP can connect to them on port 25.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 3463 X.4.1 / X.4.2 wording [I]",
	},
	{
		ID: "generic.system",
		Match: `mailer error|local delivery failed|ldap|disk (?:full|quota)|no space left|mail loop|loop(?:s)? (?:back|detected)|too many hops|hop count|internal (?:server )?error|system error|temporary local problem|` +
			`local configuration error|resources temporarily unavailable|insufficient system resources|duplicated message-id|child status|mail system (?:problem|full)|configuration error|unknown mailer`,
		Reason: "Receiving system error", Category: CategorySystem, Retry: true,
		Meaning:    "The receiving system failed on its own (its mailer, storage or configuration, or a mail loop); the message and the sender are not the cause.",
		Action:     "Retry later; if it persists, tell the recipient's postmaster, quoting the reply.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 3463 X.3.x / X.4.6 wording [I]",
	},
	{
		ID: "generic.ptr", Match: `reverse dns|\bptr\b|rdns|reverse (?:lookup|hostname)|cannot find your hostname|dynamic ip|dynamic(?:ally)? (?:assigned|allocated)`,
		Reason: "No reverse DNS", Category: CategoryReputation,
		Meaning:    "The receiver requires a PTR (reverse DNS) record for the sending IP that matches its forward DNS, and does not accept mail from dynamic IP space.",
		Action:     "Ask the IP's owner to publish a PTR record whose name resolves back to the sending IP, and send from a static, non-residential IP.",
		Confidence: ConfidenceLow,
		Provenance: "the PTR requirements of Gmail (https://support.google.com/mail/answer/81126, captured 2026-03-21), Yahoo (https://senders.yahooinc.com/best-practices/, 2025-04-10), Outlook.com (https://postmaster.live.com/pm/policies.aspx, captured 2026-06-15) and Comcast (http://postmaster.comcast.net/smtp-error-codes.php) [I]",
	},
	{
		ID: "generic.blocklist",
		Match: `block ?list|black ?list|banned|spamhaus|spamcop|barracuda|\brbl\b|\bdnsbl\b|(?:^|[^t] )listed (?:at|on|in|by)|poor reputation|bad reputation|low reputation|` +
			`(?:client host|ip(?: address)?|host|your ip|sending ip|source ip)(?: [^ ]+)? (?:is |was |has been )?(?:blocked|rejected|refused)|blocked for spamming|spamming issues|ip reject|reputation`,
		Reason: "Sender block-listed", Category: CategoryReputation,
		Meaning:    "The sending IP or domain is on a block list or has a poor reputation at the receiver.",
		Action:     "Find the listing (the reply usually names it), fix the cause, and request delisting.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID:     "generic.virus",
		Match:  `virus|malware|infected|malicious|forbidden attachment|attachment (?:type )?(?:not allowed|blocked|rejected)`,
		Reason: "Virus or forbidden attachment", Category: CategoryContent,
		Meaning:    "The receiver's filter found a virus, malware or a forbidden attachment type in the message.",
		Action:     "Remove or replace the attachment (send a link instead) and scan the sending system.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID: "generic.spam", Match: `\bspam\b|junk|unsolicited|bulk mail|content (?:was )?rejected|rejected (?:by|due to) (?:the )?content|message content|content filter`,
		Reason: "Suspected spam", Category: CategoryContent,
		Meaning:    "The receiver's filters judged the message to be spam.",
		Action:     "Review content and list quality, make sure SPF, DKIM and DMARC pass, and retry with a small test batch.",
		Confidence: ConfidenceLow,
		Provenance: "common MTA wording [I]",
	},
	{
		ID:     "generic.group-post",
		Match:  `group you tried to contact|permission to post|not (?:a )?member of (?:this|the) (?:mailing )?list|posting (?:is )?(?:not allowed|restricted)|moderat(?:ed|or)`,
		Reason: "Not allowed to post to the group", Category: CategoryPolicy,
		Meaning:    "The address is a group or mailing list that does not accept posts from this sender (not a member, restricted posting, or the group does not exist).",
		Action:     "Check the group address, join the group or ask its owner to allow posts from the sender.",
		Confidence: ConfidenceLow,
		Provenance: "Google Groups and mailing-list manager wording [I]",
	},
	{
		ID:     "generic.tls",
		Match:  `\btls\b[^.]{0,30}(?:required|must|not using)|not using a tls connection|starttls (?:is )?required|must issue a starttls`,
		Reason: "TLS required", Category: CategoryPolicy,
		Meaning:    "The receiver accepts mail only over an encrypted (STARTTLS) connection.",
		Action:     "Enable STARTTLS on the sending server (a valid certificate, TLS 1.2 or later).",
		Confidence: ConfidenceMedium,
		Provenance: "Gmail SMTP errors and codes https://support.google.com/a/answer/3726730 (captured 2026-02-15): 421 4.7.29 / 550 5.7.29 [I]",
	},
	{
		ID: "generic.policy",
		Match: `policy (?:reasons?|violation|rejection|restriction)|local policy|administrative(?:ly)? prohibit|prohibited|not authori[sz]ed|access denied|sender (?:address )?rejected|sender (?:is )?(?:blocked|denied|refused)|` +
			`rejected by (?:the )?(?:recipient|domain|mail) ?(?:domain )?filter|domain filter|refused by (?:the )?recipient|sender address has null mx|not accepted from`,
		Reason: "Refused by policy", Category: CategoryPolicy,
		Meaning:    "The receiver refused the message under a local policy that the reply does not explain further (a filter rule, a sender restriction).",
		Action:     "Read the reply for the rule it names; ask the recipient's postmaster if the mail is wanted.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 3463 X.7.1 wording [I]",
	},
	{
		ID: "generic.from-header", Match: `multiple (?:addresses|mailboxes) in from|from:? header (?:is |was )?(?:missing|invalid|malformed|not valid)|"from" header is missing or invalid`,
		Reason: "From header invalid", Category: CategorySyntax,
		Meaning:    "The receiver requires exactly one valid address in the From header (RFC 5322 §3.6.2); this message's From is missing, malformed or has several addresses.",
		Action:     "Fix the From header: one mailbox, such as \"Brand <news@brand.example>\"; check it with `preflight check`.",
		Confidence: ConfidenceMedium,
		Provenance: "RFC 5322 §3.6.2; Gmail 5.7.1 'multiple addresses in From: header' wording [I]",
	},
	{
		ID: "generic.service-unavailable", Match: `service (?:is )?(?:not available|unavailable|temporarily unavailable)`,
		Reason: "Service unavailable", Category: CategoryNetwork, Retry: true,
		Meaning:    "The server said it is not available (RFC 5321's 421 and 554 wording); without more words the cause is not known, and sendmail also writes it after a refusal whose reason is elsewhere in the bounce.",
		Action:     "Read the rest of the bounce for the receiver's reason; retry later if there is none.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 5321 §4.2.3 reply texts [I]",
	},
	{
		ID: "generic.recipient-rejected", Match: `recipient address rejected`,
		Reason: "Recipient rejected", Category: CategoryRecipient,
		Meaning:    "The receiver refused the recipient address (Postfix's \"Recipient address rejected\") without a reason preflight knows.",
		Action:     "Read the words after \"Recipient address rejected:\" in the reply; check the address.",
		Confidence: ConfidenceLow,
		Provenance: "Postfix smtpd wording [I]",
	},
	{
		ID: "generic.syntax", Match: `syntax|malformed|invalid address|bad address|not rfc ?\d* ?compliant|rfc ?5322|rfc ?822|header error|improper|illegal`,
		Reason: "Bad address syntax", Category: CategorySyntax,
		Meaning:    "The receiver could not parse an address, a header or a command.",
		Action:     "Fix the malformed address or header.",
		Confidence: ConfidenceLow,
		Provenance: "RFC 3463 X.1.3 / X.5.2 wording [I]",
	},
}

// escRules classify by the RFC 3463 / RFC 7372 enhanced status code alone,
// when no wording rule matched. Codes whose meaning receivers overload are
// left out on purpose: X.7.9 is "authentication mechanism too weak" in RFC
// 4954 but Yahoo's DMARC refusal; X.7.27 is RFC 7505's null MX but Gmail's
// bulk SPF rule (their receiver rules handle them).
var escRules = []Rule{
	esc("esc.mailbox-not-found", []string{"5.1.1", "4.1.1"}, "Mailbox not found", CategoryRecipient, false, "RFC 3463 X.1.1: bad destination mailbox address."),
	esc("esc.domain-not-found", []string{"5.1.2", "4.1.2", "5.1.10"}, "Recipient domain not found", CategoryRecipient, false, "RFC 3463 X.1.2: bad destination system address (RFC 7505 X.1.10: null MX)."),
	esc("esc.address-syntax", []string{"5.1.3"}, "Bad address syntax", CategorySyntax, false, "RFC 3463 X.1.3: bad destination mailbox address syntax."),
	esc("esc.mailbox-moved", []string{"5.1.6"}, "Mailbox moved", CategoryRecipient, false, "RFC 3463 X.1.6: destination mailbox has moved, no forwarding address."),
	esc("esc.sender-address", []string{"5.1.7", "5.1.8", "4.1.8"}, "Bad sender address", CategorySyntax, false, "RFC 3463 X.1.7 / X.1.8: bad sender mailbox address or system address."),
	esc("esc.mailbox-disabled", []string{"5.2.1", "4.2.1"}, "Mailbox disabled", CategoryRecipient, false, "RFC 3463 X.2.1: mailbox disabled, not accepting messages."),
	esc("esc.mailbox-full", []string{"5.2.2", "4.2.2"}, "Mailbox full", CategoryRecipient, true, "RFC 3463 X.2.2: mailbox full."),
	esc("esc.too-large", []string{"5.2.3", "5.3.4"}, "Message too large", CategoryContent, false, "RFC 3463 X.2.3 / X.3.4: message length exceeds the limit."),
	esc("esc.system", []string{"4.3.0", "5.3.0", "4.3.1", "5.3.1", "4.3.2", "5.3.2", "4.3.5", "5.3.5", "4.2.4", "5.2.4"}, "Receiving system error", CategorySystem, true, "RFC 3463 X.3.x / X.2.4: the mail system is full, not accepting messages, misconfigured, or a mailing list could not be expanded."),
	esc("esc.network", []string{"4.4.1", "5.4.1", "4.4.2", "5.4.2", "4.4.3", "5.4.3", "4.4.5", "5.4.5"}, "Receiver unreachable", CategoryNetwork, true, "RFC 3463 X.4.1-X.4.5: no answer from host, bad connection, directory server failure, system congestion."),
	esc("esc.routing", []string{"4.4.4", "5.4.4"}, "Recipient domain not found", CategoryRecipient, false, "RFC 3463 X.4.4: unable to route (no MX or address for the domain)."),
	esc("esc.loop", []string{"4.4.6", "5.4.6"}, "Mail loop", CategorySystem, false, "RFC 3463 X.4.6: routing loop detected."),
	esc("esc.expired", []string{"4.4.7", "5.4.7"}, "Expired in the queue", CategoryNetwork, true, "RFC 3463 X.4.7: delivery time expired."),
	esc("esc.protocol", []string{"5.5.1", "5.5.2", "5.5.4", "5.5.5"}, "Protocol error", CategorySyntax, false, "RFC 3463 X.5.x: invalid command, syntax error, invalid arguments or wrong protocol version."),
	esc("esc.too-many-recipients", []string{"4.5.3", "5.5.3"}, "Too many recipients", CategoryRate, true, "RFC 3463 X.5.3: too many recipients."),
	esc("esc.virus", []string{"5.7.7"}, "Virus or forbidden attachment", CategoryContent, false, "RFC 3463 X.7.7: message integrity failure."),
	esc("esc.smtp-auth", []string{"5.7.0", "4.7.0", "5.7.8", "5.5.6"}, "Refused by policy", CategoryPolicy, false, "RFC 3463 X.7.0 / RFC 4954: other security or policy status, or SMTP authentication required or failed."),
	esc("esc.account-disabled", []string{"5.7.13", "5.7.17"}, "Mailbox disabled", CategoryRecipient, false, "RFC 3463 registry X.7.13 / X.7.17: user account disabled, or mailbox owner changed."),
	esc("esc.relay", []string{"5.7.18", "5.7.19"}, "Relaying denied", CategoryPolicy, false, "RFC 3463 registry X.7.18 / X.7.19: relay access denied."),
	esc("esc.dkim", []string{"5.7.20", "5.7.21", "5.7.22"}, ReasonDKIM, CategoryAuthentication, false, "RFC 7372 §3.1: no passing, no acceptable, or no author-matched DKIM signature."),
	esc("esc.spf", []string{"5.7.23", "5.7.24"}, ReasonSPF, CategoryAuthentication, false, "RFC 7372 §3.2: SPF validation failed or SPF validation error."),
	esc("esc.ptr", []string{"5.7.25", "4.7.25"}, "No reverse DNS", CategoryReputation, false, "RFC 7372 §3.3: reverse DNS validation failed."),
	esc("esc.auth-multiple", []string{"5.7.26"}, ReasonUnauth, CategoryAuthentication, false, "RFC 7372 §3.4: multiple authentication checks failed."),
	esc("esc.not-authorised", []string{"5.7.1", "4.7.1"}, "Refused by policy", CategoryPolicy, false, "RFC 3463 X.7.1: delivery not authorized, message refused (the receiver's policy: often reputation, content or a filter rule)."),
}
