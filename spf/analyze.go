package spf

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"preflight/dns"
	"preflight/report/finding"
)

// Analysis explains a policy without a client IP: what evaluating it can
// cost in the worst case, which networks it authorises and what is risky.
type Analysis struct {
	Domain string
	// Record is the SPF record analysed (published, or given).
	Record string
	// Status is "" when the policy could be analysed; StatusNone when the
	// domain has no SPF record, StatusPermError or StatusTempError when
	// the top record could not be read (Err says why).
	Status Status
	Err    error
	// Lookups is the worst-case count of DNS-querying terms (RFC 7208
	// §4.6.4): every include, a, mx, ptr, exists and applicable redirect
	// of the whole tree, as when no term matches before the end.
	Lookups int
	// VoidLookups4 and VoidLookups6 count the terms whose query finds
	// nothing (NXDOMAIN or NODATA) for an IPv4 and an IPv6 client.
	VoidLookups4, VoidLookups6 int
	// Terms is the top-level record's terms, includes expanded as Children.
	Terms []TermAnalysis
	// Networks is every network a pass-qualified term authorises, through
	// includes and redirect: ip4/ip6 as written, a and mx resolved. It
	// does not subtract networks that an earlier "-" term would fail, and
	// does not cover terms in Unflattenable.
	Networks []netip.Prefix
	// Unflattenable lists the terms whose authorised hosts cannot be
	// listed (macros, exists, ptr), each as "domain: term (reason)".
	Unflattenable []string
	Warnings      []Warning
	// Queries is the number of distinct DNS questions asked.
	Queries int
}

// MaxVoidLookups returns the larger of the two families' void counts.
func (a *Analysis) MaxVoidLookups() int { return max(a.VoidLookups4, a.VoidLookups6) }

// TermAnalysis is the static view of one term.
type TermAnalysis struct {
	Depth  int
	Domain string // the record holding the term
	Term   string
	// Lookups is the worst-case count of DNS-querying terms this term
	// costs, its include or redirect tree included.
	Lookups int
	// Void4 and Void6 report a void lookup for IPv4 / IPv6 clients.
	Void4, Void6 bool
	// Networks are what this term authorises when it matches with "+"
	// (for include and redirect: what the target authorises).
	Networks []netip.Prefix
	// Unflattenable says why the term's hosts cannot be listed, if so.
	Unflattenable string
	// Target is the include/redirect domain, Record its SPF record.
	Target   string
	Record   string
	Children []TermAnalysis
	// Problem is what evaluation would make of the term going wrong
	// (e.g. "permerror: include target has no SPF record").
	Problem string
}

// Warning is one finding of the analysis: a catalogued finding.Finding
// (ID "spf.all-pass", "spf.lookups-headroom" …; Detail says what was seen)
// with where it was seen.
type Warning struct {
	finding.Finding
	Domain string `json:"domain,omitempty"` // the record holding the term
	Term   string `json:"term,omitempty"`
}

// MarshalJSON writes the finding's fields, Domain and Term, and for readers
// of the first JSON form "code" (the ID without "spf.") and "message" (the
// detail).
func (w Warning) MarshalJSON() ([]byte, error) {
	type plain Warning
	return json.Marshal(struct {
		plain
		Code    string `json:"code"`
		Message string `json:"message"`
	}{plain(w), strings.TrimPrefix(w.ID, "spf."), w.Detail})
}

// Thresholds of the analysis warnings.
const (
	// HeadroomLookups: this many worst-case lookups or more leaves little
	// room for an ESP to grow its include.
	HeadroomLookups = 8
	// MaxRecordLength: a record longer than this risks a DNS answer over
	// 512 octets (RFC 7208 §3.4).
	MaxRecordLength = 450
	// MaxStringLength is the longest TXT character-string (RFC 1035 §3.3).
	MaxStringLength = 255
)

