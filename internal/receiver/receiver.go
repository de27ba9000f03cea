// Package receiver predicts what a mailbox provider does with a message,
// given its DMARC evaluation and the SPF, DKIM and DNS facts behind it.
//
// A Profile is data: the DMARC dialect the receiver is taken to implement,
// one Action per DMARC outcome (reject, quarantine, none, no record,
// temperror, permerror, pass), the rejections it applies outside DMARC
// (SPF fail alone, neither SPF nor DKIM passing, an author domain that does
// not exist, several From addresses), the DKIM signatures it does not count
// (short RSA keys, t=y keys, algorithms it does not verify) and, for bulk
// senders, its documented requirements. Every Action and adjustment carries
// a Rule with its provenance (documented, third-party or inferred), its
// confidence, and the source and date of the evidence. Predict is the only
// code path; adding a receiver means adding a Profile value, not code.
//
// Where a receiver documents nothing, its profile says so (About, and rules
// marked inferred with low confidence) and follows the RFC: no rule states
// more certainty than its evidence carries.
//
// Predict is pure: no DNS, no clock, no randomness, and no DMARC evaluation
// of its own. The caller evaluates DMARC with the profile's Options over the
// DKIM results it counts (JudgeDKIM) and passes that evaluation in, with the
// facts the other rules need (Input). pct= sampling is reported as a
// probability, never drawn.
//
// The registry (Receivers, ByID, ForMailbox, ForHost) is the one place that
// names receivers: ID, display name, mailbox domains and MX host suffixes,
// for the receivers with a profile and for those the bounce classifier
// recognises without one.
package receiver

import (
	"fmt"
	"net/netip"
	"strings"

	"preflight/dmarc"
	"preflight/report"
	"preflight/spf"
)

// Provenance says where a rule comes from.
type Provenance string

// The provenances.
const (
	Documented Provenance = "documented"  // the receiver's own pages, or an RFC for the rfc profile
	ThirdParty Provenance = "third-party" // real bounces, ESP write-ups, reproductions
	Inferred   Provenance = "inferred"    // reasoning from the above; unsourced is inferred
)

// Confidence in a rule or a prediction.
type Confidence string

// The confidence levels.
const (
	High       Confidence = "high"
	MediumHigh Confidence = "medium-high"
	Medium     Confidence = "medium"
	LowMedium  Confidence = "low-medium"
	Low        Confidence = "low"
)

var confRank = map[Confidence]int{Low: 0, LowMedium: 1, Medium: 2, MediumHigh: 3, High: 4}

// Coarse maps the five levels to the three of DESIGN.md's verdict
// ("high", "medium", "low"), rounding towards the cautious side.
func (c Confidence) Coarse() string {
	switch c {
	case High:
		return "high"
	case MediumHigh, Medium:
		return "medium"
	}
	return "low"
}

// lower returns the lower of two confidences.
func lower(a, b Confidence) Confidence {
	if confRank[b] < confRank[a] {
		return b
	}
	return a
}

// Disposition is what the receiver does with the message: the report's
// type, so that profiles, the pipeline and the renderers share one set of
// constants.
type Disposition = report.Disposition

// The dispositions (report's constants).
const (
	DispositionAccept     = report.DispositionAccept
	DispositionQuarantine = report.DispositionQuarantine
	DispositionReject     = report.DispositionReject
	DispositionDefer      = report.DispositionDefer
	DispositionUnknown    = report.DispositionUnknown
)

// severity orders dispositions for picking the outcome of several paths.
var severity = map[Disposition]int{DispositionAccept: 0, DispositionUnknown: 1, DispositionQuarantine: 2, DispositionDefer: 3, DispositionReject: 4}

// Severity orders dispositions from accept (0) to reject (4), for callers
// that pick the worst of several verdicts.
func Severity(d Disposition) int { return severity[d] }

// Rule is one piece of receiver behaviour and where it comes from.
type Rule struct {
	ID         string     `json:"id"`
	Text       string     `json:"text"`
	Provenance Provenance `json:"provenance"`
	Confidence Confidence `json:"confidence"`
	// Source is where the evidence is: a URL, or a corpus file with its
	// repository. Empty for a rule inferred without a source.
	Source string `json:"source,omitempty"`
	// Date is the date of the source as precisely as it is known
	// (capture, commit or publication: "2026-02-15", "2025-04", "2018 or
	// earlier"); empty when it could not be dated.
	Date string `json:"date,omitempty"`
}

// AppliedRule is a Rule that took part in a prediction.
type AppliedRule = Rule

// Action is what a receiver does in one case, and the rule that says so.
type Action struct {
	Disposition Disposition
	// Reply is the SMTP reply, verbatim from the sources, with
	// placeholders: {domain} (From domain), {DOMAIN} (upper case), {ip}
	// (sending IP), {mailfrom} (MAIL FROM domain), and for Outlook.com's
	// per-mechanism verdicts {Spf}, {Dkim}, {Dmarc} ("Pass", "Fail" …).
	// Empty when the receiver answers 250 or its text is not known.
	Reply string
	// ReplyShort is the reply without the parts that name a value the
	// check does not know (the sending IP, the MAIL FROM domain); Predict
	// uses it then, so that no placeholder reaches a predicted reply.
	ReplyShort string
	Rule       Rule
}

