package receiver

import "preflight/dmarc"

// Google's and Yahoo's pages, with the capture date of the text quoted
// (tracked in https://github.com/azumakuniyuki/feb-2024-no-auth-no-entry).
const (
	srcG81126   = "https://support.google.com/mail/answer/81126"
	dateG81126  = "2026-03-21"
	srcGFAQ     = "https://support.google.com/a/answer/14229414"
	dateGFAQ    = "2026-03-11"
	srcGErr     = "https://support.google.com/a/answer/3726730"
	dateGErr    = "2026-02-15"
	srcGDMARC   = "https://support.google.com/a/answer/10032169"
	srcGAdd     = "https://support.google.com/a/answer/2466563"
	srcYBP      = "https://senders.yahooinc.com/best-practices/"
	dateYBP     = "2025-04-10"
	srcYFAQ     = "https://senders.yahooinc.com/faqs/"
	dateYFAQ    = "2025-08-02"
	srcYErr     = "https://senders.yahooinc.com/smtp-error-codes/"
	dateYErr    = "2026-02-15"
	yahooPolicy = "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes"
)

// Gmail is Google's consumer mail (personal Gmail accounts).
var Gmail = &Profile{
	Name: IDGmail,
	About: "Google documents its sender requirements (all senders and bulk senders), its SMTP replies and that the sending domain's " +
		"DMARC policy 'generally applies'; it does not document its discovery method, pct= sampling or several records. " +
		"The requirements apply to personal Gmail accounts, not to Google Workspace recipients.",
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "gmail.discovery", Provenance: Inferred, Confidence: Low,
		Text:   "Gmail speaks of 'organizational domains' without naming the method: RFC 7489 discovery is assumed; np= is honoured (Google's aggregate reports carry it)",
		Source: srcGFAQ + "; https://github.com/liuch/dmarc-srg/issues/68", Date: dateGFAQ},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-pass", Provenance: Documented, Confidence: MediumHigh,
		Text: "DMARC passes; bulk senders (about 5,000 a day or more) still need SPF and DKIM, one-click unsubscribe and a low spam rate", Source: srcG81126, Date: dateG81126}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject,
			Reply: "550 5.7.26 Unauthenticated email from {domain} is not accepted due to domain's DMARC policy. Please contact the administrator of {domain} domain if this was a legitimate mail. To learn about the DMARC initiative, go to https://support.google.com/mail/?p=DmarcRejection",
			Rule: Rule{ID: "gmail.dmarc-reject", Provenance: Documented, Confidence: High,
				Text: "'the enforcement defined in the sending domain's DMARC policy generally applies': p=reject failures get 550 5.7.26 at end of DATA (5.7.1 before about 2019)", Source: srcGErr + "; " + srcGFAQ, Date: dateGErr}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "gmail.dmarc-quarantine", Provenance: Documented, Confidence: MediumHigh,
			Text: "p=quarantine: 'Mark the messages as spam and send it to the recipient's spam folder'", Source: srcGDMARC}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-none", Provenance: Documented, Confidence: Medium,
			Text: "p=none: 'Take no action on the message'; other filters still apply, and bulk senders' unaligned mail gets 4.7.32/5.7.32", Source: srcGDMARC}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-no-record", Provenance: Documented, Confidence: Medium,
		Text: "no DMARC record: no DMARC action ('the messages might be rejected or sent to spam' by other checks); bulk senders get 421 4.7.40 / 550 5.7.40 without one", Source: srcGFAQ, Date: dateGFAQ}},
	OnTempError: Action{Disposition: DispositionDefer,
		Reply: "451 4.7.26 Unauthenticated email from {domain} is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. Please contact the administrator of {domain} domain if this was a legitimate email.",
		Rule: Rule{ID: "gmail.dmarc-temperror", Provenance: Documented, Confidence: High,
			Text: "a temporary DNS failure during DMARC authentication is deferred with 451 4.7.26", Source: srcGErr, Date: dateGErr}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489); Google documents nothing; bulk senders may be treated as having no record"}},
	MultipleRecords: Rule{ID: "gmail.dmarc-multiple", Provenance: Inferred, Confidence: Low,
		Text: "several DMARC records: Google documents nothing (its help warns about several SPF records only); RFC 7489 §6.6.3 (no policy) is assumed"},
	Pct: &Rule{ID: "gmail.pct", Provenance: Inferred, Confidence: LowMedium,
		Text:   "pct=: Google documents the tag (its own roll-out example is p=quarantine; pct=5) but not how Gmail samples; RFC 7489 §6.6.4 is assumed",
		Source: srcGDMARC + "; " + srcGAdd},
	Subdomain: &Rule{ID: "gmail.subdomain-policy", Provenance: Documented, Confidence: MediumHigh,
		Text:   "'If you don't create DMARC policies for subdomains, they inherit the parent domain's DMARC policy'; sp= in the parent's record sets theirs",
		Source: srcGAdd},
	SPFFail: &Action{Disposition: DispositionReject,
		Reply:      "550 5.7.26 The (E)MAIL FROM domain [{mailfrom}] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [{ip}]. To best protect our users from spam and phishing, the message has been blocked.",
		ReplyShort: "550 5.7.26 The (E)MAIL FROM domain [{mailfrom}] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks.",
		Rule: Rule{ID: "gmail.spf-hardfail", Provenance: Documented, Confidence: LowMedium,
			Text:   "an SPF hard fail (-all) of the MAIL FROM domain is rejected with 550 5.7.26 even when DMARC does not ask for it; Google documents the reply, not when it is used",
			Source: srcGErr + "; https://github.com/sisimai/set-of-emails (rhost-google-03.eml)", Date: dateGErr}},
	SPFFailDMARCPass: &Rule{ID: "gmail.spf-hardfail-dmarc-pass", Provenance: Inferred, Confidence: Low,
		Text: "whether Gmail's SPF hard-fail rejection also hits mail that passes DMARC through aligned DKIM is not documented: uncertain here"},
	Unauthenticated: &Action{Disposition: DispositionReject,
		Reply:      "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [{mailfrom}] with ip: [{ip}] = did not pass. For instructions on setting up authentication, go to Email sender guidelines.",
		ReplyShort: "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
		Rule: Rule{ID: "gmail.unauthenticated", Provenance: Documented, Confidence: High,
			Text: "all senders must authenticate with SPF or DKIM (any domain): mail that passes neither is rejected with 550 5.7.26 (or rate limited with 421 4.7.26)", Source: srcGErr + "; " + srcG81126, Date: dateGErr}},
	MultipleFrom: &Action{Disposition: DispositionReject, Reply: "550 5.7.1 Messages with multiple addresses in the From: header are not accepted.",
		Rule: Rule{ID: "gmail.multiple-from", Provenance: Documented, Confidence: High,
			Text: "a From header field with several addresses is rejected with 550 5.7.1", Source: srcGErr, Date: dateGErr}},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "gmail.dkim-short-key", Provenance: Documented, Confidence: High,
		Text: "'Sending to personal Gmail accounts requires a DKIM key of 1024 bits or longer' (2048 recommended)", Source: srcG81126, Date: dateG81126},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "gmail.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1); Google documents nothing"},
	Unverified: []string{"ed25519-sha256"},
	UnverifiedRule: Rule{ID: "gmail.dkim-ed25519", Provenance: ThirdParty, Confidence: Medium,
		Text:   "Gmail does not verify Ed25519 DKIM signatures (RFC 8463): they are reported as fail while an RSA signature on the same message passes, so an Ed25519-only signature does not count",
		Source: "https://github.com/stalwartlabs/stalwart/issues/3193; https://github.com/ergochat/ergo/pull/2242; https://github.com/mjl-/mox/issues/45", Date: "2026-06-06"},
	Bulk: &Bulk{
		Threshold: Rule{ID: "gmail.bulk-threshold", Provenance: Documented, Confidence: High,
			Text:   "bulk senders send 'close to 5,000 messages or more to personal Gmail accounts within a 24-hour period', counted per primary domain; once reached, permanently",
			Source: srcGFAQ, Date: dateGFAQ},
		SPF: &Action{Disposition: DispositionReject, Reply: "550 5.7.27 This message was blocked because it didn't pass SPF authentication.",
			Rule: Rule{ID: "gmail.bulk-spf", Provenance: Documented, Confidence: Medium,
				Text: "bulk senders must pass SPF: first 421 4.7.27 (rate limited), then 550 5.7.27; since November 2025 Gmail ramps up 'temporary and permanent rejections'", Source: srcGErr + "; " + srcGFAQ, Date: dateGErr}},
		DKIM: &Action{Disposition: DispositionReject, Reply: "550 5.7.30 This message was blocked because it didn't pass DKIM authentication.",
			Rule: Rule{ID: "gmail.bulk-dkim", Provenance: Documented, Confidence: Medium,
				Text: "bulk senders must pass DKIM: first 421 4.7.30, then 550 5.7.30", Source: srcGErr, Date: dateGErr}},
		DMARCRecord: &Action{Disposition: DispositionReject, Reply: "550 5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy.",
			Rule: Rule{ID: "gmail.bulk-dmarc-record", Provenance: Documented, Confidence: Medium,
				Text: "bulk senders must publish a DMARC record (p=none is enough): 421 4.7.40, then 550 5.7.40 (the FAQ still names 4.7.31 and lists the breach as 'mitigations unavailable')", Source: srcGErr + "; " + srcGFAQ, Date: dateGErr}},
		Alignment: &Action{Disposition: DispositionReject, Reply: "550 5.7.32 Your email was blocked because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
			Rule: Rule{ID: "gmail.bulk-alignment", Provenance: Documented, Confidence: Medium,
				Text: "bulk senders' From must be aligned with the SPF or DKIM organizational domain that passed, whatever the DMARC policy: 421 4.7.32, then a block (Google prints '421 5.7.32'; 550 in practice is inferred)", Source: srcGErr, Date: dateGErr}},
		OneClick: &Action{Disposition: DispositionAccept,
			Rule: Rule{ID: "gmail.bulk-one-click", Provenance: Documented, Confidence: High,
				Text: "marketing and subscribed mail from bulk senders must support RFC 8058 one-click unsubscribe (mailto: alone does not satisfy it), honoured within 48 hours; Google does not reject or junk for it, but mitigation is lost", Source: srcG81126 + "; " + srcGFAQ, Date: dateG81126}},
		FCrDNS: &Action{Disposition: DispositionReject, Reply: "550 5.7.25 This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address. Gmail requires that sending IP addresses have a PTR record.",
			Rule: Rule{ID: "gmail.bulk-ptr", Provenance: Documented, Confidence: High,
				Text: "'The sending IP address must match the IP address of the hostname specified in the Pointer (PTR) record': 451 4.7.23, then 550 5.7.25 (a requirement for all senders; checked here with --bulk)", Source: srcG81126 + "; " + srcGErr, Date: dateG81126}},
	},
	Facts: []Rule{
		{ID: "gmail.scope", Provenance: Documented, Confidence: High, Text: "the sender requirements apply to personal Gmail accounts, not to Google Workspace recipients", Source: srcGFAQ, Date: dateGFAQ},
		{ID: "gmail.spam-rate", Provenance: Documented, Confidence: High, Text: "keep the spam rate reported in Postmaster Tools below 0.10% and never at 0.30% or above", Source: srcG81126, Date: dateG81126},
		{ID: "gmail.tls", Provenance: Documented, Confidence: High, Text: "mail must be sent over TLS (421 4.7.29 / 550 5.7.29)", Source: srcGErr, Date: dateGErr},
		{ID: "gmail.forwarding", Provenance: Documented, Confidence: High, Text: "DMARC alignment isn't required for forwarded or mailing-list messages; ARC showing an earlier failure makes a forwarded pass count as unauthenticated", Source: srcGFAQ, Date: dateGFAQ},
		{ID: "gmail.l-tag", Provenance: Documented, Confidence: High, Text: "do not use the DKIM length tag (l=): advice, no rejection documented", Source: "https://support.google.com/mail/answer/180707"},
	},
}

