package dmarc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"preflight/dns"
)

type counting struct {
	dns.Resolver
	mu sync.Mutex
	n  int
}

func (c *counting) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.Resolver.Lookup(ctx, name, t)
}

// TestDiscoverIdentifierBudget: whatever identifiers a message brings,
// their walks add at most MaxIdentifierNames questions; identifiers are
// admitted in order, whole, and the others are listed as not looked up.
func TestDiscoverIdentifierBudget(t *testing.T) {
	t.Parallel()
	r := &counting{Resolver: newZone(t, testZone)}
	ids := []string{"exact.example", "sub.exact.example"} // cost 0 and 1: inside the From's walk or one below
	for i := range 10 {
		ids = append(ids, fmt.Sprintf("s.a.b.c.d.e.i%d.example", i)) // 8 labels: 7 names of its own each
	}
	d, err := Discover(context.Background(), r, "exact.example", DiscoverOptions{Identifiers: ids})
	if err != nil {
		t.Fatal(err)
	}
	if r.n > 8+DefaultMaxIdentifierNames+1 {
		t.Errorf("%d questions, want at most %d", r.n, 8+DefaultMaxIdentifierNames+1)
	}
	for _, id := range []dns.Domain{"exact.example", "sub.exact.example", "s.a.b.c.d.e.i0.example", "s.a.b.c.d.e.i1.example"} {
		if _, ok := d.OrgDomains[id]; !ok {
			t.Errorf("%s was not looked up", id)
		}
	}
	if len(d.NotLookedUp) != 8 || d.NotLookedUp[0] != "s.a.b.c.d.e.i2.example" {
		t.Errorf("NotLookedUp = %v, want the 8 identifiers after the first two long ones", d.NotLookedUp)
	}
	// Evaluate falls back to the Public Suffix List for them, and says so.
	ev := Evaluate(Input{Discovery: d, DKIM: []DKIMInput{{Domain: "s.a.b.c.d.e.i5.example", Result: "pass"}}, Options: RFC9989})
	if len(ev.Notes) == 0 {
		t.Errorf("no note says an identifier was not looked up")
	}
}

// TestDiscoverNotRecorded: a question a replayed recording lacks is a
// temperror whose error matches dns.ErrNotRecorded.
func TestDiscoverNotRecorded(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(dns.RecordingHeader+", 2026-01-15T12:00:00Z\n_dmarc.other.example. 60 IN TXT \"v=DMARC1; p=none\"\n", "run.zone")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Discover(context.Background(), z, "brand.example", DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Found{d.RFC7489, d.RFC9989} {
		if f.Status != DiscoveryTempError || !errors.Is(f.Err, dns.ErrNotRecorded) || !errors.Is(f.Err, ErrTemporary) {
			t.Errorf("%s: %s %v, want temperror matching dns.ErrNotRecorded", f.Method, f.Status, f.Err)
		}
	}
}
