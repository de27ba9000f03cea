package dmarc

import (
	"errors"
	"fmt"
	"strings"

	"preflight/dns"
)

// Result is a DMARC result, with the words of RFC 8601 §2.7.1.
type Result string

// The DMARC results.
const (
	ResultPass      Result = "pass"      // an aligned SPF or DKIM pass
	ResultFail      Result = "fail"      // a record applies and nothing aligned passed
	ResultNone      Result = "none"      // no (usable) DMARC record: DMARC does not apply
	ResultTempError Result = "temperror" // a temporary DNS failure could change the result
	ResultPermError Result = "permerror" // the DMARC record is broken
)

// SPFInput is the SPF outcome Evaluate needs. It is a plain struct so that
// this package does not depend on package spf.
type SPFInput struct {
	// Result is the RFC 8601 SPF word: pass, fail, softfail, neutral, none,
	// temperror or permerror. "" means SPF was not evaluated (as none).
	Result string
	// Domain is the domain SPF authenticated: the RFC5321.MailFrom domain,
	// or the HELO name when MAIL FROM was null (RFC 7489 §3.1.2, §4.1).
	Domain string
}

// DKIMInput is one DKIM signature's outcome.
type DKIMInput struct {
	Domain   string // d=
	Selector string // s=, for the report only
	// Result is the RFC 8601 DKIM word: pass, fail, neutral, policy, none,
	// temperror or permerror.
	Result string
}

// Options say which DMARC dialect to evaluate by. The zero value is RFC
// 7489 discovery with the RFC 9989 tags np= and t= honoured (they change
// nothing for records without them) and pct= honoured.
type Options struct {
	Method        Method // MethodPSL (default) or MethodTreeWalk
	IgnoreNP      bool   // treat np= as an unknown tag (plain RFC 7489)
	IgnoreTesting bool   // treat t= as an unknown tag (plain RFC 7489)
	IgnorePct     bool   // treat pct= as historic (RFC 9989 §A.6)
	// MissingPolicyIsNone: a record without p= counts as p=none even
	// without rua= (RFC 9989 §4.7), where RFC 7489 §6.6.3 applies no DMARC.
	MissingPolicyIsNone bool
	// FirstOfMultiple: when the name holds several DMARC records, use the
	// first one the DNS answer lists, as some libraries do, instead of
	// applying no policy (RFC 7489 §6.6.3 step 5). No RFC reads it so; it
	// exists to show what such a receiver would do.
	FirstOfMultiple bool
}

// RFC7489 are the Options of a receiver that implements RFC 7489 only.
var RFC7489 = Options{Method: MethodPSL, IgnoreNP: true, IgnoreTesting: true}

// RFC9989 are the Options of a receiver that implements RFC 9989.
var RFC9989 = Options{Method: MethodTreeWalk, IgnorePct: true, MissingPolicyIsNone: true}

// Input is everything Evaluate looks at.
type Input struct {
	Discovery *Discovery
	SPF       SPFInput
	DKIM      []DKIMInput
	Options   Options
}

// Alignment is the comparison of one authenticated identifier with the From
// domain (RFC 7489 §3.1).
type Alignment struct {
	Kind       string     // "spf" or "dkim"
	Raw        string     // the identifier as given
	Domain     dns.Domain // canonical identifier; "" when unusable
	Selector   string     // DKIM s=
	AuthResult string     // the SPF or DKIM result word
	Mode       AlignMode  // aspf or adkim
	FromDomain dns.Domain
	// OrgDomain and FromOrgDomain are the organizational domains compared
	// in relaxed mode (by the evaluation's method).
	OrgDomain     dns.Domain
	FromOrgDomain dns.Domain
	Aligned       bool  // the domains align under Mode (whatever AuthResult)
	AlignErr      error // alignment unknown: a temporary DNS failure
	Pass          bool  // AuthResult is pass
	Counts        bool  // Pass and Aligned: this identifier makes DMARC pass
	Explanation   string
}

// Share is the part of failing mail a policy applies to under pct=.
type Share struct {
	Policy  Policy
	Percent int
}

