package spf

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		print string // canonical form; "" means the same as in
		terms []Term // checked when set (Pos ignored)
	}{
		{in: "v=spf1"},
		{in: "V=SPF1 -ALL", print: "v=spf1 -all"},
		{in: "v=spf1  ip4:192.0.2.0/24   ~all  ", print: "v=spf1 ip4:192.0.2.0/24 ~all"},
		{in: "v=spf1 +a ?mx ~ptr -exists:%{i}.x.example", terms: []Term{
			{Qualifier: QualifierPass, Explicit: true, Mechanism: MechA, Prefix4: -1, Prefix6: -1},
			{Qualifier: QualifierNeutral, Explicit: true, Mechanism: MechMX, Prefix4: -1, Prefix6: -1},
			{Qualifier: QualifierSoftFail, Explicit: true, Mechanism: MechPTR, Prefix4: -1, Prefix6: -1},
			{Qualifier: QualifierFail, Explicit: true, Mechanism: MechExists, Domain: mustMacro("%{i}.x.example"), Prefix4: -1, Prefix6: -1},
		}},
		{in: "v=spf1 a/24//64 a:mail.example//48 mx/30 mx:example.org/0//0", terms: []Term{
			{Qualifier: QualifierPass, Mechanism: MechA, Prefix4: 24, Prefix6: 64},
			{Qualifier: QualifierPass, Mechanism: MechA, Domain: mustMacro("mail.example"), Prefix4: -1, Prefix6: 48},
			{Qualifier: QualifierPass, Mechanism: MechMX, Prefix4: 30, Prefix6: -1},
			{Qualifier: QualifierPass, Mechanism: MechMX, Domain: mustMacro("example.org"), Prefix4: 0, Prefix6: 0},
		}},
		{in: "v=spf1 ip6:2001:DB8::/32 ip4:192.0.2.1", print: "v=spf1 ip6:2001:db8::/32 ip4:192.0.2.1", terms: []Term{
			{Qualifier: QualifierPass, Mechanism: MechIP6, Net: netip.MustParsePrefix("2001:db8::/32"), Prefix4: -1, Prefix6: 32},
			{Qualifier: QualifierPass, Mechanism: MechIP4, Net: netip.MustParsePrefix("192.0.2.1/32"), Prefix4: -1, Prefix6: -1},
		}},
		{in: "v=spf1 include:_spf.example.com redirect=_spf.example.net exp=explain._spf.%{d}"},
		{in: "v=spf1 Redirect=x.example Exp=y.example", print: "v=spf1 redirect=x.example exp=y.example"},
		{in: "v=spf1 moo.cow-far_out=man:dog/cat -all"},
		{in: "v=spf1 a:foo-bar.example. -all"},
		{in: "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all"},
		{in: "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all"},
		{in: "v=spf1 exists:%{L}.example"},
		{in: "v=spf1 a:1-2.example"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			rec, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := tc.print
			if want == "" {
				want = tc.in
			}
			if got := rec.String(); got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
			if tc.terms != nil {
				opts := []cmp.Option{
					cmp.Comparer(func(a, b *MacroString) bool { return a.String() == b.String() }),
					cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
					cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Pos" }, cmp.Ignore()),
				}
				if d := cmp.Diff(tc.terms, rec.Terms, opts...); d != "" {
					t.Errorf("terms (-want +got):\n%s", d)
				}
			}
		})
	}
}

