package spf

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
)

const analyzeZone = `
$ORIGIN example.
brand.example.       TXT "v=spf1 ip4:192.0.2.0/24 include:esp.example a mx ~all"
brand.example.       A   192.0.2.10
brand.example.       MX  10 mail.brand.example.
mail.brand.example.  A   198.51.100.1
esp.example.         TXT "v=spf1 include:a.esp.example include:b.esp.example ip6:2001:db8::/32 -ip4:198.51.100.99 -all"
a.esp.example.       TXT "v=spf1 ip4:203.0.113.0/24 -all"
b.esp.example.       TXT "v=spf1 a:gone.esp.example exists:%{i}.x.esp.example -all"
open.example.        TXT "v=spf1 ptr +all"
noall.example.       TXT "v=spf1 ip4:192.0.2.1"
dangling.example.    TXT "v=spf1 include:nothing.example -all"
nospfincl.example.   TXT "v=spf1 include:plain.example -all"
plain.example.       TXT "just text"
badexp.example.      TXT "v=spf1 -all exp=why.badexp.example"
twice.example.       TXT "v=spf1 -all"
twice.example.       TXT "v=spf1 ~all"
incltwice.example.   TXT "v=spf1 include:twice.example -all"
loop.example.        TXT "v=spf1 include:loop2.example -all"
loop2.example.       TXT "v=spf1 include:loop.example -all"
big.example.         TXT "v=spf1 a:h1.example a:h2.example a:h3.example a:h4.example a:h5.example a:h6.example a:h7.example a:h8.example ~all"
over.example.        TXT "v=spf1 include:big.example mx:brand.example a:h9.example a:h9.example -all"
redir.example.       TXT "v=spf1 ip4:192.0.2.7 redirect=esp.example"
dmacro.example.      TXT "v=spf1 a:h1.%{d} include:_spf.%{d2} exists:%{l}.x.example -all"
h1.dmacro.example.   A   192.0.2.44
_spf.dmacro.example. TXT "v=spf1 ip4:203.0.113.77 -all"
` + "$GENERATE 1-9 h$.example. A 192.0.2.$\n"

func analyzeResolver(t testing.TB) dns.Resolver {
	t.Helper()
	z, err := dns.ParseZone(analyzeZone, "analyze")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func warningCodes(an *Analysis) []string {
	var out []string
	for _, w := range an.Warnings {
		out = append(out, strings.TrimPrefix(w.ID, "spf."))
	}
	slices.Sort(out)
	return out
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	r := analyzeResolver(t)
	tests := []struct {
		name          string
		req           Request
		status        Status
		lookups       int
		void4, void6  int
		networks      []string
		unflattenable int
		warnings      []string
	}{
		{
			name: "brand with esp", req: Request{Domain: "brand.example"}, lookups: 7, void4: 1, void6: 3,
			networks:      []string{"192.0.2.0/24", "192.0.2.10/32", "198.51.100.1/32", "203.0.113.0/24", "2001:db8::/32"},
			unflattenable: 1,
			warnings:      []string{"family-v6", "family-v6", "lookup-cost", "void-lookups", "void-limit"},
		},
		{name: "plus all and ptr", req: Request{MailFrom: "x@open.example"}, lookups: 1, networks: []string{"0.0.0.0/0", "::/0"}, unflattenable: 1, warnings: []string{"all-pass", "ptr"}},
		{name: "no all", req: Request{Domain: "noall.example"}, networks: []string{"192.0.2.1/32"}, warnings: []string{"family-v6", "no-all"}},
		{name: "include of a name that does not exist", req: Request{Domain: "dangling.example"}, lookups: 1, warnings: []string{"include-missing"}},
		{name: "include of a name without spf", req: Request{Domain: "nospfincl.example"}, lookups: 1, warnings: []string{"include-missing"}},
		{name: "exp without a record", req: Request{Domain: "badexp.example"}, warnings: []string{"exp-broken"}},
		{name: "include of several records", req: Request{Domain: "incltwice.example"}, lookups: 1, warnings: []string{"multiple-records"}},
		{name: "several records at top", req: Request{Domain: "twice.example"}, status: StatusPermError, warnings: []string{"multiple-records"}},
		{name: "loop", req: Request{Domain: "loop.example"}, lookups: 2, warnings: []string{"loop", "lookup-cost"}},
		{name: "headroom", req: Request{Domain: "big.example"}, lookups: 8, void6: 8,
			networks: []string{"192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32", "192.0.2.4/32", "192.0.2.5/32", "192.0.2.6/32", "192.0.2.7/32", "192.0.2.8/32"},
			warnings: []string{"family-v6", "family-v6", "family-v6", "family-v6", "family-v6", "family-v6", "family-v6", "family-v6", "family-v6", "lookups-headroom", "void-limit"}},
		{name: "over the limit", req: Request{Domain: "over.example"}, lookups: 12, void6: 11,
			networks: []string{"192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32", "192.0.2.4/32", "192.0.2.5/32", "192.0.2.6/32", "192.0.2.7/32", "192.0.2.8/32", "192.0.2.9/32", "198.51.100.1/32"}},
		{name: "redirect followed", req: Request{Domain: "redir.example"}, lookups: 5, void4: 1, void6: 1,
			networks: []string{"192.0.2.7/32", "203.0.113.0/24", "2001:db8::/32"}, unflattenable: 1},
		{name: "record given", req: Request{Domain: "brand.example", Record: "v=spf1 ip4:192.0.2.0/25 " + strings.Repeat("ip4:198.51.100.1 ", 16) + "-all"},
			networks: []string{"192.0.2.0/25", "198.51.100.1/32"}, warnings: []string{"family-v6", "string-too-long"}},
		{name: "record given with syntax error", req: Request{Domain: "brand.example", Record: "v=spf1 a:x"}, status: StatusPermError, warnings: []string{"syntax"}},
		{name: "no record", req: Request{Domain: "nothing.example"}, status: StatusNone},
		{name: "macros on the domain alone are resolved", req: Request{Domain: "dmacro.example"}, lookups: 3, void6: 1,
			networks: []string{"192.0.2.44/32", "203.0.113.77/32"}, unflattenable: 1, warnings: []string{"family-v6"}},
		{name: "invalid domain", req: Request{Domain: "localhost"}, status: StatusNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			an := Analyze(context.Background(), Config{Resolver: r}, tc.req)
			if an.Status != tc.status {
				t.Errorf("status %q (%v), want %q", an.Status, an.Err, tc.status)
			}
			if an.Status != "" && an.Err == nil {
				t.Errorf("status %q without Err", an.Status)
			}
			if an.Lookups != tc.lookups {
				t.Errorf("lookups %d, want %d", an.Lookups, tc.lookups)
			}
			if an.VoidLookups4 != tc.void4 || an.VoidLookups6 != tc.void6 {
				t.Errorf("void %d/%d, want %d/%d", an.VoidLookups4, an.VoidLookups6, tc.void4, tc.void6)
			}
			var nets []string
			for _, p := range an.Networks {
				nets = append(nets, p.String())
			}
			if tc.networks != nil || nets != nil {
				if d := cmp.Diff(tc.networks, nets); d != "" {
					t.Errorf("networks (-want +got):\n%s", d)
				}
			}
			if len(an.Unflattenable) != tc.unflattenable {
				t.Errorf("unflattenable %q, want %d", an.Unflattenable, tc.unflattenable)
			}
			if tc.warnings != nil {
				got := warningCodes(an)
				want := slices.Sorted(slices.Values(tc.warnings))
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("warnings (-want +got):\n%s\n%v", d, an.Warnings)
				}
			}
		})
	}
}

