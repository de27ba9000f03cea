package receiver

import "preflight/dmarc"

// The profiles. Each rule's provenance, confidence, source and date follow
// the project's receiver research notes (research/receivers.md for QQ's
// anatomy, research/receivers-2.md for the others); rule texts are written
// for users and cite the sources themselves, never the notes.

// Sources cited by several rules: the receivers' own pages with the date of
// the text quoted, and the specifications.
const (
	srcRFC7489 = "https://www.rfc-editor.org/rfc/rfc7489"
	srcRFC8301 = "https://www.rfc-editor.org/rfc/rfc8301"
	srcRFC6376 = "https://www.rfc-editor.org/rfc/rfc6376"
	srcRFC8058 = "https://www.rfc-editor.org/rfc/rfc8058"

	srcTencentDMARC  = "https://open.work.weixin.qq.com/help2/pc/19819"
	srcTencentExmail = "https://open.work.weixin.qq.com/help2/pc/19820"
	srcSisimaiQQ     = "https://github.com/sisimai/set-of-emails (maildir/bsd/rhost-tencent-03.eml); https://smtp.codes/qq"
	srcValidityQQ    = "https://knowledge.validity.com/hc/en-us/articles/220562127-Tencent-QQMail-overview"
)

// QQReplyDMARC is QQ's DMARC rejection, verbatim with the wrapping removed
// (Sisimai corpus maildir/bsd/rhost-tencent-03.eml). No enhanced status
// code: QQ sends none.
const QQReplyDMARC = "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16."

// QQReplySPF is QQ's SPF rejection in its current format, without the
// bracketed part: QQ puts an opaque session token and the client IP
// ("[<token> IP: 192.0.2.1]") before the URL, which no prediction can know.
const QQReplySPF = "550 SPF check failed. https://service.mail.qq.com/detail/122/72."

// QQReplyDomain is QQ's reply for a sender domain it cannot verify in DNS,
// without its bracketed session token and client IP.
const QQReplyDomain = "550 Domain may not exist or DNS check failed."

