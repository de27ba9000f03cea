package check

import (
	"context"
	"slices"
	"strings"
	"testing"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/internal/receiver"
	"preflight/spf"
)

// TestSPFWorstIP: with several sending IPs every one is evaluated and the
// worst result decides, whatever the order; the deciding IP is the one the
// receiver's reply and the fix name.
func TestSPFWorstIP(t *testing.T) {
	t.Parallel()
	z := smallZone(t)
	for _, tc := range []struct {
		name     string
		mailFrom string
		ips      []string
		status   spf.Status
		worst    int
		finding  string
		reply    string // substring of the verdict's reply
		fixTerm  string // substring of a finding's fix
		perIP    []spf.Status
		families bool // spf.family-differs
	}{
		{name: "pass then fail", mailFrom: "b@nodmarc.example", ips: []string{"192.0.2.10", "198.51.100.7"},
			status: spf.StatusFail, worst: 1, finding: "spf.fail", reply: "550 SPF check failed", fixTerm: "ip4:198.51.100.7",
			perIP: []spf.Status{spf.StatusPass, spf.StatusFail}},
		{name: "fail then pass", mailFrom: "b@nodmarc.example", ips: []string{"198.51.100.7", "192.0.2.10"},
			status: spf.StatusFail, worst: 0, finding: "spf.fail", reply: "550 SPF check failed", fixTerm: "ip4:198.51.100.7",
			perIP: []spf.Status{spf.StatusFail, spf.StatusPass}},
		{name: "IPv4 passes, IPv6 fails", mailFrom: "b@v4.example", ips: []string{"192.0.2.10", "2001:db8:e5::10"},
			status: spf.StatusFail, worst: 1, finding: "spf.family-differs", reply: "550 SPF check failed", fixTerm: "ip6:2001:db8:e5::10",
			perIP: []spf.Status{spf.StatusPass, spf.StatusFail}, families: true},
		{name: "both families pass", mailFrom: "b@esp.example", ips: []string{"192.0.2.10", "2001:db8:e5::10"},
			status: spf.StatusPass, worst: 0, perIP: []spf.Status{spf.StatusPass, spf.StatusPass}},
		{name: "no SPF record", mailFrom: "b@norecord.example", ips: []string{"192.0.2.10"},
			status: spf.StatusNone, worst: 0, finding: "spf.no-record", fixTerm: "v=spf1 ip4:192.0.2.10 -all", perIP: []spf.Status{spf.StatusNone}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan := Plan{From: "news@nodmarc.example", MailFrom: tc.mailFrom, MailFromSet: true, IPs: ips(tc.ips...)}
			r := Check(context.Background(), config(t, z, "qq"), nil, plan)
			consistent(t, r)
			s := r.SPF
			var per []spf.Status
			for _, p := range s.PerIP {
				per = append(per, p.Status)
			}
			if s.Status != tc.status || s.Worst != tc.worst || s.IP != ips(tc.ips...)[tc.worst] || !slices.Equal(per, tc.perIP) {
				t.Errorf("SPF %s from %s (index %d), per IP %v; want %s from %s, %v", s.Status, s.IP, s.Worst, per, tc.status, tc.ips[tc.worst], tc.perIP)
			}
			if tc.finding != "" {
				f, ok := finding1(r, tc.finding)
				if !ok {
					t.Fatalf("no %s finding among %v", tc.finding, findingIDs(r.Findings))
				}
				if tc.fixTerm != "" && !strings.Contains(f.Fix+f.Detail, tc.fixTerm) && !containsAny(fixTexts(r), tc.fixTerm) {
					t.Errorf("%s does not name %s: %+v", tc.finding, tc.fixTerm, f)
				}
			}
			if !strings.Contains(r.Verdict.SMTPReply, tc.reply) {
				t.Errorf("reply %q does not contain %q", r.Verdict.SMTPReply, tc.reply)
			}
			if _, ok := finding1(r, "spf.family-differs"); ok != tc.families {
				t.Errorf("spf.family-differs = %v", ok)
			}
		})
	}
}

