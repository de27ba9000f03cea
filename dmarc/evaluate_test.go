package dmarc

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
)

const evalZone = `
$ORIGIN .
$TTL 300
_dmarc.brand.example      TXT "v=DMARC1; p=reject"
_dmarc.strict.example     TXT "v=DMARC1; p=reject; adkim=s; aspf=s"
_dmarc.subs.example       TXT "v=DMARC1; p=reject; sp=quarantine; np=none"
real.subs.example         MX 10 mx.subs.example
_dmarc.nosp.example       TXT "v=DMARC1; p=quarantine"
_dmarc.pct.example        TXT "v=DMARC1; p=reject; pct=30"
_dmarc.pct0.example       TXT "v=DMARC1; p=reject; pct=0"
_dmarc.qpct.example       TXT "v=DMARC1; p=quarantine; pct=10"
_dmarc.test.example       TXT "v=DMARC1; p=reject; t=y"
_dmarc.testq.example      TXT "v=DMARC1; p=quarantine; t=y"
_dmarc.none.example       TXT "v=DMARC1; p=none"
_dmarc.two.example        TXT "v=DMARC1; p=reject"
_dmarc.two.example        TXT "v=DMARC1; p=reject; rua=mailto:d@two.example"
_dmarc.bad.example        TXT "v=DMARC1; p=reject; pct=200"
_dmarc.rua.example        TXT "v=DMARC1; p=rejected; rua=mailto:d@rua.example"
_dmarc.brand.co.uk        TXT "v=DMARC1; p=reject"
_dmarc.xn--bcher-kva.example TXT "v=DMARC1; p=reject"
_dmarc.mid.deep.example   TXT "v=DMARC1; p=reject"
`