// Profile is one receiver's behaviour, as data.
type Profile struct {
	// Name is the --receiver value and the receiver's ID in the registry
	// (Receivers), which holds its display name and mailbox domains.
	Name string
	// About says in a few sentences what the receiver documents and what
	// the profile therefore assumes.
	About string

	// DMARC is the dialect the receiver is taken to implement: discovery
	// method, and whether np=, t= and pct= count. DMARCRule says why.
	DMARC     dmarc.Options
	DMARCRule Rule

	// What the receiver does with each DMARC outcome. OnFail is keyed by
	// the policy that applies (after t= and, per share, pct=).
	OnPass      Action
	OnFail      map[dmarc.Policy]Action
	OnNoRecord  Action // result none: no record, several records, no usable p=
	OnTempError Action
	OnPermError Action
	// MultipleRecords says what the receiver does when the From domain has
	// several DMARC records. RFC 7489 §6.6.3 applies no policy; a receiver
	// that does not document it may take the first record instead, as some
	// libraries do, and Predict then shows that alternative.
	MultipleRecords Rule
	// Pct, when set, explains how pct= sampling is applied; the shares
	// come from the evaluation (RFC 7489 §6.6.4).
	Pct *Rule
	// Subdomain, when set, is noted when sp= (or p= for a subdomain) or np=
	// decided: receivers rarely document it.
	Subdomain *Rule

	// SPFFail is a rejection on SPF fail of the MAIL FROM domain alone,
	// outside DMARC (nil: none known). SPFSoftFail and SPFError are
	// warnings (their Disposition is Accept unless evidence says more).
	SPFFail *Action
	// SPFFailDMARCPass, when set, replaces SPFFail's confidence when DMARC
	// passes anyway (evidence for the SPF rejection may come only from
	// mail that failed DMARC).
	SPFFailDMARCPass *Rule
	SPFSoftFail      *Rule
	SPFError         *Rule
	// Unauthenticated is a rejection of mail that passes neither SPF nor
	// DKIM for any domain, aligned or not ("all senders must authenticate
	// with SPF or DKIM"); nil when none is known.
	Unauthenticated *Action
	// NoDomain is a rejection of mail whose RFC5322.From or RFC5321.MailFrom
	// domain does not exist (NXDOMAIN); nil when none is known.
	NoDomain *Action
	// MultipleFrom is a rejection of a From header field holding several
	// addresses; nil when none is known.
	MultipleFrom *Action

	// MinRSABits: passing DKIM signatures with RSA keys shorter than this
	// are counted as fail (0: no minimum). IgnoreTestingKeys: passing
	// signatures whose key has t=y are counted as none. Unverified lists
	// a= algorithms the receiver does not verify: a passing signature with
	// one is counted as fail (UnverifiedRule says why).
	MinRSABits        int
	MinRSARule        Rule
	IgnoreTestingKeys bool
	TestingRule       Rule
	Unverified        []string
	UnverifiedRule    Rule

	// Bulk are the receiver's requirements for bulk senders, applied with
	// --bulk; nil when it documents none.
	Bulk *Bulk

	// Facts are other known behaviour a report may show (not applied by
	// Predict): caching, reply format, volume rules.
	Facts []Rule
}

// Bulk are a receiver's requirements for bulk senders. Each nil Action is a
// requirement the receiver does not state. An Action whose Disposition is
// accept is a requirement (or recommendation) whose breach the receiver
// says does not, or is not known to, block delivery: Predict lists its
// rule, and the check reports it as a warning.
type Bulk struct {
	// Threshold says who counts as a bulk sender, with its source.
	Threshold Rule
	// SPF: SPF must pass for the MAIL FROM domain (aligned or not).
	SPF *Action
	// DKIM: a DKIM signature the receiver counts must pass (any d=).
	DKIM *Action
	// DMARCRecord: the From domain must publish a DMARC record with a
	// policy (p=none is enough).
	DMARCRecord *Action
	// Alignment: the From domain must be aligned with the SPF or the DKIM
	// domain that passed (what DMARC checks, asked even under p=none).
	Alignment *Action
	// DMARCPass: DMARC must pass (a record, and an aligned pass).
	DMARCPass *Action
	// ListUnsubscribe: the message must carry a List-Unsubscribe header
	// (mailto: or https:).
	ListUnsubscribe *Action
	// OneClick: RFC 8058 one-click unsubscribe: an https List-Unsubscribe
	// URI, List-Unsubscribe-Post: List-Unsubscribe=One-Click, both covered
	// by a DKIM signature that passes.
	OneClick *Action
	// FCrDNS: the sending IP must have a PTR record whose name resolves
	// back to it (forward-confirmed reverse DNS).
	FCrDNS *Action
}

// SPF is the SPF outcome as the receiver sees it.
type SPF struct {
	Result spf.Status // "" when SPF was not evaluated
	Domain string     // the domain checked
	// HELO says the identity checked is the HELO name (a null MAIL FROM),
	// not the MAIL FROM domain.
	HELO    bool
	IP      netip.Addr // the sending IP whose result decided, for reply texts; zero when unknown
	Assumed bool       // not evaluated against a real IP: a plan
}

