package dns

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Cache wraps a Resolver with one cache for the process, single-flight for
// identical concurrent questions, and a query log. Definite answers
// (including NXDOMAIN and NODATA) are cached for their TTL, at least for
// MinTTL so that one run sees one consistent DNS; temporary failures are not
// cached, but callers waiting on the same question share the failure. A
// caller whose context ends stops waiting; the question itself goes on for
// the others.
type Cache struct {
	upstream Resolver
	now      Clock
	// MinTTL is the shortest time an answer is kept (default 5 minutes: a
	// preflight run must see one consistent view of DNS).
	MinTTL time.Duration

	mu      sync.Mutex
	entries map[cacheKey]cacheEntry
	flights map[cacheKey]*flight
	log     []Query
}

type cacheKey struct {
	name string
	t    Type
}

type cacheEntry struct {
	res     Result
	expires time.Time
}

type flight struct {
	done chan struct{}
	res  Result
	err  error
}

// Query is one entry of the query log.
type Query struct {
	Name     string
	Type     Type
	Status   string // "answer", "nxdomain", "nodata" or "temperror"
	Rcode    string
	Answers  []string
	Source   string
	Duration time.Duration
	// Cached is true when the answer came from the cache or from another
	// caller's identical question in flight (no upstream query was made).
	Cached bool
	Err    string `json:",omitempty"`
	// Timeout marks a temporary failure for want of time: no server
	// answered within the per-query timeout, or the caller's deadline ran
	// out first.
	Timeout bool `json:",omitempty"`
	Start   time.Time
}

// NewCache returns a Cache over upstream. now may be nil (time.Now).
func NewCache(upstream Resolver, now Clock) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{upstream: upstream, now: now, MinTTL: 5 * time.Minute,
		entries: map[cacheKey]cacheEntry{}, flights: map[cacheKey]*flight{}}
}

// Lookup implements Resolver.
func (c *Cache) Lookup(ctx context.Context, name string, t Type) (Result, error) {
	key := cacheKey{CanonicalName(name), t}
	start := c.now()
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && start.Before(e.expires) {
		c.mu.Unlock()
		c.record(ctx, key, e.res, nil, start, true)
		return e.res, nil
	}
	f, ok := c.flights[key]
	if !ok {
		f = &flight{done: make(chan struct{})}
		c.flights[key] = f
		// The upstream question belongs to every caller waiting on it, so
		// it must not die with the first caller's context (an SPF
		// evaluation that finished and cancelled its prefetches, say):
		// it runs detached, bounded by the resolver's own timeouts.
		go c.fly(context.WithoutCancel(ctx), key, f)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		err := &Error{Name: key.name, Type: t, Rcode: -1, Err: Temporary(ctx.Err())}
		c.record(ctx, key, Result{}, err, start, ok)
		return Result{}, err
	}
	c.record(ctx, key, f.res, f.err, start, ok)
	return f.res, f.err
}

// fly asks upstream once for everyone waiting on f.
func (c *Cache) fly(ctx context.Context, key cacheKey, f *flight) {
	f.res, f.err = c.upstream.Lookup(ctx, key.name, key.t)
	c.mu.Lock()
	delete(c.flights, key)
	if f.err == nil {
		ttl := max(time.Duration(f.res.TTL)*time.Second, c.MinTTL)
		c.entries[key] = cacheEntry{res: f.res, expires: c.now().Add(ttl)}
	}
	c.mu.Unlock()
	close(f.done)
}

func (c *Cache) record(ctx context.Context, key cacheKey, res Result, err error, start time.Time, cached bool) {
	q := Query{Name: key.name, Type: key.t, Source: res.Source, Duration: c.now().Sub(start), Cached: cached, Start: start}
	if err != nil {
		q.Status, q.Rcode, q.Err = "temperror", "", err.Error()
		var ne net.Error
		q.Timeout = errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
		if e, ok := err.(*Error); ok && e.Rcode > 0 {
			q.Rcode = RcodeString(e.Rcode)
		}
		if !IsTemporary(err) {
			q.Status = "error"
		}
	} else {
		q.Status, q.Rcode = res.Status.String(), RcodeString(res.Rcode)
		for _, r := range res.Records {
			q.Answers = append(q.Answers, r.Data)
		}
	}
	c.mu.Lock()
	c.log = append(c.log, q)
	c.mu.Unlock()
	if tr := traceFrom(ctx); tr != nil {
		tr.add(q)
	}
}

// Log returns a copy of every query seen so far, in completion order.
func (c *Cache) Log() []Query {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Query(nil), c.log...)
}

// Stats summarises a query log: questions asked, how many went upstream,
// and the time spent waiting on DNS (wall time from the first question to
// the last answer).
type Stats struct {
	Lookups  int           // questions asked, cached or not
	Queries  int           // questions that went to the upstream resolver
	Failures int           // temporary failures among them
	Elapsed  time.Duration // first start to last end
}

// Summarize computes Stats over log entries.
func Summarize(qs []Query) Stats {
	var s Stats
	var first, last time.Time
	for i, q := range qs {
		s.Lookups++
		if !q.Cached {
			s.Queries++
		}
		if q.Status == "temperror" {
			s.Failures++
		}
		end := q.Start.Add(q.Duration)
		if i == 0 || q.Start.Before(first) {
			first = q.Start
		}
		if i == 0 || end.After(last) {
			last = end
		}
	}
	if s.Lookups > 0 {
		s.Elapsed = last.Sub(first)
	}
	return s
}

// Trace collects the queries made under one context, e.g. for one message
// of a batch that shares a Cache with others.
type Trace struct {
	mu sync.Mutex
	qs []Query
}

type traceKey struct{}

// WithTrace returns a context whose lookups through any Cache are also
// recorded in the returned Trace.
func WithTrace(ctx context.Context) (context.Context, *Trace) {
	t := &Trace{}
	return context.WithValue(ctx, traceKey{}, t), t
}

func traceFrom(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}

func (t *Trace) add(q Query) {
	t.mu.Lock()
	t.qs = append(t.qs, q)
	t.mu.Unlock()
}

// Queries returns a copy of the queries recorded so far.
func (t *Trace) Queries() []Query {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Query(nil), t.qs...)
}