// Yahoo is Yahoo and AOL mail (every consumer brand Yahoo hosts; Yahoo
// Japan is a separate system).
var Yahoo = &Profile{
	Name: IDYahoo,
	About: "Yahoo's Sender Hub documents p=reject enforcement, the all-sender and bulk-sender requirements, a 1024-bit DKIM minimum " +
		"and its error-code causes; the DMARC reply text ('not accepted for policy reasons', also used for content blocks) comes " +
		"from real bounces. Discovery, pct=, sp= and several records are undocumented. Yahoo Japan is a separate system.",
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "yahoo.discovery", Provenance: Inferred, Confidence: Low,
		Text: "Yahoo does not say how it discovers records: RFC 7489 discovery assumed; relaxed alignment is documented as acceptable", Source: srcYBP, Date: dateYBP},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-pass", Provenance: Documented, Confidence: MediumHigh,
		Text: "DMARC passes; bulk senders also need SPF and DKIM and one-click unsubscribe", Source: srcYBP, Date: dateYBP}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: yahooPolicy,
			Rule: Rule{ID: "yahoo.dmarc-reject", Provenance: Documented, Confidence: MediumHigh,
				Text:   "'If a domain is protected by DMARC with p=reject, any message without a proper DKIM signature or SPF alignment will be rejected' (the reply text is from 2020 bounces, its URL updated; the same text covers content blocks)",
				Source: srcYFAQ + "; https://github.com/sisimai/set-of-emails (lhost-postfix-66/67/69.eml)", Date: dateYFAQ}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "yahoo.dmarc-quarantine", Provenance: Documented, Confidence: Medium,
			Text: "'Depending on the policy published by the sender it may get rejected, or go to the spam folder or no action may be taken': p=quarantine goes to spam", Source: srcYFAQ, Date: dateYFAQ}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-none", Provenance: Documented, Confidence: Medium,
			Text: "p=none: no DMARC action ('no action may be taken'); other filters still apply", Source: srcYFAQ, Date: dateYFAQ}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-no-record", Provenance: Inferred, Confidence: Medium,
		Text: "no DMARC record: no DMARC action; bulk senders must publish at least p=none", Source: srcYBP, Date: dateYBP}},
	OnTempError: Action{Disposition: DispositionDefer, Rule: Rule{ID: "yahoo.dmarc-temperror", Provenance: Documented, Confidence: Medium,
		Text: "'Authentication results for your domain could not be determined due to a temporary error' is listed among 421/451 causes (the reply text is not given)", Source: srcYErr, Date: dateYErr}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489); Yahoo documents nothing"}},
	MultipleRecords: Rule{ID: "yahoo.dmarc-multiple", Provenance: Inferred, Confidence: Low,
		Text: "several DMARC records: Yahoo documents nothing; RFC 7489 §6.6.3 (no policy) is assumed"},
	Pct: &Rule{ID: "yahoo.pct", Provenance: Inferred, Confidence: Low,
		Text: "pct= handling undocumented: RFC 7489 §6.6.4 assumed"},
	SPFSoftFail: &Rule{ID: "yahoo.spf-capability", Provenance: Documented, Confidence: Low,
		Text: "'SPF records allow Yahoo to reject messages which originate from IPs not listed in the domain's SPF record'; when it does so (-all or ~all) is not documented — warning only", Source: srcYBP, Date: dateYBP},
	Unauthenticated: &Action{Disposition: DispositionReject, Reply: "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.",
		Rule: Rule{ID: "yahoo.unauthenticated", Provenance: Documented, Confidence: MediumHigh,
			Text:   "all senders must authenticate with SPF or DKIM; the reply text is from go-sisimai's Yahoo table",
			Source: srcYBP + "; https://github.com/sisimai/go-sisimai (rhost/for-yahooinc.go)", Date: dateYBP}},
	NoDomain: &Action{Disposition: DispositionReject,
		Rule: Rule{ID: "yahoo.domain-exists", Provenance: Documented, Confidence: Medium,
			Text:   "Yahoo looks up the SOA of the RFC5321 and RFC5322 From domains: a domain that does not exist gets a 554 (text not documented), a DNS timeout a 451 'unresolvable RFC.5321 from domain'",
			Source: srcYErr + "; https://github.com/sisimai/go-sisimai (rhost/for-yahooinc.go)", Date: dateYErr}},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "yahoo.dkim-short-key", Provenance: Documented, Confidence: High,
		Text: "'We require a DKIM key length of 1024 bits or greater' (2048 recommended)", Source: srcYFAQ + "; " + srcYBP, Date: dateYFAQ},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "yahoo.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1); Yahoo documents nothing"},
	Bulk: &Bulk{
		Threshold: Rule{ID: "yahoo.bulk-threshold", Provenance: Documented, Confidence: High,
			Text: "'We will not specify a volume threshold'; a sender is judged at the authenticated-domain or From-domain level, spoofed mail included", Source: srcYFAQ, Date: dateYFAQ},
		SPF: &Action{Disposition: DispositionReject, Reply: yahooPolicy,
			Rule: Rule{ID: "yahoo.bulk-spf", Provenance: Documented, Confidence: Low,
				Text: "bulk senders must pass SPF and DKIM; Yahoo documents the requirement, not the reply: the generic policy reply is assumed", Source: srcYBP, Date: dateYBP}},
		DKIM: &Action{Disposition: DispositionReject, Reply: yahooPolicy,
			Rule: Rule{ID: "yahoo.bulk-dkim", Provenance: Documented, Confidence: Low,
				Text: "bulk senders must pass DKIM; the reply is not documented: the generic policy reply is assumed", Source: srcYBP, Date: dateYBP}},
		DMARCRecord: &Action{Disposition: DispositionReject, Reply: yahooPolicy,
			Rule: Rule{ID: "yahoo.bulk-dmarc-record", Provenance: Documented, Confidence: Low,
				Text: "bulk senders must 'Publish a valid DMARC policy with at least p=none'; the reply is not documented", Source: srcYBP, Date: dateYBP}},
		DMARCPass: &Action{Disposition: DispositionReject, Reply: yahooPolicy,
			Rule: Rule{ID: "yahoo.bulk-dmarc-pass", Provenance: Documented, Confidence: Low,
				Text: "for bulk senders 'DMARC must pass' (relaxed alignment is acceptable), whatever the policy; the reply is not documented", Source: srcYBP, Date: dateYBP}},
		ListUnsubscribe: &Action{Disposition: DispositionAccept,
			Rule: Rule{ID: "yahoo.bulk-unsubscribe", Provenance: Documented, Confidence: Medium,
				Text: "marketing mail from bulk senders must carry List-Unsubscribe ('The mail-to: method is acceptable'), honoured within 2 days, enforced since June 2024; what happens to mail without it is not documented", Source: srcYBP + "; " + srcYFAQ, Date: dateYBP}},
		OneClick: &Action{Disposition: DispositionAccept,
			Rule: Rule{ID: "yahoo.bulk-one-click", Provenance: Documented, Confidence: High,
				Text: "'The Post (RFC 8058) method is highly recommended': a recommendation, not a rejection", Source: srcYBP, Date: dateYBP}},
		FCrDNS: &Action{Disposition: DispositionReject,
			Rule: Rule{ID: "yahoo.bulk-ptr", Provenance: Documented, Confidence: Low,
				Text: "all senders need 'valid forward and reverse DNS record for your sending IPs' (checked here with --bulk); the reply is not documented", Source: srcYBP, Date: dateYBP}},
	},
	Facts: []Rule{
		{ID: "yahoo.multiple-signatures", Provenance: Documented, Confidence: High, Text: "'If a mail message has multiple DMARC-aligned signatures and they do not all pass, Yahoo does not guarantee that it will pass DMARC'", Source: srcYFAQ, Date: dateYFAQ},
		{ID: "yahoo.spam-rate", Provenance: Documented, Confidence: High, Text: "keep the spam rate below 0.3%, computed on inbox-delivered mail", Source: srcYBP, Date: dateYBP},
		{ID: "yahoo.reply-generic", Provenance: ThirdParty, Confidence: High, Text: "'not accepted for policy reasons' is also used for content blocks: the text alone does not say DMARC", Source: "https://github.com/sisimai/go-sisimai (rhost/for-yahooinc.go)"},
	},
}
