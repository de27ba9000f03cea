package audit

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/report"
)

// testZone is the demo zone (esp.example's SPF and DKIM key, brand.example)
// plus the cases below.
const testZone = `$ORIGIN np.example.
@        IN MX  10 mx.np.example.
mx       IN A   192.0.2.1
@        IN TXT "v=spf1 -all"
_dmarc   IN TXT "v=DMARC1; p=reject; sp=quarantine; np=reject"

$ORIGIN auth.example.
@        IN MX  10 mx.np.example.
@        IN TXT "v=spf1 include:esp.example -all"
_dmarc   IN TXT "v=DMARC1; p=quarantine; rua=mailto:a@auth.example,mailto:b@vendor.example,mailto:c@other.example,mailto:d@flaky.example,https://reports.example/dmarc"

$ORIGIN vendor.example.
auth.example._report._dmarc IN TXT "v=DMARC1"

$ORIGIN other.example.
auth.example._report._dmarc IN TXT "v=spf1 -all"

$ORIGIN open.example.
@        IN MX  10 mx.np.example.
@        IN TXT "v=spf1 +all"
_dmarc   IN TXT "v=DMARC1; p=none; rua=mailto:d@open.example"

$ORIGIN keyed.example.
@        IN MX  10 mx.np.example.
@        IN TXT "v=spf1 -all"
_dmarc   IN TXT "v=DMARC1; p=reject; rua=mailto:d@keyed.example"
s1._domainkey IN CNAME s1._domainkey.esp.example.
old._domainkey IN TXT "v=DKIM1; p="
`

func testResolver(t *testing.T) *faulty {
	t.Helper()
	z, err := dns.LoadZone("../../testdata/demo/demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	if err := z.Add(strings.NewReader(testZone), "test", ""); err != nil {
		t.Fatal(err)
	}
	return &faulty{r: z, fail: map[string]bool{}}
}

// faulty answers from r, but fails temporarily for "NAME TYPE" keys in
// fail (the map-based fault injection; internal/cli tests the same
// against a real DNS server on loopback).
type faulty struct {
	r     dns.Resolver
	fail  map[string]bool
	delay func(name string) time.Duration
	n     atomic.Int64
}

func (f *faulty) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	f.n.Add(1)
	if f.delay != nil {
		select {
		case <-time.After(f.delay(name)):
		case <-ctx.Done():
			return dns.Result{}, dns.Temporary(ctx.Err())
		}
	}
	if f.fail[dns.CanonicalName(name)+" "+t.String()] {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail, Server: "test", Err: dns.Temporary(errors.New("server answered SERVFAIL"))}
	}
	return f.r.Lookup(ctx, name, t)
}

func audit(t *testing.T, r dns.Resolver, cfg Config, input string) *report.DomainAudit {
	t.Helper()
	cfg.Resolver = r
	cfg.Now = func() time.Time { return time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC) }
	return Domain(context.Background(), cfg, input)
}

func ids(a *report.DomainAudit) []string {
	var out []string
	for _, f := range a.Findings {
		out = append(out, f.ID)
	}
	return out
}

