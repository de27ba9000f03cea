package receiver

import "preflight/dmarc"

// The profiles. Rule texts, provenance and confidence follow
// ../shared/research/receivers.md (section a.4 for QQ, the receiver table
// of section b for the others, section c for the RFC edge cases).

// QQReplyDMARC is QQ's DMARC rejection, verbatim with the wrapping removed
// (Sisimai corpus maildir/bsd/rhost-tencent-03.eml). No enhanced status
// code: QQ sends none.
const QQReplyDMARC = "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16."

// QQReplySPF is QQ's SPF rejection in its current format (2025 sample); the
// bracketed token is opaque and differs per session.
const QQReplySPF = "550 SPF check failed [<token>  IP: {ip}]. https://service.mail.qq.com/detail/122/72."

// QQ is QQ Mail and Tencent Exmail / WeCom mail.
var QQ = &Profile{
	Name:  IDQQ,
	DMARC: dmarc.RFC7489,
	DMARCRule: Rule{ID: "qq.discovery", Provenance: Inferred, Confidence: Low,
		Text:   "QQ's DMARC discovery is undocumented; Tencent's DMARC page repeats RFC 7489 only, so RFC 7489 discovery (Public Suffix List) is assumed, np= and t= are ignored and pct= follows RFC 7489 §6.6.4",
		Source: "https://open.work.weixin.qq.com/help2/pc/19819"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-pass", Provenance: Inferred, Confidence: MediumHigh,
		Text: "DMARC passes (an aligned SPF or DKIM pass): no DMARC rejection; content and frequency filters still apply"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: QQReplyDMARC, Rule: Rule{ID: "qq.dmarc-reject", Provenance: ThirdParty, Confidence: MediumHigh,
			Text:   "DMARC fail under p=reject is rejected at end of DATA with '550 DMARC check failed' (no enhanced status code)",
			Source: "Sisimai set-of-emails maildir/bsd/rhost-tencent-03.eml; https://smtp.codes/qq"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "qq.dmarc-quarantine", Provenance: Documented, Confidence: LowMedium,
			Text:   "DMARC fail under p=quarantine is accepted, then put in the spam folder or silently intercepted (收件查询 → 被系统拦截); no bounce",
			Source: "https://open.work.weixin.qq.com/help2/pc/19820"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-none", Provenance: Inferred, Confidence: Medium,
			Text: "DMARC fail under p=none is not rejected for DMARC; SPF and content checks may still reject"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-no-record", Provenance: Inferred, Confidence: Medium,
		Text: "no usable DMARC record: accepted as far as DMARC goes; QQ's separate SPF check still applies"}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "qq.dmarc-temperror", Provenance: Inferred, Confidence: Low,
		Text: "QQ's handling of temporary DNS failures is undocumented (RFC 7489 §6.6.3 lets a receiver deliver or defer with 4xx): outcome unknown, retry before predicting"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489 §6.6.3); QQ's handling is undocumented"}},
	Pct: &Rule{ID: "qq.pct", Provenance: Inferred, Confidence: Low,
		Text: "pct below 100: QQ's sampling is undocumented; RFC 7489 §6.6.4 is assumed (up to pct% rejected, the rest quarantined), so the outcome is a probability"},
	Subdomain: &Rule{ID: "qq.subdomain-policy", Provenance: Documented, Confidence: Low,
		Text:   "subdomain From: Tencent repeats the RFC default (sp absent → p applies to subdomains); RFC semantics are assumed",
		Source: "https://open.work.weixin.qq.com/help2/pc/19819"},
	SPFFail: &Action{Disposition: DispositionReject, Reply: QQReplySPF, Rule: Rule{ID: "qq.spf-reject", Provenance: ThirdParty, Confidence: Medium,
		Text:   "SPF fail on the MAIL FROM domain is rejected on its own with '550 SPF check failed', independent of DMARC, even under p=none or without a record",
		Source: "https://github.com/elttwl/smtp-server (2025); osst-users DSNs (2020); old QQ help no=417"}},
	SPFFailDMARCPass: &Rule{ID: "qq.spf-reject-dmarc-pass", Provenance: Inferred, Confidence: Low,
		Text: "whether QQ's SPF rejection also hits mail that passes DMARC through aligned DKIM is unknown (receivers.md a.7, question 2): the SPF path is uncertain here"},
	SPFSoftFail: &Rule{ID: "qq.spf-softfail", Provenance: Inferred, Confidence: Low,
		Text: "SPF softfail (~all): unknown whether QQ rejects it; Tencent tells its own customers to publish ~all, so a rejection is unlikely — warning only"},
	SPFError: &Rule{ID: "qq.spf-error", Provenance: Inferred, Confidence: Low,
		Text: "SPF temperror/permerror: QQ's handling is unknown — warning only"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "qq.dkim-short-key", Provenance: Documented, Confidence: Medium,
		Text: "a DKIM signature with an RSA key under 1024 bits is not counted as a pass (RFC 8301 §3.2: verifiers MUST NOT accept it; QQ documents no minimum)"},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "qq.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a DKIM key with t=y is treated like an unsigned message (RFC 6376 §3.6.1), so it is not counted for DMARC; QQ documents t=y only as 'testing'"},
	Facts: []Rule{
		{ID: "qq.end-of-data", Provenance: ThirdParty, Confidence: MediumHigh, Text: "DMARC and SPF rejections come in reply to end of DATA, not at RCPT"},
		{ID: "qq.no-enhanced-code", Provenance: ThirdParty, Confidence: High, Text: "QQ replies carry no RFC 3463 enhanced status code; a 5.x.y in a DSN was added by the sending MTA"},
		{ID: "qq.spf-cache", Provenance: ThirdParty, Confidence: LowMedium, Text: "QQ may use a cached SPF result for up to about 12 hours after an SPF change", Source: "https://service.mail.qq.com/detail/122/72"},
		{ID: "qq.accepted-not-delivered", Provenance: ThirdParty, Confidence: Medium, Text: "a 250 from QQ does not mean inbox delivery: some mail is intercepted silently (自助查询 → 收件查询 → 被系统拦截)"},
	},
}

