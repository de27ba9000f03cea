package receiver

import "preflight/dmarc"

const (
	srcApple      = "https://support.apple.com/en-us/102322"
	dateApple     = "2025-02-25"
	srcNetEase    = "https://biecuoliao.com/pa/MBRrwEM.html (NetEase code list, attributed to http://help.163.com/09/1224/17/5RAJ4LMH00753VB8.html)"
	dateNetEase   = "2018 or earlier"
	srcMailRu     = "https://github.com/sisimai/set-of-emails (maildir/bsd/lhost-postfix-72.eml); https://help.ishosting.com/en/dmarc-check"
	srcYandexRule = "https://yandex.com/support/mail/web/letter/create/send-many-letters.html"
)

// rfcDefaults returns the actions of a receiver that documents nothing
// about DMARC beyond honouring p=reject (or nothing at all): RFC 7489
// semantics, each rule inferred with low confidence and saying so.
func rfcDefaults(id, who string) (pass, none, noRecord, temp, perm Action, multiple Rule, pct *Rule) {
	pass = Action{Disposition: DispositionAccept, Rule: Rule{ID: id + ".dmarc-pass", Provenance: Inferred, Confidence: Medium,
		Text: "DMARC passes: no DMARC action (RFC 7489); other filters still apply"}}
	none = Action{Disposition: DispositionAccept, Rule: Rule{ID: id + ".dmarc-none", Provenance: Inferred, Confidence: Low,
		Text: "p=none: no DMARC action (RFC 7489); " + who + " documents nothing"}}
	noRecord = Action{Disposition: DispositionAccept, Rule: Rule{ID: id + ".dmarc-no-record", Provenance: Inferred, Confidence: Low,
		Text: "no DMARC record: no DMARC action (RFC 7489); " + who + " documents nothing"}}
	temp = Action{Disposition: DispositionUnknown, Rule: Rule{ID: id + ".dmarc-temperror", Provenance: Inferred, Confidence: Low,
		Text: who + "'s handling of temporary DNS failures is undocumented (RFC 7489 §6.6.3 allows delivering or deferring)"}}
	perm = Action{Disposition: DispositionAccept, Rule: Rule{ID: id + ".dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489); " + who + " documents nothing"}}
	multiple = Rule{ID: id + ".dmarc-multiple", Provenance: Inferred, Confidence: Low,
		Text: "several DMARC records: " + who + " documents nothing; RFC 7489 §6.6.3 (no policy) is assumed"}
	pct = &Rule{ID: id + ".pct", Provenance: Inferred, Confidence: Low,
		Text: "pct= handling undocumented: RFC 7489 §6.6.4 assumed"}
	return
}

func rfcKeyRules(id string) (short, testing Rule) {
	short = Rule{ID: id + ".dkim-short-key", Provenance: Inferred, Confidence: Low,
		Text: "no key size is published; RFC 8301's 1024-bit floor is assumed", Source: srcRFC8301}
	testing = Rule{ID: id + ".dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1)"}
	return
}