// Analyze explains the SPF policy of req.Domain (or of req.MailFrom's or
// req.HELO's domain, as in Check), or req.Record in its place, without a
// client IP. It walks the whole include tree (every branch, as if nothing
// matched), resolves a and mx terms for both address families, and never
// fails: problems are in Status/Err and Warnings. req.IP is ignored.
func Analyze(ctx context.Context, cfg Config, req Request) *Analysis {
	req.IP = netip.Addr{}
	e, _ := newEvaluator(cfg, req)
	e.env.ip = netip.Addr{}
	an := &Analysis{Domain: e.env.domain}
	if cfg.Resolver == nil {
		an.Status, an.Err = StatusPermError, ErrNoResolver
		return an
	}
	if !validDomain(an.Domain) {
		an.Status = StatusNone
		an.Err = fmt.Errorf("spf: %q is not a valid multi-label domain name (RFC 7208 §4.3)", an.Domain)
		return an
	}
	// Cancelling ends the prefetches nobody needed; Check does not wait
	// for them, so a slow answer it does not use cannot delay it.
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	e.ctx = ctx
	a := &analyzer{e: e, an: an}

	var rec *Record
	if req.Record != "" {
		an.Record = req.Record
		a.checkLength(an.Domain, req.Record, true)
		r, err := Parse(req.Record)
		if err != nil {
			an.Status, an.Err = StatusPermError, err
			a.warn("spf.syntax", an.Domain, "", "%v", err)
			return a.done()
		}
		rec = r
		// The given record starts the shadow evaluation as a fetched one
		// would (prefetch.go): within the same budget, sooner.
		e.prefetchRecord(rec, an.Domain, 0)
	} else {
		r, text, st, err := a.record(an.Domain, 0, "")
		an.Record = text
		if r == nil {
			an.Status, an.Err = st, err
			if st == StatusNone {
				an.Err = fmt.Errorf("spf: %s publishes no SPF record", an.Domain)
			}
			return a.done()
		}
		rec = r
	}
	a.stack = []string{strings.ToLower(an.Domain)}
	an.Terms = a.terms(rec, an.Domain, 0)
	for _, t := range an.Terms {
		an.Lookups += t.Lookups
		an.Networks = append(an.Networks, t.Networks...)
	}
	a.summarise(rec)
	return a.done()
}

type analyzer struct {
	e     *evaluator
	an    *Analysis
	stack []string
	seen  int // DNS-querying terms visited, to bound hostile trees
}

// maxAnalyzedTerms bounds the walk: past it the policy is far over the
// limit already and following more includes would only multiply queries.
const maxAnalyzedTerms = 4 * DefaultMaxLookups

func (a *analyzer) done() *Analysis {
	a.an.Networks = dedupePrefixes(a.an.Networks)
	a.an.Queries = a.e.dns.sent()
	return a.an
}

func (a *analyzer) warn(id, domain, term, format string, args ...any) {
	a.an.Warnings = append(a.an.Warnings, Warning{Finding: finding.New(id, fmt.Sprintf(format, args...), ""), Domain: domain, Term: term})
}

func (a *analyzer) checkLength(domain, text string, given bool) {
	if len(text) > MaxRecordLength {
		a.warn("spf.record-too-long", domain, "", "the SPF record of %s is %d octets; over %d risks DNS answers too large for UDP (RFC 7208 §3.4)", domain, len(text), MaxRecordLength)
	}
	if given && len(text) > MaxStringLength {
		a.warn("spf.string-too-long", domain, "", "the record is %d octets: publish it as several quoted strings of at most %d octets each (RFC 7208 §3.3)", len(text), MaxStringLength)
	}
}

// record fetches and parses the SPF record of domain, reporting problems
// as warnings. A nil record means the evaluation would not get one.
func (a *analyzer) record(domain string, depth int, via string) (*Record, string, Status, error) {
	rec, text, st, err := a.e.getRecord(depth, domain)
	switch {
	case err != nil && st == StatusTempError:
		a.warn("spf.temperror", domain, via, "could not read the SPF record of %s: %v", domain, err)
	case st == StatusPermError && text == "":
		a.warn("spf.multiple-records", domain, via, "%s publishes more than one SPF record: every evaluation is permerror (RFC 7208 §4.5)", domain)
	case err != nil:
		a.warn("spf.syntax", domain, via, "%v", err)
	case rec == nil && via != "":
		// The TXT answer is cached: asking again costs no query.
		if res, lerr := a.e.dns.lookup(a.e.ctx, domain, dns.TypeTXT); lerr == nil && res.Status == dns.StatusNXDomain {
			a.warn("spf.include-missing", domain, via, "%s (from %s) does not exist: evaluation reaching it is permerror, and whoever registers the name can authorise any host", domain, via)
			break
		}
		a.warn("spf.include-missing", domain, via, "%s (from %s) has no SPF record: evaluation reaching it is permerror (RFC 7208 §5.2, §6.1)", domain, via)
	}
	if rec != nil {
		a.checkLength(domain, text, false)
		a.e.prefetchRecord(rec, domain, depth)
	}
	return rec, text, st, err
}