func TestAnalyzeOverLimit(t *testing.T) {
	t.Parallel()
	an := Analyze(context.Background(), Config{Resolver: analyzeResolver(t)}, Request{Domain: "over.example"})
	codes := warningCodes(an)
	if !slices.Contains(codes, "lookup-limit") {
		t.Errorf("no lookup-limit warning: %v", an.Warnings)
	}
	// The include's cost is reported per term: include:big.example costs 9.
	var found bool
	for _, w := range an.Warnings {
		if w.ID == "spf.lookup-cost" && w.Term == "include:big.example" && strings.Contains(w.Detail, "costs 9 of your 10") {
			found = true
		}
	}
	if !found {
		t.Errorf("no per-term cost for include:big.example: %v", an.Warnings)
	}
	if an.Terms[0].Lookups != 9 || len(an.Terms[0].Children) != 9 {
		t.Errorf("include term: %d lookups, %d children", an.Terms[0].Lookups, len(an.Terms[0].Children))
	}
}

// TestAnalyzeAgreesWithCheck: every network Analyze lists passes Check
// (for policies without "-" terms in front), for either family.
func TestAnalyzeAgreesWithCheck(t *testing.T) {
	t.Parallel()
	r := analyzeResolver(t)
	an := Analyze(context.Background(), Config{Resolver: r}, Request{Domain: "brand.example"})
	for _, p := range an.Networks {
		addr := p.Addr()
		t.Run(addr.String(), func(t *testing.T) {
			t.Parallel()
			res := Check(context.Background(), Config{Resolver: r}, Request{IP: addr, Domain: "brand.example"})
			if res.Status != StatusPass {
				t.Errorf("Check(%s) = %s (%s), want pass", addr, res.Status, res.Mechanism)
			}
		})
	}
	res := Check(context.Background(), Config{Resolver: r}, Request{IP: netip.MustParseAddr("198.51.100.99"), Domain: "brand.example"})
	if res.Status != StatusSoftFail {
		t.Errorf("unlisted IP: %s, want softfail", res.Status)
	}
}

// TestAnalyzeHostileTree: a tree of 10 includes per record, three levels
// deep (1,110 records), is walked only as far as it is useful.
func TestAnalyzeHostileTree(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	var gen func(name string, depth int)
	gen = func(name string, depth int) {
		rec := "v=spf1"
		if depth < 3 {
			for i := 0; i < 10; i++ {
				child := fmt.Sprintf("n%d.%s", i, name)
				rec += " include:" + child
				gen(child, depth+1)
			}
		}
		fmt.Fprintf(&b, "%s. TXT %q\n", name, rec+" -all")
	}
	gen("wide.example", 0)
	z, err := dns.ParseZone(b.String(), "wide")
	if err != nil {
		t.Fatal(err)
	}
	an := Analyze(context.Background(), Config{Resolver: z}, Request{Domain: "wide.example"})
	if an.Queries > 4*maxAnalyzedTerms {
		t.Errorf("%d DNS queries for a policy that is permerror after 10", an.Queries)
	}
	if !slices.Contains(warningCodes(an), "lookup-limit") {
		t.Errorf("no lookup-limit warning: %v", warningCodes(an))
	}
}
