package report

import (
	"sort"
	"strings"
)

// Schema is the value of Report.Schema for this version of the model.
const Schema = "preflight/v1"

// Report is the outcome of checking one message (or one plan, when there is
// no message) against one receiver. Its JSON encoding is preflight's JSON
// contract (DESIGN.md "JSON"); field names are API: add, never rename.
type Report struct {
	Schema   string      `json:"schema"`
	Message  MessageInfo `json:"message"`
	Envelope Envelope    `json:"envelope"`
	SPF      SPF         `json:"spf"`
	// DKIM has one entry per signature (verified, simulated or assumed).
	DKIM  []DKIM `json:"dkim"`
	DMARC DMARC  `json:"dmarc"`
	// Verdict is the primary receiver's answer (the first of --receiver).
	Verdict Verdict `json:"verdict"`
	// Verdicts has one element per receiver, the primary first, when
	// several were asked for (--receiver all, a comma list, or auto);
	// absent for a single --receiver.
	Verdicts []Verdict `json:"verdicts,omitempty"`
	// Findings are ordered by severity (error, warn, info), then as found.
	Findings []Finding `json:"findings"`
	// Fixes are the changes that would make the message pass, when it
	// fails; each one alone is enough unless it says otherwise.
	Fixes []Fix `json:"fixes"`
	// Assumptions lists everything preflight had to assume (defaulted
	// envelope, assumed DKIM, inferred receiver rules).
	Assumptions []string `json:"assumptions"`
	DNS         DNS      `json:"dns"`
	// Error is set when the message could not be checked at all (a batch
	// keeps going); the other fields are then mostly empty.
	Error string `json:"error,omitempty"`
	// L10n holds the report's texts in another language (the assumptions,
	// the receiver's guidance) when JSON output was asked for in it; the
	// verdict, each finding and each fix carry their own.
	L10n *ReportL10n `json:"l10n,omitempty"`
}

// ReportL10n is what a report says in one language beyond its verdict,
// findings and fixes.
type ReportL10n struct {
	Lang        string    `json:"lang"`
	Assumptions []string  `json:"assumptions,omitempty"`
	Guidance    *Guidance `json:"guidance,omitempty"`
}

// MessageInfo identifies the message checked.
type MessageInfo struct {
	Path       string `json:"path"` // "" for a plan without a message, "-" for stdin
	From       string `json:"from"`
	FromDomain string `json:"from_domain"`
	Subject    string `json:"subject,omitempty"`
	MessageID  string `json:"message_id,omitempty"`
}

// Envelope is the SMTP side: MAIL FROM, sending IPs, HELO, and what was
// assumed about them.
type Envelope struct {
	MailFrom       string   `json:"mail_from"` // "<>" for the null sender
	MailFromDomain string   `json:"mail_from_domain"`
	MailFromSource string   `json:"mail_from_source,omitempty"` // flag, return-path, none
	IPs            []string `json:"ips"`
	IPSource       string   `json:"ip_source,omitempty"` // flag, received, none
	HELO           string   `json:"helo"`
	// Assumed names the envelope fields that were not given but assumed.
	Assumed []string `json:"assumed"`
}

// SPF is the SPF outcome that DMARC uses: for several IPs, the worst one.
type SPF struct {
	Result   string `json:"result"` // RFC 8601: pass fail softfail neutral none temperror permerror; "" when not evaluated
	Domain   string `json:"domain"` // the identity checked (MAIL FROM domain, or HELO)
	Identity string `json:"identity,omitempty"`
	Aligned  bool   `json:"aligned"`
	// Alignment explains the alignment comparison in words.
	Alignment   string `json:"alignment,omitempty"`
	Lookups     int    `json:"lookups"`
	VoidLookups int    `json:"void_lookups"`
	Mechanism   string `json:"mechanism,omitempty"`
	Explanation string `json:"explanation,omitempty"`
	Error       string `json:"error,omitempty"`
	// Assumed is true when no sending IP was known and SPF was assumed to
	// pass from one of the networks the policy authorises (see Networks).
	Assumed bool `json:"assumed,omitempty"`
	// PerIP has one entry per sending IP when IPs were given or found.
	PerIP []SPFIP `json:"per_ip,omitempty"`
	// Networks lists the authorised networks when no IP was known.
	Networks []string `json:"networks,omitempty"`
}

// SPFIP is the SPF result for one sending IP.
type SPFIP struct {
	IP          string `json:"ip"`
	Result      string `json:"result"`
	Mechanism   string `json:"mechanism,omitempty"`
	Explanation string `json:"explanation,omitempty"`
	Lookups     int    `json:"lookups"`
	VoidLookups int    `json:"void_lookups"`
	Error       string `json:"error,omitempty"`
}