// Apple is iCloud Mail (icloud.com, me.com, mac.com).
var Apple = func() *Profile {
	pass, none, noRecord, temp, perm, multiple, pct := rfcDefaults(IDApple, "Apple")
	short, testing := rfcKeyRules(IDApple)
	none.Rule.Text = "p=none: no DMARC action; iCloud Mail 'honors the domain's policy'"
	none.Rule.Source, none.Rule.Date, none.Rule.Confidence = srcApple, dateApple, Medium
	return &Profile{
		Name: IDApple,
		About: "Apple's postmaster page says iCloud Mail authenticates all inbound mail with SPF and DKIM, honours the sending " +
			"domain's DMARC policy, and rejects bulk mail that misses any requirement; the reply texts come from real bounces. " +
			"pct=, sp=, np=, key size, discovery and several records are not documented.",
		DMARC: dmarc.Options{Method: dmarc.MethodPSL},
		DMARCRule: Rule{ID: "apple.discovery", Provenance: Inferred, Confidence: Low,
			Text: "Apple does not document its discovery method: RFC 7489 discovery assumed", Source: srcApple, Date: dateApple},
		OnPass: pass,
		OnFail: map[dmarc.Policy]Action{
			dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "554 5.7.1 Your message was rejected due to {domain}'s DMARC policy. See https://support.apple.com/en-us/HT204137 for info",
				Rule: Rule{ID: "apple.dmarc-reject", Provenance: Documented, Confidence: MediumHigh,
					Text:   "'If a sending domain publishes a … DMARC policy, iCloud Mail honors the domain's policy': p=reject failures get 554 5.7.1 at end of DATA (a 550 variant exists; the text is from real bounces)",
					Source: srcApple + "; https://github.com/sisimai/set-of-emails (lhost-postfix-71.eml, rhost-apple-02.eml)", Date: dateApple}},
			dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "apple.dmarc-quarantine", Provenance: Inferred, Confidence: Medium,
				Text: "p=quarantine failures go to Junk ('honors the policy'; Apple describes its own p=quarantine as 'should go to the recipient's Junk folder')", Source: srcApple, Date: dateApple}},
			dmarc.PolicyNone: none,
		},
		OnNoRecord: noRecord, OnTempError: temp, OnPermError: perm, MultipleRecords: multiple, Pct: pct,
		Unauthenticated: &Action{Disposition: DispositionReject,
			Reply: "554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication checks. See https://support.apple.com/en-us/HT204137 for mailing best practices",
			Rule: Rule{ID: "apple.unauthenticated", Provenance: ThirdParty, Confidence: Medium,
				Text:   "'iCloud Mail authenticates all inbound emails using SPF and DKIM': mail failing both is rejected with 554 5.7.1 [HME1] even without a DMARC reject policy",
				Source: "https://github.com/sisimai/go-sisimai (rhost/for-apple.go); " + srcApple, Date: "2025-02 or earlier"}},
		MinRSABits: 1024, MinRSARule: short, IgnoreTestingKeys: true, TestingRule: testing,
		Bulk: &Bulk{
			Threshold: Rule{ID: "apple.bulk-threshold", Provenance: Documented, Confidence: Medium,
				Text: "'All requirements must be met in order to send a bulk email. If not, the email will be rejected.' No volume threshold and no reply text are given", Source: srcApple, Date: dateApple},
			SPF: &Action{Disposition: DispositionReject, Rule: Rule{ID: "apple.bulk-spf", Provenance: Documented, Confidence: Medium,
				Text: "bulk mail must pass SPF, else it is rejected (reply text not documented)", Source: srcApple, Date: dateApple}},
			DKIM: &Action{Disposition: DispositionReject, Rule: Rule{ID: "apple.bulk-dkim", Provenance: Documented, Confidence: Medium,
				Text: "bulk mail must be DKIM-signed and pass, else it is rejected (reply text not documented)", Source: srcApple, Date: dateApple}},
			DMARCRecord: &Action{Disposition: DispositionReject, Rule: Rule{ID: "apple.bulk-dmarc-record", Provenance: Documented, Confidence: Medium,
				Text: "'The sending domain must publish their … DMARC policy', else bulk mail is rejected (reply text not documented)", Source: srcApple, Date: dateApple}},
			FCrDNS: &Action{Disposition: DispositionReject, Rule: Rule{ID: "apple.bulk-ptr", Provenance: Documented, Confidence: LowMedium,
				Text: "bulk senders need reverse DNS 'with your domain'; forward confirmation is assumed to be what is checked (reply text not documented)", Source: srcApple, Date: dateApple}},
		},
		Facts: []Rule{
			{ID: "apple.no-fbl", Provenance: Documented, Confidence: High, Text: "iCloud Mail offers no feedback loop and no allow list", Source: srcApple, Date: dateApple},
			{ID: "apple.helo", Provenance: ThirdParty, Confidence: Medium, Text: "the HELO name must resolve ('450 4.7.1 … Helo command rejected: Host not found')", Source: "https://github.com/sisimai/set-of-emails/issues/11", Date: "2018-11-01"},
			{ID: "apple.own-policy", Provenance: Documented, Confidence: High, Text: "iCloud's own domains publish p=quarantine", Source: srcApple, Date: dateApple},
		},
	}
}()