func TestEvaluate(t *testing.T) {
	t.Parallel()
	r := newZone(t, evalZone, "TXT _dmarc.temp.example", "A tmp.subs.example", "TXT _dmarc.x.mid.deep.example")
	type want struct {
		result    Result
		policy    Policy
		tag       string
		spf       bool // SPF counts
		dkim      []bool
		sampling  []Share
		testing   bool
		mode      AlignMode
		fromOrg   dns.Domain
		spfOrg    dns.Domain
		errIs     error
		spfAlign  bool
		spfUnkown bool
	}
	tests := []struct {
		name string
		from string
		spf  SPFInput
		dkim []DKIMInput
		opts Options
		ids  []string
		want want
	}{
		{name: "ESP defaults, nothing aligned, p=reject", from: "news@brand.example",
			spf:  SPFInput{Result: "pass", Domain: "bounce.esp.example"},
			dkim: []DKIMInput{{Domain: "esp.example", Result: "pass"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example", spfOrg: "esp.example"}},
		{name: "custom Return-Path aligns SPF", from: "brand.example",
			spf:  SPFInput{Result: "pass", Domain: "bounce.brand.example"},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", spf: true, spfAlign: true, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example", spfOrg: "brand.example"}},
		{name: "DKIM d=brand aligns", from: "brand.example",
			spf:  SPFInput{Result: "pass", Domain: "esp.example"},
			dkim: []DKIMInput{{Domain: "esp.example", Result: "pass"}, {Domain: "brand.example", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", dkim: []bool{false, true}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example", spfOrg: "esp.example"}},
		{name: "sibling subdomains align relaxed", from: "news.brand.example",
			dkim: []DKIMInput{{Domain: "mail.brand.example", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", dkim: []bool{true}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example"}},
		{name: "aligned DKIM that failed does not count", from: "brand.example",
			dkim: []DKIMInput{{Domain: "brand.example", Result: "fail"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example"}},
		{name: "look-alike suffix is not aligned", from: "brand.example",
			spf:  SPFInput{Result: "pass", Domain: "notbrand.example"},
			dkim: []DKIMInput{{Domain: "brand.example.evil.example", Result: "pass"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example", spfOrg: "notbrand.example"}},
		{name: "public suffix d= is not aligned", from: "brand.example",
			dkim: []DKIMInput{{Domain: "example", Result: "pass"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example"}},
		{name: "co.uk siblings align", from: "a.brand.co.uk",
			dkim: []DKIMInput{{Domain: "b.brand.co.uk", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", dkim: []bool{true}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.co.uk"}},
		{name: "co.uk neighbours do not", from: "brand.co.uk",
			dkim: []DKIMInput{{Domain: "other.co.uk", Result: "pass"}, {Domain: "co.uk", Result: "pass"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false, false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.co.uk"}},
		{name: "strict: subdomain does not align", from: "strict.example",
			spf:  SPFInput{Result: "pass", Domain: "mail.strict.example"},
			dkim: []DKIMInput{{Domain: "mail.strict.example", Result: "pass"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignStrict, fromOrg: "strict.example", spfOrg: "strict.example"}},
		{name: "strict: exact, any case and trailing dot", from: "User@STRICT.example.",
			spf:  SPFInput{Result: "PASS", Domain: "Strict.Example."},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", spf: true, spfAlign: true, sampling: []Share{{PolicyReject, 100}}, mode: AlignStrict, fromOrg: "strict.example", spfOrg: "strict.example"}},
		{name: "IDN: U-label From, A-label d=", from: "info@BÜCHER.example",
			dkim: []DKIMInput{{Domain: "xn--bcher-kva.example", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", dkim: []bool{true}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "xn--bcher-kva.example"}},
		{name: "IDN: A-label From, U-label SPF domain", from: "xn--bcher-kva.example",
			spf:  SPFInput{Result: "pass", Domain: "mail.bücher.example"},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", spf: true, spfAlign: true, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "xn--bcher-kva.example", spfOrg: "xn--bcher-kva.example"}},
		{name: "sp for an existing subdomain", from: "real.subs.example",
			want: want{result: ResultFail, policy: PolicyQuarantine, tag: "sp", sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "subs.example"}},
		{name: "np for a non-existent subdomain", from: "ghost.subs.example",
			want: want{result: ResultFail, policy: PolicyNone, tag: "np", sampling: []Share{{PolicyNone, 100}}, mode: AlignRelaxed, fromOrg: "subs.example"}},
		{name: "np ignored by an RFC 7489 receiver", from: "ghost.subs.example", opts: RFC7489,
			want: want{result: ResultFail, policy: PolicyQuarantine, tag: "sp", sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "subs.example"}},
		{name: "existence unknown and np matters: temperror", from: "tmp.subs.example",
			want: want{result: ResultTempError, policy: PolicyQuarantine, tag: "sp", sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "subs.example", errIs: ErrTemporary}},
		{name: "existence unknown but DMARC passes", from: "tmp.subs.example",
			dkim: []DKIMInput{{Domain: "subs.example", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyQuarantine, tag: "sp", dkim: []bool{true}, sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "subs.example"}},
		{name: "no sp: p applies to subdomains", from: "x.nosp.example",
			want: want{result: ResultFail, policy: PolicyQuarantine, tag: "p", sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "nosp.example"}},
		{name: "record at the subdomain: p, not sp", from: "brand.example",
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example"}},
		{name: "pct=30 under reject", from: "pct.example",
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", sampling: []Share{{PolicyReject, 30}, {PolicyQuarantine, 70}}, mode: AlignRelaxed, fromOrg: "pct.example"}},
		{name: "pct=0 under reject: quarantine", from: "pct0.example",
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "pct0.example"}},
		{name: "pct=10 under quarantine", from: "qpct.example",
			want: want{result: ResultFail, policy: PolicyQuarantine, tag: "p", sampling: []Share{{PolicyQuarantine, 10}, {PolicyNone, 90}}, mode: AlignRelaxed, fromOrg: "qpct.example"}},
		{name: "pct ignored by RFC 9989", from: "pct.example", opts: RFC9989,
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "pct.example"}},
		{name: "t=y: reject becomes quarantine", from: "test.example",
			want: want{result: ResultFail, policy: PolicyQuarantine, tag: "p", testing: true, sampling: []Share{{PolicyQuarantine, 100}}, mode: AlignRelaxed, fromOrg: "test.example"}},
		{name: "t=y: quarantine becomes none", from: "testq.example",
			want: want{result: ResultFail, policy: PolicyNone, tag: "p", testing: true, sampling: []Share{{PolicyNone, 100}}, mode: AlignRelaxed, fromOrg: "testq.example"}},
		{name: "t=y ignored by RFC 7489", from: "test.example", opts: RFC7489,
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "test.example"}},
		{name: "p=none fails too", from: "none.example",
			want: want{result: ResultFail, policy: PolicyNone, tag: "p", sampling: []Share{{PolicyNone, 100}}, mode: AlignRelaxed, fromOrg: "none.example"}},
		{name: "invalid p with rua acts as none", from: "rua.example",
			want: want{result: ResultFail, policy: PolicyNone, tag: "p", sampling: []Share{{PolicyNone, 100}}, mode: AlignRelaxed, fromOrg: "rua.example"}},
		{name: "no record", from: "absent.example",
			spf:  SPFInput{Result: "pass", Domain: "absent.example"},
			want: want{result: ResultNone, spf: true, mode: AlignRelaxed, fromOrg: "absent.example", spfOrg: "absent.example", errIs: ErrNoRecord, spfAlign: true}},
		{name: "two records: none", from: "two.example",
			want: want{result: ResultNone, mode: AlignRelaxed, fromOrg: "two.example", errIs: ErrMultipleRecords}},
		{name: "syntax error: permerror", from: "bad.example",
			want: want{result: ResultPermError, mode: AlignRelaxed, fromOrg: "bad.example", errIs: ErrSyntax}},
		{name: "DNS failure: temperror even with an aligned pass", from: "temp.example",
			dkim: []DKIMInput{{Domain: "temp.example", Result: "pass"}},
			want: want{result: ResultTempError, dkim: []bool{true}, mode: AlignRelaxed, fromOrg: "temp.example", errIs: ErrTemporary}},
		{name: "aligned DKIM temperror, nothing passed: temperror", from: "brand.example",
			spf:  SPFInput{Result: "pass", Domain: "esp.example"},
			dkim: []DKIMInput{{Domain: "brand.example", Result: "temperror"}},
			want: want{result: ResultTempError, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example", spfOrg: "esp.example", errIs: ErrTemporary}},
		{name: "unaligned DKIM temperror cannot change it: fail", from: "brand.example",
			dkim: []DKIMInput{{Domain: "esp.example", Result: "temperror"}},
			want: want{result: ResultFail, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example"}},
		{name: "aligned SPF temperror but DKIM aligned pass: pass", from: "brand.example",
			spf:  SPFInput{Result: "temperror", Domain: "brand.example"},
			dkim: []DKIMInput{{Domain: "brand.example", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", dkim: []bool{true}, spfAlign: true, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "brand.example", spfOrg: "brand.example"}},
		{name: "tree walk: intermediate record, sibling aligns by walk org", from: "a.mid.deep.example", opts: RFC9989,
			ids:  []string{"b.mid.deep.example"},
			dkim: []DKIMInput{{Domain: "b.mid.deep.example", Result: "pass"}},
			want: want{result: ResultPass, policy: PolicyReject, tag: "p", dkim: []bool{true}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "mid.deep.example"}},
		{name: "PSL: the same message finds no record", from: "a.mid.deep.example",
			dkim: []DKIMInput{{Domain: "b.mid.deep.example", Result: "pass"}},
			want: want{result: ResultNone, dkim: []bool{true}, mode: AlignRelaxed, fromOrg: "deep.example", errIs: ErrNoRecord}},
		{name: "tree walk: org domain of a passing identifier unknown: temperror", from: "a.mid.deep.example", opts: RFC9989,
			ids:  []string{"x.mid.deep.example"},
			dkim: []DKIMInput{{Domain: "x.mid.deep.example", Result: "pass"}},
			want: want{result: ResultTempError, policy: PolicyReject, tag: "p", dkim: []bool{false}, sampling: []Share{{PolicyReject, 100}}, mode: AlignRelaxed, fromOrg: "mid.deep.example", errIs: ErrTemporary}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := Discover(context.Background(), r, dns.Domain(tc.from), DiscoverOptions{Identifiers: tc.ids})
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			ev := Evaluate(Input{Discovery: d, SPF: tc.spf, DKIM: tc.dkim, Options: tc.opts})
			var dk []bool
			for _, a := range ev.DKIM {
				dk = append(dk, a.Counts)
			}
			got := want{result: ev.Result, policy: ev.Policy, tag: ev.PolicyTag, spf: ev.SPF.Counts, dkim: dk,
				sampling: ev.Sampling, testing: ev.Testing, mode: ev.SPF.Mode, fromOrg: ev.SPF.FromOrgDomain, spfOrg: ev.SPF.OrgDomain,
				errIs: tc.want.errIs, spfAlign: ev.SPF.Aligned}
			if tc.spf.Domain == "" {
				got.fromOrg = ev.OrgDomain
			}
			if tc.want.errIs != nil && !errors.Is(ev.Err, tc.want.errIs) {
				t.Errorf("Err = %v, want %v", ev.Err, tc.want.errIs)
			}
			if (ev.Result == ResultTempError || ev.Result == ResultPermError) && ev.Err == nil {
				t.Errorf("result %s without an error", ev.Result)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("Evaluate (-want +got):\n%s\nnotes: %q", diff, ev.Notes)
			}
			if ev.SPF.Explanation == "" || len(ev.Notes) == 0 {
				t.Errorf("no explanation: %+v", ev)
			}
		})
	}
}

func TestEvaluateExplains(t *testing.T) {
	t.Parallel()
	r := newZone(t, evalZone)
	d, err := Discover(context.Background(), r, "brand.example", DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ev := Evaluate(Input{Discovery: d, SPF: SPFInput{Result: "pass", Domain: "esp.example"}})
	want := "SPF passed for esp.example, but esp.example is not aligned with brand.example (aspf=r compares organizational domains: esp.example ≠ brand.example)"
	if ev.SPF.Explanation != want {
		t.Errorf("explanation\n got %q\nwant %q", ev.SPF.Explanation, want)
	}
	if ev := Evaluate(Input{}); ev.Result != ResultNone || ev.Err == nil {
		t.Errorf("Evaluate without discovery = %s, %v", ev.Result, ev.Err)
	}
}

func TestEvaluateMissingPolicyRFC9989(t *testing.T) {
	t.Parallel()
	r := newZone(t, `_dmarc.nop.example. 300 IN TXT "v=DMARC1; adkim=s"`)
	d, err := Discover(context.Background(), r, "nop.example", DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ev := Evaluate(Input{Discovery: d, Options: RFC7489}); ev.Result != ResultNone || !errors.Is(ev.Err, ErrNoPolicy) {
		t.Errorf("RFC 7489: %s (%v), want none: no DMARC processing", ev.Result, ev.Err)
	}
	ev := Evaluate(Input{Discovery: d, Options: RFC9989})
	if ev.Result != ResultFail || ev.Policy != PolicyNone || ev.Found.Record.ADKIM != AlignStrict {
		t.Errorf("RFC 9989: %s %s, want fail under p=none", ev.Result, ev.Policy)
	}
	if d.RFC9989.Status != DiscoveryNoPolicy {
		t.Errorf("Evaluate must not change the discovery: %s", d.RFC9989.Status)
	}
}