func fixTexts(r *Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Fix)
	}
	for _, f := range r.Fixes {
		out = append(out, f.Steps...)
		out = append(out, f.Records...)
	}
	return out
}

// TestSPFRank: the worst result decides, in DMARC's order of harm.
func TestSPFRank(t *testing.T) {
	t.Parallel()
	order := []spf.Status{spf.StatusPass, spf.StatusTempError, spf.StatusNone, spf.StatusNeutral, spf.StatusSoftFail, spf.StatusPermError, spf.StatusFail}
	for i := 1; i < len(order); i++ {
		if spfRank[order[i-1]] >= spfRank[order[i]] {
			t.Errorf("%s ranks at or above %s", order[i-1], order[i])
		}
	}
}

// TestDKIMCounted: an expected signature with a usable key counts for the
// receiver; one whose key has t=y passes by the RFCs but QQ does not count
// it, so the receiver's own view of DMARC (evaluated once, separately)
// fails where dmarc.result passes, and the report says why.
func TestDKIMCounted(t *testing.T) {
	t.Parallel()
	z := smallZone(t)
	base := Plan{From: "news@brand.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	for _, tc := range []struct {
		name       string
		profile    string
		expect     string
		counted    bool
		plain      dmarc.Result
		receiver   dmarc.Result
		disp       receiver.Disposition
		rule       string // a verdict rule
		notCounted string // substring of the signature's note
	}{
		{name: "usable key counts", profile: "qq", expect: "brand.example:s1", counted: true,
			plain: dmarc.ResultPass, receiver: dmarc.ResultPass, disp: receiver.DispositionAccept, rule: "qq.dmarc-pass"},
		{name: "t=y key: QQ does not count it", profile: "qq", expect: "brand.example:t1",
			plain: dmarc.ResultPass, receiver: dmarc.ResultFail, disp: receiver.DispositionReject, rule: "qq.dkim-testing-key", notCounted: "t=y"},
		{name: "t=y key under the RFC profile", profile: "rfc", expect: "brand.example:t1",
			plain: dmarc.ResultPass, receiver: dmarc.ResultFail, disp: receiver.DispositionReject, rule: "rfc.dkim-testing-key", notCounted: "RFC 6376"},
		{name: "unaligned ESP key counts but does not align", profile: "qq", expect: "esp.example:s1", counted: true,
			plain: dmarc.ResultFail, receiver: dmarc.ResultFail, disp: receiver.DispositionReject, rule: "qq.dmarc-reject"},
		{name: "missing key: not a pass, nothing to count", profile: "qq", expect: "brand.example:nokey",
			plain: dmarc.ResultFail, receiver: dmarc.ResultFail, disp: receiver.DispositionReject, rule: "qq.dmarc-reject"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds, err := ParseDomainSelector(tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			plan := base
			plan.ExpectDKIM = []DomainSelector{ds}
			r := Check(context.Background(), config(t, z, tc.profile), nil, plan)
			consistent(t, r)
			if len(r.DKIM) != 1 {
				t.Fatalf("%d signatures", len(r.DKIM))
			}
			s := r.DKIM[0]
			if s.Counted != tc.counted || !strings.Contains(s.NotCounted, tc.notCounted) || (tc.notCounted == "") != (s.NotCounted == "") {
				t.Errorf("counted %v (%q), want %v (%q)", s.Counted, s.NotCounted, tc.counted, tc.notCounted)
			}
			if !s.DKIM.Assumed || !containsAny(r.Assumptions, "expected to be added by the ESP") {
				t.Errorf("expected signature not marked assumed: %+v, %q", s.DKIM, r.Assumptions)
			}
			d := r.DMARC
			if d.Result != tc.plain || d.Evaluation.Result != tc.plain || d.ReceiverView.Result != tc.receiver || r.Verdict.Disposition != tc.disp {
				t.Errorf("DMARC %s (plain %s), receiver's view %s, verdict %s; want %s, %s, %s",
					d.Result, d.Evaluation.Result, d.ReceiverView.Result, r.Verdict.Disposition, tc.plain, tc.receiver, tc.disp)
			}
			differs := tc.plain != tc.receiver
			if _, ok := finding1(r, "receiver.dkim-not-counted"); ok != differs {
				t.Errorf("receiver.dkim-not-counted = %v", ok)
			}
			if !slices.ContainsFunc(r.Verdict.Rules, func(rule receiver.Rule) bool { return rule.ID == tc.rule }) {
				t.Errorf("rule %s not among the verdict's", tc.rule)
			}
			if r.Report.DKIM[0].Counted != tc.counted || r.Report.DMARC.Result != string(tc.plain) {
				t.Errorf("report: DKIM %+v, DMARC %s", r.Report.DKIM[0], r.Report.DMARC.Result)
			}
		})
	}
}