// NetEase is 163.com, 126.com and yeah.net (Coremail).
var NetEase = func() *Profile {
	pass, none, noRecord, temp, perm, multiple, pct := rfcDefaults(IDNetEase, "NetEase")
	short, testing := rfcKeyRules(IDNetEase)
	return &Profile{
		Name: IDNetEase,
		About: "NetEase's own help pages are not in the sources; its Coremail reply codes (MI:DMA for DMARC, MI:SPF for SPF, both without " +
			"an enhanced status code) are known from a reproduced NetEase code list and real bounces. Which DMARC policies trigger " +
			"MI:DMA is not stated: p=reject only is assumed, and everything else follows RFC 7489 with low confidence.",
		DMARC: dmarc.RFC7489,
		DMARCRule: Rule{ID: "netease.discovery", Provenance: Inferred, Confidence: Low,
			Text: "NetEase documents nothing about discovery: RFC 7489 (Public Suffix List) assumed, np= and t= ignored"},
		OnPass: pass,
		OnFail: map[dmarc.Policy]Action{
			dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "550 MI:DMA 该邮件未被发信域的DMARC许可。请参考http://dmarc.org/关于DMARC规范的定义；",
				Rule: Rule{ID: "netease.dmarc-reject", Provenance: ThirdParty, Confidence: LowMedium,
					Text:   "NetEase has a dedicated DMARC rejection, '550 MI:DMA' ('the mail is not permitted by the sending domain's DMARC'); that only p=reject triggers it is assumed",
					Source: srcNetEase, Date: dateNetEase}},
			dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "netease.dmarc-quarantine", Provenance: Inferred, Confidence: Low,
				Text: "p=quarantine: not documented; the spam folder (RFC 7489) is assumed"}},
			dmarc.PolicyNone: none,
		},
		OnNoRecord: noRecord, OnTempError: temp, OnPermError: perm, MultipleRecords: multiple, Pct: pct,
		SPFFail: &Action{Disposition: DispositionReject, Reply: "550 MI:SPF 发信IP未被发送域的SPF许可。请参考http://www.openspf.org/关于SPF规范的定义；",
			Rule: Rule{ID: "netease.spf-reject", Provenance: ThirdParty, Confidence: Medium,
				Text:   "an IP the MAIL FROM domain's SPF does not permit is rejected with '550 MI:SPF', outside DMARC (a 2015 bounce carries the code with a session token and a help URL)",
				Source: srcNetEase, Date: dateNetEase}},
		SPFFailDMARCPass: &Rule{ID: "netease.spf-reject-dmarc-pass", Provenance: Inferred, Confidence: Low,
			Text: "whether MI:SPF also hits mail that passes DMARC through aligned DKIM is not known"},
		MinRSABits: 1024, MinRSARule: short, IgnoreTestingKeys: true, TestingRule: testing,
		Facts: []Rule{
			{ID: "netease.envelope-match", Provenance: ThirdParty, Confidence: Low, Text: "'554 DT:SUM' (envelope sender and header sender do not match) exists; whether it applies to inbound mail or only to submission is unclear, so it is not applied", Source: srcNetEase, Date: dateNetEase},
			{ID: "netease.helo", Provenance: ThirdParty, Confidence: Medium, Text: "an empty HELO is rejected with '550 MI:NHD'", Source: srcNetEase, Date: dateNetEase},
			{ID: "netease.volume", Provenance: Documented, Confidence: Medium, Text: "at most 3,000 messages an hour and 100,000 a day per sender are advised; marketing mail must carry '(AD)' in the subject or goes to the ad box or spam", Source: "http://money.mail.yeah.net/"},
			{ID: "netease.coremail", Provenance: ThirdParty, Confidence: Low, Text: "the MI:/DT:/HL: codes are Coremail's: other Coremail-hosted servers (many Chinese companies and universities) answer alike", Source: "http://163ns.com.cn/mail/MailFAQ.htm"},
		},
	}
}()