// QQ is QQ Mail and Tencent Exmail / WeCom mail.
var QQ = &Profile{
	Name: IDQQ,
	About: "Tencent documents DMARC only by repeating RFC 7489's tag definitions, and for Exmail what p=none, quarantine and reject " +
		"mean; what QQ Mail itself does comes from real bounces (DMARC and SPF rejections at end of DATA, with no enhanced status " +
		"code). pct=, sp=, np=, discovery and several records are undocumented: RFC 7489 is assumed with low confidence. " +
		"Covers QQ Mail (qq.com, foxmail.com) and Tencent Exmail / WeCom mail tenants.",
	DMARC: dmarc.RFC7489,
	DMARCRule: Rule{ID: "qq.discovery", Provenance: Inferred, Confidence: Low,
		Text:   "QQ's DMARC discovery is undocumented; Tencent's DMARC page repeats RFC 7489 only, so RFC 7489 discovery (Public Suffix List) is assumed, np= and t= are ignored and pct= follows RFC 7489 §6.6.4",
		Source: srcTencentDMARC, Date: "2026-03-26"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-pass", Provenance: Inferred, Confidence: MediumHigh,
		Text: "DMARC passes (an aligned SPF or DKIM pass): no DMARC rejection; content and frequency filters still apply"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: QQReplyDMARC, Rule: Rule{ID: "qq.dmarc-reject", Provenance: ThirdParty, Confidence: MediumHigh,
			Text:   "DMARC fail under p=reject is rejected at end of DATA with '550 DMARC check failed' (no enhanced status code)",
			Source: srcSisimaiQQ, Date: "2024-02-02"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "qq.dmarc-quarantine", Provenance: Documented, Confidence: LowMedium,
			Text:   "DMARC fail under p=quarantine is accepted, then put in the spam folder or silently intercepted (收件查询 → 被系统拦截); no bounce. Tencent describes the tag so for Exmail; no QQ bounce sample exists",
			Source: srcTencentExmail}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-none", Provenance: Inferred, Confidence: Medium,
			Text: "DMARC fail under p=none is not rejected for DMARC; SPF and content checks may still reject"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-no-record", Provenance: Inferred, Confidence: Medium,
		Text: "no usable DMARC record: accepted as far as DMARC goes; QQ's separate SPF check still applies"}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "qq.dmarc-temperror", Provenance: Inferred, Confidence: Low,
		Text: "QQ's handling of temporary DNS failures is undocumented (RFC 7489 §6.6.3 lets a receiver deliver or defer with 4xx): outcome unknown, retry before predicting"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489 §6.6.3); QQ's handling is undocumented"}},
	MultipleRecords: Rule{ID: "qq.dmarc-multiple", Provenance: Inferred, Confidence: Low,
		Text: "several DMARC records: QQ's handling is undocumented; RFC 7489 §6.6.3 (no policy) is assumed, but a receiver that takes the first record would apply its policy"},
	Pct: &Rule{ID: "qq.pct", Provenance: Inferred, Confidence: Low,
		Text:   "pct below 100: QQ's sampling is undocumented; RFC 7489 §6.6.4 is assumed (up to pct% rejected, the rest quarantined), so the outcome is a probability",
		Source: srcTencentDMARC, Date: "2026-03-26"},
	Subdomain: &Rule{ID: "qq.subdomain-policy", Provenance: Documented, Confidence: Low,
		Text:   "subdomain From: Tencent repeats the RFC default (sp absent → p applies to subdomains); RFC semantics are assumed",
		Source: srcTencentDMARC, Date: "2026-03-26"},
	SPFFail: &Action{Disposition: DispositionReject, Reply: QQReplySPF, Rule: Rule{ID: "qq.spf-reject", Provenance: ThirdParty, Confidence: Medium,
		Text: "SPF fail on the MAIL FROM domain is rejected on its own with '550 SPF check failed', independent of DMARC, even under p=none or without a record; " +
			"the real reply carries an opaque session token and the client IP in brackets before the help URL",
		Source: "https://github.com/elttwl/smtp-server (README, Postfix log); osst-users@lists.sourceforge.net DSNs (2020); http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=417&&id=48",
		Date:   "2025"}},
	SPFFailDMARCPass: &Rule{ID: "qq.spf-reject-dmarc-pass", Provenance: Inferred, Confidence: Low,
		Text: "whether QQ's SPF rejection also hits mail that passes DMARC through aligned DKIM is not known (no sample shows either): the SPF path is uncertain here"},
	SPFSoftFail: &Rule{ID: "qq.spf-softfail", Provenance: Inferred, Confidence: Low,
		Text: "SPF softfail (~all): unknown whether QQ rejects it; Tencent tells its own customers to publish ~all, so a rejection is unlikely — warning only"},
	SPFError: &Rule{ID: "qq.spf-error", Provenance: Inferred, Confidence: Low,
		Text: "SPF temperror/permerror: QQ's handling is unknown — warning only"},
	NoDomain: &Action{Disposition: DispositionReject, Reply: QQReplyDomain, Rule: Rule{ID: "qq.domain-dns-check", Provenance: ThirdParty, Confidence: Low,
		Text: "QQ rejects some mail at end of DATA with '550 Domain may not exist or DNS check failed' (plus a session token and the client IP); " +
			"which check triggers it is not known (the samples had a non-FQDN HELO, no reverse DNS and an SPF record not listing the IP), " +
			"so it is predicted here only for a From or MAIL FROM domain that does not exist",
		Source: "osst-users and industrypack-devel list-archive DSNs (2020-05); https://github.com/Macr0phag3/email_hack/issues/8",
		Date:   "2024-01-05"}},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "qq.dkim-short-key", Provenance: Inferred, Confidence: Medium,
		Text:   "a DKIM signature with an RSA key under 1024 bits is not counted as a pass (RFC 8301 §3.2: verifiers MUST NOT accept it; QQ documents no minimum and signs with 1024 bits itself)",
		Source: srcRFC8301},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "qq.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text:   "a DKIM key with t=y is treated like an unsigned message (RFC 6376 §3.6.1), so it is not counted for DMARC; Tencent documents t=y only as 'testing'",
		Source: "https://open.work.weixin.qq.com/help2/pc/20058"},
	Bulk: &Bulk{
		Threshold: Rule{ID: "qq.bulk-threshold", Provenance: ThirdParty, Confidence: Low,
			Text:   "QQ publishes no volume threshold; about 4,000 messages per hour per IP is a general guideline",
			Source: srcValidityQQ},
		ListUnsubscribe: &Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.bulk-unsubscribe", Provenance: ThirdParty, Confidence: LowMedium,
			Text:   "QQ's bulk-sender guide asks for List-Unsubscribe (QQ processes mailto:); no rejection is documented for mail without it",
			Source: srcValidityQQ}},
		FCrDNS: &Action{Disposition: DispositionAccept, Rule: Rule{ID: "qq.bulk-ptr", Provenance: ThirdParty, Confidence: LowMedium,
			Text:   "QQ's bulk-sender guide asks for a PTR record for the sending IP; no reply text is known for its absence",
			Source: srcValidityQQ}},
	},
	Facts: []Rule{
		{ID: "qq.end-of-data", Provenance: ThirdParty, Confidence: MediumHigh, Text: "DMARC and SPF rejections come in reply to end of DATA, not at RCPT",
			Source: srcSisimaiQQ, Date: "2024-02-02"},
		{ID: "qq.no-enhanced-code", Provenance: ThirdParty, Confidence: High, Text: "QQ replies carry no RFC 3463 enhanced status code; a 5.x.y in a DSN was added by the sending MTA",
			Source: srcSisimaiQQ},
		{ID: "qq.spf-cache", Provenance: ThirdParty, Confidence: LowMedium, Text: "QQ may use a cached SPF result for up to about 12 hours after an SPF change", Source: "https://service.mail.qq.com/detail/122/72"},
		{ID: "qq.accepted-not-delivered", Provenance: ThirdParty, Confidence: Medium, Text: "a 250 from QQ does not mean inbox delivery: some mail is intercepted silently (自助查询 → 收件查询 → 被系统拦截)",
			Source: "https://blog.csdn.net/m0_37263637/article/details/87874029"},
		{ID: "qq.exmail", Provenance: ThirdParty, Confidence: High, Text: "Tencent Exmail / WeCom mail tenants (MX mxbiz*.qq.com) send the same reasons with help URLs at open.work.weixin.qq.com",
			Source: "https://github.com/forwardemail/forwardemail.net (helpers/get-bounce-info.js)"},
	},
}