// TestSignSimulation signs a message with the demo's private keys, as the
// ESP will: the published key verifies and aligns; a key that is not the
// published one fails, and the fix is to repair that aligned signature.
func TestSignSimulation(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	m, err := ReadMessageFile(demoDir + "esp-defaults.eml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key      string
		result   dkim.Status
		dmarc    dmarc.Result
		disp     receiver.Disposition
		fixTitle string
		fixStep  string
	}{
		{key: "brand-esp1.key", result: dkim.StatusPass, dmarc: dmarc.ResultPass, disp: receiver.DispositionAccept},
		{key: "brand-unpublished.key", result: dkim.StatusFail, dmarc: dmarc.ResultFail, disp: receiver.DispositionReject,
			fixTitle: "repair the aligned DKIM signature d=brand.example s=esp1", fixStep: "Replace the TXT record at esp1._domainkey.brand.example"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			signer, _, err := dkim.LoadPrivateKey(demoDir + "keys/" + tc.key)
			if err != nil {
				t.Fatal(err)
			}
			plan := Plan{SignKey: signer, SignDomain: "brand.example", SignSelector: "esp1"}
			r := Check(context.Background(), config(t, z, "qq"), m, plan)
			consistent(t, r)
			if len(r.DKIM) != 2 || !r.DKIM[1].DKIM.Simulated || !r.Report.DKIM[1].Simulated || r.DKIM[1].DKIM.Result != tc.result {
				t.Fatalf("signatures %+v", r.Report.DKIM)
			}
			if r.DMARC.Result != tc.dmarc || r.Verdict.Disposition != tc.disp {
				t.Errorf("DMARC %s, verdict %s; want %s, %s", r.DMARC.Result, r.Verdict.Disposition, tc.dmarc, tc.disp)
			}
			if tc.fixTitle == "" {
				return
			}
			if len(r.Fixes) == 0 || r.Fixes[0].Title != tc.fixTitle || !containsAny(r.Fixes[0].Steps, tc.fixStep) {
				t.Errorf("fixes %+v, want first %q with %q", r.Fixes, tc.fixTitle, tc.fixStep)
			}
		})
	}
	// A plan without a sample: the simulation signs a minimal message.
	signer, _, err := dkim.LoadPrivateKey(demoDir + "keys/brand-esp1.key")
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{From: "news@brand.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10"),
		SignKey: signer, SignDomain: "brand.example", SignSelector: "esp1"}
	if r := Check(context.Background(), config(t, z, "qq"), nil, plan); r.DMARC.Result != dmarc.ResultPass || len(r.DKIM) != 1 {
		t.Errorf("plan with sign-simulation: DMARC %s, %d signatures", r.DMARC.Result, len(r.DKIM))
	}
}