// Evaluation is the outcome of Evaluate. Result is always set; Err is set
// for temperror and permerror, and says why for none.
type Evaluation struct {
	Input  Input // what was evaluated
	Result Result
	Err    error
	From   dns.Domain
	Method Method
	Found  Found // the discovery outcome of Method
	// OrgDomain is the From domain's organizational domain by Method.
	OrgDomain dns.Domain
	SPF       Alignment
	DKIM      []Alignment
	// Policy is what the domain owner asks for mail that fails, after t=y
	// ("" when no record applies). RequestedPolicy is before t=y.
	Policy          Policy
	RequestedPolicy Policy
	// PolicyTag is the tag that decided: "p", "sp" or "np".
	PolicyTag string
	// PolicyErr is set when np= would apply if the From domain did not
	// exist, and a temporary failure left its existence unknown: Policy
	// and PolicyTag then show sp= (or p=), which applies if it exists.
	PolicyErr error
	// Testing is true when t=y lowered the policy one step (RFC 9989 §4.7).
	Testing bool
	// Percent is pct= (100 when ignored); Sampling splits failing mail
	// between policies (RFC 7489 §6.6.4: not sampled under reject →
	// quarantine, under quarantine → none).
	Percent  int
	Sampling []Share
	// Notes explain each decision in words, in order.
	Notes []string
}

// Evaluate computes the DMARC result from the discovery and the SPF and DKIM
// outcomes (RFC 7489 §6.6.2, §6.6.3, §6.6.4; RFC 9989 §4.7, §4.10). It is
// pure: no DNS, no clock. It does not verify SPF or DKIM; it trusts its
// inputs. A temporary failure that could change the result gives
// temperror, never pass or fail.
func Evaluate(in Input) Evaluation {
	ev := Evaluation{Input: in, Method: in.Options.Method, Percent: 100}
	if ev.Method == "" {
		ev.Method = MethodPSL
	}
	d := in.Discovery
	if d == nil {
		ev.Result, ev.Err = ResultNone, errors.New("dmarc: no discovery given")
		return ev
	}
	ev.From = d.From
	ev.Found = *d.Method(ev.Method)
	ev.OrgDomain = ev.Found.OrgDomain
	if f := &ev.Found; f.Status == DiscoveryNoPolicy && in.Options.MissingPolicyIsNone && f.Record != nil && !f.Record.Has("p") {
		rec := *f.Record
		rec.Policy, rec.Tags = PolicyNone, append([]string{"p"}, rec.Tags...)
		f.Record, f.Status, f.Err = &rec, DiscoveryFound, nil
		ev.note("the record at _dmarc.%s has no p=, which RFC 9989 §4.7 reads as p=none", f.RecordDomain)
	}

	if f := &ev.Found; f.Status == DiscoveryMultiple && in.Options.FirstOfMultiple && len(f.Several) > 0 {
		if rec, err := Parse(f.Several[0]); err == nil {
			n := len(f.Several)
			f.Record, f.RecordText, f.Status, f.Err = rec, f.Several[0], DiscoveryFound, nil
			ev.note("_dmarc.%s has %d DMARC records; the first one listed is used, as some libraries do (RFC 7489 §6.6.3 applies no policy)", f.RecordDomain, n)
		}
	}

	var adkim, aspf = AlignRelaxed, AlignRelaxed
	if r := ev.Found.Record; r != nil {
		adkim, aspf = r.ADKIM, r.ASPF
	}
	ev.SPF = ev.align("spf", in.SPF.Domain, "", in.SPF.Result, aspf, d)
	for _, k := range in.DKIM {
		ev.DKIM = append(ev.DKIM, ev.align("dkim", k.Domain, k.Selector, k.Result, adkim, d))
	}

	switch ev.Found.Status {
	case DiscoveryTempError:
		ev.Result, ev.Err = ResultTempError, ev.Found.Err
		ev.note("the DMARC record could not be looked up: %v", ev.Found.Err)
		return ev
	case DiscoveryInvalid:
		ev.Result, ev.Err = ResultPermError, ev.Found.Err
		ev.note("the DMARC record at _dmarc.%s is invalid: %v", ev.Found.RecordDomain, ev.Found.Err)
		return ev
	case DiscoveryNone, DiscoveryMultiple, DiscoveryNoPolicy:
		ev.Result, ev.Err = ResultNone, ev.Found.Err
		switch ev.Found.Status {
		case DiscoveryMultiple:
			ev.note("_dmarc.%s has more than one DMARC record, so no policy applies (RFC 7489 §6.6.3 step 5): two records = no record", ev.Found.RecordDomain)
		case DiscoveryNoPolicy:
			ev.note("the record at _dmarc.%s has no valid p= and no rua=, so DMARC does not apply (RFC 7489 §6.6.3 step 6)", ev.Found.RecordDomain)
		default:
			ev.note("no DMARC record for %s (%s discovery)", d.From, ev.Method)
		}
		return ev
	}

	ev.selectPolicy()
	pass, unknown := false, []string{}
	for _, a := range append([]Alignment{ev.SPF}, ev.DKIM...) {
		if a.Counts {
			pass = true
		}
		// A temporary failure matters only if a pass there would align, or
		// a pass's alignment itself is unknown.
		if a.AuthResult == "temperror" && (a.Aligned || a.AlignErr != nil) || a.Pass && a.AlignErr != nil {
			unknown = append(unknown, a.Kind+" "+string(a.Domain))
		}
	}
	switch {
	case pass:
		ev.Result = ResultPass
		ev.note("DMARC passes: at least one aligned identifier passed")
	case len(unknown) > 0:
		ev.Result = ResultTempError
		ev.Err = fmt.Errorf("%w: the outcome of %s is unknown and could make DMARC pass", ErrTemporary, strings.Join(unknown, ", "))
		ev.note("%v", ev.Err)
	default:
		ev.Result = ResultFail
		ev.note("DMARC fails: no identifier that passed is aligned with %s", d.From)
		if ev.PolicyErr != nil {
			ev.Result, ev.Err = ResultTempError, ev.PolicyErr
			ev.note("%v", ev.PolicyErr)
		}
	}
	return ev
}