// Existence says whether a domain exists in DNS.
type Existence string

// The existence outcomes.
const (
	ExistenceUnchecked Existence = ""          // not asked
	Exists             Existence = "exists"    // the name has records (or is an empty non-terminal)
	NotExists          Existence = "nxdomain"  // NXDOMAIN
	ExistenceUnknown   Existence = "temperror" // a temporary DNS failure
)

// Domains are the author and envelope domains as DNS sees them.
type Domains struct {
	From     Existence
	MailFrom Existence // unchecked without a MAIL FROM domain
	// FromName and MailFromName name them, for the rule texts.
	FromName, MailFromName string
}

// BulkFacts are what the bulk-sender rules look at.
type BulkFacts struct {
	// Message is false for a plan without a message: the unsubscribe
	// headers are then unknown and not judged.
	Message bool
	// ListUnsubscribe is true when the message has a List-Unsubscribe
	// header with at least one mailto: or https: URI.
	ListUnsubscribe bool
	// OneClick is true when RFC 8058 one-click unsubscribe is complete;
	// OneClickProblem says what is missing otherwise.
	OneClick        bool
	OneClickProblem string
	// FCrDNS is the forward-confirmed reverse DNS outcome of the sending
	// IP: "pass", "fail", "temperror", or "" when no IP is known.
	FCrDNS       string
	FCrDNSDetail string
}

// Input is what Predict looks at.
type Input struct {
	// DMARC is the evaluation as the receiver sees it: made with the
	// profile's DMARC options over the DKIM results it counts (JudgeDKIM
	// of every signature). Predict does not evaluate again; an evaluation
	// without a Result (none was possible) gives unknown.
	DMARC dmarc.Evaluation
	// FirstRecord is the same evaluation made with the first of several
	// DMARC records (dmarc.Options.FirstOfMultiple), when the From domain
	// has several; nil otherwise. Predict shows it as an alternative.
	FirstRecord *dmarc.Evaluation
	SPF         SPF
	// DKIMRules are the profile rules that changed a DKIM result in that
	// view (JudgeDKIM's rules, in signature order); they are listed among
	// the verdict's rules.
	DKIMRules []Rule
	// DKIMPass is true when some DKIM signature passes as the receiver
	// counts it, whatever its d=; DKIMTempError when some signature gave
	// temperror (a pass may hide behind it); DKIMSigned when the message
	// carries (or the ESP will add) at least one signature.
	DKIMPass      bool
	DKIMTempError bool
	DKIMSigned    bool
	// Domains are the From and MAIL FROM domains' existence.
	Domains Domains
	// Authors is the number of From addresses (0 or 1: one author).
	Authors int
	// Bulk, when set, applies the profile's bulk-sender rules.
	Bulk *BulkFacts
}

// Path is one way the receiver reaches a disposition.
type Path struct {
	// Name is "dmarc", "spf", "auth" (neither SPF nor DKIM), "domain",
	// "from", or "bulk-…" for a bulk-sender rule.
	Name        string      `json:"name"`
	Disposition Disposition `json:"disposition"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  Confidence  `json:"confidence"`
	// Probability is the chance of this path's disposition under the
	// rules; 0 when it cannot be given (several DMARC records, where no
	// receiver documents what it does).
	Probability float64 `json:"probability,omitempty"`
	RuleID      string  `json:"rule"`
	// Why says in words what this path looked at.
	Why string `json:"why,omitempty"`
}

// Alternative is another outcome the receiver may reach, when the evidence
// does not decide between readings (several DMARC records).
type Alternative struct {
	Disposition Disposition `json:"disposition"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  Confidence  `json:"confidence"`
	// When says under which reading this outcome happens.
	When string `json:"when"`
}

// Verdict is the prediction.
type Verdict struct {
	Receiver    string      `json:"receiver"`
	Disposition Disposition `json:"disposition"`
	Reject      bool        `json:"reject"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  Confidence  `json:"confidence"`
	// Probability is the chance of Disposition under the rules: below 1
	// for pct= sampling, 0 when alternatives leave it open.
	Probability  float64       `json:"probability"`
	Summary      string        `json:"summary"`
	Paths        []Path        `json:"paths"`
	Alternatives []Alternative `json:"alternatives,omitempty"`
	Rules        []AppliedRule `json:"rules"`
}

// Profiles returns every known profile, in the registry's order.
func Profiles() []*Profile {
	var out []*Profile
	for _, r := range registry {
		if r.Profile != nil {
			out = append(out, r.Profile)
		}
	}
	return out
}

// Names returns the profile names.
func Names() []string {
	var n []string
	for _, p := range Profiles() {
		n = append(n, p.Name)
	}
	return n
}

// Lookup returns the profile with the given name (case-insensitive).
func Lookup(name string) (*Profile, error) {
	for _, p := range Profiles() {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
	}
	return nil, fmt.Errorf("receiver: unknown receiver %q (known: %s)", name, strings.Join(Names(), ", "))
}