func TestDomain(t *testing.T) {
	t.Parallel()
	qq := []*receiver.Profile{receiver.QQ}
	for _, tc := range []struct {
		name, input string
		cfg         Config
		fail        []string
		status      string
		exists      string
		check       func(t *testing.T, a *report.DomainAudit)
		want, not   []string // finding IDs present, absent
	}{
		{name: "brand", input: "brand.example", cfg: Config{Receivers: qq}, status: report.DomainOK, exists: "yes",
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DMARC.Policy != "reject" || a.DMARC.PolicyTag != "p" || a.SPF.Lookups != 2 || a.SPF.All != "fail" || a.MX.Status != "found" {
					t.Errorf("DMARC %s=%s, SPF %d lookups all=%s, MX %s", a.DMARC.PolicyTag, a.DMARC.Policy, a.SPF.Lookups, a.SPF.All, a.MX.Status)
				}
				if len(a.Receivers) != 1 || a.Receivers[0].Disposition != "reject" || !strings.HasPrefix(a.Receivers[0].SMTPReply, "550 DMARC check failed") {
					t.Errorf("receivers = %+v", a.Receivers)
				}
				if a.Summary != "DMARC p=reject, SPF 2/10 lookups, MX ok" {
					t.Errorf("summary %q", a.Summary)
				}
			}},
		{name: "an address counts as its domain", input: "news@Brand.Example.", status: report.DomainOK, exists: "yes",
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.Domain != "brand.example" || a.Input != "news@Brand.Example." {
					t.Errorf("domain %q input %q", a.Domain, a.Input)
				}
			}},
		{name: "nxdomain says so, not no record", input: "nosuch.example", status: report.DomainFail, exists: "nxdomain",
			want: []string{"domain.nxdomain"}, not: []string{"spf.no-record", "dmarc.no-record", "domain.no-mx"}},
		{name: "subdomain gets sp", input: "notify.brand.example", cfg: Config{Receivers: qq}, exists: "yes",
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DMARC.PolicyTag != "sp" || a.DMARC.Policy != "quarantine" || a.DMARC.RecordDomain != "brand.example" {
					t.Errorf("DMARC %s=%s at %s", a.DMARC.PolicyTag, a.DMARC.Policy, a.DMARC.RecordDomain)
				}
				if a.Receivers[0].Disposition != "quarantine" {
					t.Errorf("QQ: %s", a.Receivers[0].Disposition)
				}
			}},
		{name: "nonexistent subdomain gets np", input: "ghost.np.example", cfg: Config{Receivers: qq}, status: report.DomainFail, exists: "nxdomain",
			want: []string{"domain.nxdomain"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DMARC.PolicyTag != "np" || a.DMARC.Policy != "reject" {
					t.Errorf("DMARC %s=%s, want np=reject", a.DMARC.PolicyTag, a.DMARC.Policy)
				}
				// QQ is taken to implement RFC 7489, which has no np=: sp= applies.
				if a.Receivers[0].Disposition != "quarantine" {
					t.Errorf("QQ: %s", a.Receivers[0].Disposition)
				}
			}},
		{name: "DMARC SERVFAIL is unknown, not absent", input: "brand.example", fail: []string{"_dmarc.brand.example TXT"}, cfg: Config{Receivers: qq},
			status: report.DomainTempError, exists: "yes", want: []string{"dmarc.temperror"}, not: []string{"dmarc.no-record"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DMARC.Status != "temperror" || a.Receivers[0].Disposition != "unknown" {
					t.Errorf("DMARC %s, QQ %s", a.DMARC.Status, a.Receivers[0].Disposition)
				}
				if !strings.Contains(a.Summary, "DMARC unknown") {
					t.Errorf("summary %q", a.Summary)
				}
			}},
		{name: "MX SERVFAIL leaves existence unknown", input: "brand.example", fail: []string{"brand.example MX"},
			status: report.DomainTempError, exists: "unknown", want: []string{"domain.temperror"}, not: []string{"domain.no-mx", "domain.nxdomain"}},
		{name: "SPF SERVFAIL", input: "brand.example", fail: []string{"brand.example TXT"},
			status: report.DomainTempError, exists: "yes", want: []string{"spf.temperror"}, not: []string{"spf.no-record"}},
		{name: "a problem outranks a temporary failure", input: "open.example", fail: []string{"_mta-sts.open.example TXT"},
			status: report.DomainFail, want: []string{"spf.all-pass", "domain.temperror"}},
		{name: "report authorization", input: "auth.example", status: report.DomainTempError, fail: []string{"auth.example._report._dmarc.flaky.example TXT"},
			want: []string{"dmarc.rua-unauthorized", "domain.temperror"},
			check: func(t *testing.T, a *report.DomainAudit) {
				var got []string
				for _, r := range a.DMARC.Reports {
					got = append(got, r.Authorization)
				}
				if want := []string{"internal", "authorized", "unauthorized", "unknown", "unchecked"}; !slices.Equal(got, want) {
					t.Errorf("authorizations %v, want %v", got, want)
				}
				if q := a.DMARC.Reports[2].Query; q != "auth.example._report._dmarc.other.example" {
					t.Errorf("query %q", q)
				}
				n := 0
				for _, f := range a.Findings {
					if f.ID == "dmarc.rua-unauthorized" {
						n++
						if len(f.Records) != 1 || f.Records[0] != `auth.example._report._dmarc.other.example. TXT "v=DMARC1"` {
							t.Errorf("records %q", f.Records)
						}
					}
				}
				if n != 1 {
					t.Errorf("%d rua-unauthorized findings, want 1", n)
				}
			}},
		{name: "+all is a problem with a fix", input: "open.example", status: report.DomainFail, want: []string{"spf.all-pass", "dmarc.policy-none"},
			check: func(t *testing.T, a *report.DomainAudit) {
				for _, f := range a.Findings {
					if f.Severity == report.SeverityError && f.Fix == "" {
						t.Errorf("%s: an error without a fix", f.ID)
					}
				}
			}},
		{name: "two DMARC records", input: "twodmarc.example", status: report.DomainFail, want: []string{"dmarc.multiple-records"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DMARC.Status != "multiple" || len(a.DMARC.Records) != 2 {
					t.Errorf("DMARC %s %q", a.DMARC.Status, a.DMARC.Records)
				}
			}},
		{name: "no DMARC, record to publish", input: "nodmarc.example", want: []string{"dmarc.no-record", "domain.no-mx"},
			check: func(t *testing.T, a *report.DomainAudit) {
				for _, f := range a.Findings {
					if f.ID == "dmarc.no-record" && (len(f.Records) != 1 || !strings.HasPrefix(f.Records[0], "_dmarc.nodmarc.example. TXT \"v=DMARC1; p=none")) {
						t.Errorf("records %q", f.Records)
					}
				}
			}},
		{name: "selectors: a missing named one is a problem", input: "keyed.example", cfg: Config{Selectors: []string{"s1", "nope"}},
			status: report.DomainFail, want: []string{"dkim.key-not-found"}, not: []string{"dkim.no-common-selector"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if len(a.DKIM) != 2 || a.DKIM[0].Status != "ok" || a.DKIM[0].KeyBits != 2048 || a.DKIM[1].Status != "none" {
					t.Errorf("DKIM %+v", a.DKIM)
				}
			}},
		{name: "selectors: a revoked named key", input: "keyed.example", cfg: Config{Selectors: []string{"old"}},
			status: report.DomainFail, want: []string{"dkim.key-revoked"}},
		{name: "common selectors: absence is no problem", input: "brand.example", cfg: Config{Common: true},
			status: report.DomainOK, want: []string{"dkim.no-common-selector"}, not: []string{"dkim.key-not-found"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if len(a.DKIM) != len(CommonSelectors) || !a.DKIM[0].Common {
					t.Errorf("%d selectors tried", len(a.DKIM))
				}
			}},
		{name: "common selectors: found, revoked one listed only", input: "keyed.example", cfg: Config{Common: true, Selectors: []string{"S1"}},
			status: report.DomainOK, not: []string{"dkim.no-common-selector", "dkim.key-not-found"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DKIM[0].Selector != "s1" || a.DKIM[0].Common || a.DKIM[0].Status != "ok" {
					t.Errorf("first selector %+v", a.DKIM[0])
				}
				for _, k := range a.DKIM[1:] {
					if k.Selector == "s1" {
						t.Errorf("s1 tried twice")
					}
				}
			}},
		{name: "common selector SERVFAIL", input: "brand.example", cfg: Config{Common: true}, fail: []string{"google._domainkey.brand.example TXT"},
			status: report.DomainTempError, want: []string{"dkim.key-temporary"}},
		{name: "discovery differs", input: "shop.eu.good.example", want: []string{"dmarc.discovery-differs"},
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.DMARC.Agree || a.DMARC.Alternative == nil || a.DMARC.Alternative.RecordDomain != "eu.good.example" {
					t.Errorf("agree %v alternative %+v", a.DMARC.Agree, a.DMARC.Alternative)
				}
			}},
		{name: "not a domain", input: "https://brand.example/", status: report.DomainError,
			check: func(t *testing.T, a *report.DomainAudit) {
				if a.Error == "" || a.Domain != "" || a.DNS.Lookups != 0 {
					t.Errorf("error %q domain %q lookups %d", a.Error, a.Domain, a.DNS.Lookups)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := testResolver(t)
			if tc.name == "discovery differs" {
				z, err := dns.LoadZone("../../internal/cli/testdata/domain/audit.zone")
				if err != nil {
					t.Fatal(err)
				}
				r.r = z
			}
			for _, k := range tc.fail {
				r.fail[k] = true
			}
			a := audit(t, r, tc.cfg, tc.input)
			if tc.status != "" && a.Status != tc.status {
				t.Errorf("status %s, want %s (findings %v)", a.Status, tc.status, ids(a))
			}
			if tc.exists != "" && a.Exists != tc.exists {
				t.Errorf("exists %q, want %q", a.Exists, tc.exists)
			}
			got := ids(a)
			for _, id := range tc.want {
				if !slices.Contains(got, id) {
					t.Errorf("no %s finding; got %v", id, got)
				}
			}
			for _, id := range tc.not {
				if slices.Contains(got, id) {
					t.Errorf("unexpected %s finding; got %v", id, got)
				}
			}
			if a.Schema != report.Schema || a.Kind != "domain" {
				t.Errorf("schema %q kind %q", a.Schema, a.Kind)
			}
			if tc.check != nil {
				tc.check(t, a)
			}
		})
	}
}

func TestParseInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want, err string }{
		{in: "Brand.Example", want: "brand.example"},
		{in: " brand.example. ", want: "brand.example"},
		{in: "news@brand.example", want: "brand.example"},
		{in: "bücher.example", want: "xn--bcher-kva.example"},
		{in: "https://brand.example/", err: "is a URL"},
		{in: "localhost", err: "not a fully qualified"},
		{in: "192.0.2.1", err: "IP address"},
		{in: "a..b", err: "empty label"},
		{in: "", err: "empty"},
	} {
		d, err := ParseInput(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrNotDomain)):
			t.Errorf("ParseInput(%q) = %q, %v; want an error with %q", tc.in, d, err, tc.err)
		case tc.err == "" && (err != nil || d.String() != tc.want):
			t.Errorf("ParseInput(%q) = %q, %v; want %q", tc.in, d, err, tc.want)
		}
	}
}

func TestPolicyRecordSyntax(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		check func(string) string
		rec   string
		want  string // "" valid, else a part of the problem
	}{
		{"bimi", checkBIMI, "v=BIMI1; l=https://brand.example/logo.svg; a=https://brand.example/vmc.pem", ""},
		{"bimi declined", checkBIMI, "v=BIMI1; l=; a=;", ""},
		{"bimi http", checkBIMI, "v=BIMI1; l=http://brand.example/logo.svg", "https"},
		{"bimi no l", checkBIMI, "v=BIMI1; a=https://x.example/a.pem", "no l="},
		{"bimi v not first", checkBIMI, "l=https://x.example/l.svg; v=BIMI1", "start with v=BIMI1"},
		{"bimi twice", checkBIMI, "v=BIMI1; l=; l=https://x.example/l.svg", "twice"},
		{"bimi bare word", checkBIMI, "v=BIMI1; logo", "not a name=value"},
		{"mta-sts", checkMTASTS, "v=STSv1; id=20160831085700Z;", ""},
		{"mta-sts extension", checkMTASTS, "v=STSv1; id=abc; ext_1.a=x", ""},
		{"mta-sts long id", checkMTASTS, "v=STSv1; id=" + strings.Repeat("a", 33), "1 to 32"},
		{"mta-sts punctuated id", checkMTASTS, "v=STSv1; id=2016-08-31", "1 to 32"},
		{"mta-sts no id", checkMTASTS, "v=STSv1;", "no id="},
		{"mta-sts version", checkMTASTS, "v=STSv2; id=1", "start with v=STSv1"},
		{"tls-rpt", checkTLSRPT, "v=TLSRPTv1; rua=mailto:tls@brand.example,https://r.example/tls", ""},
		{"tls-rpt bad uri", checkTLSRPT, "v=TLSRPTv1; rua=tls@brand.example", "neither mailto: nor https:"},
		{"tls-rpt no rua", checkTLSRPT, "v=TLSRPTv1", "no rua="},
		{"tls-rpt bad ext", checkTLSRPT, "v=TLSRPTv1; rua=mailto:a@b.example; -x=1", "not a valid tag name"},
	} {
		got := tc.check(tc.rec)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q → %q, want %q", tc.name, tc.rec, got, tc.want)
		}
	}
}

