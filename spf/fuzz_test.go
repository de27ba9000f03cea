package spf

import (
	"testing"
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
