package dmarc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
)

// failing wraps a resolver and answers SERVFAIL (a temporary error) for
// chosen "TYPE name" keys, e.g. "TXT _dmarc.example.com", or for every
// question when all is set.
type failing struct {
	dns.Resolver
	fail map[string]bool
	all  bool
}

func (f failing) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if f.all || f.fail[t.String()+" "+dns.CanonicalName(name)] {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail,
			Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	return f.Resolver.Lookup(ctx, name, t)
}

func newZone(t testing.TB, text string, fail ...string) dns.Resolver {
	t.Helper()
	z, err := dns.ParseZone(text, "test")
	if err != nil {
		t.Fatalf("ParseZone: %v", err)
	}
	m := map[string]bool{}
	for _, f := range fail {
		m[f] = true
	}
	return failing{Resolver: z, fail: m}
}

const testZone = `
$ORIGIN .
$TTL 300
_dmarc.exact.example      TXT "v=DMARC1; p=reject"
_dmarc.org.example        TXT "v=DMARC1; p=quarantine; sp=reject; np=none"
exists.org.example        A 192.0.2.1
_dmarc.two.example        TXT "v=DMARC1; p=reject"
_dmarc.two.example        TXT "v=DMARC1; p=none"
sub.two.example           A 192.0.2.2
_dmarc.mixed.example      TXT "v=spf1 -all"
_dmarc.mixed.example      TXT "v=DMARC1; p=" "reject"
_dmarc.bad.example        TXT "v=DMARC1; p=none; bogus"
_dmarc.norua.example      TXT "v=DMARC1; adkim=s"
_dmarc.mid.deep.example   TXT "v=DMARC1; p=reject"
_dmarc.brand.co.uk        TXT "v=DMARC1; p=reject"
_dmarc.tld                TXT "v=DMARC1; p=reject; psd=y"
_dmarc.giant.tld          TXT "v=DMARC1; p=none"
_dmarc.psdn.example       TXT "v=DMARC1; p=none"
_dmarc.b.psdn.example     TXT "v=DMARC1; p=reject; psd=n"
_dmarc.xn--bcher-kva.example TXT "v=DMARC1; p=reject"
`

