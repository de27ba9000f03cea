package spf

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"preflight/dns"
)

// Identity says which identity was checked (RFC 7208 §2.3, §2.4).
type Identity string

// The two identities SPF checks.
const (
	IdentityMailFrom Identity = "mailfrom"
	IdentityHELO     Identity = "helo"
)

// Request is one check_host() question.
type Request struct {
	// IP is the SMTP client address. An IPv4-mapped IPv6 address is
	// evaluated as the IPv4 address it maps (RFC 7208 §5.6).
	IP netip.Addr
	// MailFrom is the RFC5321.MailFrom address ("user@domain", with or
	// without angle brackets). Empty or "<>" is the null sender: the HELO
	// identity is checked as "postmaster@HELO" (RFC 7208 §2.4).
	MailFrom string
	// HELO is the HELO/EHLO name (the %{h} macro; the identity for a null
	// sender).
	HELO string
	// Domain, when set, is the domain to evaluate in place of the one
	// taken from MailFrom or HELO.
	Domain dns.Domain
	// Record, when set, is evaluated in place of the record published at
	// the top-level domain (what-if); includes still use DNS.
	Record string
}

// Result is the outcome of Check. Status is set on every path; temperror
// and permerror always carry Err.
type Result struct {
	Status   Status
	Identity Identity
	// Domain is the domain check_host() started from; Sender the
	// <sender> it used (RFC 7208 §4.1), e.g. "postmaster@helo.example".
	// Domain is canonical (dns.ParseDomain) when the identity is a valid
	// domain; otherwise it holds the identity's domain as given (lower
	// case) and Status is "none" (RFC 7208 §4.3).
	Domain dns.Domain
	Sender string
	IP     netip.Addr
	// Mechanism is the term that decided ("-all", "include:esp.example"),
	// empty when none matched; MechanismDomain is the domain whose record
	// holds it.
	Mechanism       string
	MechanismDomain string
	// Explanation is the expanded exp= text on fail (RFC 7208 §6.2), or
	// Config.DefaultExplanation.
	Explanation string
	// Lookups and VoidLookups are the counts of RFC 7208 §4.6.4 used
	// (the same as Budget's).
	Lookups, VoidLookups int
	// Budget is the lookup budget after the evaluation: used and allowed.
	Budget Budget
	// Terms is the cost of every term evaluated, in evaluation order.
	Terms []TermCost
	// Trace is every step of the evaluation, as data.
	Trace []Step
	// Queries is the number of distinct DNS questions sent (prefetches
	// included); not a budget figure.
	Queries int
	Err     error
}

// TermCost is the lookup budget one evaluated term used. Lookups and
// VoidLookups include everything the term caused (a whole include tree).
type TermCost struct {
	Depth       int    // 0 for the top-level record
	Domain      string // the record holding the term
	Term        string
	Lookups     int
	VoidLookups int
	// Matched reports whether the mechanism matched; Result is then the
	// qualifier's result, or the error result (temperror, permerror) the
	// term produced, or for redirect the redirected evaluation's result.
	Matched bool
	Result  Status
}