// terms analyses the terms of rec (the record of domain).
func (a *analyzer) terms(rec *Record, domain string, depth int) []TermAnalysis {
	env := a.e.env
	env.domain = domain
	env.ptr = nil
	var out []TermAnalysis
	for _, t := range rec.Terms {
		if t.IsModifier() && t.Modifier != "redirect" {
			continue
		}
		if t.Modifier == "redirect" && rec.HasAll() {
			a.warn("spf.redirect-with-all", domain, t.String(), "redirect is ignored because the record has an \"all\" mechanism (RFC 7208 §6.1)")
			continue
		}
		out = append(out, a.term(t, domain, depth, &env))
	}
	return out
}

func (a *analyzer) term(t Term, domain string, depth int, env *macroEnv) TermAnalysis {
	ta := TermAnalysis{Depth: depth, Domain: domain, Term: t.String()}
	if t.CountsLookup() {
		ta.Lookups = 1
		a.seen++
		if a.seen > maxAnalyzedTerms {
			ta.Problem = fmt.Sprintf("not resolved: the policy already has over %d DNS-querying terms", maxAnalyzedTerms)
			return ta
		}
	}
	pass := t.IsModifier() || t.Qualifier == QualifierPass
	spec := t.Domain
	if t.IsModifier() {
		spec = t.Value
	}
	switch {
	case t.Mechanism == MechPTR:
		ta.Unflattenable = "ptr depends on the client's reverse DNS (RFC 7208 §5.5: SHOULD NOT be used)"
	case t.Mechanism == MechExists:
		ta.Unflattenable = "exists depends on a DNS query made per message"
	case spec != nil && !spec.onlyLetters("d"):
		// %{d} is the record's own domain: known without a message.
		ta.Unflattenable = "the domain depends on the message or the connection (" + spec.String() + ")"
	}
	if ta.Unflattenable != "" {
		if pass {
			a.an.Unflattenable = append(a.an.Unflattenable, fmt.Sprintf("%s: %s (%s)", domain, ta.Term, ta.Unflattenable))
		}
		return ta
	}
	target := domain
	if spec != nil {
		var ok bool
		if target, ok = queryName(spec.expand(env)); !ok {
			ta.Problem = "the domain is not a valid name"
			return ta
		}
	}
	ctx := a.e.ctx
	switch {
	case t.Mechanism == MechAll:
		ta.Networks = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	case t.Mechanism == MechIP4 || t.Mechanism == MechIP6:
		ta.Networks = []netip.Prefix{t.Net.Masked()}
	case t.Mechanism == MechA:
		ta.Networks, ta.Void4, ta.Void6 = a.addresses(ctx, depth, domain, ta.Term, target, t)
		a.countVoid(&ta)
		a.familyWarning(ta, target)
	case t.Mechanism == MechMX:
		res, err := a.e.lookup(depth, domain, ta.Term, target, dns.TypeMX)
		switch {
		case err != nil:
			ta.Problem = "temperror: " + err.Error()
			a.warn("spf.temperror", domain, ta.Term, "MX lookup of %s failed: %v", target, err)
		case res.Status != dns.StatusAnswer:
			ta.Void4, ta.Void6 = true, true
			a.countVoid(&ta)
			a.warn("spf.void-lookups", domain, ta.Term, "%s has no MX records: a void lookup (RFC 7208 §4.6.4)", target)
		case len(res.Targets()) > MaxNames:
			ta.Problem = fmt.Sprintf("permerror: %d MX names, over %d", len(res.Targets()), MaxNames)
			a.warn("spf.mx-too-many", domain, ta.Term, "%s has %d MX names; over %d makes the mx mechanism permerror (RFC 7208 §4.6.4)", target, len(res.Targets()), MaxNames)
		default:
			any4, any6 := false, false
			for _, h := range res.Targets() {
				if h == "" || h == "." {
					continue
				}
				nets, v4, v6 := a.addresses(ctx, depth, domain, ta.Term, h, t)
				ta.Networks = append(ta.Networks, nets...)
				any4, any6 = any4 || !v4, any6 || !v6
				// Each MX host without an address of the client's
				// family is a void lookup for that family (see Check).
				if v4 {
					ta.Void4 = true
					a.an.VoidLookups4++
				}
				if v6 {
					ta.Void6 = true
					a.an.VoidLookups6++
				}
			}
			if !any4 && any6 {
				a.warn("spf.family-v4", domain, ta.Term, "no MX host of %s has an IPv4 address: IPv4 senders never match this mx, and each host costs them a void lookup", target)
			}
			if any4 && !any6 {
				a.warn("spf.family-v6", domain, ta.Term, "no MX host of %s has an IPv6 address: IPv6 senders never match this mx, and each host costs them a void lookup", target)
			}
		}
	case t.Mechanism == MechInclude || t.Modifier == "redirect":
		ta.Target = target
		lt := strings.ToLower(target)
		if slices.Contains(a.stack, lt) {
			ta.Problem = "permerror: include/redirect loop"
			a.warn("spf.loop", domain, ta.Term, "%s includes itself (through %s): evaluation reaching it is permerror", target, strings.Join(a.stack, " → "))
			return ta
		}
		if depth >= 2*DefaultMaxLookups {
			ta.Problem = "permerror: too deep"
			return ta
		}
		rec, text, st, err := a.record(target, depth+1, ta.Term)
		ta.Record = text
		if rec == nil {
			if st == StatusNone {
				ta.Problem = "permerror: the target has no SPF record"
			} else {
				ta.Problem = string(st) + ": " + errString(err)
			}
			return ta
		}
		a.stack = append(a.stack, lt)
		ta.Children = a.terms(rec, target, depth+1)
		a.stack = a.stack[:len(a.stack)-1]
		for _, c := range ta.Children {
			ta.Lookups += c.Lookups
			ta.Networks = append(ta.Networks, c.Networks...)
		}
	}
	if !pass {
		ta.Networks = nil // a "-", "~" or "?" match authorises nothing
	}
	ta.Networks = dedupePrefixes(ta.Networks)
	return ta
}