func TestPolicyTXT(t *testing.T) {
	t.Parallel()
	ans := func(txt ...string) lookup {
		l := lookup{name: "_mta-sts.x.example", res: dns.Result{Status: dns.StatusAnswer}}
		for _, s := range txt {
			l.res.Records = append(l.res.Records, dns.Record{Type: dns.TypeTXT, Data: s})
		}
		return l
	}
	for _, tc := range []struct {
		name   string
		l      lookup
		status string
	}{
		{"other TXT ignored", ans("google-site-verification=x", "v=STSv1; id=1"), "found"},
		{"only other TXT", ans("hello"), "none"},
		{"two records", ans("v=STSv1; id=1", "v=STSv1; id=2"), "invalid"},
		{"nodata", lookup{res: dns.Result{Status: dns.StatusNoData}}, "none"},
		{"temperror", lookup{err: dns.Temporary(errors.New("timeout"))}, "temperror"},
	} {
		if got := policyTXT(tc.l, "STSv1", checkMTASTS); got.Status != tc.status {
			t.Errorf("%s: status %s, want %s", tc.name, got.Status, tc.status)
		}
	}
}

func TestIsDMARC1(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"v=DMARC1": true, " v = DMARC1 ; rua=mailto:x@y.example": true, "v=dmarc1;": true,
		"v=DMARC2": false, "v=spf1 -all": false, "": false, "rua=x; v=DMARC1": false} {
		if isDMARC1(s) != want {
			t.Errorf("isDMARC1(%q) = %v", s, !want)
		}
	}
}

