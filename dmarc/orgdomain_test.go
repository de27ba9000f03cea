package dmarc

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/idna"

	"preflight/dns"
)

const conformanceDir = "../../shared/conformance"

func TestOrgDomain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want dns.Domain
		ok       bool
	}{
		{"example.com", "example.com", true},
		{"a.b.example.com", "example.com", true},
		{"mail.brand.co.uk", "brand.co.uk", true},
		{"co.uk", "co.uk", false},
		{"com", "com", false},
		{"localhost", "localhost", false},
		{"foo.example", "foo.example", true},
		// PRIVATE-section rules count, as in mailauth, authheaders and
		// OpenDMARC: each customer of a hosting suffix is its own
		// organization.
		{"foo.blogspot.com", "foo.blogspot.com", true},
		{"a.b.github.io", "b.github.io", true},
		{"x.appspot.com", "x.appspot.com", true},
		{"github.io", "github.io", false},
		// Wildcard and exception rules of the ICANN section.
		{"a.b.c.ck", "b.c.ck", true},
		{"www.ck", "www.ck", true},
		{"a.b.c.kawasaki.jp", "b.c.kawasaki.jp", true},
		{"a.city.kawasaki.jp", "city.kawasaki.jp", true},
	} {
		got, ok := OrgDomain(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("OrgDomain(%s) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestPSLVectors runs the Public Suffix List's own test vectors
// (../shared/conformance/psl/psl-tests.txt).
func TestPSLVectors(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(conformanceDir, "psl", "psl-tests.txt"))
	if err != nil {
		t.Skipf("PSL test vectors not available (%v); they live in ../shared/conformance/psl", err)
	}
	defer f.Close()
	// No deviation: both sections of the list are used (before, with the
	// ICANN section only, the four uk.com vectors differed).
	deviations := map[string]string{}
	run, pass, deviated := 0, 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			t.Errorf("bad vector line %q", line)
			continue
		}
		in, want := fields[0], fields[1]
		run++
		got := "null"
		if in != "null" && !strings.HasPrefix(in, ".") {
			if d, err := dns.ParseDomain(in); err == nil {
				if org, ok := OrgDomain(d); ok {
					got = string(org)
				}
			}
		}
		if want != "null" {
			w, err := idna.Lookup.ToASCII(want)
			if err == nil {
				want = strings.ToLower(w)
			}
		}
		if reason, ok := deviations[in]; ok {
			if got == want {
				t.Errorf("OrgDomain(%s) = %s: listed as a deviation (%s) but passes", in, got, reason)
			}
			t.Logf("deviation: OrgDomain(%s) = %s, list vector says %s: %s", in, got, want, reason)
			deviated++
			continue
		}
		if got != want {
			t.Errorf("OrgDomain(%s) = %s, want %s", in, got, want)
			continue
		}
		pass++
	}
	t.Logf("PSL vectors: %d run, %d passed, %d deviations listed", run, pass, deviated)
	if run == 0 {
		t.Error("no vectors read")
	}
}

// TestPSLSnapshot compares x/net's compiled list with the dated snapshot in
// ../shared/conformance/psl for every rule of both sections: for each
// rule R it asks for the organizational domain of a name two labels below R
// and compares with the standard PSL algorithm run on the snapshot. Rules
// added to or removed from the list between the two dates differ; they are
// listed, and more than a handful fails the test.
func TestPSLSnapshot(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(conformanceDir, "psl", "public_suffix_list.dat"))
	if err != nil {
		t.Skipf("PSL snapshot not available (%v); it lives in ../shared/conformance/psl", err)
	}
	defer f.Close()
	rules := map[string]bool{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "//"):
		default:
			rule := strings.Fields(line)[0]
			a, err := idna.Lookup.ToASCII(strings.TrimPrefix(strings.TrimPrefix(rule, "!"), "*."))
			if err != nil {
				t.Errorf("rule %q: %v", rule, err)
				continue
			}
			a = strings.ToLower(a)
			switch {
			case strings.HasPrefix(rule, "!"):
				a = "!" + a
			case strings.HasPrefix(rule, "*."):
				a = "*." + a
			}
			rules[a] = true
			order = append(order, a)
		}
	}
	if len(order) < 1000 {
		t.Fatalf("read only %d rules", len(order))
	}
	ref := func(d string) string { // the PSL algorithm over the snapshot
		labels := strings.Split(d, ".")
		suffix := labels[len(labels)-1] // implicit "*"
		for i := range labels {
			cand := strings.Join(labels[i:], ".")
			if rules["!"+cand] {
				suffix = strings.Join(labels[i+1:], ".")
				break
			}
			wild := ""
			if i+1 < len(labels) {
				wild = "*." + strings.Join(labels[i+1:], ".")
			}
			if rules[cand] || (wild != "" && rules[wild]) {
				if len(strings.Split(cand, ".")) > len(strings.Split(suffix, ".")) {
					suffix = cand
				}
			}
		}
		if suffix == d {
			return d
		}
		rest := strings.Split(strings.TrimSuffix(d, "."+suffix), ".")
		return rest[len(rest)-1] + "." + suffix
	}
	var diffs []string
	for _, rule := range order {
		base := strings.TrimPrefix(strings.TrimPrefix(rule, "!"), "*.")
		name := "zz.yy." + base
		if strings.HasPrefix(rule, "*.") {
			name = "zz.yy.ww." + base
		}
		got, _ := OrgDomain(dns.Domain(name))
		if want := ref(name); string(got) != want {
			diffs = append(diffs, rule+": "+name+" → "+string(got)+", snapshot says "+want)
		}
	}
	for _, d := range diffs {
		t.Logf("x/net table differs from the snapshot: %s", d)
	}
	t.Logf("PSL snapshot: %d rules (ICANN and PRIVATE) checked, %d differ (x/net's table and the snapshot are of different dates)", len(order), len(diffs))
	if len(diffs) > len(order)/50 {
		t.Errorf("%d of %d rules differ: update golang.org/x/net", len(diffs), len(order))
	}
}