// RFC is plain RFC 7489 (with RFC 8301 and RFC 6376 for DKIM), to compare
// against a real receiver.
var RFC = &Profile{
	Name:  IDRFC,
	DMARC: dmarc.RFC7489,
	DMARCRule: Rule{ID: "rfc.discovery", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.3: _dmarc at the From domain, then at its organizational domain (Public Suffix List); np= and t= are not part of RFC 7489"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-pass", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.2: an aligned SPF or DKIM pass passes DMARC; no policy applies"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "550 5.7.1 Message rejected by the DMARC policy of {domain}", Rule: Rule{ID: "rfc.dmarc-reject", Provenance: Documented, Confidence: High,
			Text: "RFC 7489 §6.3 p=reject: the receiver rejects the message during the SMTP transaction (§10.3); the reply text is illustrative, the RFC fixes none"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "rfc.dmarc-quarantine", Provenance: Documented, Confidence: High,
			Text: "RFC 7489 §6.3 p=quarantine: the message is treated as suspicious (e.g. the spam folder)"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-none", Provenance: Documented, Confidence: High,
			Text: "RFC 7489 §6.3 p=none: no action; the failure is only reported"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-no-record", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.3 steps 5-6: no record, several records or no usable p= — DMARC processing is not applied"}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "rfc.dmarc-temperror", Provenance: Documented, Confidence: Medium,
		Text: "RFC 7489 §6.6.3 leaves DNS failures to the receiver: deliver (fail open) or defer with a 4xx (fail closed)"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-permerror", Provenance: Documented, Confidence: Medium,
		Text: "RFC 7489 §6.6.3: a record that cannot be used means no DMARC processing"}},
	Pct: &Rule{ID: "rfc.pct", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.4: pct% of failing mail gets the policy; under reject the rest is quarantined, under quarantine the rest gets normal handling"},
	Subdomain: &Rule{ID: "rfc.subdomain-policy", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.3: sp= applies to subdomains when the record came from the organizational domain; without sp=, p= applies"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "rfc.dkim-short-key", Provenance: Documented, Confidence: High,
		Text: "RFC 8301 §3.2: verifiers MUST NOT consider signatures with RSA keys under 1024 bits valid"},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "rfc.dkim-testing-key", Provenance: Documented, Confidence: High,
		Text: "RFC 6376 §3.6.1: messages from signers in testing mode (t=y) must not be treated differently from unsigned mail"},
}