// RFC is plain RFC 7489 (with RFC 8301 and RFC 6376 for DKIM), to compare
// against a real receiver.
var RFC = &Profile{
	Name: IDRFC,
	About: "A receiver that does exactly what RFC 7489 (with RFC 6376 and RFC 8301 for DKIM) says, and nothing else: no SPF-only " +
		"rejection, no bulk-sender rules. Its reply text is illustrative: the RFC fixes none.",
	DMARC: dmarc.RFC7489,
	DMARCRule: Rule{ID: "rfc.discovery", Provenance: Documented, Confidence: High,
		Text:   "RFC 7489 §6.6.3: _dmarc at the From domain, then at its organizational domain (Public Suffix List); np= and t= are not part of RFC 7489",
		Source: srcRFC7489, Date: "2015-03"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-pass", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.2: an aligned SPF or DKIM pass passes DMARC; no policy applies", Source: srcRFC7489, Date: "2015-03"}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "550 5.7.1 Message rejected by the DMARC policy of {domain}", Rule: Rule{ID: "rfc.dmarc-reject", Provenance: Documented, Confidence: High,
			Text: "RFC 7489 §6.3 p=reject: the receiver rejects the message during the SMTP transaction (§10.3); the reply text is illustrative, the RFC fixes none", Source: srcRFC7489, Date: "2015-03"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "rfc.dmarc-quarantine", Provenance: Documented, Confidence: High,
			Text: "RFC 7489 §6.3 p=quarantine: the message is treated as suspicious (e.g. the spam folder)", Source: srcRFC7489, Date: "2015-03"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-none", Provenance: Documented, Confidence: High,
			Text: "RFC 7489 §6.3 p=none: no action; the failure is only reported", Source: srcRFC7489, Date: "2015-03"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-no-record", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.3 steps 5-6: no record, several records or no usable p= — DMARC processing is not applied", Source: srcRFC7489, Date: "2015-03"}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "rfc.dmarc-temperror", Provenance: Documented, Confidence: Medium,
		Text: "RFC 7489 §6.6.3 leaves DNS failures to the receiver: deliver (fail open) or defer with a 4xx (fail closed)", Source: srcRFC7489, Date: "2015-03"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "rfc.dmarc-permerror", Provenance: Documented, Confidence: Medium,
		Text: "RFC 7489 §6.6.3: a record that cannot be used means no DMARC processing", Source: srcRFC7489, Date: "2015-03"}},
	MultipleRecords: Rule{ID: "rfc.dmarc-multiple", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.3 step 5 (and RFC 9989): several DMARC records at one name mean DMARC processing is not applied", Source: srcRFC7489, Date: "2015-03"},
	Pct: &Rule{ID: "rfc.pct", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.6.4: pct% of failing mail gets the policy; under reject the rest is quarantined, under quarantine the rest gets normal handling", Source: srcRFC7489, Date: "2015-03"},
	Subdomain: &Rule{ID: "rfc.subdomain-policy", Provenance: Documented, Confidence: High,
		Text: "RFC 7489 §6.3: sp= applies to subdomains when the record came from the organizational domain; without sp=, p= applies", Source: srcRFC7489, Date: "2015-03"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "rfc.dkim-short-key", Provenance: Documented, Confidence: High,
		Text: "RFC 8301 §3.2: verifiers MUST NOT consider signatures with RSA keys under 1024 bits valid", Source: srcRFC8301, Date: "2018-01"},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "rfc.dkim-testing-key", Provenance: Documented, Confidence: High,
		Text: "RFC 6376 §3.6.1: messages from signers in testing mode (t=y) must not be treated differently from unsigned mail", Source: srcRFC6376, Date: "2011-09"},
}
