package spf

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"preflight/dns"
)

// FuzzParse checks that no input panics Parse, that every record it
// accepts prints back to a record that parses to the same canonical text,
// and that syntax errors point inside the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"v=spf1 -all",
		"v=spf1 a/24//64 mx:example.org/0 ptr ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all",
		"v=spf1 include:_spf.example.com redirect=x.example exp=%{ir}.%{v}.%{l1r-}.e.example",
		"v=spf1 exists:%{L}.%{d2}.x.example moo=%%%_%- ?all",
		"v=spf1 a:foo-bar.example. -all",
		"v=spf1 ip4:1.2.3.4/032",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := Parse(s)
		if err != nil {
			if se, ok := err.(*SyntaxError); ok && (se.Pos < 0 || se.Pos > len(s)) {
				t.Fatalf("error offset %d outside input of %d octets: %v", se.Pos, len(s), err)
			}
			return
		}
		out := rec.String()
		rec2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its print-back %q does not parse: %v", s, out, err)
		}
		if out2 := rec2.String(); out2 != out {
			t.Fatalf("print-back not stable: %q → %q → %q", s, out, out2)
		}
		if len(rec2.Terms) != len(rec.Terms) {
			t.Fatalf("term count changed: %d → %d", len(rec.Terms), len(rec2.Terms))
		}
	})
}

// FuzzParseMacroString checks macro strings and their expansion.
func FuzzParseMacroString(f *testing.F) {
	for _, s := range []string{"%{ir}.%{v}._spf.%{d2}", "%{L}%%%_%-", "%{c} %{r} %{t}", "%{l99999999999r+-.,/_=}"} {
		f.Add(s, true)
	}
	env := &macroEnv{sender: "a.b@c.example", local: "a.b", senderDomain: "c.example", domain: "c.example", ip: ip("2001:db8::1")}
	f.Fuzz(func(t *testing.T, s string, explain bool) {
		m, err := ParseMacroString(s, explain)
		if err != nil {
			return
		}
		_ = m.expand(env)
		if m.String() != s {
			t.Fatalf("String() = %q, want %q", m.String(), s)
		}
	})
}

// FuzzCheck evaluates arbitrary records (as a what-if record) against a
// small zone: no input may panic or hang Check or Analyze, and the result
// must keep its invariants.
func FuzzCheck(f *testing.F) {
	z, err := dns.ParseZone(`
a.example. TXT "v=spf1 a mx include:b.example -all"
a.example. A 192.0.2.1
a.example. MX 10 a.example.
b.example. TXT "v=spf1 ip6:2001:db8::/32 exists:%{i}.x.example ~all"
`, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("v=spf1 include:a.example -all", []byte{192, 0, 2, 1})
	f.Add("v=spf1 redirect=b.example", []byte{0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add("v=spf1 exists:%{ir}.%{l1r-}.%{d2} ptr:%{p} -all exp=%{o}", []byte{10, 0, 0, 1})
	f.Fuzz(func(t *testing.T, record string, ipb []byte) {
		addr, ok := netip.AddrFromSlice(ipb)
		if !ok {
			return
		}
		cfg := Config{Resolver: z, Now: func() time.Time { return time.Unix(0, 0) }}
		req := Request{IP: addr, MailFrom: "u.v@a.example", HELO: "h.example", Record: record}
		res := Check(context.Background(), cfg, req)
		if res.Status == "" {
			t.Fatal("no status")
		}
		if (res.Status == StatusTempError || res.Status == StatusPermError) != (res.Err != nil) {
			t.Fatalf("status %s with err %v", res.Status, res.Err)
		}
		if res.Lookups > DefaultMaxLookups+1 || res.VoidLookups > DefaultMaxVoidLookups+1 {
			t.Fatalf("budget overrun: %d lookups, %d void", res.Lookups, res.VoidLookups)
		}
		Analyze(context.Background(), cfg, req)
	})
}
