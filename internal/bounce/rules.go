package bounce

import "slices"

// Category groups reasons by what the sender has to change.
type Category string

// The categories of a diagnosis.
const (
	CategoryAuthentication Category = "authentication" // SPF, DKIM, DMARC, sender identity
	CategoryRecipient      Category = "recipient"      // the mailbox: missing, full, blocking this sender
	CategoryContent        Category = "content"        // the message: spam-like, too large
	CategoryReputation     Category = "reputation"     // the sending IP or domain: spam history, PTR, block lists
	CategoryRate           Category = "rate"           // frequency and connection limits
	CategorySyntax         Category = "syntax"         // malformed addresses, headers or commands
	CategoryPolicy         Category = "policy"         // the receiver's or a relay's rules for this sender or route: SMTP AUTH, relaying, TLS, local policy
	CategoryNetwork        Category = "network"        // the receiver could not be reached, or the message expired in the queue
	CategorySystem         Category = "system"         // the receiving system's own failure: its mailer, storage, a mail loop
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
	// Provenance names the public evidence: the receiver's own page or
	// the real bounces the rule was written from, with URLs and dates
	// (research/receivers*.md collects them). Users see it (bounce -v,
	// JSON), so it never cites a document of this project.
	Provenance string
	// Recheck marks a rule outside the authentication category whose
	// cause the authentication re-check can still reveal (QQ's "DNS check
	// failed" covers SPF among other DNS checks).
	Recheck bool
}

// Canonical reasons shared across receivers, so that a consumer can key on
// them: every receiver's DMARC rejection has Reason ReasonDMARC.
const (
	ReasonDMARC        = "DMARC check failed"
	ReasonSPF          = "SPF check failed"
	ReasonDKIM         = "DKIM check failed"
	ReasonUnauth       = "Sender unauthenticated"
	ReasonSMTPAuth     = "SMTP authentication required"
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
// for), then the other receivers of research/receivers.md section b and
// research/receivers-2.md, then receiver-independent rules on common wording,
// then RFC 3463 / RFC 7372 enhanced status codes as a last resort.
var rules = slices.Concat(qqRules, receiverRules, genericRules, escRules)

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
