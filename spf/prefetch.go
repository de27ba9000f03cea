package spf

import (
	"preflight/dns"
)

// maxPrefetchDepth bounds how deep prefetching follows includes; RFC 7208
// §4.6.4 makes deeper trees permerror anyway.
const maxPrefetchDepth = DefaultMaxLookups

// prefetchRecord starts, concurrently, the DNS questions the terms of rec
// (the record of domain) will ask, and recursively those of the records
// they include. Macros are expanded as the evaluation will expand them;
// terms using %{p} are skipped (expanding it needs DNS of its own). The
// family decides A or AAAA; analysis (no IP) asks both.
func (e *evaluator) prefetchRecord(rec *Record, domain string, depth int) {
	if e.cfg.NoPrefetch || depth >= maxPrefetchDepth {
		return
	}
	env := e.env
	env.domain = domain
	env.ptr = nil
	ctx := e.ctx
	addrTypes := e.addrTypes()
	for _, t := range rec.Terms {
		var spec *MacroString
		switch {
		case t.Modifier == "redirect":
			if rec.HasAll() {
				continue
			}
			spec = t.Value
		case t.IsModifier():
			continue
		case t.Mechanism == MechPTR || !t.CountsLookup():
			continue
		default:
			spec = t.Domain
		}
		target := domain
		if spec != nil {
			if spec.usesLetter('p') || !e.env.ip.IsValid() && !spec.onlyLetters("d") {
				continue // needs DNS of its own, or a message (analysis)
			}
			var ok bool
			if target, ok = queryName(spec.expand(&env)); !ok {
				continue
			}
		}
		switch {
		case t.Modifier == "redirect" || t.Mechanism == MechInclude:
			e.dns.prefetch(ctx, target, dns.TypeTXT, func(res dns.Result) {
				recs := spfRecords(res)
				if len(recs) != 1 {
					return
				}
				if child, err := Parse(recs[0]); err == nil {
					e.prefetchRecord(child, target, depth+1)
				}
			})
		case t.Mechanism == MechA:
			for _, at := range addrTypes {
				e.dns.prefetch(ctx, target, at, nil)
			}
		case t.Mechanism == MechMX:
			e.dns.prefetch(ctx, target, dns.TypeMX, func(res dns.Result) {
				hosts := res.Targets()
				if len(hosts) > MaxNames {
					return // permerror; nothing more will be asked
				}
				for _, h := range hosts {
					if h == "" || h == "." {
						continue
					}
					for _, at := range addrTypes {
						e.dns.prefetch(ctx, h, at, nil)
					}
				}
			})
		case t.Mechanism == MechExists:
			e.dns.prefetch(ctx, target, dns.TypeA, nil)
		}
	}
}

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
