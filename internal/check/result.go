package check

import (
	"fmt"
	"net/netip"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/report"
	"preflight/spf"
)

// Result is one check's outcome in typed form: the SPF, DKIM and DMARC
// results the pipeline computed and the receiver's verdict, with the
// findings, fixes and assumptions drawn from them. The pipeline works on
// it alone; Check converts it to a report.Report once, at the end (Report),
// and nothing reads that report back.
type Result struct {
	// Path names the message ("-" for stdin, "" for a plan).
	Path      string
	Subject   string // decoded (RFC 2047)
	MessageID string
	Author    Author
	Envelope  Envelope
	SPF       SPFOutcome
	// DKIM has one entry per signature: verified on the message, made by
	// sign-simulation, or expected (--expect-dkim), in that order.
	DKIM  []Signature
	DMARC DMARCOutcome
	// Receiver is the primary receiver: Verdict is its answer, DKIM holds
	// its judgement of each signature and DMARC.ReceiverView its view.
	Receiver *Profile
	Verdict  receiver.Verdict
	// Receivers has one outcome per receiver predicted for, the primary
	// first; Multi says several were asked for (--receiver all, a list,
	// or auto), so that the report lists every verdict.
	Receivers []ReceiverOutcome
	Multi     bool
	// Findings are in the order found; Report sorts them by severity.
	Findings    []report.Finding
	Fixes       []report.Fix
	Assumptions []string
	// DNS is every query the check made (or took from the cache), in the
	// order they finished.
	DNS []dns.Query
	// Err is set when the message could not be checked at all (it could
	// not be read, or the batch was cancelled); the rest is then empty.
	Err error

	// Report is the result as the JSON contract and the renderers see it,
	// made by toReport when the check ends.
	Report *report.Report
}

// Source says where an envelope value came from.
type Source string

// The sources of envelope.mail_from_source and envelope.ip_source.
const (
	SourceFlag       Source = "flag"        // the command line (or the caller's Plan)
	SourceReturnPath Source = "return-path" // the message's Return-Path header
	SourceReceived   Source = "received"    // the first external Received hop
	SourceNone       Source = "none"        // not known
)

// Envelope is the SMTP side of a check as intake worked it out.
type Envelope struct {
	// MailFrom is the RFC5321.MailFrom address ("postmaster@D" when only a
	// domain was given); "" for the null sender or when unknown.
	MailFrom       string
	MailFromDomain string // canonical; "" for null or unknown
	// MailFromKnown: given or found, the null sender included. A MAIL
	// FROM with an invalid domain is not known.
	MailFromKnown  bool
	Null           bool // the null sender "<>"
	MailFromSource Source
	IPs            []netip.Addr
	IPSource       Source
	HELO           string // lower case, no trailing dot
	// Assumed names envelope fields that were assumed, not given
	// ("mail-from-local-part", "helo-as-spf-identity").
	Assumed []string
}

// SPFOutcome is the SPF result DMARC uses and the evidence behind it.
type SPFOutcome struct {
	// Domain is the identity checked: the MAIL FROM domain, or the HELO
	// name (HELO true) for the null sender or an unknown MAIL FROM. ""
	// when SPF was not evaluated.
	Domain string
	HELO   bool
	// Status is the result DMARC uses: the worst of PerIP, or without a
	// sending IP the one assumed from Analysis. "" when not evaluated.
	Status      spf.Status
	Mechanism   string
	Explanation string
	Err         error // temperror and permerror say why
	Lookups     int
	VoidLookups int
	// Assumed: no sending IP was known, so SPF was assumed to pass from a
	// network the policy authorises (Analysis).
	Assumed bool
	// PerIP has one result per Envelope.IPs; Worst indexes the one that
	// decides (-1 without per-IP results) and IP is its address.
	PerIP []spf.Result
	Worst int
	IP    netip.Addr
	// Analysis is the static view of the policy when no IP was known.
	Analysis *spf.Analysis
}

// Signature is one DKIM result with the receiver's judgement of it.
type Signature struct {
	DKIM dkim.Result
	// Judged is the result the receiver counts (Profile.JudgeDKIM), and
	// Rule the profile rule that changed it (nil when it stands).
	Judged dkim.Status
	Rule   *receiver.Rule
	// Counted says the receiver counts it as a DKIM pass for DMARC;
	// NotCounted says why a passing signature is not counted.
	Counted    bool
	NotCounted string
}