// TestFixes: when DMARC fails, the fixes proven enough come first, and each
// says what to publish.
func TestFixes(t *testing.T) {
	t.Parallel()
	z := smallZone(t)
	for _, tc := range []struct {
		name   string
		plan   Plan
		titles []string
		record string // one record to publish
		step   string // one step
	}{
		{name: "ESP defaults: sign aligned, or a custom Return-Path",
			plan:   Plan{From: "news@brand.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10"), ExpectDKIM: []DomainSelector{{"esp.example", "s1"}}},
			titles: []string{"sign with DKIM d=brand.example", "use a custom Return-Path such as bounce.brand.example, pointed at the ESP"},
			record: `bounce.brand.example. TXT "v=spf1 include:esp.example -all"`, step: "Your ESP signs with its own domain (d=esp.example)"},
		{name: "aspf=s: the Return-Path must be the From domain itself",
			plan:   Plan{From: "news@strict.example", MailFrom: "b@bounce.strict.example", MailFromSet: true, IPs: ips("192.0.2.10")},
			titles: []string{"sign with DKIM d=strict.example", "send with a Return-Path at strict.example itself (aspf=s)"},
			record: `s1._domainkey.strict.example. TXT "v=DKIM1; k=rsa; p=<public key from your ESP>"`, step: "relax the policy to aspf=r"},
		{name: "aligned SPF fails: authorise the IP (signing alone leaves QQ's SPF rejection)",
			plan:   Plan{From: "news@brand.example", MailFrom: "b@brand.example", MailFromSet: true, IPs: ips("198.51.100.7")},
			titles: []string{"authorise the sending IP in brand.example's SPF record", "sign with DKIM d=brand.example"},
			record: `brand.example. TXT "v=spf1 include:esp.example ip4:198.51.100.7 -all"`, step: "it adds ip4:198.51.100.7"},
		{name: "MAIL FROM unknown",
			plan:   Plan{From: "news@brand.example", IPs: ips("192.0.2.10")},
			titles: []string{"sign with DKIM d=brand.example", "send with a Return-Path on brand.example (custom bounce domain)"},
			step:   "Re-run with --mail-from to check."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Check(context.Background(), config(t, z, "qq"), nil, tc.plan)
			consistent(t, r)
			var titles []string
			for _, f := range r.Fixes {
				titles = append(titles, f.Title)
			}
			if !slices.Equal(titles, tc.titles) {
				t.Errorf("fixes %q, want %q", titles, tc.titles)
			}
			if tc.record != "" && !containsAny(fixTexts(r), tc.record) {
				t.Errorf("no record %q in %+v", tc.record, r.Fixes)
			}
			if !containsAny(fixTexts(r), tc.step) {
				t.Errorf("no step %q in %+v", tc.step, r.Fixes)
			}
			f, ok := finding1(r, "dmarc.no-aligned-pass")
			if !ok || !strings.HasPrefix(f.Fix, "Any one of: (1) "+tc.titles[0]) {
				t.Errorf("dmarc.no-aligned-pass %+v", f)
			}
		})
	}
}

// TestSampling: pct= makes the outcome a probability, said in a finding.
func TestSampling(t *testing.T) {
	t.Parallel()
	plan := Plan{From: "news@pct.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	r := Check(context.Background(), config(t, smallZone(t), "qq"), nil, plan)
	consistent(t, r)
	if r.Verdict.Disposition != receiver.DispositionReject || r.Verdict.Probability != 0.5 || r.Report.Verdict.Probability != 0.5 {
		t.Errorf("verdict %s with probability %v", r.Verdict.Disposition, r.Verdict.Probability)
	}
	if f, ok := finding1(r, "receiver.pct-probability"); !ok || !strings.Contains(f.Detail, "pct=50") {
		t.Errorf("pct finding %+v", f)
	}
}

// TestInferredRulesAreAssumptions: every inferred receiver rule behind the
// verdict is listed once among the assumptions.
func TestInferredRulesAreAssumptions(t *testing.T) {
	t.Parallel()
	plan := Plan{From: "news@brand.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	r := Check(context.Background(), config(t, smallZone(t), "qq"), nil, plan)
	seen := map[string]bool{}
	for _, rule := range r.Verdict.Rules {
		if seen[rule.ID+rule.Text] {
			t.Errorf("rule %s listed twice", rule.ID)
		}
		seen[rule.ID+rule.Text] = true
		if rule.Provenance == receiver.Inferred && !containsAny(r.Assumptions, rule.Text) {
			t.Errorf("inferred rule %s is not an assumption", rule.ID)
		}
	}
	if len(r.Report.Verdict.Rules) != len(r.Verdict.Rules) || r.Verdict.Rules[0].ID != "qq.discovery" {
		t.Errorf("rules %+v", r.Verdict.Rules)
	}
}