func (ev *Evaluation) note(format string, args ...any) {
	ev.Notes = append(ev.Notes, fmt.Sprintf(format, args...))
}

// selectPolicy picks p, sp or np, then applies t= and pct=.
func (ev *Evaluation) selectPolicy() {
	f, opts, d := ev.Found, ev.Input.Options, ev.Input.Discovery
	r := f.Record
	switch {
	case f.AtFrom:
		ev.RequestedPolicy, ev.PolicyTag = r.Policy, "p"
		ev.note("the record is at the From domain itself, so p=%s applies", r.Policy)
	default:
		sub, subTag := r.Policy, "p"
		if r.SubdomainPolicy != "" {
			sub, subTag = r.SubdomainPolicy, "sp"
		}
		ev.RequestedPolicy, ev.PolicyTag = sub, subTag
		npMatters := !opts.IgnoreNP && r.NonexistentPolicy != "" && r.NonexistentPolicy != sub
		switch {
		case npMatters && d.FromExists == NotExists:
			ev.RequestedPolicy, ev.PolicyTag = r.NonexistentPolicy, "np"
			ev.note("%s does not exist (NXDOMAIN) and the record at _dmarc.%s has np=%s, which applies (RFC 9989 §4.7)", ev.From, f.RecordDomain, r.NonexistentPolicy)
		case npMatters && d.FromExists == ExistenceUnknown:
			ev.PolicyErr = fmt.Errorf("whether %s exists is unknown, so np=%s or %s=%s may apply: %w", ev.From, r.NonexistentPolicy, subTag, sub, d.FromExistsErr)
		case subTag == "sp":
			ev.note("the record was found at _dmarc.%s, above the From domain %s, so sp=%s applies", f.RecordDomain, ev.From, sub)
		default:
			ev.note("the record was found at _dmarc.%s, above the From domain %s; it has no sp=, so p=%s applies to subdomains", f.RecordDomain, ev.From, sub)
		}
	}
	ev.Policy = ev.RequestedPolicy
	if r.Testing && !opts.IgnoreTesting {
		switch ev.Policy {
		case PolicyReject:
			ev.Policy, ev.Testing = PolicyQuarantine, true
		case PolicyQuarantine:
			ev.Policy, ev.Testing = PolicyNone, true
		}
		if ev.Testing {
			ev.note("t=y (test mode) lowers %s to %s (RFC 9989 §4.7)", ev.RequestedPolicy, ev.Policy)
		}
	}
	if !opts.IgnorePct {
		ev.Percent = r.Percent
	}
	ev.Sampling = []Share{{ev.Policy, 100}}
	if ev.Percent < 100 && ev.Policy != PolicyNone {
		lower := PolicyNone
		if ev.Policy == PolicyReject {
			lower = PolicyQuarantine
		}
		ev.Sampling = []Share{{ev.Policy, ev.Percent}, {lower, 100 - ev.Percent}}
		if ev.Percent == 0 {
			ev.Sampling = ev.Sampling[1:]
		}
		ev.note("pct=%d: %s applies to %d%% of failing mail, %s to the rest (RFC 7489 §6.6.4)", ev.Percent, ev.Policy, ev.Percent, lower)
	}
}

