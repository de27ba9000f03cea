package spf

import (
	"net/netip"
	"slices"
	"strings"
	"sync"

	"preflight/dns"
)

// Prefetching runs a shadow of the evaluation ahead of it. As soon as a
// record is known, the shadow walks the policy tree in the evaluation's own
// order (depth first, redirect last), assuming that no a, mx, exists or ptr
// term matches unless its answer is already known to, and asks the
// questions the terms on that path will need: include and redirect targets'
// TXT, a/exists addresses, MX names and their hosts' addresses. ip4/ip6 and
// all are decided as the evaluation decides them.
//
// The shadow asks nothing a sequential evaluation that matches nothing and
// meets no temporary failure would not ask, so prefetching never puts more
// on the wire than the budget allows (RFC 7208 §4.6.4): it stops where the
// evaluation would stop — at the lookup limit (the 11th DNS-querying term),
// at an error it knows of, at an include loop, at the end of the record or
// a match — and waits where it cannot know yet: past a term while answers
// still unknown could make a third void lookup (so at most three such
// answers are awaited at once), and after an include until the records of
// its whole subtree are known (their answers are not waited for), and
// after an mx term until its MX answer names the hosts (each host may be a
// void lookup). MX hosts are asked within the same void rule, at most
// MaxNames of them. A 10×10×10
// fan-out of includes thus costs the 11 questions of a sequential
// evaluation, not 74; a tree within the budget is asked as fast as its depth
// and the void rule allow.
//
// Terms whose domain needs %{p} (a PTR lookup of its own) and ptr terms are
// not prefetched. In analysis (no client IP) the shadow follows Analyze:
// every branch, up to maxAnalyzedTerms, a/mx for both families, exists and
// macros other than %{d} not resolved.
type prefetcher struct {
	e        *evaluator
	ip       netip.Addr
	analysis bool
	horizon  int // DNS-querying terms the evaluation can reach
	maxVoid  int

	mu      sync.Mutex
	root    *Record
	domain  string
	asked   map[dnsKey]bool
	answers map[dnsKey]answer
	records map[string]*Record // include/redirect targets with one usable SPF record
	dead    map[string]bool    // targets with none, several, a broken one or a failure
}

type answer struct {
	res dns.Result
	err error
}

// shadow outcomes of a record (or of a term: next means go on).
type outcome int

const (
	next    outcome = iota
	blocked         // waiting for a record: the order beyond is unknown
	stop            // the evaluation ends here (error, limit, top-level match)
	pass            // the record returns pass
	other           // the record returns fail, softfail or neutral
)

// prefetchRecord is called with every record the evaluation (or analysis)
// reads. The first, at depth 0, starts the shadow; it finds the deeper
// records itself.
func (e *evaluator) prefetchRecord(rec *Record, domain string, depth int) {
	if e.cfg.NoPrefetch || depth != 0 || e.pf != nil {
		return
	}
	p := &prefetcher{e: e, ip: e.env.ip, analysis: !e.env.ip.IsValid(),
		horizon: e.budget.MaxLookups, maxVoid: e.budget.MaxVoidLookups,
		root: rec, domain: domain,
		asked: map[dnsKey]bool{}, answers: map[dnsKey]answer{},
		records: map[string]*Record{}, dead: map[string]bool{}}
	if p.analysis {
		p.horizon = maxAnalyzedTerms
	}
	e.pf = p
	p.advance()
}

// walkState is the shadow's running count along the evaluation order:
// DNS-querying terms, void answers, and answers not yet known that could be
// void.
type walkState struct {
	lookups, voids, unknown int
	stack                   []string
}

// reached reports whether the evaluation surely gets this far: even if
// every answer not yet known is void, the void limit is not passed.
func (p *prefetcher) reached(w *walkState) bool {
	return p.analysis || w.voids+w.unknown <= p.maxVoid
}

// advance walks the known tree from the top and asks what is newly
// reachable. It runs again whenever an answer arrives.
func (p *prefetcher) advance() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.e.ctx.Err() != nil {
		return
	}
	w := &walkState{stack: []string{strings.ToLower(p.domain)}}
	p.walk(p.root, p.domain, 0, w)
}

