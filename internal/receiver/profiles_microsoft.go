package receiver

import "preflight/dmarc"

// Microsoft's pages, with the date of the text quoted.
const (
	srcMBlog  = "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730"
	dateMBlog = "2025-04-30"
	srcMPol   = "https://postmaster.live.com/pm/policies.aspx"
	srcMTrb   = "https://postmaster.live.com/pm/troubleshooting.aspx"
	dateMPol  = "2026-06-15"
	srcMApp   = "https://learn.microsoft.com/defender-office-365/anti-phishing-policies-about"
	dateMApp  = "2025-01-07"
	srcMRec   = "https://learn.microsoft.com/defender-office-365/recommended-settings-for-eop-and-office365"
	srcMNDR   = "https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"
	dateMNDR  = "2024-03-08"
	srcMDMARC = "https://learn.microsoft.com/defender-office-365/email-authentication-dmarc-configure"

	microsoftReject = "550 5.7.509 Access denied, sending domain [{DOMAIN}] does not pass DMARC verification and has a DMARC policy of reject."
)

// outlookHighVolume is Outlook.com's one reply for every high-volume
// requirement (SPF, DKIM, DMARC), with its per-mechanism verdicts.
var outlookHighVolume = &Action{Disposition: DispositionReject,
	Reply: "550 5.7.515 Access denied, sending domain {DOMAIN} doesn't meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. To learn how to fix this see: https://go.microsoft.com/fwlink/p/?linkid=2319303 Spf= {Spf} , Dkim= {Dkim} , DMARC= {Dmarc}",
	Rule: Rule{ID: "microsoft.bulk-5.7.515", Provenance: Documented, Confidence: Medium,
		Text: "domains sending more than 5,000 messages a day must pass SPF and pass DKIM and publish DMARC (at least p=none) aligned with either; otherwise 550 5.7.515 since 5 May 2025, " +
			"even when DMARC passes (the postmaster policy page of 2026 still speaks of Junk first; the reply text is from real bounces)",
		Source: srcMBlog + "; https://github.com/sisimai/go-sisimai/issues/150", Date: dateMBlog}}