// align compares one identifier with the From domain.
func (ev *Evaluation) align(kind, raw, selector, result string, mode AlignMode, d *Discovery) Alignment {
	a := Alignment{Kind: kind, Raw: raw, Selector: selector, AuthResult: strings.ToLower(result), Mode: mode, FromDomain: d.From}
	if a.AuthResult == "" {
		a.AuthResult = "none"
	}
	a.Pass = a.AuthResult == "pass"
	name := "SPF"
	if kind == "dkim" {
		name = "DKIM"
	}
	tag := "aspf"
	if kind == "dkim" {
		tag = "adkim"
	}
	if raw == "" {
		a.Explanation = fmt.Sprintf("%s: no identifier to compare", name)
		return a
	}
	id, err := dns.ParseDomain(raw)
	if err != nil {
		a.Explanation = fmt.Sprintf("%s identifier %q is not a usable domain: %v", name, raw, err)
		return a
	}
	a.Domain = id
	fromOrg, idOrg, orgErr := ev.orgs(d, id)
	a.FromOrgDomain, a.OrgDomain = fromOrg, idOrg
	switch {
	case id == d.From:
		a.Aligned = true
	case mode == AlignStrict:
	case orgErr != nil:
		a.AlignErr = orgErr
	default:
		a.Aligned = fromOrg == idOrg
	}
	a.Counts = a.Pass && a.Aligned

	var cmp string
	switch {
	case mode == AlignStrict:
		rel := "="
		if !a.Aligned {
			rel = "≠"
		}
		cmp = fmt.Sprintf("%s=s compares the exact domains: %s %s %s", tag, id, rel, d.From)
	case a.AlignErr != nil:
		cmp = fmt.Sprintf("%s=r needs organizational domains, and one is unknown: %v", tag, a.AlignErr)
	default:
		rel := "="
		if !a.Aligned {
			rel = "≠"
		}
		cmp = fmt.Sprintf("%s=r compares organizational domains: %s %s %s", tag, idOrg, rel, fromOrg)
	}
	verb := fmt.Sprintf("%s %s for %s", name, pastTense(a.AuthResult), id)
	switch {
	case a.Counts:
		a.Explanation = fmt.Sprintf("%s, which is aligned with %s (%s)", verb, d.From, cmp)
	case a.Aligned:
		a.Explanation = fmt.Sprintf("%s; it would be aligned with %s (%s), but only a pass counts", verb, d.From, cmp)
	case a.AlignErr != nil:
		a.Explanation = fmt.Sprintf("%s; alignment with %s is unknown (%s)", verb, d.From, cmp)
	case a.Pass:
		a.Explanation = fmt.Sprintf("%s, but %s is not aligned with %s (%s)", verb, id, d.From, cmp)
	default:
		a.Explanation = fmt.Sprintf("%s, and %s is not aligned with %s (%s)", verb, id, d.From, cmp)
	}
	return a
}

// Aligned reports whether the identifier id is aligned with the From domain
// under mode (RFC 7489 §3.1): strict wants equal domains, relaxed equal
// organizational domains by the Public Suffix List. It is what Evaluate does
// for MethodPSL, for callers that want to test a fix ("would d=mail.brand.example
// align?") without a discovery.
func Aligned(from, id dns.Domain, mode AlignMode) bool {
	if from == "" || id == "" {
		return false
	}
	if from == id {
		return true
	}
	if mode == AlignStrict {
		return false
	}
	a, _ := OrgDomain(from)
	b, _ := OrgDomain(id)
	return a == b
}

func pastTense(result string) string {
	switch result {
	case "pass":
		return "passed"
	case "fail":
		return "failed"
	case "none":
		return "gave none"
	}
	return "gave " + result
}

// orgs returns the organizational domains of the From domain and of id by
// the evaluation's method.
func (ev *Evaluation) orgs(d *Discovery, id dns.Domain) (fromOrg, idOrg dns.Domain, err error) {
	if ev.Method != MethodTreeWalk {
		fromOrg, _ = OrgDomain(d.From)
		idOrg, _ = OrgDomain(id)
		return fromOrg, idOrg, nil
	}
	f, ok1 := d.OrgDomains[d.From]
	o, ok2 := d.OrgDomains[id]
	if !ok1 || !ok2 {
		// Not looked up (the identifier was not given to Discover): fall
		// back to the Public Suffix List, and say so.
		fromOrg, _ = OrgDomain(d.From)
		idOrg, _ = OrgDomain(id)
		if ok1 {
			fromOrg = f.Org
		}
		if ok2 {
			idOrg = o.Org
		}
		ev.note("the RFC 9989 organizational domain of %s was not looked up; the Public Suffix List was used instead", id)
		return fromOrg, idOrg, errors.Join(f.Err, o.Err)
	}
	return f.Org, o.Org, errors.Join(f.Err, o.Err)
}