// ask starts (name, t) once; the answer is kept and the walk resumed.
func (p *prefetcher) ask(name string, t dns.Type) {
	k := dnsKey{strings.ToLower(name), t}
	if p.asked[k] {
		return
	}
	p.asked[k] = true
	p.e.dns.prefetch(p.e.ctx, name, t, func(res dns.Result, err error) {
		p.mu.Lock()
		p.answers[k] = answer{res, err}
		if t == dns.TypeTXT {
			p.learn(k.name, res, err)
		}
		p.mu.Unlock()
		p.advance()
	})
}

// known returns the answer to (name, t) if it has arrived.
func (p *prefetcher) known(name string, t dns.Type) (answer, bool) {
	a, ok := p.answers[dnsKey{strings.ToLower(name), t}]
	return a, ok
}

// learn records what an include or redirect target's TXT answer gives.
func (p *prefetcher) learn(target string, res dns.Result, err error) {
	recs := spfRecords(res)
	if err != nil || len(recs) != 1 {
		p.dead[target] = true
		return
	}
	rec, perr := Parse(recs[0])
	if perr != nil {
		p.dead[target] = true
		return
	}
	p.records[target] = rec
}

func (p *prefetcher) walk(rec *Record, domain string, depth int, w *walkState) outcome {
	env := p.e.env
	env.domain = domain
	env.ptr = nil
	for _, t := range rec.Terms {
		if t.IsModifier() {
			if p.analysis && t.Modifier == "redirect" && !rec.HasAll() {
				if o := p.lookupTerm(t, domain, depth, &env, w); o != next {
					return o
				}
			}
			continue
		}
		switch t.Mechanism {
		case MechAll:
			if !p.analysis {
				return qualified(t)
			}
			continue
		case MechIP4, MechIP6:
			if !p.analysis && t.Net.Contains(p.ip) {
				return qualified(t)
			}
			continue
		}
		if o := p.lookupTerm(t, domain, depth, &env, w); o != next {
			return o
		}
	}
	if r, ok := rec.Redirect(); ok && !rec.HasAll() && !p.analysis {
		return p.lookupTerm(r, domain, depth, &env, w)
	}
	return other
}

func qualified(t Term) outcome {
	if t.Qualifier.Result() == StatusPass {
		return pass
	}
	return other
}

// lookupTerm is one DNS-querying term: counted, asked, and for include and
// redirect followed into the target's record.
func (p *prefetcher) lookupTerm(t Term, domain string, depth int, env *macroEnv, w *walkState) outcome {
	w.lookups++
	if w.lookups > p.horizon {
		return stop // the evaluation is permerror here (analysis: not resolved)
	}
	if !p.reached(w) {
		return blocked // a void limit may end the evaluation before this term
	}
	spec := t.Domain
	if t.IsModifier() {
		spec = t.Value
	}
	follows := t.Mechanism == MechInclude || t.Modifier == "redirect"
	switch {
	case t.Mechanism == MechPTR:
		return next // not prefetched; assumed not to match
	case p.analysis && t.Mechanism == MechExists:
		return next // Analyze does not resolve exists
	case spec != nil && spec.usesLetter('p'), p.analysis && spec != nil && !spec.onlyLetters("d"):
		if follows && !p.analysis {
			return blocked // the target needs DNS of its own first
		}
		return next
	}
	target := domain
	if spec != nil {
		var ok bool
		if target, ok = queryName(spec.expand(env)); !ok {
			if follows && !p.analysis {
				return stop // permerror
			}
			return next // a name that cannot be asked has no records
		}
	}
	if follows {
		return p.follow(t, target, depth, w)
	}
	types := p.e.addrTypes()
	switch t.Mechanism {
	case MechExists:
		types = []dns.Type{dns.TypeA}
	case MechMX:
		return p.mx(t, target, types, w)
	}
	for _, at := range types {
		p.ask(target, at)
	}
	var ips []netip.Addr
	for _, at := range types {
		a, ok := p.known(target, at)
		if !ok {
			w.unknown++
			return next // assumed not to match
		}
		if o := p.void(a, w); o != next {
			return o
		}
		ips = append(ips, a.res.IPs()...)
	}
	if !p.analysis {
		if t.Mechanism == MechExists && len(ips) > 0 || t.Mechanism == MechA && anyInPrefix(ips, p.ip, t) {
			return qualified(t)
		}
	}
	return next
}