func mustMacro(s string) *MacroString {
	m, err := ParseMacroString(s, false)
	if err != nil {
		panic(err)
	}
	return m
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in  string
		pos int
	}{
		{"v=spf10", 0},
		{"spf1 -all", 0},
		{"v=spf1 -all\x00", 11},
		{"v=spf1 a:é.example", 9},
		{"v=spf1 foo", 7},
		{"v=spf1 all:x", 7},
		{"v=spf1 all/24", 7},
		{"v=spf1 include", 7},
		{"v=spf1 include:", 15},
		{"v=spf1 ip4:192.0.2.1/33", 7},
		{"v=spf1 ip4:192.0.2.1/032", 7},
		{"v=spf1 ip4:192.0.2", 7},
		{"v=spf1 ip4:2001:db8::1", 7},
		{"v=spf1 ip6:192.0.2.1", 7},
		{"v=spf1 ip6:::1/129", 7},
		{"v=spf1 a/33", 7},
		{"v=spf1 a//129", 7},
		{"v=spf1 a:museum", 9},
		{"v=spf1 a:111.222.33.44", 9},
		{"v=spf1 a:foo.-bar", 9},
		{"v=spf1 ptr/24", 7},
		{"v=spf1 redirect=a.example redirect=b.example", 26},
		{"v=spf1 exp=a.example exp=b.example", 21},
		{"v=spf1 -redirect=a.example", 7},
		{"v=spf1 =foo", 7},
		{"v=spf1 1x=foo", 7},
		{"v=spf1 redirect:a.example", 7},
		{"v=spf1 exists:%{x}.example", 14},
		{"v=spf1 exists:%{l0}.example", 14},
		{"v=spf1 exists:%{c}.example", 14},
		{"v=spf1 exists:%{l", 14},
		{"v=spf1 exists:a%b.example", 15},
		{"v=spf1 exists:foo%", 17},
		{"v=spf1 unknown=%{z}", 15},
		{"v=spf1 exists:%{d}.%{l}x", 14},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.in)
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q) error %v, want a *SyntaxError", tc.in, err)
			}
			if se.Pos != tc.pos {
				t.Errorf("Pos %d, want %d (%v)", se.Pos, tc.pos, err)
			}
		})
	}
}

func TestMacroExpand(t *testing.T) {
	t.Parallel()
	// The examples of RFC 7208 §7.4.
	env := &macroEnv{
		sender: "strong-bad@email.example.com", local: "strong-bad", senderDomain: "email.example.com",
		domain: "email.example.com", ip: netip.MustParseAddr("192.0.2.3"), helo: "mx.example.org",
	}
	env6 := *env
	env6.ip = netip.MustParseAddr("2001:db8::cb01")
	tests := []struct {
		in, want string
		env      *macroEnv
	}{
		{"%{s}", "strong-bad@email.example.com", env},
		{"%{o}", "email.example.com", env},
		{"%{d}", "email.example.com", env},
		{"%{d4}", "email.example.com", env},
		{"%{d3}", "email.example.com", env},
		{"%{d2}", "example.com", env},
		{"%{d1}", "com", env},
		{"%{dr}", "com.example.email", env},
		{"%{d2r}", "example.email", env},
		{"%{l}", "strong-bad", env},
		{"%{l-}", "strong.bad", env},
		{"%{lr}", "strong-bad", env},
		{"%{lr-}", "bad.strong", env},
		{"%{l1r-}", "strong", env},
		{"%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com", env},
		{"%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com", env},
		{"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com", env},
		{"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com", env},
		{"%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net", env},
		// RFC 7208 §7.4 writes the nibbles in lower case; we write them
		// as pyspf and the open-spf suite do (see dottedIP).
		{"%{ir}.%{v}._spf.%{d2}", "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com", &env6},
		{"%{S}", "strong-bad%40email.example.com", env},
		{"%%%_%-", "% %20", env},
		{"%{h}", "mx.example.org", env},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMacroString(tc.in, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.expand(tc.env); got != tc.want {
				t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestQueryName(t *testing.T) {
	t.Parallel()
	long := ""
	for i := 0; i < 30; i++ {
		long += "abcdefghi."
	}
	got, ok := queryName(long + "example.com.")
	if !ok || len(got) > 253 || got[len(got)-len("example.com"):] != "example.com" {
		t.Errorf("queryName(long) = %q (%d octets), %v", got, len(got), ok)
	}
	for _, bad := range []string{"", "com", "a..example", "x" + string(make([]byte, 64)) + ".example"} {
		if _, ok := queryName(bad); ok {
			t.Errorf("queryName(%q) accepted", bad)
		}
	}
}