func TestDiscover(t *testing.T) {
	t.Parallel()
	r := newZone(t, testZone, "TXT _dmarc.temp.example", "A temp2.org.example")
	tests := []struct {
		name    string
		from    string
		psl     Found // compared: Status, RecordDomain, AtFrom, OrgDomain, RecordText
		walk    Found
		exists  Existence
		queries []string
	}{
		{
			name:    "record at the From domain",
			from:    "user@Exact.Example.",
			psl:     Found{Status: DiscoveryFound, RecordDomain: "exact.example", AtFrom: true, OrgDomain: "exact.example", RecordText: "v=DMARC1; p=reject"},
			walk:    Found{Status: DiscoveryFound, RecordDomain: "exact.example", AtFrom: true, OrgDomain: "exact.example", RecordText: "v=DMARC1; p=reject"},
			queries: []string{"TXT _dmarc.exact.example", "TXT _dmarc.example"},
		},
		{
			name:    "subdomain falls back to the organizational domain; existing name",
			from:    "exists.org.example",
			psl:     Found{Status: DiscoveryFound, RecordDomain: "org.example", OrgDomain: "org.example", RecordText: "v=DMARC1; p=quarantine; sp=reject; np=none"},
			walk:    Found{Status: DiscoveryFound, RecordDomain: "org.example", OrgDomain: "org.example", RecordText: "v=DMARC1; p=quarantine; sp=reject; np=none"},
			exists:  Exists,
			queries: []string{"TXT _dmarc.exists.org.example", "TXT _dmarc.org.example", "TXT _dmarc.example", "A exists.org.example"},
		},
		{
			name:   "non-existent subdomain",
			from:   "ghost.org.example",
			psl:    Found{Status: DiscoveryFound, RecordDomain: "org.example", OrgDomain: "org.example", RecordText: "v=DMARC1; p=quarantine; sp=reject; np=none"},
			walk:   Found{Status: DiscoveryFound, RecordDomain: "org.example", OrgDomain: "org.example", RecordText: "v=DMARC1; p=quarantine; sp=reject; np=none"},
			exists: NotExists,
		},
		{
			name:   "existence unknown",
			from:   "temp2.org.example",
			psl:    Found{Status: DiscoveryFound, RecordDomain: "org.example", OrgDomain: "org.example", RecordText: "v=DMARC1; p=quarantine; sp=reject; np=none"},
			walk:   Found{Status: DiscoveryFound, RecordDomain: "org.example", OrgDomain: "org.example", RecordText: "v=DMARC1; p=quarantine; sp=reject; np=none"},
			exists: ExistenceUnknown,
		},
		{
			name: "two records: no policy, no fallback",
			from: "two.example",
			psl:  Found{Status: DiscoveryMultiple, RecordDomain: "two.example", AtFrom: true, OrgDomain: "two.example"},
			walk: Found{Status: DiscoveryMultiple, RecordDomain: "two.example", AtFrom: true, OrgDomain: "two.example"},
		},
		{
			name: "two records at the organizational domain",
			from: "sub.two.example",
			psl:  Found{Status: DiscoveryMultiple, RecordDomain: "two.example", OrgDomain: "two.example"},
			walk: Found{Status: DiscoveryMultiple, RecordDomain: "two.example", OrgDomain: "sub.two.example"},
		},
		{
			name: "non-DMARC TXT ignored, split strings joined",
			from: "mixed.example",
			psl:  Found{Status: DiscoveryFound, RecordDomain: "mixed.example", AtFrom: true, OrgDomain: "mixed.example", RecordText: "v=DMARC1; p=reject"},
			walk: Found{Status: DiscoveryFound, RecordDomain: "mixed.example", AtFrom: true, OrgDomain: "mixed.example", RecordText: "v=DMARC1; p=reject"},
		},
		{
			name: "syntax error",
			from: "bad.example",
			psl:  Found{Status: DiscoveryInvalid, RecordDomain: "bad.example", AtFrom: true, OrgDomain: "bad.example", RecordText: "v=DMARC1; p=none; bogus"},
			walk: Found{Status: DiscoveryInvalid, RecordDomain: "bad.example", AtFrom: true, OrgDomain: "bad.example", RecordText: "v=DMARC1; p=none; bogus"},
		},
		{
			name: "no p, no rua",
			from: "norua.example",
			psl:  Found{Status: DiscoveryNoPolicy, RecordDomain: "norua.example", AtFrom: true, OrgDomain: "norua.example", RecordText: "v=DMARC1; adkim=s"},
			walk: Found{Status: DiscoveryNoPolicy, RecordDomain: "norua.example", AtFrom: true, OrgDomain: "norua.example", RecordText: "v=DMARC1; adkim=s"},
		},
		{
			name: "no record",
			from: "absent.example",
			psl:  Found{Status: DiscoveryNone, RecordDomain: "absent.example", AtFrom: true, OrgDomain: "absent.example"},
			walk: Found{Status: DiscoveryNone, RecordDomain: "absent.example", AtFrom: true, OrgDomain: "absent.example"},
		},
		{
			name: "temporary failure",
			from: "temp.example",
			psl:  Found{Status: DiscoveryTempError, RecordDomain: "temp.example", AtFrom: true, OrgDomain: "temp.example"},
			walk: Found{Status: DiscoveryTempError, RecordDomain: "temp.example", AtFrom: true, OrgDomain: "temp.example"},
		},
		{
			name:   "intermediate record: the methods disagree",
			from:   "a.mid.deep.example",
			psl:    Found{Status: DiscoveryNone, RecordDomain: "a.mid.deep.example", AtFrom: true, OrgDomain: "deep.example"},
			walk:   Found{Status: DiscoveryFound, RecordDomain: "mid.deep.example", OrgDomain: "mid.deep.example", RecordText: "v=DMARC1; p=reject"},
			exists: NotExists,
			queries: []string{"TXT _dmarc.a.mid.deep.example", "TXT _dmarc.mid.deep.example", "TXT _dmarc.deep.example",
				"TXT _dmarc.example", "A a.mid.deep.example"},
		},
		{
			name:   "multi-label public suffix",
			from:   "mail.brand.co.uk",
			psl:    Found{Status: DiscoveryFound, RecordDomain: "brand.co.uk", OrgDomain: "brand.co.uk", RecordText: "v=DMARC1; p=reject"},
			walk:   Found{Status: DiscoveryFound, RecordDomain: "brand.co.uk", OrgDomain: "brand.co.uk", RecordText: "v=DMARC1; p=reject"},
			exists: NotExists,
		},
		{
			name: "psd=y: organizational domain one label below",
			from: "giant.tld",
			psl:  Found{Status: DiscoveryFound, RecordDomain: "giant.tld", AtFrom: true, OrgDomain: "giant.tld", RecordText: "v=DMARC1; p=none"},
			walk: Found{Status: DiscoveryFound, RecordDomain: "giant.tld", AtFrom: true, OrgDomain: "giant.tld", RecordText: "v=DMARC1; p=none"},
		},
		{
			name:   "psd=n marks the organizational domain",
			from:   "a.b.psdn.example",
			psl:    Found{Status: DiscoveryFound, RecordDomain: "psdn.example", OrgDomain: "psdn.example", RecordText: "v=DMARC1; p=none"},
			walk:   Found{Status: DiscoveryFound, RecordDomain: "b.psdn.example", OrgDomain: "b.psdn.example", RecordText: "v=DMARC1; p=reject; psd=n"},
			exists: NotExists,
		},
		{
			name: "IDN From domain goes to A-labels",
			from: "Bücher.example",
			psl:  Found{Status: DiscoveryFound, RecordDomain: "xn--bcher-kva.example", AtFrom: true, OrgDomain: "xn--bcher-kva.example", RecordText: "v=DMARC1; p=reject"},
			walk: Found{Status: DiscoveryFound, RecordDomain: "xn--bcher-kva.example", AtFrom: true, OrgDomain: "xn--bcher-kva.example", RecordText: "v=DMARC1; p=reject"},
		},
	}
	pick := func(f Found) Found {
		return Found{Status: f.Status, RecordDomain: f.RecordDomain, AtFrom: f.AtFrom, OrgDomain: f.OrgDomain, RecordText: f.RecordText}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := Discover(context.Background(), r, dns.Domain(tc.from), DiscoverOptions{})
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			if diff := cmp.Diff(tc.psl, pick(d.RFC7489)); diff != "" {
				t.Errorf("RFC 7489 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.walk, pick(d.RFC9989)); diff != "" {
				t.Errorf("RFC 9989 (-want +got):\n%s", diff)
			}
			if d.FromExists != tc.exists {
				t.Errorf("FromExists = %q, want %q", d.FromExists, tc.exists)
			}
			if got, want := d.Disagree(), !cmp.Equal(pick(d.RFC7489), pick(d.RFC9989)); got != want {
				t.Errorf("Disagree() = %v, want %v", got, want)
			}
			seen := map[string]bool{}
			var qs []string
			for _, q := range d.Queries {
				k := q.Type + " " + q.Name
				if seen[k] {
					t.Errorf("query %s asked twice", k)
				}
				seen[k] = true
				qs = append(qs, k)
			}
			if tc.queries != nil {
				if diff := cmp.Diff(tc.queries, qs); diff != "" {
					t.Errorf("queries (-want +got):\n%s", diff)
				}
			}
			for _, f := range []Found{d.RFC7489, d.RFC9989} {
				if (f.Status == DiscoveryFound) != (f.Err == nil) {
					t.Errorf("%s: status %s with error %v", f.Method, f.Status, f.Err)
				}
			}
		})
	}
}

func TestWalkNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   dns.Domain
		want string
	}{
		{"com", "com"},
		{"example.com", "example.com example"},
		{"a.b.c.d.e.f.g.h.i.j.k.example.com", "a.b.c.d.e.f.g.h.i.j.k.example.com g.h.i.j.k.example.com h.i.j.k.example.com i.j.k.example.com j.k.example.com k.example.com example.com com"},
		{"a.b.c.d.e.f.g.h", "a.b.c.d.e.f.g.h b.c.d.e.f.g.h c.d.e.f.g.h d.e.f.g.h e.f.g.h f.g.h g.h h"},
		{"a.b.c.d.e.f.g", "a.b.c.d.e.f.g b.c.d.e.f.g c.d.e.f.g d.e.f.g e.f.g f.g g"},
	} {
		var got []string
		for _, n := range walkNames(tc.in) {
			got = append(got, string(n))
		}
		want := strings.Fields(tc.want)
		if tc.in == "example.com" {
			want = []string{"example.com", "com"}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("walkNames(%s) (-want +got):\n%s", tc.in, diff)
		}
		if len(got) > 8 {
			t.Errorf("walkNames(%s): %d names, more than 8", tc.in, len(got))
		}
	}
}

func TestDiscoverIdentifierOrgDomains(t *testing.T) {
	t.Parallel()
	r := newZone(t, testZone, "TXT _dmarc.tmp.tld")
	d, err := Discover(context.Background(), r, "giant.tld", DiscoverOptions{Identifiers: []string{"mail.giant.tld", "mega.tld", "x.b.psdn.example", "a.tmp.tld", "bad..name"}})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[dns.Domain]dns.Domain{"giant.tld": "giant.tld", "mail.giant.tld": "giant.tld", "mega.tld": "mega.tld", "x.b.psdn.example": "b.psdn.example"} {
		if got := d.OrgDomains[id]; got.Org != want || got.Err != nil {
			t.Errorf("OrgDomains[%s] = %+v, want %s", id, got, want)
		}
	}
	if got := d.OrgDomains["a.tmp.tld"]; got.Err == nil || !errors.Is(got.Err, ErrTemporary) {
		t.Errorf("OrgDomains[a.tmp.tld] = %+v, want a temporary error", got)
	}
	if _, err := Discover(context.Background(), r, "", DiscoverOptions{}); !errors.Is(err, dns.ErrInvalidName) {
		t.Errorf("Discover(\"\") error = %v, want dns.ErrInvalidName", err)
	}
}