// Step is one step of the evaluation trace.
type Step struct {
	Depth  int    `json:"depth"`
	Domain string `json:"domain"`
	// Term is the term being evaluated ("" for record-level steps).
	Term string `json:"term,omitempty"`
	// Action is one of: "record" (the SPF record found), "query" (a DNS
	// answer), "match", "no-match", "result" (check_host() returns),
	// "redirect", "exp", "error".
	Action string `json:"action"`
	// Query is the DNS question ("TXT example.com"), Answer its answer in
	// short form.
	Query  string `json:"query,omitempty"`
	Answer string `json:"answer,omitempty"`
	Result Status `json:"result,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Lookups and VoidLookups are the running totals after this step.
	Lookups     int `json:"lookups"`
	VoidLookups int `json:"void_lookups"`
}

// NXDomain reports whether the domain checked does not exist: the query
// for its TXT records was NXDOMAIN, so the result is none for want of a
// domain, not only of a record.
func (r *Result) NXDomain() bool {
	for _, s := range r.Trace {
		if s.Depth == 0 && s.Action == "query" && s.Answer == "nxdomain" && strings.EqualFold(s.Domain, string(r.Domain)) && strings.HasPrefix(s.Query, "TXT ") {
			return true
		}
	}
	return false
}

// Check runs check_host() (RFC 7208 §4) for req. The domain is that of
// req.MailFrom, or req.HELO for the null sender (RFC 7208 §2.4), or
// req.Domain when given. Check does not decide what a receiver does with
// the result and does not evaluate the HELO identity separately when a
// MailFrom is given (call it again with an empty MailFrom for that).
func Check(ctx context.Context, cfg Config, req Request) Result {
	e, res := newEvaluator(cfg, req)
	if res.Status != "" {
		return res
	}
	// Cancelling ends the prefetches nobody needed; Check does not wait
	// for them, so a slow answer it does not use cannot delay it.
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	e.ctx = ctx
	var override *Record
	if req.Record != "" {
		rec, err := Parse(req.Record)
		if err != nil {
			return e.finish(&res, StatusPermError, match{}, err)
		}
		override = rec
	}
	st, m, err := e.checkHost(e.env.domain, 0, override)
	return e.finish(&res, st, m, err)
}

// match is where a result was decided.
type match struct {
	term   string
	domain string
	exp    *MacroString // exp of the record that failed, for §6.2
}

type evaluator struct {
	ctx context.Context
	cfg Config
	dns *dnsCache
	env macroEnv

	budget Budget
	trace  []Step
	terms  []TermCost
	stack  []string

	ptrDone bool
	ptrName string
	errAt   match // where a temperror or permerror arose

	pf *prefetcher // the shadow evaluation asking ahead (prefetch.go)
}

func newEvaluator(cfg Config, req Request) (*evaluator, Result) {
	res := Result{IP: req.IP.Unmap()}
	e := &evaluator{cfg: cfg, budget: Budget{MaxLookups: cfg.maxLookups(), MaxVoidLookups: cfg.maxVoid()}}
	sender := strings.TrimSpace(req.MailFrom)
	sender = strings.TrimSuffix(strings.TrimPrefix(sender, "<"), ">")
	helo := strings.TrimSuffix(strings.TrimSpace(req.HELO), ".")
	res.Identity = IdentityMailFrom
	if sender == "" {
		res.Identity = IdentityHELO
		sender = "postmaster@" + helo
	}
	local, dom := "postmaster", sender
	if i := strings.LastIndexByte(sender, '@'); i >= 0 {
		local, dom = sender[:i], sender[i+1:]
		if local == "" {
			local = "postmaster"
		}
	}
	sender = local + "@" + dom
	res.Sender = sender
	raw := strings.TrimSuffix(dom, ".")
	if req.Domain != "" {
		raw = req.Domain.String()
	}
	res.Domain = dns.Domain(strings.ToLower(raw))
	if d, err := dns.ParseDomain(raw); err == nil && !strings.Contains(raw, "@") {
		res.Domain = d
	}
	e.env = macroEnv{
		sender: sender, local: local, senderDomain: dom, domain: raw,
		ip: res.IP, helo: helo, receiver: cfg.ReceiverDomain, now: cfg.now(),
	}
	e.env.ptr = e.validatedName
	e.dns = newDNSCache(cfg.Resolver, !cfg.NoPrefetch)
	switch {
	case cfg.Resolver == nil:
		e.finish(&res, StatusPermError, match{}, ErrNoResolver)
	case !res.IP.IsValid():
		e.finish(&res, StatusPermError, match{}, ErrInvalidIP)
	case !validDomain(raw) || strings.HasPrefix(raw, "[") || isIP(raw):
		// RFC 7208 §4.3: a malformed or single-label domain is "none".
		e.step(Step{Action: "result", Domain: raw, Result: StatusNone,
			Detail: "not a valid multi-label domain name (RFC 7208 §4.3)"})
		e.finish(&res, StatusNone, match{}, nil)
	}
	return e, res
}

// isIP reports whether s is an address literal rather than a domain (a
// HELO of "192.0.2.1").
func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

func (e *evaluator) finish(res *Result, st Status, m match, err error) Result {
	res.Status = st
	res.Err = err
	if (st == StatusTempError || st == StatusPermError) && e.errAt.term != "" {
		m = e.errAt
	}
	res.Mechanism, res.MechanismDomain = m.term, m.domain
	if st == StatusFail {
		res.Explanation = e.explain(m)
	}
	res.Lookups, res.VoidLookups = e.budget.Lookups, e.budget.VoidLookups
	res.Budget = e.budget
	res.Terms = e.terms
	res.Trace = e.trace
	res.Queries = e.dns.sent()
	return *res
}

func (e *evaluator) step(s Step) {
	s.Lookups, s.VoidLookups = e.budget.Lookups, e.budget.VoidLookups
	e.trace = append(e.trace, s)
}

// lookup asks one DNS question and records it in the trace.
// termLookup is the DNS query of an a, mx or exists term: found is true
// when the name has records of type t. A temporary failure is temperror; no
// records (NXDOMAIN or NODATA) is a void lookup, permerror past the limit
// (RFC 7208 §4.6.4); a name that cannot be asked has no records.
func (e *evaluator) termLookup(depth int, domain, term, name string, t dns.Type) (res dns.Result, found bool, st Status, err error) {
	res, err = e.lookup(depth, domain, term, name, t)
	switch {
	case err != nil && dns.IsTemporary(err):
		return res, false, StatusTempError, fmt.Errorf("%w: %w", ErrDNS, err)
	case err != nil:
		return res, false, "", nil
	case res.Status != dns.StatusAnswer:
		if err := e.voidLookup(); err != nil {
			return res, false, StatusPermError, err
		}
		return res, false, "", nil
	}
	return res, true, "", nil
}

func (e *evaluator) lookup(depth int, domain, term, name string, t dns.Type) (dns.Result, error) {
	res, err := e.dns.lookup(e.ctx, name, t)
	s := Step{Depth: depth, Domain: domain, Term: term, Action: "query", Query: t.String() + " " + name}
	switch {
	case err != nil:
		s.Answer = "error: " + err.Error()
	case res.Status != dns.StatusAnswer:
		s.Answer = res.Status.String()
	default:
		var parts []string
		for _, r := range res.Records {
			parts = append(parts, r.Data)
		}
		s.Answer = strings.Join(parts, ", ")
	}
	e.step(s)
	return res, err
}

// getRecord fetches and selects the SPF record of domain (RFC 7208 §4.4,
// §4.5). A nil record with nil error means "none".
func (e *evaluator) getRecord(depth int, domain string) (*Record, string, Status, error) {
	res, err := e.lookup(depth, domain, "", domain, dns.TypeTXT)
	if err != nil {
		if dns.IsTemporary(err) {
			return nil, "", StatusTempError, fmt.Errorf("%w: %w", ErrDNS, err)
		}
		return nil, "", StatusNone, nil // an invalid name: no record
	}
	recs := spfRecords(res)
	switch len(recs) {
	case 0:
		return nil, "", StatusNone, nil
	case 1:
	default:
		return nil, "", StatusPermError, fmt.Errorf("%w at %s: %d records", ErrMultipleRecords, domain, len(recs))
	}
	rec, err := Parse(recs[0])
	if err != nil {
		return nil, recs[0], StatusPermError, fmt.Errorf("%s: %w", domain, err)
	}
	return rec, recs[0], "", nil
}

// checkHost is check_host() of RFC 7208 §4 for one domain.
func (e *evaluator) checkHost(domain string, depth int, override *Record) (Status, match, error) {
	result := func(st Status, m match, err error) (Status, match, error) {
		s := Step{Depth: depth, Domain: domain, Action: "result", Result: st, Term: m.term}
		if err != nil {
			s.Detail = err.Error()
		}
		e.step(s)
		return st, m, err
	}
	if err := e.ctx.Err(); err != nil {
		return result(StatusTempError, match{}, fmt.Errorf("%w: %w", ErrDNS, err))
	}
	if !validDomain(domain) {
		return result(StatusNone, match{}, nil)
	}
	for _, d := range e.stack {
		if strings.EqualFold(d, domain) {
			return result(StatusPermError, match{}, fmt.Errorf("%w: %s includes itself", ErrLoop, domain))
		}
	}
	if depth > 2*DefaultMaxLookups+2 {
		return result(StatusPermError, match{}, errDepth)
	}
	e.stack = append(e.stack, domain)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()

	rec := override
	if rec == nil {
		var (
			text string
			st   Status
			err  error
		)
		rec, text, st, err = e.getRecord(depth, domain)
		if rec == nil {
			return result(st, match{}, err)
		}
		e.step(Step{Depth: depth, Domain: domain, Action: "record", Detail: text})
	} else {
		e.step(Step{Depth: depth, Domain: domain, Action: "record", Detail: rec.String() + " (given, not published)"})
	}
	e.prefetchRecord(rec, domain, depth)

	env := e.env
	env.domain = domain
	for _, t := range rec.Terms {
		if t.IsModifier() {
			continue
		}
		before := len(e.terms)
		e.terms = append(e.terms, TermCost{Depth: depth, Domain: domain, Term: t.String()})
		l0, v0 := e.budget.Lookups, e.budget.VoidLookups
		matched, st, err := e.mechanism(t, domain, depth, &env)
		tc := &e.terms[before]
		tc.Lookups, tc.VoidLookups = e.budget.Lookups-l0, e.budget.VoidLookups-v0
		tc.Matched, tc.Result = matched, st
		if matched && st == "" {
			tc.Result = t.Qualifier.Result()
		}
		if err != nil || st != "" {
			e.step(Step{Depth: depth, Domain: domain, Term: t.String(), Action: "error", Result: st, Detail: errString(err)})
			m := match{term: t.String(), domain: domain}
			if e.errAt.term == "" {
				e.errAt = m // the deepest term that went wrong
			}
			return result(st, m, err)
		}
		if matched {
			q := t.Qualifier.Result()
			e.step(Step{Depth: depth, Domain: domain, Term: t.String(), Action: "match", Result: q})
			m := match{term: t.String(), domain: domain}
			if q == StatusFail {
				if x, ok := rec.Exp(); ok {
					m.exp = x.Value
				}
			}
			return result(q, m, nil)
		}
		e.step(Step{Depth: depth, Domain: domain, Term: t.String(), Action: "no-match"})
	}

	// RFC 7208 §6.1: redirect applies when nothing matched and there is
	// no "all" anywhere in the record.
	if r, ok := rec.Redirect(); ok && !rec.HasAll() {
		term := r.String()
		idx := len(e.terms)
		e.terms = append(e.terms, TermCost{Depth: depth, Domain: domain, Term: term})
		l0, v0 := e.budget.Lookups, e.budget.VoidLookups
		st, m, err := e.redirect(r, domain, depth, &env)
		tc := &e.terms[idx]
		tc.Lookups, tc.VoidLookups = e.budget.Lookups-l0, e.budget.VoidLookups-v0
		tc.Result = st
		if m.term == "" {
			m = match{term: term, domain: domain}
		}
		if (st == StatusTempError || st == StatusPermError) && e.errAt.term == "" {
			e.errAt = match{term: term, domain: domain}
		}
		return result(st, m, err)
	}
	return result(StatusNeutral, match{}, nil)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// count charges one DNS-querying term against the budget.
func (e *evaluator) count() error { return e.budget.charge() }

// voidLookup charges one void lookup against the budget.
func (e *evaluator) voidLookup() error { return e.budget.chargeVoid() }

func (e *evaluator) redirect(r Term, domain string, depth int, env *macroEnv) (Status, match, error) {
	if err := e.count(); err != nil {
		return StatusPermError, match{}, err
	}
	target, ok := queryName(r.Value.expand(env))
	if !ok {
		return StatusPermError, match{}, fmt.Errorf("%w: redirect=%s", ErrInvalidTarget, r.Value)
	}
	e.step(Step{Depth: depth, Domain: domain, Term: r.String(), Action: "redirect", Detail: target})
	st, m, err := e.checkHost(target, depth+1, nil)
	if st == StatusNone {
		return StatusPermError, m, fmt.Errorf("%w: redirect=%s", ErrNoIncludedRecord, target)
	}
	return st, m, err
}

// mechanism evaluates one directive (RFC 7208 §5). A non-empty status is
// an error result that ends the evaluation.
func (e *evaluator) mechanism(t Term, domain string, depth int, env *macroEnv) (bool, Status, error) {
	ip := e.env.ip
	if t.CountsLookup() {
		if err := e.count(); err != nil {
			return false, StatusPermError, err
		}
	}
	target := domain
	if t.Domain != nil {
		var ok bool
		target, ok = queryName(t.Domain.expand(env))
		if !ok {
			if t.Mechanism == MechInclude {
				return false, StatusPermError, fmt.Errorf("%w: %s", ErrInvalidTarget, t.Domain)
			}
			// A name that cannot be asked has no records.
			return false, "", nil
		}
	}
	term := t.String()
	temp := func(err error) (bool, Status, error) {
		return false, StatusTempError, fmt.Errorf("%w: %w", ErrDNS, err)
	}
	switch t.Mechanism {
	case MechAll:
		return true, "", nil
	case MechIP4, MechIP6:
		return t.Net.Contains(ip), "", nil
	case MechInclude:
		st, _, err := e.checkHost(target, depth+1, nil)
		switch st {
		case StatusPass:
			return true, "", nil
		case StatusFail, StatusSoftFail, StatusNeutral:
			return false, "", nil
		case StatusNone:
			return false, StatusPermError, fmt.Errorf("%w: include:%s", ErrNoIncludedRecord, target)
		}
		return false, st, err
	case MechA:
		res, found, st, err := e.termLookup(depth, domain, term, target, addrType(ip))
		if !found {
			return false, st, err
		}
		return anyInPrefix(res.IPs(), ip, t), "", nil
	case MechMX:
		res, found, st, err := e.termLookup(depth, domain, term, target, dns.TypeMX)
		if !found {
			return false, st, err
		}
		mxs := slices.Clone(res.Records)
		if len(mxs) > MaxNames {
			return false, StatusPermError, fmt.Errorf("%w: %s has %d", ErrTooManyMX, target, len(mxs))
		}
		// RFC 7208 §5.4: an address lookup on each MX name, then the
		// comparison. Every host is resolved (in preference order, as
		// pyspf does) before comparing, so a temporary failure or the
		// void limit counts even when an earlier host would match.
		slices.SortStableFunc(mxs, func(a, b dns.Record) int { return int(a.Pref) - int(b.Pref) })
		var addrs []netip.Addr
		for _, mx := range mxs {
			h := mx.Target
			if h == "" || h == "." {
				continue // null MX (RFC 7505): no host
			}
			ar, err := e.lookup(depth, domain, term, h, addrType(ip))
			if err != nil {
				if dns.IsTemporary(err) {
					return temp(err)
				}
				continue
			}
			if ar.Status != dns.StatusAnswer {
				// An MX host without an address of the client's family
				// (typically no AAAA for an IPv6 client) is a void
				// lookup too, as pyspf counts it: RFC 7208 §4.6.4
				// limits "DNS queries" that return nothing.
				if err := e.voidLookup(); err != nil {
					return false, StatusPermError, err
				}
				continue
			}
			addrs = append(addrs, ar.IPs()...)
		}
		return anyInPrefix(addrs, ip, t), "", nil
	case MechPTR:
		names, voids := e.ptrNames(depth, domain, term)
		for range voids {
			if err := e.voidLookup(); err != nil {
				return false, StatusPermError, err
			}
		}
		for _, n := range names {
			if strings.EqualFold(n, target) || strings.HasSuffix(strings.ToLower(n), "."+strings.ToLower(target)) {
				return true, "", nil
			}
		}
		return false, "", nil
	case MechExists:
		_, found, st, err := e.termLookup(depth, domain, term, target, dns.TypeA)
		return found, st, err
	}
	return false, StatusPermError, fmt.Errorf("spf: unknown mechanism %q", t.Mechanism)
}

func addrType(ip netip.Addr) dns.Type {
	if ip.Is4() {
		return dns.TypeA
	}
	return dns.TypeAAAA
}

// anyInPrefix reports whether ip is within the CIDR length of t around any
// of addrs (RFC 7208 §5.3).
func anyInPrefix(addrs []netip.Addr, ip netip.Addr, t Term) bool {
	for _, a := range addrs {
		a = a.Unmap()
		if a.Is4() != ip.Is4() {
			continue
		}
		bits := t.Prefix4
		if a.Is6() {
			bits = t.Prefix6
		}
		if bits < 0 {
			bits = a.BitLen()
		}
		if p, err := a.Prefix(bits); err == nil && p.Contains(ip) {
			return true
		}
	}
	return false
}

// reverseName is the PTR query name of ip (RFC 1035 §3.5, RFC 3596 §2.5).
func reverseName(ip netip.Addr) string { return dns.ReverseName(ip) }

// ptrNames returns the validated names of the client IP (RFC 7208 §5.5):
// the PTR names (the first 10) whose A/AAAA records include the IP. DNS
// errors make names (or the whole lookup) count as not found, as §5.5
// says. voids counts the queries that came back NXDOMAIN or NODATA: the
// PTR query itself, then each name's address query (pyspf counts them
// so; such names are skipped and the search continues, §5.5).
func (e *evaluator) ptrNames(depth int, domain, term string) (names []string, voids int) {
	ip := e.env.ip
	res, err := e.lookup(depth, domain, term, reverseName(ip), dns.TypePTR)
	if err != nil {
		return nil, 0
	}
	if res.Status != dns.StatusAnswer {
		return nil, 1
	}
	ptrs := res.Targets()
	if len(ptrs) > MaxNames {
		ptrs = ptrs[:MaxNames]
	}
	for _, n := range ptrs {
		ar, err := e.lookup(depth, domain, term, n, addrType(ip))
		if err != nil {
			continue
		}
		if ar.Status != dns.StatusAnswer {
			voids++
			continue
		}
		for _, a := range ar.IPs() {
			if a.Unmap() == ip {
				names = append(names, n)
				break
			}
		}
	}
	return names, voids
}

// validatedName is the %{p} macro (RFC 7208 §7.3): a validated name of the
// IP, preferring one equal to or under the current domain, or "unknown".
func (e *evaluator) validatedName() string {
	if !e.ptrDone {
		e.ptrDone = true
		names, _ := e.ptrNames(len(e.stack), e.env.domain, "%{p}")
		e.ptrName = "unknown"
		d := strings.ToLower(e.env.domain)
		for _, n := range names {
			ln := strings.ToLower(n)
			if ln == d || strings.HasSuffix(ln, "."+d) {
				e.ptrName = n
				break
			}
		}
		if e.ptrName == "unknown" && len(names) > 0 {
			e.ptrName = names[0]
		}
	}
	return e.ptrName
}

// explain computes the explanation for a fail (RFC 7208 §6.2): the exp of
// the record that failed, expanded; any DNS problem, a missing or
// multiple TXT record or a syntax error means the default explanation.
func (e *evaluator) explain(m match) string {
	def := e.cfg.DefaultExplanation
	if m.exp == nil || e.ctx == nil {
		return def
	}
	env := e.env
	env.domain = m.domain
	name, ok := queryName(m.exp.expand(&env))
	if !ok {
		return def
	}
	res, err := e.lookup(0, m.domain, "exp="+m.exp.String(), name, dns.TypeTXT)
	if err != nil || res.Status != dns.StatusAnswer {
		return def
	}
	txts := res.TXT()
	if len(txts) != 1 {
		return def
	}
	for i := 0; i < len(txts[0]); i++ {
		if c := txts[0][i]; c < 0x20 || c > 0x7e {
			return def
		}
	}
	ms, err := ParseMacroString(txts[0], true)
	if err != nil {
		return def
	}
	text := ms.expand(&env)
	e.step(Step{Domain: m.domain, Term: "exp=" + m.exp.String(), Action: "exp", Detail: text})
	return text
}