// addresses resolves target's A and AAAA records into the networks a or
// mx would match, reporting which family came back void.
func (a *analyzer) addresses(ctx context.Context, depth int, domain, term, target string, t Term) (nets []netip.Prefix, void4, void6 bool) {
	for _, at := range []dns.Type{dns.TypeA, dns.TypeAAAA} {
		res, err := a.e.lookup(depth, domain, term, target, at)
		void := err != nil || res.Status != dns.StatusAnswer
		if err != nil {
			a.warn("spf.temperror", domain, term, "%s lookup of %s failed: %v", at, target, err)
		}
		if at == dns.TypeA {
			void4 = void
		} else {
			void6 = void
		}
		for _, ip := range res.IPs() {
			ip = ip.Unmap()
			bits := t.Prefix4
			if ip.Is6() {
				bits = t.Prefix6
			}
			if bits < 0 {
				bits = ip.BitLen()
			}
			if p, err := ip.Prefix(bits); err == nil {
				nets = append(nets, p)
			}
		}
	}
	return nets, void4, void6
}

func (a *analyzer) countVoid(ta *TermAnalysis) {
	if ta.Void4 {
		a.an.VoidLookups4++
	}
	if ta.Void6 {
		a.an.VoidLookups6++
	}
}

func (a *analyzer) familyWarning(ta TermAnalysis, target string) {
	switch {
	case ta.Void4 && ta.Void6:
		a.warn("spf.void-lookups", ta.Domain, ta.Term, "%s has no A or AAAA records: a void lookup for every sender (RFC 7208 §4.6.4)", target)
	case ta.Void6:
		a.warn("spf.family-v6", ta.Domain, ta.Term, "%s has no AAAA record: IPv6 senders never match and cost a void lookup", target)
	case ta.Void4:
		a.warn("spf.family-v4", ta.Domain, ta.Term, "%s has no A record: IPv4 senders never match and cost a void lookup", target)
	}
}