// Microsoft is Outlook.com: the consumer mailboxes (outlook.com,
// hotmail.com, live.com, msn.com).
var Microsoft = &Profile{
	Name: IDMicrosoft,
	About: "Microsoft documents Outlook.com's high-volume sender requirements (May 2025: SPF and DKIM must pass, DMARC published " +
		"and aligned, else 550 5.7.515) and that servers need valid reverse DNS; the DMARC reject reply (5.7.509) comes from real " +
		"bounces. Quarantine, pct=, sp=, discovery and several records are not documented for consumer mailboxes.",
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "microsoft.discovery", Provenance: Inferred, Confidence: Low,
		Text: "Microsoft does not document its discovery method: RFC 7489 discovery assumed"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-pass", Provenance: Documented, Confidence: Medium,
		Text: "DMARC passes; since May 2025 senders of more than 5,000 a day also need SPF pass and DKIM pass, else 550 5.7.515", Source: srcMBlog, Date: dateMBlog}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: microsoftReject,
			Rule: Rule{ID: "microsoft.dmarc-reject", Provenance: ThirdParty, Confidence: MediumHigh,
				Text:   "p=reject failures get 550 5.7.509 at end of DATA",
				Source: "https://github.com/sisimai/set-of-emails (rhost-microsoft-04.eml); https://github.com/hitobito/hitobito/issues/2149", Date: "2024-04-29"}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "microsoft.dmarc-quarantine", Provenance: Inferred, Confidence: Medium,
			Text: "p=quarantine failures go to Junk (not documented for consumer mailboxes)"}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-none", Provenance: Inferred, Confidence: Medium,
			Text: "p=none: no DMARC action"}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-no-record", Provenance: Inferred, Confidence: Medium,
		Text: "no DMARC record: no DMARC action; high-volume senders need at least p=none"}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "microsoft.dmarc-temperror", Provenance: Inferred, Confidence: Low,
		Text: "Microsoft's handling of temporary DNS failures is undocumented"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489)"}},
	MultipleRecords: Rule{ID: "microsoft.dmarc-multiple", Provenance: Inferred, Confidence: Low,
		Text: "several DMARC records: not documented; RFC 7489 §6.6.3 (no policy) is assumed"},
	Pct: &Rule{ID: "microsoft.pct", Provenance: Inferred, Confidence: Low,
		Text: "pct= handling undocumented: RFC 7489 §6.6.4 assumed"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "microsoft.dkim-short-key", Provenance: Inferred, Confidence: Low,
		Text: "no key size is published; RFC 8301's 1024-bit floor is assumed", Source: srcRFC8301},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "microsoft.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1)"},
	Bulk: &Bulk{
		Threshold: Rule{ID: "microsoft.bulk-threshold", Provenance: Documented, Confidence: High,
			Text: "high-volume senders are 'domains sending more than 5,000 emails per day' to Outlook.com consumer addresses", Source: srcMBlog + "; " + srcMPol, Date: dateMBlog},
		SPF:         outlookHighVolume,
		DKIM:        outlookHighVolume,
		DMARCRecord: outlookHighVolume,
		Alignment:   outlookHighVolume,
		FCrDNS: &Action{Disposition: DispositionReject,
			Rule: Rule{ID: "microsoft.bulk-ptr", Provenance: Documented, Confidence: Low,
				Text: "'Email servers must have valid reverse DNS records' (all senders; checked here with --bulk); the reply for its absence is not documented", Source: srcMPol, Date: dateMPol}},
	},
	Facts: []Rule{
		{ID: "microsoft.safe-senders", Provenance: Documented, Confidence: High, Text: "the Safe Senders list is not honoured for the high-volume enforcement", Source: srcMBlog, Date: dateMBlog},
		{ID: "microsoft.spf-lookups", Provenance: Documented, Confidence: High, Text: "'If you exceed 10 DNS lookups, your SPF check might fail'", Source: srcMBlog, Date: dateMBlog},
		{ID: "microsoft.sender-id", Provenance: Documented, Confidence: High, Text: "a domain publishing 'v=spf1 -all' gets '550 command rejected due to Sender ID validation failure'", Source: srcMTrb, Date: dateMPol},
		{ID: "microsoft.dynamic-ip", Provenance: Documented, Confidence: High, Text: "mail from dynamic IP space may be refused with 550 DY-001", Source: srcMTrb, Date: dateMPol},
		{ID: "microsoft.unsubscribe", Provenance: Documented, Confidence: High, Text: "functional unsubscribe links are recommended to high-volume senders; RFC 8058 is not required", Source: srcMBlog, Date: dateMBlog},
	},
}

