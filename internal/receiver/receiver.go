// Package receiver predicts what a mailbox provider does with a message,
// given its DMARC evaluation and the SPF and DKIM facts behind it.
//
// A Profile is data: the DMARC dialect the receiver is taken to implement,
// one Action per DMARC outcome (reject, quarantine, none, no record,
// temperror, permerror, pass), an optional SPF-only rejection path, and the
// DKIM signatures it does not count (short RSA keys, t=y keys). Every Action
// and adjustment carries a Rule with its provenance (documented, third-party
// or inferred) and confidence, taken from ../shared/research/receivers.md.
// Predict is the only code path; adding a receiver means adding a Profile
// value, not code.
//
// Predict is pure: no DNS, no clock, no randomness, and no DMARC evaluation
// of its own. The caller evaluates DMARC with the profile's Options over the
// DKIM results the profile counts (JudgeDKIM) and passes that evaluation
// in. pct= sampling is reported as a probability, never drawn.
//
// The registry (Receivers, ByID, ForMailbox, ForHost) is the one place that
// names receivers: ID, display name, mailbox domains and MX host suffixes,
// for the receivers with a profile and for those the bounce classifier
// recognises without one.
package receiver

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/report"
	"preflight/spf"
)

// Provenance says where a rule comes from (receivers.md legend).
type Provenance string

// The provenances.
const (
	Documented Provenance = "documented"  // the receiver's own pages, or an RFC
	ThirdParty Provenance = "third-party" // real bounces, ESP write-ups
	Inferred   Provenance = "inferred"    // reasoning from the above
)

// Confidence in a rule or a prediction.
type Confidence string

// The confidence levels of receivers.md.
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

// Rule is one piece of receiver behaviour and where it comes from.
type Rule struct {
	ID         string     `json:"id"`
	Text       string     `json:"text"`
	Provenance Provenance `json:"provenance"`
	Confidence Confidence `json:"confidence"`
	Source     string     `json:"source,omitempty"` // URL or corpus file, when there is one
}

// AppliedRule is a Rule that took part in a prediction.
type AppliedRule = Rule

// Action is what a receiver does in one case, and the rule that says so.
type Action struct {
	Disposition Disposition
	// Reply is the SMTP reply, verbatim from the sources, with
	// placeholders: {domain} (From domain), {DOMAIN} (upper case), {ip}
	// (sending IP), {mailfrom} (MAIL FROM domain). Empty when the receiver
	// answers 250 or the text is unknown.
	Reply string
	Rule  Rule
}

