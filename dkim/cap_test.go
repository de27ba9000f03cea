package dkim

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"preflight/dns"
)

// countingResolver counts the questions it is asked.
type countingResolver struct {
	dns.Resolver
	mu    sync.Mutex
	names map[string]int
}

func (c *countingResolver) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	c.mu.Lock()
	c.names[dns.CanonicalName(name)]++
	c.mu.Unlock()
	return c.Resolver.Lookup(ctx, name, t)
}

// TestSignaturesPastTheCap: only the first MaxSignatures signatures are
// evaluated; the others cause no DNS lookup, get no Result, and one finding
// says how many were left out. SigningDomains names the evaluated d=.
func TestSignaturesPastTheCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	var values []string
	for i := range 20 {
		v := fmt.Sprintf(" v=1; a=rsa-sha256; d=d%d.example; s=s; h=from; bh=YWJj; b=YWJj", i)
		values = append(values, v)
		b.WriteString("DKIM-Signature:" + v + "\r\n")
	}
	values = append(values[:3], append([]string{values[1]}, values[3:]...)...) // a repeated d=
	msg := b.String() + "From: a@brand.example\r\n\r\nbody\r\n"
	for _, headersOnly := range []bool{false, true} {
		r := &countingResolver{Resolver: &dns.Zone{}, names: map[string]int{}}
		v := &Verifier{Resolver: r, MaxSignatures: 5}
		verify := v.Verify
		if headersOnly {
			verify = v.VerifyHeaders
		}
		rep, err := verify(context.Background(), strings.NewReader(msg))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Signatures) != 5 || rep.NotEvaluated != 15 {
			t.Errorf("headersOnly=%v: %d results, %d not evaluated; want 5 and 15", headersOnly, len(rep.Signatures), rep.NotEvaluated)
		}
		for name := range r.names {
			var i int
			if _, err := fmt.Sscanf(name, "s._domainkey.d%d.example", &i); err != nil || i >= 5 {
				t.Errorf("headersOnly=%v: asked %s, a signature past the cap", headersOnly, name)
			}
		}
		n := 0
		for _, f := range rep.Findings {
			if f.ID == "dkim.too-many-signatures" {
				n++
				if !strings.Contains(f.Title, "20 DKIM signatures: 15 were not evaluated") || f.Fix == "" {
					t.Errorf("finding %+v", f)
				}
			}
		}
		if n != 1 {
			t.Errorf("headersOnly=%v: %d too-many-signatures findings, want 1", headersOnly, n)
		}
	}
	v := &Verifier{MaxSignatures: 5}
	got := v.SigningDomains(values)
	want := []dns.Domain{"d0.example", "d1.example", "d2.example", "d3.example"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("SigningDomains = %v, want %v (the first 5 fields, d1 repeated)", got, want)
	}
}