// Gmail is Google's consumer mail (data from receivers.md section b).
var Gmail = &Profile{
	Name:  IDGmail,
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "gmail.discovery", Provenance: Inferred, Confidence: Low,
		Text: "Gmail speaks of 'organizational domains' without naming the method: RFC 7489 discovery is assumed; pct= is honoured (Google's own example uses pct=5)"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-pass", Provenance: Documented, Confidence: MediumHigh,
		Text: "DMARC passes; bulk senders (>5,000/day) still need SPF and DKIM, one-click unsubscribe and a low spam rate"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject,
			Reply: "550 5.7.26 Unauthenticated email from {domain} is not accepted due to domain's DMARC policy. Please contact the administrator of {domain} domain if this was a legitimate mail. To learn about the DMARC initiative, go to https://support.google.com/mail/?p=DmarcRejection",
			Rule: Rule{ID: "gmail.dmarc-reject", Provenance: Documented, Confidence: High,
				Text: "Gmail applies the sending domain's DMARC policy: p=reject failures get 550 5.7.26", Source: "https://support.google.com/a/answer/3726730"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "gmail.dmarc-quarantine", Provenance: Documented, Confidence: MediumHigh,
			Text: "p=quarantine failures go to the spam folder", Source: "https://support.google.com/a/answer/2466563"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-none", Provenance: Documented, Confidence: Medium,
			Text: "p=none: local filtering only; bulk senders' unaligned mail may still get 4.7.32/5.7.32"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-no-record", Provenance: Documented, Confidence: Medium,
		Text: "no DMARC record: no DMARC action, but bulk senders get 421 4.7.40 / 550 5.7.40 without one", Source: "https://support.google.com/a/answer/81126"}},
	OnTempError: Action{Disposition: DispositionDefer,
		Reply: "451 4.7.26 Unauthenticated email from {domain} is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. Please contact the administrator of {domain} domain if this was a legitimate email.",
		Rule: Rule{ID: "gmail.dmarc-temperror", Provenance: Documented, Confidence: High,
			Text: "a temporary DNS failure during DMARC authentication is deferred with 451 4.7.26", Source: "https://support.google.com/a/answer/3726730"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "gmail.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489); bulk senders may be treated as having no record"}},
	Pct: &Rule{ID: "gmail.pct", Provenance: Documented, Confidence: Medium,
		Text: "pct= is honoured (Google documents p=quarantine; pct=5); RFC 7489 §6.6.4 sampling is assumed for the rest", Source: "https://support.google.com/a/answer/2466563"},
	SPFFail: &Action{Disposition: DispositionReject,
		Reply: "550 5.7.26 The (E)MAIL FROM domain [{mailfrom}] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [{ip}]. To best protect our users from spam and phishing, the message has been blocked.",
		Rule: Rule{ID: "gmail.spf-hardfail", Provenance: Documented, Confidence: LowMedium,
			Text: "an SPF hard fail (-all) of the MAIL FROM domain can be rejected on its own 'in some cases'", Source: "https://support.google.com/a/answer/3726730"}},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "gmail.dkim-short-key", Provenance: Documented, Confidence: High,
		Text: "sending to personal Gmail accounts requires a DKIM key of 1024 bits or longer", Source: "https://support.google.com/a/answer/81126"},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "gmail.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1); Gmail documents nothing"},
	Facts: []Rule{
		{ID: "gmail.bulk-alignment", Provenance: Documented, Confidence: High, Text: "bulk senders (>5,000/day) must align From with SPF or DKIM (else 4.7.32/5.7.32), publish DMARC (p=none suffices) and offer RFC 8058 one-click unsubscribe"},
	},
}