// FuzzParseDomain: ParseDomain never panics, its output is canonical
// (parsing it again gives it back) and OrgDomain of it is a suffix of it.
func FuzzParseDomain(f *testing.F) {
	for _, s := range []string{"example.com", "Bücher.Example.", "user@a.b.co.uk", "xn--bcher-kva.example", "a..b", "192.0.2.1", "_dmarc.x", "ÄÖÜ.テスト", "-a-.b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dns.ParseDomain(s)
		if err != nil {
			if !errors.Is(err, dns.ErrInvalidName) {
				t.Fatalf("dns.ParseDomain(%q): %v does not wrap dns.ErrInvalidName", s, err)
			}
			return
		}
		d2, err := dns.ParseDomain(string(d))
		if err != nil || d2 != d {
			t.Fatalf("dns.ParseDomain(%q) = %q, but dns.ParseDomain(%q) = %q, %v", s, d, d, d2, err)
		}
		org, _ := OrgDomain(d)
		if org != d && !d.IsSubdomainOf(org) {
			t.Fatalf("OrgDomain(%s) = %s is not a suffix", d, org)
		}
		if !Aligned(d, d, AlignStrict) {
			t.Fatalf("%s is not aligned with itself", d)
		}
	})
}

func TestAlignedSiblings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, id string
		mode     AlignMode
		want     bool
	}{
		{"news.brand.example", "bounce.brand.example", AlignRelaxed, true},
		{"news.brand.example", "bounce.brand.example", AlignStrict, false},
		{"a.b.c.brand.example", "brand.example", AlignRelaxed, true},
		{"brand.example", "x.y.z.brand.example", AlignRelaxed, true},
		{"brand.example", "brand.example.evil.example", AlignRelaxed, false},
		{"brand.example", "evilbrand.example", AlignRelaxed, false},
		{"brand.example", "brand.example.com", AlignRelaxed, false},
		{"news.brand.co.uk", "mail.brand.co.uk", AlignRelaxed, true},
		{"brand.co.uk", "other.co.uk", AlignRelaxed, false},
		{"brand.co.uk", "co.uk", AlignRelaxed, false},
		{"brand.co.uk", "brand.uk", AlignRelaxed, false},
		{"a.example", "example", AlignRelaxed, false},
		// github.io is a public suffix (PRIVATE section): two of its
		// customers are different organizations.
		{"alice.github.io", "bob.github.io", AlignRelaxed, false},
		{"www.alice.github.io", "alice.github.io", AlignRelaxed, true},
		{"a.blogspot.com", "b.blogspot.com", AlignRelaxed, false},
		{"mail.bücher.example", "xn--bcher-kva.example", AlignRelaxed, true},
		{"MAIL.Brand.Example.", "brand.example", AlignRelaxed, true},
	} {
		from, err1 := dns.ParseDomain(tc.from)
		id, err2 := dns.ParseDomain(tc.id)
		if err1 != nil || err2 != nil {
			t.Fatalf("ParseDomain: %v %v", err1, err2)
		}
		if got := Aligned(from, id, tc.mode); got != tc.want {
			t.Errorf("Aligned(%s, %s, %s) = %v, want %v", from, id, tc.mode, got, tc.want)
		}
	}
}