// DMARCOutcome is the DMARC side of a check. The evaluation is made once
// per view: Evaluation with the RFC's reading of every DKIM result, and,
// only when the receiver does not count some DKIM pass, ReceiverView over
// the results it counts.
type DMARCOutcome struct {
	Discovery *dmarc.Discovery
	// Result is dmarc.result: Evaluation's result, none without a usable
	// From domain, permerror when discovery itself failed.
	Result dmarc.Result
	Err    error  // discovery failed
	Why    string // why DMARC was not evaluated, when it was not
	// Evaluation is the plain evaluation (the receiver's DMARC dialect,
	// every DKIM result as verified); nil when DMARC was not evaluated.
	Evaluation *dmarc.Evaluation
	// ReceiverView is the evaluation the verdict, the findings and the
	// fixes follow: Evaluation itself unless the receiver does not count
	// some DKIM pass (DKIMRules says which rule, per signature).
	ReceiverView *dmarc.Evaluation
	DKIMRules    []receiver.Rule
	// Authors are the plain evaluations of each author domain when the
	// From field holds several (RFC 7489 §6.6.1); Evaluation combines
	// them (dmarc.Combine). Nil for one author domain.
	Authors []*dmarc.Evaluation
}

// Alternative is what the other discovery method found when it disagrees
// with the one the evaluation used (RFC 7489 and RFC 9989 find different
// records); nil when they agree or DMARC was not evaluated.
func (d *DMARCOutcome) Alternative() *dmarc.Found {
	if d.Discovery == nil || d.Evaluation == nil || !d.Discovery.Disagree() {
		return nil
	}
	if d.Evaluation.Method == dmarc.MethodTreeWalk {
		return d.Discovery.Method(dmarc.MethodPSL)
	}
	return d.Discovery.Method(dmarc.MethodTreeWalk)
}

// Level grades an outcome on the --fail-on scale.
type Level int

// The levels, from nothing to report to a predicted rejection.
const (
	LevelNone       Level = iota // nothing at or above a warning
	LevelWarn                    // a warning-level finding
	LevelFail                    // DMARC fails, or an error-level problem short of a rejection
	LevelQuarantine              // the receiver would deliver to spam
	LevelReject                  // the receiver would reject
)

var levelNames = map[Level]string{LevelWarn: "warn", LevelFail: "fail", LevelQuarantine: "quarantine", LevelReject: "reject"}

func (l Level) String() string {
	if s, ok := levelNames[l]; ok {
		return s
	}
	return "none"
}

// ParseLevel reads a --fail-on value: reject, quarantine, fail or warn.
func ParseLevel(s string) (Level, error) {
	for l, name := range levelNames {
		if s == name {
			return l, nil
		}
	}
	return LevelNone, fmt.Errorf("unknown --fail-on %q (use reject, quarantine, fail or warn)", s)
}

// Level grades the result: the worst receiver's disposition first, then
// the plain DMARC result, then the findings. A result that could not be
// checked has no level (see Err).
func (r *Result) Level() Level {
	worst := r.Verdict.Disposition
	if r.Verdict.Reject {
		worst = receiver.DispositionReject
	}
	for _, o := range r.Receivers {
		if receiver.Severity(o.Verdict.Disposition) > receiver.Severity(worst) {
			worst = o.Verdict.Disposition
		}
	}
	switch {
	case worst == receiver.DispositionReject:
		return LevelReject
	case worst == receiver.DispositionQuarantine:
		return LevelQuarantine
	case r.DMARC.Result == dmarc.ResultFail:
		return LevelFail
	}
	level := LevelNone
	for _, f := range r.Findings {
		switch f.Severity {
		case report.SeverityError:
			return LevelFail // e.g. no usable From
		case report.SeverityWarn:
			level = LevelWarn
		}
	}
	return level
}

// Reaches reports whether the result is at or above the --fail-on level.
func (r *Result) Reaches(failOn Level) bool {
	l := r.Level()
	return l > LevelNone && l >= failOn
}

// Indeterminate reports whether a temporary DNS failure kept the check from
// a verdict: some receiver would defer, or a verdict is unknown and some
// query failed temporarily (exit code 3).
func (r *Result) Indeterminate() bool {
	verdicts := []receiver.Verdict{r.Verdict}
	for _, o := range r.Receivers {
		verdicts = append(verdicts, o.Verdict)
	}
	for _, v := range verdicts {
		switch v.Disposition {
		case receiver.DispositionDefer:
			return true
		case receiver.DispositionUnknown:
			if dns.Summarize(r.DNS).Failures > 0 {
				return true
			}
		}
	}
	return false
}
