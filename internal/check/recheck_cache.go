package check

import (
	"container/list"
	"context"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"preflight/dkim"
	"preflight/internal/bounce"
	"preflight/report"
)

// RecheckCache shares the re-checks of authentication bounces across the
// bounces of a mailbox. Bounces of one campaign return the same message
// from the same sender: the check runs once per distinct (receiver, From
// domain, MAIL FROM domain, sending IP, DKIM signatures d=/s=, headers
// only) and every later bounce refers to the diagnosis that showed it. The
// message itself (its Subject, its body) is the first one's: two bounces
// of the same sender and signatures whose bodies differ share the first
// one's DKIM body-hash outcome.
//
// It keeps the most recently used checks, at most its size, so a mailbox
// of many different senders is re-checked in bounded memory (a sender
// evicted and met again is checked again). It is safe for concurrent use.
type RecheckCache struct {
	max     int
	mu      sync.Mutex
	order   *list.List // of *cacheEntry, most recently used first
	entries map[recheckCacheKey]*list.Element
	shown   map[*Result]*cacheEntry
	runs    int
}

// recheckCacheKey is what a re-check's outcome depends on.
type recheckCacheKey struct {
	receiver, from, mailFrom, dkim string
	ip                             netip.Addr
	headersOnly                    bool
}

type cacheEntry struct {
	key recheckCacheKey
	res *Result
	// ref and refSource name the first diagnosis that showed the check.
	ref, refSource string
}

// NewRecheckCache returns a cache of at most size checks (a size below 1
// means 1024).
func NewRecheckCache(size int) *RecheckCache {
	if size < 1 {
		size = 1024
	}
	return &RecheckCache{max: size, order: list.New(), entries: map[recheckCacheKey]*list.Element{}, shown: map[*Result]*cacheEntry{}}
}

// Runs is how many checks the cache has run (the distinct combinations
// re-checked, plus any re-checked again after eviction).
func (c *RecheckCache) Runs() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs
}

func (c *RecheckCache) get(k recheckCacheKey) *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[k]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cacheEntry).res
	}
	return nil
}

func (c *RecheckCache) put(k recheckCacheKey, res *Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs++
	if _, ok := c.entries[k]; ok {
		return
	}
	e := &cacheEntry{key: k, res: res}
	c.entries[k] = c.order.PushFront(e)
	c.shown[res] = e
	for c.order.Len() > c.max {
		old := c.order.Remove(c.order.Back()).(*cacheEntry)
		delete(c.entries, old.key)
		delete(c.shown, old.res)
	}
}

// ref returns the diagnosis that showed res, or records (ref, source) as
// that diagnosis and returns "".
func (c *RecheckCache) ref(res *Result, ref, source string) (string, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.shown[res]
	if e == nil {
		return "", "" // evicted meanwhile: shown again
	}
	if e.ref != "" {
		return e.ref, e.refSource
	}
	e.ref, e.refSource = ref, source
	return "", ""
}

// Explain is ExplainBounce for one bounce of a mailbox: its re-checks come
// from the cache (or run and go into it), and a diagnosis whose re-check an
// earlier one showed — in this bounce or another — refers to it
// (Recheck.Ref, and RefSource, the earlier one's source). source names the
// bounce in the run (report.Bounce.Source).
func (c *RecheckCache) Explain(ctx context.Context, cfg RecheckConfig, a *bounce.Analysis, source string) (*report.Bounce, error) {
	rk := newRechecker(cfg, a.Bounce)
	rk.shared = c
	rcs, err := recheckAll(ctx, rk, a, func(res *Result, ref string) (string, string) { return c.ref(res, ref, source) })
	if err != nil {
		return nil, err
	}
	out := bounceReport(a, rcs)
	out.Source = source
	for i := range out.Diagnoses {
		out.Diagnoses[i].Source = source
	}
	return out, nil
}

// cacheKey is the key of a re-check of msg, returned by b, for profile,
// from ip (the reply's client IP, else the first external Received hop,
// as Check takes it).
func cacheKey(msg *Message, b *bounce.Bounce, profile *Profile, ip netip.Addr) recheckCacheKey {
	k := recheckCacheKey{receiver: profile.Name, from: FromAuthor(msg).Domain, headersOnly: b.HeadersOnly, ip: ip}
	mailFrom, ok := ReturnPath(msg)
	if !ok {
		mailFrom = b.EnvelopeSender
	}
	if at := strings.LastIndexByte(mailFrom, '@'); at >= 0 {
		mailFrom = mailFrom[at+1:]
	}
	k.mailFrom = strings.ToLower(strings.TrimSuffix(mailFrom, "."))
	if !k.ip.IsValid() {
		if rip, _, ok := ReceivedIP(msg); ok {
			k.ip = rip
		}
	}
	var sigs []string
	for _, v := range msg.Get("DKIM-Signature") {
		sig, _ := dkim.ParseSignature(v)
		if sig != nil {
			sigs = append(sigs, sig.Domain+"/"+sig.Selector)
		} else {
			sigs = append(sigs, "?")
		}
	}
	slices.Sort(sigs)
	k.dkim = strings.Join(sigs, " ")
	return k
}