// Yahoo is Yahoo and AOL mail.
var Yahoo = &Profile{
	Name:  IDYahoo,
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "yahoo.discovery", Provenance: Inferred, Confidence: Low,
		Text: "Yahoo does not say how it discovers records: RFC 7489 discovery assumed; relaxed alignment is documented as acceptable"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-pass", Provenance: Documented, Confidence: MediumHigh,
		Text: "DMARC passes; bulk senders also need SPF and DKIM and one-click unsubscribe"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
			Rule: Rule{ID: "yahoo.dmarc-reject", Provenance: Documented, Confidence: MediumHigh,
				Text: "'If a domain is protected by DMARC with p=reject, any message without a proper DKIM signature or SPF alignment will be rejected' (reply text from a 2020 bounce, URL updated)", Source: "https://senders.yahooinc.com/best-practices/"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "yahoo.dmarc-quarantine", Provenance: Inferred, Confidence: Medium,
			Text: "p=quarantine failures go to the spam folder (consistent with Yahoo's FAQ)"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-none", Provenance: Inferred, Confidence: Medium,
			Text: "p=none: no DMARC action; 'may be sent to the spam folder or rejected' by other filters"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-no-record", Provenance: Documented, Confidence: Medium,
		Text: "no DMARC record: no DMARC action; bulk senders must publish at least p=none"}},
	OnTempError: Action{Disposition: DispositionDefer, Rule: Rule{ID: "yahoo.dmarc-temperror", Provenance: Documented, Confidence: Medium,
		Text: "'authentication results could not be determined due to a temporary error' is listed among 421/451 causes", Source: "https://senders.yahooinc.com/smtp-error-codes/"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "yahoo.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489)"}},
	Pct: &Rule{ID: "yahoo.pct", Provenance: Inferred, Confidence: Low,
		Text: "pct= handling undocumented: RFC 7489 §6.6.4 assumed"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "yahoo.dkim-short-key", Provenance: Documented, Confidence: High,
		Text: "DKIM keys must be at least 1024 bits", Source: "https://senders.yahooinc.com/best-practices/"},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "yahoo.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1); Yahoo documents nothing"},
}

// Microsoft is Outlook.com / Hotmail / Live (and Exchange Online, which
// sends the same 5.7.509).
var Microsoft = &Profile{
	Name:  IDMicrosoft,
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "microsoft.discovery", Provenance: Inferred, Confidence: Low,
		Text: "Microsoft does not document its discovery method: RFC 7489 discovery assumed"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-pass", Provenance: Documented, Confidence: Medium,
		Text: "DMARC passes; since May 2025 senders of >5,000/day also need SPF pass and DKIM pass, else 550 5.7.515"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "550 5.7.509 Access denied, sending domain [{DOMAIN}] does not pass DMARC verification and has a DMARC policy of reject.",
			Rule: Rule{ID: "microsoft.dmarc-reject", Provenance: ThirdParty, Confidence: MediumHigh,
				Text: "p=reject failures get 550 5.7.509 (Exchange Online records action=oreject)", Source: "Sisimai rhost-microsoft-04/06; https://pastebin.com/TU8VGXiM"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "microsoft.dmarc-quarantine", Provenance: Inferred, Confidence: Medium,
			Text: "p=quarantine failures go to Junk"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-none", Provenance: Inferred, Confidence: Medium,
			Text: "p=none: no DMARC action"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-no-record", Provenance: Inferred, Confidence: Medium,
		Text: "no DMARC record: no DMARC action; high-volume senders need at least p=none"}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "microsoft.dmarc-temperror", Provenance: Inferred, Confidence: Low,
		Text: "Microsoft's handling of temporary DNS failures is undocumented"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489)"}},
	Pct: &Rule{ID: "microsoft.pct", Provenance: Inferred, Confidence: Low,
		Text: "pct= handling undocumented: RFC 7489 §6.6.4 assumed"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "microsoft.dkim-short-key", Provenance: Inferred, Confidence: Low,
		Text: "no key size is published; RFC 8301's 1024-bit floor is assumed"},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "microsoft.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1)"},
	Facts: []Rule{
		{ID: "microsoft.high-volume", Provenance: Documented, Confidence: High, Text: "senders of >5,000/day must pass SPF and DKIM and DMARC (p=none at least, aligned with either), else 550 5.7.515"},
		{ID: "microsoft.ptr", Provenance: Documented, Confidence: High, Text: "sending servers must have valid reverse DNS"},
	},
}