// Profile is one receiver's behaviour, as data.
type Profile struct {
	// Name is the --receiver value and the receiver's ID in the registry
	// (Receivers), which holds its display name and mailbox domains.
	Name string

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

	// MinRSABits: passing DKIM signatures with RSA keys shorter than this
	// are counted as fail (0: no minimum). IgnoreTestingKeys: passing
	// signatures whose key has t=y are counted as none.
	MinRSABits        int
	MinRSARule        Rule
	IgnoreTestingKeys bool
	TestingRule       Rule

	// Facts are other known behaviour a report may show (not applied by
	// Predict): caching, reply format, volume rules.
	Facts []Rule
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

// Input is what Predict looks at.
type Input struct {
	// DMARC is the evaluation as the receiver sees it: made with the
	// profile's DMARC options over the DKIM results it counts (JudgeDKIM
	// of every signature). Predict does not evaluate again; an evaluation
	// without a Result (none was possible) gives unknown.
	DMARC dmarc.Evaluation
	SPF   SPF
	// DKIMRules are the profile rules that changed a DKIM result in that
	// view (JudgeDKIM's rules, in signature order); they are listed among
	// the verdict's rules.
	DKIMRules []Rule
}

// Path is one way the receiver reaches a disposition.
type Path struct {
	Name        string      `json:"name"` // "dmarc" or "spf"
	Disposition Disposition `json:"disposition"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  Confidence  `json:"confidence"`
	Probability float64     `json:"probability"`
	RuleID      string      `json:"rule"`
}

// Verdict is the prediction.
type Verdict struct {
	Receiver    string      `json:"receiver"`
	Disposition Disposition `json:"disposition"`
	Reject      bool        `json:"reject"`
	SMTPReply   string      `json:"smtp_reply,omitempty"`
	Confidence  Confidence  `json:"confidence"`
	// Probability is the chance of Disposition under the rules: below 1
	// only for pct= sampling.
	Probability float64       `json:"probability"`
	Summary     string        `json:"summary"`
	Paths       []Path        `json:"paths"`
	Rules       []AppliedRule `json:"rules"`
}

// Predict applies profile p to the input. It never fails: unknown
// situations give Disposition unknown with low confidence. It is pure over
// its input and evaluates nothing itself: the DMARC evaluation comes in
// made (see Input.DMARC).
func Predict(p *Profile, in Input) Verdict {
	ev := in.DMARC
	v := Verdict{Receiver: p.Name}
	v.Rules = append(append(v.Rules, p.DMARCRule), in.DKIMRules...)

	v.Paths = append(v.Paths, p.dmarcPaths(ev, &v)...)
	if path, ok := p.spfPath(in.SPF, ev, &v); ok {
		v.Paths = append(v.Paths, path)
	}

	// The outcome is the most severe path; among equals, the likelier,
	// then the first (DMARC before SPF).
	best := 0
	for i, path := range v.Paths {
		b := v.Paths[best]
		if severity[path.Disposition] > severity[b.Disposition] ||
			severity[path.Disposition] == severity[b.Disposition] && path.Probability > b.Probability {
			best = i
		}
	}
	chosen := v.Paths[best]
	v.Disposition, v.SMTPReply, v.Confidence, v.Probability = chosen.Disposition, chosen.SMTPReply, chosen.Confidence, chosen.Probability
	v.Reject = v.Disposition == DispositionReject
	v.Summary = p.summary(ev, chosen)
	return v
}

// JudgeDKIM returns the result the receiver counts for one signature: a
// pass with an RSA key under MinRSABits counts as fail, a pass with a
// testing key (t=y) as none when IgnoreTestingKeys. rule is the profile rule
// that changed the result, nil when it stands.
func (p *Profile) JudgeDKIM(s dkim.Result) (result dkim.Status, rule *Rule) {
	if s.Result != dkim.StatusPass {
		return s.Result, nil
	}
	rsa := strings.HasPrefix(strings.ToLower(s.Algorithm), "rsa") || s.Algorithm == ""
	if p.MinRSABits > 0 && rsa && s.KeyBits > 0 && s.KeyBits < p.MinRSABits {
		r := p.MinRSARule
		r.Text = fmt.Sprintf("%s (d=%s s=%s: %d-bit RSA key)", r.Text, s.Domain, s.Selector, s.KeyBits)
		return dkim.StatusFail, &r
	}
	if p.IgnoreTestingKeys && s.Testing {
		r := p.TestingRule
		r.Text = fmt.Sprintf("%s (d=%s s=%s)", r.Text, s.Domain, s.Selector)
		return dkim.StatusNone, &r
	}
	return s.Result, nil
}

func (p *Profile) dmarcPaths(ev dmarc.Evaluation, v *Verdict) []Path {
	one := func(a Action, prob float64) Path {
		v.Rules = append(v.Rules, a.Rule)
		return Path{Name: "dmarc", Disposition: a.Disposition, SMTPReply: fill(a.Reply, ev, SPF{}),
			Confidence: a.Rule.Confidence, Probability: prob, RuleID: a.Rule.ID}
	}
	switch ev.Result {
	case dmarc.ResultPass:
		return []Path{one(p.OnPass, 1)}
	case dmarc.ResultNone:
		return []Path{one(p.OnNoRecord, 1)}
	case dmarc.ResultPermError:
		return []Path{one(p.OnPermError, 1)}
	case dmarc.ResultFail:
	default: // temperror, or no evaluation at all
		if ev.Result == "" {
			return []Path{{Name: "dmarc", Disposition: DispositionUnknown, Confidence: Low, Probability: 1, RuleID: ""}}
		}
		return []Path{one(p.OnTempError, 1)}
	}
	if p.Subdomain != nil && ev.PolicyTag != "" && !ev.Found.AtFrom {
		v.Rules = append(v.Rules, *p.Subdomain)
	}
	shares := ev.Sampling
	if len(shares) == 0 {
		shares = []dmarc.Share{{Policy: ev.Policy, Percent: 100}}
	}
	if len(shares) > 1 || shares[0].Percent < 100 || ev.Percent < 100 {
		if p.Pct != nil {
			v.Rules = append(v.Rules, *p.Pct)
		}
	}
	var paths []Path
	for _, s := range shares {
		a, ok := p.OnFail[s.Policy]
		if !ok {
			a = Action{Disposition: DispositionUnknown, Rule: Rule{ID: p.Name + ".dmarc-" + string(s.Policy), Text: "no rule for this policy", Provenance: Inferred, Confidence: Low}}
		}
		paths = append(paths, one(a, float64(s.Percent)/100))
	}
	// Shares with the same disposition (e.g. quarantine and none both
	// accepted) add up.
	merged := paths[:0]
	for _, path := range paths {
		found := false
		for i := range merged {
			if merged[i].Disposition == path.Disposition {
				merged[i].Probability += path.Probability
				found = true
			}
		}
		if !found {
			merged = append(merged, path)
		}
	}
	sort.SliceStable(merged, func(i, j int) bool { return severity[merged[i].Disposition] > severity[merged[j].Disposition] })
	return merged
}

func (p *Profile) spfPath(s SPF, ev dmarc.Evaluation, v *Verdict) (Path, bool) {
	switch res := s.Result; {
	case res == spf.StatusFail && p.SPFFail != nil && !s.HELO:
		a := *p.SPFFail
		v.Rules = append(v.Rules, a.Rule)
		conf := a.Rule.Confidence
		if ev.Result == dmarc.ResultPass && p.SPFFailDMARCPass != nil {
			v.Rules = append(v.Rules, *p.SPFFailDMARCPass)
			conf = p.SPFFailDMARCPass.Confidence
		}
		if s.Assumed && confRank[conf] > confRank[LowMedium] {
			conf = LowMedium
		}
		return Path{Name: "spf", Disposition: a.Disposition, SMTPReply: fill(a.Reply, ev, s), Confidence: conf, Probability: 1, RuleID: a.Rule.ID}, true
	case res == spf.StatusSoftFail && p.SPFSoftFail != nil:
		v.Rules = append(v.Rules, *p.SPFSoftFail)
	case (res == spf.StatusTempError || res == spf.StatusPermError) && p.SPFError != nil:
		v.Rules = append(v.Rules, *p.SPFError)
	}
	return Path{}, false
}

// fill replaces the placeholders of a reply template.
func fill(reply string, ev dmarc.Evaluation, s SPF) string {
	if reply == "" {
		return ""
	}
	ip := "<sending IP>"
	if s.IP.IsValid() {
		ip = s.IP.String()
	}
	from := ev.From.String()
	if from == "" {
		from = "<From domain>"
	}
	mf := s.Domain
	if mf == "" {
		mf = "<MAIL FROM domain>"
	}
	return strings.NewReplacer("{domain}", from, "{DOMAIN}", strings.ToUpper(from), "{ip}", ip, "{mailfrom}", mf).Replace(reply)
}

func (p *Profile) summary(ev dmarc.Evaluation, chosen Path) string {
	who := p.DisplayName()
	if chosen.Name == "spf" {
		return fmt.Sprintf("%s would reject on SPF alone: SPF fails for the MAIL FROM domain (DMARC %s)", who, ev.Result)
	}
	switch ev.Result {
	case dmarc.ResultPass:
		return fmt.Sprintf("DMARC passes for %s: %s applies no DMARC action", ev.From, who)
	case dmarc.ResultNone:
		return fmt.Sprintf("DMARC does not apply to %s (%s): no DMARC action", ev.From, discoveryWord(ev))
	case dmarc.ResultPermError:
		return fmt.Sprintf("the DMARC record of %s is broken, so no DMARC policy applies", ev.From)
	case dmarc.ResultTempError:
		return "a temporary DNS failure leaves the DMARC result unknown"
	case dmarc.ResultFail:
		s := fmt.Sprintf("DMARC fails for %s and %s=%s applies", ev.From, ev.PolicyTag, ev.RequestedPolicy)
		if ev.Testing {
			s += fmt.Sprintf(" (t=y: treated as %s)", ev.Policy)
		}
		switch chosen.Disposition {
		case DispositionReject:
			s += fmt.Sprintf(": %s would reject it", who)
		case DispositionQuarantine:
			s += fmt.Sprintf(": %s would accept it, then junk it", who)
		case DispositionAccept:
			s += fmt.Sprintf(": no DMARC action at %s", who)
		default:
			s += fmt.Sprintf(": %s's action is %s", who, chosen.Disposition)
		}
		if chosen.Probability < 1 {
			s += fmt.Sprintf(" (probability %.0f%%, pct=%d)", chosen.Probability*100, ev.Percent)
		}
		return s
	}
	return "DMARC could not be evaluated"
}

func discoveryWord(ev dmarc.Evaluation) string {
	switch ev.Found.Status {
	case dmarc.DiscoveryMultiple:
		return "several DMARC records: no policy"
	case dmarc.DiscoveryNoPolicy:
		return "the record has no usable p="
	}
	return "no DMARC record"
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
