package dkim

import (
	"context"
	"errors"
	"net"
	"sync"

	"preflight/dns"
)

// Key record lookups, memoized per message, shared by go-msgauth (through
// lookupTXT) and our own analysis.

// keyLookup is the memoized outcome of one key record query.
type keyLookup struct {
	once   sync.Once
	name   string
	result dns.Result
	err    error
}

type lookupCache struct {
	mu sync.Mutex
	m  map[string]*keyLookup
}

func (c *lookupCache) get(ctx context.Context, r dns.Resolver, name string) *keyLookup {
	name = dns.CanonicalName(name)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*keyLookup{}
	}
	kl := c.m[name]
	if kl == nil {
		kl = &keyLookup{name: name}
		c.m[name] = kl
	}
	c.mu.Unlock()
	kl.once.Do(func() {
		if err := dns.CheckName(name); err != nil {
			kl.err = err
			return
		}
		if r == nil {
			// A programming error, reported as "no answer" rather
			// than a panic.
			kl.err = dns.Temporary(errors.New("dkim: Verifier.Resolver is nil"))
			return
		}
		kl.result, kl.err = r.Lookup(ctx, name, dns.TypeTXT)
	})
	return kl
}

// lookupTXT adapts a key lookup to go-msgauth: a temporary failure becomes a
// net.Error whose Temporary() is true, so go-msgauth returns a temporary
// failure; NXDOMAIN and NODATA become "not found" errors (a permanent
// failure).
func (c *lookupCache) lookupTXT(ctx context.Context, r dns.Resolver) func(string) ([]string, error) {
	return func(name string) ([]string, error) {
		kl := c.get(ctx, r, name)
		switch {
		case kl.err != nil && dns.IsTemporary(kl.err):
			return nil, &net.DNSError{Err: kl.err.Error(), Name: name, IsTemporary: true}
		case kl.err != nil:
			return nil, &net.DNSError{Err: kl.err.Error(), Name: name}
		case kl.result.Status == dns.StatusNXDomain:
			return nil, &net.DNSError{Err: "NXDOMAIN", Name: name, IsNotFound: true}
		case kl.result.Status == dns.StatusNoData:
			return nil, &net.DNSError{Err: "no TXT record", Name: name, IsNotFound: true}
		}
		return kl.result.TXT(), nil
	}
}
