package dmarc

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
)

// gated answers the From domain's first question only once an identifier's
// walk has asked its own: a discovery that walked the identifiers after the
// From domain would wait for ever (here: until the test's timeout).
type gated struct {
	dns.Resolver
	hold, until string
	asked       chan struct{}
}

func (g *gated) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	switch dns.CanonicalName(name) {
	case g.until:
		close(g.asked)
	case g.hold:
		select {
		case <-g.asked:
		case <-ctx.Done():
			return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: -1, Err: dns.Temporary(ctx.Err())}
		}
	}
	return g.Resolver.Lookup(ctx, name, t)
}

// TestDiscoverWalksAtOnce: the identifiers' tree walks start with the From
// domain's (an unanswered message takes one timeout, not two), and the
// query log still lists the From domain's walk first, in RFC 9989 order,
// although the identifier's answers came first.
func TestDiscoverWalksAtOnce(t *testing.T) {
	t.Parallel()
	z := newZone(t, `
_dmarc.brand.example. 300 IN TXT "v=DMARC1; p=reject"
_dmarc.esp.example.   300 IN TXT "v=DMARC1; p=none"
`)
	r := &gated{Resolver: z, hold: "_dmarc.news.brand.example", until: "_dmarc.mail.esp.example", asked: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := Discover(ctx, r, "news.brand.example", DiscoverOptions{Identifiers: []string{"mail.esp.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.RFC9989.Status != DiscoveryFound || d.OrgDomains["mail.esp.example"].Org != "esp.example" {
		t.Fatalf("discovery %s, identifier's org %+v (the walks did not run together)", d.RFC9989.Status, d.OrgDomains["mail.esp.example"])
	}
	var got []string
	for _, q := range d.Queries {
		got = append(got, q.Name)
	}
	want := []string{"_dmarc.news.brand.example", "_dmarc.brand.example", "_dmarc.example", "news.brand.example",
		"_dmarc.mail.esp.example", "_dmarc.esp.example"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("query log (-want +got):\n%s", diff)
	}
}
