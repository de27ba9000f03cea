package spf

import (
	"context"
	"strings"
	"sync"

	"preflight/dns"
)

// dnsCache remembers every answer of one evaluation, shares concurrent
// identical questions, and runs prefetches.
//
// Prefetching is how wall time grows with the include depth rather than
// the number of lookups: a shadow of the evaluation (prefetch.go) asks the
// questions of the terms ahead concurrently, never more than the evaluation
// itself would ask within its budget. The evaluation stays strictly
// sequential and counts lookups per term exactly as RFC 7208 §4.6.4 says; a
// prefetched answer is only ever a cached one, so prefetching never changes
// a result, a count or the trace. Answers nobody asks for are simply
// dropped (a temporary failure among them changes nothing).
type dnsCache struct {
	r dns.Resolver

	mu      sync.Mutex
	m       map[dnsKey]*dnsEntry
	budget  int // prefetch queries still allowed
	queries int // questions actually sent to r
}

type dnsKey struct {
	name string
	t    dns.Type
}

type dnsEntry struct {
	done chan struct{}
	res  dns.Result
	err  error
}

// maxPrefetch is a backstop on the questions prefetching may start for
// one evaluation; the shadow evaluation (prefetch.go) already asks only
// what the evaluation itself would within its budget.
const maxPrefetch = 64

func newDNSCache(r dns.Resolver, prefetch bool) *dnsCache {
	c := &dnsCache{r: r, m: map[dnsKey]*dnsEntry{}}
	if prefetch {
		c.budget = maxPrefetch
	}
	return c
}

// lookup answers from the cache or asks the resolver (once per question).
func (c *dnsCache) lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	k := dnsKey{strings.ToLower(name), t}
	c.mu.Lock()
	e, ok := c.m[k]
	if !ok {
		e = &dnsEntry{done: make(chan struct{})}
		c.m[k] = e
		c.queries++
		c.mu.Unlock()
		e.res, e.err = c.r.Lookup(ctx, name, t)
		close(e.done)
		return e.res, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.res, e.err
	case <-ctx.Done():
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: -1, Err: dns.Temporary(ctx.Err())}
	}
}

// prefetch starts asking (name, t) in the background, unless the prefetch
// budget is spent, and calls then with the answer. A question asked already
// (by the evaluation or an earlier prefetch) is not asked again, but then
// still gets its answer. Nothing is called once ctx ends.
func (c *dnsCache) prefetch(ctx context.Context, name string, t dns.Type, then func(dns.Result, error)) {
	k := dnsKey{strings.ToLower(name), t}
	c.mu.Lock()
	e, ok := c.m[k]
	if !ok {
		if c.budget <= 0 || ctx.Err() != nil {
			c.mu.Unlock()
			return
		}
		c.budget--
		e = &dnsEntry{done: make(chan struct{})}
		c.m[k] = e
		c.queries++
		c.mu.Unlock()
		go func() {
			e.res, e.err = c.r.Lookup(ctx, name, t)
			close(e.done)
			if ctx.Err() == nil {
				then(e.res, e.err)
			}
		}()
		return
	}
	c.mu.Unlock()
	go func() {
		select {
		case <-e.done:
			then(e.res, e.err)
		case <-ctx.Done():
		}
	}()
}

// sent returns the number of questions sent to the dns.
func (c *dnsCache) sent() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.queries
}

// spfRecords returns the TXT strings of res that are SPF records.
func spfRecords(res dns.Result) []string {
	var out []string
	for _, txt := range res.TXT() {
		if IsSPF(txt) {
			out = append(out, txt)
		}
	}
	return out
}
