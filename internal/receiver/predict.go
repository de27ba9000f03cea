package receiver

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/spf"
)

// Predict applies profile p to the input. It never fails: unknown
// situations give Disposition unknown with low confidence. It is pure over
// its input and evaluates nothing itself: the DMARC evaluation comes in
// made (see Input.DMARC).
//
// Every rule that fires adds a Path (DMARC, SPF alone, unauthenticated,
// a domain that does not exist, several From addresses, each bulk-sender
// requirement); the verdict is the most severe path, among equals the
// likelier, then the first.
func Predict(p *Profile, in Input) Verdict {
	ev := in.DMARC
	v := Verdict{Receiver: p.Name}
	v.Rules = append(append(v.Rules, p.DMARCRule), in.DKIMRules...)

	v.Paths = append(v.Paths, p.dmarcPaths(in, &v)...)
	if ev.Result != "" {
		for _, path := range p.otherPaths(in, &v) {
			v.Paths = addPath(v.Paths, path)
		}
	}

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
	if chosen.Name != "dmarc" {
		v.Alternatives = nil // they are readings of the DMARC path only
	}
	return v
}

// addPath appends path, or merges it into a path of the same rule (one
// receiver reply covering several requirements, as Outlook.com's 5.7.515).
func addPath(paths []Path, path Path) []Path {
	for i := range paths {
		if paths[i].RuleID == path.RuleID && path.RuleID != "" {
			paths[i].Why += "; " + path.Why
			return paths
		}
	}
	return append(paths, path)
}