// DKIM is one signature's outcome, in the shape `preflight dkim` prints.
type DKIM struct {
	Domain    string `json:"domain"`
	Selector  string `json:"selector"`
	Result    string `json:"result"` // pass fail neutral policy none temperror permerror
	Reason    string `json:"reason"`
	Cause     string `json:"cause,omitempty"`
	Aligned   bool   `json:"aligned"`
	Alignment string `json:"alignment,omitempty"`
	Algorithm string `json:"algorithm"`
	KeyBits   int    `json:"key_bits"`
	// Assumed marks a signature the ESP is expected to add (--expect-dkim):
	// only its key record was checked.
	Assumed bool `json:"assumed,omitempty"`
	// Simulated marks a signature preflight made with --dkim-key.
	Simulated bool `json:"simulated,omitempty"`
	// HeadersOnly marks a signature of a message returned without its
	// body: the key was checked, the body hash could not be.
	HeadersOnly bool `json:"headers_only,omitempty"`
	// Counted says whether the receiver counts this signature as a DKIM
	// pass for DMARC (e.g. QQ profile: not under 1024 bits, not t=y).
	Counted bool   `json:"counted"`
	Note    string `json:"note,omitempty"`
}

// DMARC is the DMARC evaluation.
type DMARC struct {
	Result       string `json:"result"` // pass fail none temperror permerror
	RecordDomain string `json:"record_domain"`
	Record       string `json:"record"`
	Policy       string `json:"policy"` // the policy that applies: none quarantine reject; "" without a record
	PolicyTag    string `json:"policy_tag,omitempty"`
	OrgDomain    string `json:"org_domain"`
	ADKIM        string `json:"adkim,omitempty"`
	ASPF         string `json:"aspf,omitempty"`
	Pct          int    `json:"pct,omitempty"`
	Testing      bool   `json:"testing,omitempty"`
	Discovery    string `json:"discovery,omitempty"` // rfc7489 or rfc9989
	// Alternative is the other discovery method's view when it disagrees.
	Alternative *DMARCView `json:"alternative,omitempty"`
	// Authors has one entry per author domain when the From field holds
	// several (RFC 7489 §6.6.1): the message passes only if every one
	// passes, and the fields above are those of the decisive one.
	Authors     []DMARCAuthor `json:"authors,omitempty"`
	Explanation string        `json:"explanation,omitempty"`
	Error       string        `json:"error,omitempty"`
}

// DMARCAuthor is the DMARC outcome of one author domain.
type DMARCAuthor struct {
	Domain       string `json:"domain"`
	Result       string `json:"result"`
	Policy       string `json:"policy"`
	RecordDomain string `json:"record_domain"`
}

// DMARCView is what one discovery method found.
type DMARCView struct {
	Discovery    string `json:"discovery"`
	RecordDomain string `json:"record_domain"`
	Record       string `json:"record"`
	OrgDomain    string `json:"org_domain"`
	Policy       string `json:"policy"`
	// Status is that method's discovery outcome (found, none, multiple,
	// no-policy, invalid, temperror). For temperror a temporary DNS
	// failure stopped it at _dmarc.RecordDomain: what it would find is
	// unknown, not "no record".
	Status string `json:"status,omitempty"`
	// OrgDomainUnknown: a temporary DNS failure left that method's
	// organizational domain unknown (OrgDomain is then the From domain).
	OrgDomainUnknown bool `json:"org_domain_unknown,omitempty"`
}

// Disposition is what the receiver does with the message: the words of the
// JSON contract. Renderers and exit codes compare these constants, never
// string literals.
type Disposition string

// The dispositions.
const (
	DispositionAccept     Disposition = "accept"
	DispositionQuarantine Disposition = "quarantine" // accepted, then junked or intercepted
	DispositionReject     Disposition = "reject"     // a 5xx at end of DATA
	DispositionDefer      Disposition = "defer"      // a 4xx: try again later
	DispositionUnknown    Disposition = "unknown"    // no prediction (no evaluation, or no rule)
)

// Verdict is the receiver's predicted answer.
type Verdict struct {
	Receiver string `json:"receiver"`
	// ReceiverName is the receiver's display name ("QQ Mail"), filled by
	// the pipeline from its receiver registry: this package keeps no
	// table of receivers. See DisplayName.
	ReceiverName string      `json:"receiver_name,omitempty"`
	Disposition  Disposition `json:"disposition"` // accept quarantine reject defer unknown
	Reject       bool        `json:"reject"`
	SMTPReply    string      `json:"smtp_reply"`
	Confidence   string      `json:"confidence"` // high medium low
	Probability  float64     `json:"probability,omitempty"`
	Summary      string      `json:"summary"`
	// Paths are the receiver's separate ways to a disposition (DMARC, and
	// for QQ an SPF-only rejection); the verdict is the most severe.
	Paths []Path `json:"paths,omitempty"`
	// Alternatives are other outcomes the receiver may reach when the
	// evidence does not decide (several DMARC records, a receiver that
	// does not document what it does then).
	Alternatives []Alternative `json:"alternatives,omitempty"`
	Rules        []Rule        `json:"rules,omitempty"`
	// L10n: the verdict line and summary in another language (see L10n).
	L10n *L10n `json:"l10n,omitempty"`
}