// MailRu is Mail.ru (mail.ru, bk.ru, list.ru, inbox.ru).
var MailRu = func() *Profile {
	pass, none, noRecord, temp, perm, multiple, pct := rfcDefaults(IDMailRu, "Mail.ru")
	_, testing := rfcKeyRules(IDMailRu)
	return &Profile{
		Name: IDMailRu,
		About: "Mail.ru's DMARC help page is linked from every bounce but its content is not in the sources; the p=reject reply " +
			"comes from real bounces. Quarantine, pct=, sp=, discovery and several records are unknown: RFC 7489 is assumed with " +
			"low confidence.",
		DMARC: dmarc.RFC7489,
		DMARCRule: Rule{ID: "mailru.discovery", Provenance: Inferred, Confidence: Low,
			Text: "Mail.ru documents nothing about discovery in the sources: RFC 7489 (Public Suffix List) assumed", Source: "https://help.mail.ru/mail-help/postmaster/dmarc"},
		OnPass: pass,
		OnFail: map[dmarc.Policy]Action{
			dmarc.PolicyReject: {Disposition: DispositionReject, Reply: "550 5.7.1 This message was not accepted due to domain ({domain}) owner DMARC policy (RFC 7489) https://help.mail.ru/mail-help/postmaster/dmarc",
				Rule: Rule{ID: "mailru.dmarc-reject", Provenance: ThirdParty, Confidence: MediumHigh,
					Text: "p=reject failures are rejected at end of DATA with 550 5.7.1 '… owner DMARC policy (RFC 7489)'", Source: srcMailRu, Date: "2020-11-13"}},
			dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "mailru.dmarc-quarantine", Provenance: Inferred, Confidence: Low,
				Text: "p=quarantine: unknown; the spam folder (RFC 7489) is assumed"}},
			dmarc.PolicyNone: none,
		},
		OnNoRecord: noRecord, OnTempError: temp, OnPermError: perm, MultipleRecords: multiple, Pct: pct,
		MinRSABits: 1024,
		MinRSARule: Rule{ID: "mailru.dkim-short-key", Provenance: ThirdParty, Confidence: Low,
			Text: "a vendor blog says Mail.ru 'rejects DKIM keys under 1024 bits outright': such a signature is not counted (RFC 8301 agrees)", Source: "https://check.live-direct-marketing.online/blog/spf-dkim-mail-ru-setup"},
		IgnoreTestingKeys: true, TestingRule: testing,
		Facts: []Rule{
			{ID: "mailru.alignment", Provenance: ThirdParty, Confidence: Low, Text: "a relayed Mail.ru support answer: SPF or DKIM is required and the domains must match", Source: "https://www.suped.com/email-deliverability/answers/what-are-mailrus-dmarc-spf-and-dkim-alignment-requirements", Date: "2023-11-26"},
			{ID: "mailru.own-policy", Provenance: ThirdParty, Confidence: Medium, Text: "Mail.ru's public mailbox domains publish p=reject since 1 March 2016", Source: "https://www.emailquestions.com/threads/mail-ru-is-turning-on-the-dmarc-reject-policy-starting-march-1-2016.12310/", Date: "2016"},
			{ID: "mailru.spam-reject", Provenance: ThirdParty, Confidence: Medium, Text: "content filtering rejects with '550 spam message rejected. Please visit http://help.mail.ru/notspam-support/…', not with a DMARC text", Source: "https://github.com/ActiveCampaign/smtp-field-manual (data/codes/550.json)"},
		},
	}
}()

// Yandex is Yandex Mail (yandex.ru, ya.ru, Yandex 360).
var Yandex = func() *Profile {
	pass, none, noRecord, temp, perm, multiple, pct := rfcDefaults(IDYandex, "Yandex")
	short, testing := rfcKeyRules(IDYandex)
	return &Profile{
		Name: IDYandex,
		About: "Yandex publishes no DMARC statement and no Yandex DMARC reply has been found: this profile follows RFC 7489 with " +
			"low confidence and gives no reply text. Its 'honest mailer' rules let it treat non-compliant mailings as spam or " +
			"reject them; yandex.ru itself publishes p=none.",
		DMARC: dmarc.RFC7489,
		DMARCRule: Rule{ID: "yandex.discovery", Provenance: Inferred, Confidence: Low,
			Text: "Yandex documents nothing about DMARC: RFC 7489 (Public Suffix List) assumed"},
		OnPass: pass,
		OnFail: map[dmarc.Policy]Action{
			dmarc.PolicyReject: {Disposition: DispositionReject,
				Rule: Rule{ID: "yandex.dmarc-reject", Provenance: Inferred, Confidence: Low,
					Text: "p=reject: RFC 7489 says reject; Yandex documents nothing and no Yandex DMARC reply is known (its policy rejections read '550 5.7.1 Policy rejection on the target address')"}},
			dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "yandex.dmarc-quarantine", Provenance: Inferred, Confidence: Low,
				Text: "p=quarantine: the spam folder (RFC 7489) is assumed; Yandex documents nothing"}},
			dmarc.PolicyNone: none,
		},
		OnNoRecord: noRecord, OnTempError: temp, OnPermError: perm, MultipleRecords: multiple, Pct: pct,
		MinRSABits: 1024, MinRSARule: short, IgnoreTestingKeys: true, TestingRule: testing,
		Facts: []Rule{
			{ID: "yandex.honest-mailers", Provenance: Documented, Confidence: Medium, Text: "'Yandex.Mail reserves the right to treat messages from mailing lists that don't comply with the mandatory requirements of this document as Spam or to reject them'", Source: srcYandexRule},
			{ID: "yandex.spam-reject", Provenance: ThirdParty, Confidence: Medium, Text: "spam is rejected at end of DATA with '554 5.7.1 [1] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc ##' (most such samples come from Yandex's submission servers)", Source: "https://github.com/ActiveCampaign/smtp-field-manual (data/codes/554.json)"},
		},
	}
}()