// void counts a known answer against the void limit; a temporary failure
// ends the evaluation (temperror).
func (p *prefetcher) void(a answer, w *walkState) outcome {
	if p.analysis {
		return next
	}
	if a.err != nil {
		if dns.IsTemporary(a.err) {
			return stop
		}
		return next
	}
	if a.res.Status != dns.StatusAnswer {
		w.voids++
		if w.voids > p.maxVoid {
			return stop
		}
	}
	return next
}

// mx asks the MX names of target, then the addresses of at most MaxNames
// hosts (RFC 7208 §4.6.4; more is permerror).
func (p *prefetcher) mx(t Term, target string, types []dns.Type, w *walkState) outcome {
	p.ask(target, dns.TypeMX)
	a, ok := p.known(target, dns.TypeMX)
	if !ok {
		// The MX answer itself may be void, and each of up to MaxNames
		// hosts too: nothing after it is sure to be reached.
		w.unknown += MaxNames + 1
		return next
	}
	if o := p.void(a, w); o != next || a.err != nil || a.res.Status != dns.StatusAnswer {
		return o
	}
	hosts := a.res.Targets()
	if len(hosts) > MaxNames {
		if p.analysis {
			return next
		}
		return stop
	}
	var ips []netip.Addr
	complete := true
	for _, h := range hosts {
		if h == "" || h == "." {
			continue
		}
		if !p.reached(w) {
			return blocked
		}
		for _, at := range types {
			p.ask(h, at)
		}
		for _, at := range types {
			ha, ok := p.known(h, at)
			if !ok {
				w.unknown++
				complete = false
				continue
			}
			if o := p.void(ha, w); o != next {
				return o
			}
			ips = append(ips, ha.res.IPs()...)
		}
	}
	if !p.analysis && complete && anyInPrefix(ips, p.ip, t) {
		return qualified(t)
	}
	return next
}

// follow is include or redirect: ask the target's record and, once known,
// walk it.
func (p *prefetcher) follow(t Term, target string, depth int, w *walkState) outcome {
	lt := strings.ToLower(target)
	if slices.Contains(w.stack, lt) || depth+1 > maxPrefetchDepth {
		if p.analysis {
			return next
		}
		return stop // a loop, or too deep: permerror
	}
	p.ask(target, dns.TypeTXT)
	if p.dead[lt] {
		if p.analysis {
			return next
		}
		return stop // no record, several, a syntax error, or temperror
	}
	child := p.records[lt]
	if child == nil {
		return blocked
	}
	w.stack = append(w.stack, lt)
	o := p.walk(child, target, depth+1, w)
	w.stack = w.stack[:len(w.stack)-1]
	switch {
	case o == blocked || o == stop:
		return o
	case p.analysis:
		return next
	case t.Modifier == "redirect":
		return o // the redirect's result is the record's
	case o == pass:
		return qualified(t) // include matches
	}
	return next // include does not match
}

// maxPrefetchDepth bounds how deep the shadow follows includes, as
// checkHost and Analyze do.
const maxPrefetchDepth = 2 * DefaultMaxLookups

// addrTypes is the address types the evaluation asks: A or AAAA by the
// client's family, both when there is no client (analysis).
func (e *evaluator) addrTypes() []dns.Type {
	switch {
	case !e.env.ip.IsValid():
		return []dns.Type{dns.TypeA, dns.TypeAAAA}
	case e.env.ip.Is4():
		return []dns.Type{dns.TypeA}
	}
	return []dns.Type{dns.TypeAAAA}
}