// summarise adds the policy-wide warnings.
func (a *analyzer) summarise(rec *Record) {
	an := a.an
	d := an.Domain
	var hasAll bool
	for _, t := range rec.Terms {
		if t.Mechanism != MechAll {
			continue
		}
		hasAll = true
		switch t.Qualifier {
		case QualifierPass:
			a.warn("spf.all-pass", d, t.String(), "+all authorises every host on the internet to send as %s", d)
		case QualifierNeutral:
			a.warn("spf.all-neutral", d, t.String(), "?all asserts nothing about other hosts: anyone can send as %s with a neutral result", d)
		}
	}
	if _, ok := rec.Redirect(); !hasAll && !ok {
		a.warn("spf.no-all", d, "", "the record has no \"all\" and no redirect: hosts not listed get neutral (RFC 7208 §4.7); end it with -all or ~all")
	}
	var walk func([]TermAnalysis)
	walk = func(ts []TermAnalysis) {
		for _, t := range ts {
			if strings.HasPrefix(strings.TrimLeft(t.Term, "+-~?"), "ptr") {
				a.warn("spf.ptr", t.Domain, t.Term, "ptr is slow and unreliable; RFC 7208 §5.5 says it SHOULD NOT be used")
			}
			walk(t.Children)
		}
	}
	walk(an.Terms)
	a.checkExp(rec, d)
	if len(an.Unflattenable) == 0 && len(an.Networks) > 0 {
		var has4, has6 bool
		for _, p := range an.Networks {
			has4, has6 = has4 || p.Addr().Is4(), has6 || p.Addr().Is6()
		}
		if !has6 {
			a.warn("spf.family-v6", d, "", "the policy authorises no IPv6 network: mail from any IPv6 address fails SPF; add the sender's ip6 ranges (or AAAA records for a/mx hosts)")
		}
		if !has4 {
			a.warn("spf.family-v4", d, "", "the policy authorises no IPv4 network: mail from any IPv4 address fails SPF")
		}
	}
	max := a.e.cfg.maxLookups()
	switch {
	case an.Lookups > max:
		a.warn("spf.lookup-limit", d, "", "the policy needs up to %d DNS lookups, over the limit of %d: an evaluation that needs more than %d is permerror (RFC 7208 §4.6.4)", an.Lookups, max, max)
	case an.Lookups >= HeadroomLookups:
		a.warn("spf.lookups-headroom", d, "", "the policy needs up to %d of %d DNS lookups: little headroom if an included provider adds one", an.Lookups, max)
	}
	for _, t := range an.Terms {
		if t.Lookups >= 2 {
			a.warn("spf.lookup-cost", d, t.Term, "%s costs %d of your %d lookups", t.Term, t.Lookups, max)
		}
	}
	for _, f := range []struct {
		family string
		n      int
	}{{"IPv4", an.VoidLookups4}, {"IPv6", an.VoidLookups6}} {
		if f.n > a.e.cfg.maxVoid() {
			a.warn("spf.void-limit", d, "", "for %s senders the policy has %d void lookups, over the limit of %d: an evaluation that meets more than %d is permerror (RFC 7208 §4.6.4)", f.family, f.n, a.e.cfg.maxVoid(), a.e.cfg.maxVoid())
		}
	}
}

// checkExp warns when the top record's exp= cannot give an explanation
// (RFC 7208 §6.2: no TXT record, several, or a syntax error), so receivers
// fall back to their default text.
func (a *analyzer) checkExp(rec *Record, domain string) {
	x, ok := rec.Exp()
	if !ok || !x.Value.onlyLetters("d") {
		return // an explanation that depends on the message
	}
	env := a.e.env
	env.domain = domain
	name, valid := queryName(x.Value.expand(&env))
	if !valid {
		a.warn("spf.exp-broken", domain, x.String(), "exp= does not name a valid domain: receivers use their default explanation")
		return
	}
	res, err := a.e.lookup(0, domain, x.String(), name, dns.TypeTXT)
	switch {
	case err != nil:
		return
	case len(res.TXT()) != 1:
		a.warn("spf.exp-broken", domain, x.String(), "exp=%s needs exactly one TXT record at %s, found %d: receivers use their default explanation (RFC 7208 §6.2)", x.Value, name, len(res.TXT()))
	default:
		if _, perr := ParseMacroString(res.TXT()[0], true); perr != nil {
			a.warn("spf.exp-broken", domain, x.String(), "the explanation at %s does not parse (%v): receivers use their default explanation (RFC 7208 §6.2)", name, perr)
		}
	}
}

func dedupePrefixes(ps []netip.Prefix) []netip.Prefix {
	if len(ps) == 0 {
		return nil
	}
	out := slices.Clone(ps)
	slices.SortFunc(out, func(x, y netip.Prefix) int {
		if c := x.Addr().Compare(y.Addr()); c != 0 {
			return c
		}
		return x.Bits() - y.Bits()
	})
	return slices.Compact(out)
}