// Microsoft365 is an Exchange Online Protection tenant with Microsoft's
// documented default settings.
var Microsoft365 = &Profile{
	Name: IDMicrosoft365,
	About: "Exchange Online Protection tenants (company domains hosted by Microsoft 365) with Microsoft's documented defaults: " +
		"HonorDmarcPolicy on (introduced July 2023), DmarcRejectAction Reject, DmarcQuarantineAction Quarantine (hosted " +
		"quarantine, not Junk). A tenant can change each of them, and Safe Senders, spoof allows and transport rules override " +
		"them: confidence is medium at best.",
	DMARC: dmarc.Options{Method: dmarc.MethodPSL},
	DMARCRule: Rule{ID: "microsoft365.discovery", Provenance: Inferred, Confidence: Low,
		Text: "Microsoft does not document its discovery method (its DMARC page says a record 'automatically covers all subdomains'): RFC 7489 discovery assumed", Source: srcMDMARC, Date: "2024-01-29"},
	OnPass: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft365.dmarc-pass", Provenance: Documented, Confidence: Medium,
		Text: "DMARC passes: no DMARC action; other protection features still act", Source: srcMApp, Date: dateMApp}},
	OnFail: map[dmarc.Policy]Action{
		dmarc.PolicyReject: {Disposition: DispositionReject, Reply: microsoftReject,
			Rule: Rule{ID: "microsoft365.dmarc-reject", Provenance: Documented, Confidence: Medium,
				Text:   "with HonorDmarcPolicy on (the default), p=reject failures get DmarcRejectAction, by default Reject: 550 5.7.509; a tenant may choose Quarantine, and an override shows as action=oreject",
				Source: srcMRec + "; " + srcMNDR, Date: dateMNDR}},
		dmarc.PolicyQuarantine: {Disposition: DispositionQuarantine, Rule: Rule{ID: "microsoft365.dmarc-quarantine", Provenance: Documented, Confidence: Medium,
			Text: "p=quarantine failures get DmarcQuarantineAction, by default Quarantine (held in the hosted quarantine, not Junk)", Source: srcMRec}},
		dmarc.PolicyNone: {Disposition: DispositionAccept, Rule: Rule{ID: "microsoft365.dmarc-none", Provenance: Documented, Confidence: MediumHigh,
			Text: "'No action is applied by Microsoft 365, but other protection features in the filtering stack are still able to act on the message'", Source: srcMApp, Date: dateMApp}},
	},
	OnNoRecord: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft365.dmarc-no-record", Provenance: Documented, Confidence: Medium,
		Text: "no DMARC record: no DMARC action, but composite authentication (compauth=fail) can junk or quarantine cross-domain spoofs", Source: srcMApp, Date: dateMApp}},
	OnTempError: Action{Disposition: DispositionUnknown, Rule: Rule{ID: "microsoft365.dmarc-temperror", Provenance: Inferred, Confidence: Low,
		Text: "Microsoft's handling of temporary DNS failures is undocumented"}},
	OnPermError: Action{Disposition: DispositionAccept, Rule: Rule{ID: "microsoft365.dmarc-permerror", Provenance: Inferred, Confidence: Low,
		Text: "a broken DMARC record means no DMARC policy (RFC 7489)"}},
	MultipleRecords: Rule{ID: "microsoft365.dmarc-multiple", Provenance: Inferred, Confidence: Low,
		Text: "several DMARC records: not documented; RFC 7489 §6.6.3 (no policy) is assumed"},
	Pct: &Rule{ID: "microsoft365.pct", Provenance: Inferred, Confidence: Low,
		Text: "pct= is explained to domain owners, not how tenants sample: RFC 7489 §6.6.4 assumed", Source: srcMDMARC},
	Subdomain: &Rule{ID: "microsoft365.subdomain-policy", Provenance: Documented, Confidence: Medium,
		Text: "'the DMARC TXT record for a domain automatically covers all subdomains (including nonexistent subdomains) that don't have their own DMARC TXT record'", Source: srcMDMARC, Date: "2024-01-29"},
	MinRSABits: 1024,
	MinRSARule: Rule{ID: "microsoft365.dkim-short-key", Provenance: Inferred, Confidence: Low,
		Text: "no key size is published; RFC 8301's 1024-bit floor is assumed", Source: srcRFC8301},
	IgnoreTestingKeys: true,
	TestingRule: Rule{ID: "microsoft365.dkim-testing-key", Provenance: Inferred, Confidence: Low,
		Text: "a t=y DKIM key may be treated as unsigned (RFC 6376 §3.6.1)"},
	Facts: []Rule{
		{ID: "microsoft365.honor-dmarc", Provenance: Documented, Confidence: High, Text: "HonorDmarcPolicy ('Honor DMARC record policy when the message is detected as spoof') was introduced in July 2023 and is on in the default, Standard and Strict policies", Source: srcMApp + "; " + srcMRec, Date: dateMApp},
		{ID: "microsoft365.honor-off", Provenance: Documented, Confidence: High, Text: "with the switch off, explicit failures get the spoof-intelligence action (default: Junk) whatever p= says", Source: srcMApp, Date: dateMApp},
		{ID: "microsoft365.overrides", Provenance: Documented, Confidence: High, Text: "Safe Senders, Tenant Allow/Block spoof allows and transport rules override the DMARC action; with MX not pointing at EOP it applies only with Enhanced Filtering", Source: srcMApp, Date: dateMApp},
		{ID: "microsoft365.spf-violation", Provenance: Documented, Confidence: Medium, Text: "a tenant may reject SPF failures with '5.7.23 The message was rejected because of Sender Policy Framework violation' (a tenant option, not a default)", Source: srcMNDR, Date: dateMNDR},
		{ID: "microsoft365.from-invalid", Provenance: Documented, Confidence: High, Text: "a missing or invalid From gets '5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant'", Source: srcMNDR, Date: dateMNDR},
		{ID: "microsoft365.ipv6", Provenance: Documented, Confidence: High, Text: "over IPv6 a message must pass SPF or DKIM (4.7.26) and the IPv6 address must have reverse DNS (5.7.25)", Source: srcMNDR, Date: dateMNDR},
	},
}