// Alternative is another outcome a receiver may reach, and when.
type Alternative struct {
	Disposition Disposition `json:"disposition"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  string      `json:"confidence"`
	When        string      `json:"when"`
}

// DisplayName is the name to write the receiver by: ReceiverName, else the
// receiver's ID, else "The receiver".
func (v Verdict) DisplayName() string {
	switch {
	case v.ReceiverName != "":
		return v.ReceiverName
	case v.Receiver != "":
		return v.Receiver
	}
	return "The receiver"
}

// Path is one way the receiver reaches a disposition.
type Path struct {
	// Name is the rule family: dmarc, spf (SPF fails alone), auth
	// (neither SPF nor DKIM passes), domain (an author or envelope domain
	// that does not exist), from (several From addresses), or bulk-… for
	// a bulk-sender requirement (--bulk).
	Name        string      `json:"name"`
	Disposition Disposition `json:"disposition"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  string      `json:"confidence"`
	// Probability is the chance of this path's disposition; absent when
	// it cannot be given (several DMARC records).
	Probability float64 `json:"probability,omitempty"`
	// Why says what the path looked at.
	Why string `json:"why,omitempty"`
}

// Rule is one receiver rule that applied, with where it comes from.
type Rule struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	Provenance string `json:"provenance"` // documented, third-party, inferred
	Confidence string `json:"confidence"`
	Source     string `json:"source,omitempty"` // where the evidence is, when known
	// Date is the date of the source, as precisely as it is known
	// ("2026-02-15", "2025-04"); "" when it could not be dated.
	Date string `json:"date,omitempty"`
}

// DNS summarises the DNS work done for this report.
type DNS struct {
	Queries   int     `json:"queries"`
	Lookups   int     `json:"lookups"`
	ElapsedMS int64   `json:"elapsed_ms"`
	Failures  int     `json:"failures,omitempty"`
	Log       []Query `json:"log,omitempty"`
}

// Query is one DNS question in the evidence.
type Query struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Status  string   `json:"status"`
	Rcode   string   `json:"rcode,omitempty"`
	Answers []string `json:"answers,omitempty"`
	Source  string   `json:"source,omitempty"`
	Cached  bool     `json:"cached,omitempty"`
}

// Fix is one change that makes a failing message pass. Each says exactly
// what it changes (Records, MailFrom, DKIM), so that a person or a program
// can apply it, and whether it was proven enough: preflight applied it to
// a DNS overlay (and the envelope or signature) and re-checked the message
// for every receiver (Sufficient, After).
type Fix struct {
	// Via is "dkim", "spf" or "dmarc": the mechanism the fix repairs
	// ("spf+dkim" for two fixes applied together).
	Via   string `json:"via"`
	Title string `json:"title"`
	// Steps say what to do, in order; Records are DNS records to publish,
	// as complete zone lines (the public key an ESP hands over is the one
	// placeholder: <public key from your ESP>).
	Steps   []string `json:"steps,omitempty"`
	Records []string `json:"records,omitempty"`
	// MailFrom is the new RFC5321.MailFrom (Return-Path) when the fix moves
	// it; DKIM is the signature it adds or repairs, as D:S.
	MailFrom string `json:"mail_from,omitempty"`
	DKIM     string `json:"dkim,omitempty"`
	// Sufficient says, per receiver ID, whether the fix alone was proven
	// to make that receiver accept the message with DMARC passing. A
	// receiver is absent when the proof could not decide (a temporary DNS
	// failure); the map is absent when the fix could not be applied
	// (Unproven says why).
	Sufficient map[string]bool `json:"sufficient,omitempty"`
	// After is each receiver's verdict with the fix applied.
	After map[string]FixAfter `json:"after,omitempty"`
	// Verify is the preflight check command that shows the verdict flip:
	// with the records saved as the overlay file it names before they are
	// published, without --overlay once they are live.
	Verify   string `json:"verify,omitempty"`
	Unproven string `json:"unproven,omitempty"`
	// Combines names the fixes (by their 1-based numbers in the list)
	// this one applies together, when none is enough alone.
	Combines []int `json:"combines,omitempty"`
	// L10n: the title and steps in another language (see L10n); the
	// records are the same in every language.
	L10n *L10n `json:"l10n,omitempty"`
}

// FixAfter is a receiver's verdict once a fix is applied.
type FixAfter struct {
	Disposition Disposition `json:"disposition"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	DMARC       string      `json:"dmarc"`
}

// Enough reports whether the fix was proven sufficient for every receiver
// checked.
func (f Fix) Enough() bool {
	if len(f.Sufficient) == 0 {
		return false
	}
	for _, ok := range f.Sufficient {
		if !ok {
			return false
		}
	}
	return len(f.Sufficient) == len(f.After)
}

// EnoughFor lists, comma-separated and sorted, the receivers the fix was
// proven sufficient for; "" for none.
func (f Fix) EnoughFor() string {
	var ids []string
	for id, ok := range f.Sufficient {
		if ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}