// JudgeDKIM returns the result the receiver counts for one signature: a
// pass with an RSA key under MinRSABits counts as fail, a pass with an
// algorithm the receiver does not verify (Unverified) as fail, a pass with
// a testing key (t=y) as none when IgnoreTestingKeys. rule is the profile
// rule that changed the result, nil when it stands.
func (p *Profile) JudgeDKIM(s dkim.Result) (result dkim.Status, rule *Rule) {
	if s.Result != dkim.StatusPass {
		return s.Result, nil
	}
	alg := strings.ToLower(s.Algorithm)
	if slices.Contains(p.Unverified, alg) {
		r := p.UnverifiedRule
		r.Text = fmt.Sprintf("%s (d=%s s=%s: %s)", r.Text, s.Domain, s.Selector, alg)
		return dkim.StatusFail, &r
	}
	rsa := strings.HasPrefix(alg, "rsa") || s.Algorithm == ""
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

func (p *Profile) dmarcPaths(in Input, v *Verdict) []Path {
	ev := in.DMARC
	one := func(a Action, prob float64) Path {
		v.Rules = append(v.Rules, a.Rule)
		return Path{Name: "dmarc", Disposition: a.Disposition, SMTPReply: fill(a, in),
			Confidence: a.Rule.Confidence, Probability: prob, RuleID: a.Rule.ID}
	}
	switch ev.Result {
	case dmarc.ResultPass:
		return []Path{one(p.OnPass, 1)}
	case dmarc.ResultNone:
		if ev.Found.Status == dmarc.DiscoveryMultiple {
			return []Path{p.multiplePath(in, v)}
		}
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
	paths := p.failPaths(ev, in, &v.Rules)
	return paths
}

// failPaths are the DMARC paths of a failing evaluation: one per pct=
// share, merged by disposition, most severe first.
func (p *Profile) failPaths(ev dmarc.Evaluation, in Input, rules *[]Rule) []Path {
	shares := ev.Sampling
	if len(shares) == 0 {
		shares = []dmarc.Share{{Policy: ev.Policy, Percent: 100}}
	}
	if len(shares) > 1 || shares[0].Percent < 100 || ev.Percent < 100 {
		if p.Pct != nil {
			*rules = append(*rules, *p.Pct)
		}
	}
	var paths []Path
	for _, s := range shares {
		a, ok := p.OnFail[s.Policy]
		if !ok {
			a = Action{Disposition: DispositionUnknown, Rule: Rule{ID: p.Name + ".dmarc-" + string(s.Policy), Text: "no rule for this policy", Provenance: Inferred, Confidence: Low}}
		}
		*rules = append(*rules, a.Rule)
		paths = append(paths, Path{Name: "dmarc", Disposition: a.Disposition, SMTPReply: fill(a, Input{DMARC: ev, SPF: in.SPF}),
			Confidence: a.Rule.Confidence, Probability: float64(s.Percent) / 100, RuleID: a.Rule.ID})
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

// multiplePath is the DMARC path when the From domain has several DMARC
// records. The RFC reading (no policy) decides; its probability is left
// open unless the profile's rule is documented, and the first record's
// outcome, when it differs, is listed as an alternative.
func (p *Profile) multiplePath(in Input, v *Verdict) Path {
	rule := p.MultipleRecords
	if rule.ID == "" {
		rule = p.OnNoRecord.Rule
	}
	v.Rules = append(v.Rules, rule)
	a := p.OnNoRecord
	path := Path{Name: "dmarc", Disposition: a.Disposition, SMTPReply: fill(a, in),
		Confidence: lower(a.Rule.Confidence, rule.Confidence), RuleID: rule.ID}
	if rule.Provenance == Documented {
		path.Probability = 1
		return path
	}
	first := in.FirstRecord
	if first == nil || first.Result != dmarc.ResultFail {
		return path
	}
	var ignored []Rule
	for _, alt := range p.failPaths(*first, in, &ignored) {
		if alt.Disposition == path.Disposition {
			continue
		}
		when := fmt.Sprintf("if %s takes the first of the records (%q), as some DMARC libraries do, instead of applying no policy as RFC 7489 §6.6.3 says", p.DisplayName(), first.Found.RecordText)
		if alt.Probability < 1 {
			when += fmt.Sprintf(" (then %.0f%% of such messages, pct=%d)", alt.Probability*100, first.Percent)
		}
		v.Alternatives = append(v.Alternatives, Alternative{Disposition: alt.Disposition, SMTPReply: alt.SMTPReply, Confidence: Low, When: when})
	}
	return path
}

// otherPaths are the rules outside DMARC that fire: SPF alone,
// unauthenticated mail, a domain that does not exist, several From
// addresses, and with Input.Bulk the bulk-sender requirements.
func (p *Profile) otherPaths(in Input, v *Verdict) []Path {
	var out []Path
	s := in.SPF
	add := func(name string, a *Action, conf Confidence, why string) {
		v.Rules = append(v.Rules, a.Rule)
		// A requirement whose breach does not block delivery is a path to
		// accept: listed, never chosen over the DMARC path.
		if s.Assumed && confRank[conf] > confRank[LowMedium] {
			conf = LowMedium
		}
		out = append(out, Path{Name: name, Disposition: a.Disposition, SMTPReply: fill(*a, in), Confidence: conf, Probability: 1, RuleID: a.Rule.ID, Why: why})
	}
	if path, ok := p.spfPath(in, v); ok {
		out = append(out, path)
	}
	spfKnown := s.Result != "" && s.Result != spf.StatusTempError
	spfPass := s.Result == spf.StatusPass
	dkimKnown := in.DKIMPass || !in.DKIMTempError
	if a := p.Unauthenticated; a != nil && spfKnown && !spfPass && dkimKnown && !in.DKIMPass {
		add("auth", a, a.Rule.Confidence, fmt.Sprintf("neither SPF (%s for %s) nor DKIM (%s) passes for any domain", s.Result, s.Domain, dkimWord(in)))
	}
	if a := p.NoDomain; a != nil {
		d := in.Domains
		switch {
		case d.From == NotExists:
			add("domain", a, a.Rule.Confidence, fmt.Sprintf("the From domain %s does not exist (NXDOMAIN)", d.FromName))
		case d.MailFrom == NotExists:
			add("domain", a, a.Rule.Confidence, fmt.Sprintf("the MAIL FROM domain %s does not exist (NXDOMAIN)", d.MailFromName))
		}
	}
	if a := p.MultipleFrom; a != nil && in.Authors > 1 {
		add("from", a, a.Rule.Confidence, fmt.Sprintf("the From header field holds %d addresses", in.Authors))
	}
	if in.Bulk != nil && p.Bulk != nil {
		p.bulkPaths(in, add)
	}
	return out
}

// bulkPaths applies the bulk-sender requirements that the facts show are
// not met; a requirement whose facts are unknown (a temporary DNS failure,
// no message, no sending IP) is not judged.
func (p *Profile) bulkPaths(in Input, add func(string, *Action, Confidence, string)) {
	b, f, ev, s := p.Bulk, in.Bulk, in.DMARC, in.SPF
	spfKnown := s.Result != "" && s.Result != spf.StatusTempError
	dkimKnown := in.DKIMPass || !in.DKIMTempError
	dmarcKnown := ev.Result != dmarc.ResultTempError
	aligned := ev.SPF.Counts
	for _, a := range ev.DKIM {
		aligned = aligned || a.Counts
	}
	record := ev.Found.Status == dmarc.DiscoveryFound
	type req struct {
		name   string
		action *Action
		broken bool
		why    string
	}
	reqs := []req{
		{"bulk-spf", b.SPF, spfKnown && s.Result != spf.StatusPass,
			fmt.Sprintf("bulk senders must pass SPF; SPF gives %s for %s", s.Result, s.Domain)},
		{"bulk-dkim", b.DKIM, dkimKnown && !in.DKIMPass,
			fmt.Sprintf("bulk senders must pass DKIM; %s", dkimWord(in))},
		{"bulk-dmarc-record", b.DMARCRecord, dmarcKnown && !record,
			fmt.Sprintf("bulk senders must publish a DMARC record with a policy (p=none is enough); %s has none usable", ev.From)},
		{"bulk-alignment", b.Alignment, dmarcKnown && !aligned,
			fmt.Sprintf("bulk senders' From domain %s must be aligned with the SPF or DKIM domain that passed; none is", ev.From)},
		{"bulk-dmarc", b.DMARCPass, dmarcKnown && ev.Result != dmarc.ResultPass,
			fmt.Sprintf("bulk senders must pass DMARC; DMARC gives %s", ev.Result)},
		{"bulk-unsubscribe", b.ListUnsubscribe, f.Message && !f.ListUnsubscribe,
			"bulk mail must carry a List-Unsubscribe header (mailto: or https:)"},
		{"bulk-one-click", b.OneClick, f.Message && !f.OneClick,
			"bulk mail must offer RFC 8058 one-click unsubscribe: " + f.OneClickProblem},
		{"bulk-ptr", b.FCrDNS, f.FCrDNS == "fail",
			"the sending IP needs forward-confirmed reverse DNS: " + f.FCrDNSDetail},
	}
	for _, r := range reqs {
		if r.action != nil && r.broken {
			add(r.name, r.action, r.action.Rule.Confidence, r.why)
		}
	}
}

func dkimWord(in Input) string {
	switch {
	case in.DKIMPass:
		return "a signature passes"
	case !in.DKIMSigned:
		return "the message carries no DKIM signature"
	}
	return "no DKIM signature passes"
}

func (p *Profile) spfPath(in Input, v *Verdict) (Path, bool) {
	s, ev := in.SPF, in.DMARC
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
		return Path{Name: "spf", Disposition: a.Disposition, SMTPReply: fill(a, in), Confidence: conf, Probability: 1, RuleID: a.Rule.ID,
			Why: fmt.Sprintf("SPF fails for the MAIL FROM domain %s", s.Domain)}, true
	case res == spf.StatusSoftFail && p.SPFSoftFail != nil:
		v.Rules = append(v.Rules, *p.SPFSoftFail)
	case (res == spf.StatusTempError || res == spf.StatusPermError) && p.SPFError != nil:
		v.Rules = append(v.Rules, *p.SPFError)
	}
	return Path{}, false
}

// fill replaces the placeholders of a reply template. When the template
// names a value the input does not have (no sending IP, no MAIL FROM
// domain), it uses the action's ReplyShort, so that no placeholder reaches
// a predicted reply.
func fill(a Action, in Input) string {
	reply := a.Reply
	if reply == "" {
		return ""
	}
	s, ev := in.SPF, in.DMARC
	if (strings.Contains(reply, "{ip}") && !s.IP.IsValid()) || (strings.Contains(reply, "{mailfrom}") && s.Domain == "") {
		reply = a.ReplyShort
	}
	from := ev.From.String()
	word := func(w string) string {
		if w == "" {
			return "None"
		}
		return strings.ToUpper(w[:1]) + w[1:]
	}
	dkimRes := "Fail"
	switch {
	case in.DKIMPass:
		dkimRes = "Pass"
	case !in.DKIMSigned:
		dkimRes = "None"
	}
	ip := ""
	if s.IP.IsValid() {
		ip = s.IP.String()
	}
	return strings.NewReplacer("{domain}", from, "{DOMAIN}", strings.ToUpper(from), "{ip}", ip, "{mailfrom}", s.Domain,
		"{Spf}", word(string(s.Result)), "{Dkim}", dkimRes, "{Dmarc}", word(string(ev.Result))).Replace(reply)
}

func (p *Profile) summary(ev dmarc.Evaluation, chosen Path) string {
	who := p.DisplayName()
	if chosen.Name == "spf" {
		return fmt.Sprintf("%s would reject on SPF alone: SPF fails for the MAIL FROM domain (DMARC %s)", who, ev.Result)
	}
	if chosen.Name != "dmarc" {
		verb := "reject"
		switch chosen.Disposition {
		case DispositionQuarantine:
			verb = "junk"
		case DispositionDefer:
			verb = "defer"
		case DispositionUnknown:
			verb = "act on"
		}
		return fmt.Sprintf("%s would %s it: %s (DMARC %s)", who, verb, chosen.Why, ev.Result)
	}
	switch ev.Result {
	case dmarc.ResultPass:
		return fmt.Sprintf("DMARC passes for %s: %s applies no DMARC action", ev.From, who)
	case dmarc.ResultNone:
		if ev.Found.Status == dmarc.DiscoveryMultiple && chosen.Probability == 0 {
			return fmt.Sprintf("DMARC does not apply to %s (several DMARC records: no policy, as RFC 7489 says): no DMARC action — but %s does not document this case", ev.From, who)
		}
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