func TestBatchOrderAndConcurrency(t *testing.T) {
	t.Parallel()
	r := testResolver(t)
	// Earlier domains answer slower, so they finish last.
	names := []string{"brand.example", "esp.example", "shop.example", "startup.example", "nodmarc.example", "legacy.example", "nosuch.example", "bad..x"}
	r.delay = func(name string) time.Duration {
		for i, n := range names {
			if strings.HasSuffix(name, n) {
				return time.Duration(len(names)-i) * 3 * time.Millisecond
			}
		}
		return 0
	}
	var got []string
	err := Batch(context.Background(), Config{Resolver: dns.NewCache(r, nil)}, names, 4, func(i int, a *report.DomainAudit) error {
		if a.Input != names[i] {
			t.Errorf("emit %d got %q", i, a.Input)
		}
		got = append(got, a.Input)
		return nil
	})
	if err != nil || !slices.Equal(got, names) {
		t.Errorf("Batch = %v, order %v", err, got)
	}
}

func TestBatchStops(t *testing.T) {
	t.Parallel()
	r := testResolver(t)
	r.delay = func(string) time.Duration { return time.Hour }
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Batch(ctx, Config{Resolver: dns.NewCache(r, nil)}, []string{"brand.example", "esp.example"}, 16, func(int, *report.DomainAudit) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Batch = %v, want the context's error", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("Batch took %v after its context ended", time.Since(start))
	}
	stop := errors.New("stop")
	n := 0
	// A fresh resolver: the cache's questions of the first batch may
	// still be in flight (they outlive their callers by design).
	r = testResolver(t)
	err = Batch(context.Background(), Config{Resolver: r}, []string{"brand.example", "esp.example", "shop.example"}, 1, func(int, *report.DomainAudit) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Batch = %v after %d emits, want emit's error after 1", err, n)
	}
}

func TestMain(m *testing.M) {
	// The tests read the demo zone relative to this package.
	if _, err := os.Stat("../../testdata/demo/demo.zone"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
