package receiver

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
)

const zone = `
$ORIGIN .
$TTL 300
_dmarc.reject.example     TXT "v=DMARC1; p=reject"
_dmarc.quar.example       TXT "v=DMARC1; p=quarantine"
_dmarc.none.example       TXT "v=DMARC1; p=none"
_dmarc.two.example        TXT "v=DMARC1; p=reject"
_dmarc.two.example        TXT "v=DMARC1; p=none"
_dmarc.bad.example        TXT "v=DMARC1; p=reject; pct=x"
_dmarc.pct.example        TXT "v=DMARC1; p=reject; pct=30"
_dmarc.pct0.example       TXT "v=DMARC1; p=reject; pct=0"
_dmarc.test.example       TXT "v=DMARC1; p=reject; t=y"
_dmarc.subs.example       TXT "v=DMARC1; p=none; sp=reject; np=none"
_dmarc.mid.deep.example   TXT "v=DMARC1; p=reject"
`

type tempFail struct {
	dns.Resolver
	name string
}

func (f tempFail) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if dns.CanonicalName(name) == f.name {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail, Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	return f.Resolver.Lookup(ctx, name, t)
}

// view discovers and evaluates DMARC as the pipeline does for profile p:
// with the profile's options, over the DKIM results it counts, giving
// Predict's input (SPF facts left for the caller).
func view(t testing.TB, p *Profile, from string, spf dmarc.SPFInput, sigs []dkim.Result) Input {
	t.Helper()
	z, err := dns.ParseZone(zone, "test")
	if err != nil {
		t.Fatal(err)
	}
	r := tempFail{Resolver: z, name: "_dmarc.temp.example"}
	ids := []string{spf.Domain}
	for _, s := range sigs {
		ids = append(ids, string(s.Domain))
	}
	d, err := dmarc.Discover(context.Background(), r, dns.Domain(from), dmarc.DiscoverOptions{Identifiers: ids})
	if err != nil {
		t.Fatal(err)
	}
	var in []dmarc.DKIMInput
	var rules []Rule
	for _, s := range sigs {
		res, rule := p.JudgeDKIM(s)
		if rule != nil {
			rules = append(rules, *rule)
		}
		in = append(in, dmarc.DKIMInput{Domain: string(s.Domain), Selector: s.Selector, Result: string(res)})
	}
	dIn := dmarc.Input{Discovery: d, SPF: spf, DKIM: in, Options: p.DMARC}
	out := Input{DMARC: dmarc.Evaluate(dIn), DKIMRules: rules, DKIMSigned: len(sigs) > 0}
	for _, r := range in {
		out.DKIMPass = out.DKIMPass || r.Result == "pass"
	}
	if out.DMARC.Found.Status == dmarc.DiscoveryMultiple {
		dIn.Options.FirstOfMultiple = true
		first := dmarc.Evaluate(dIn)
		out.FirstRecord = &first
	}
	return out
}

func ruleIDs(v Verdict) []string {
	var ids []string
	for _, r := range v.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestPredict(t *testing.T) {
	t.Parallel()
	espSPF := dmarc.SPFInput{Result: "pass", Domain: "bounce.esp.example"}
	espDKIM := []dkim.Result{{Domain: "esp.example", Selector: "s1", Result: dkim.StatusPass, Algorithm: "rsa-sha256", KeyBits: 2048}}
	brand := func(d dns.Domain, bits int, testing bool, alg string) []dkim.Result {
		return []dkim.Result{{Domain: d, Selector: "s1", Result: dkim.StatusPass, Algorithm: alg, KeyBits: bits, Testing: testing}}
	}
	type want struct {
		disp    Disposition
		reply   string
		conf    Confidence
		prob    float64
		rules   []string // must all be present
		paths   int
		summary string // substring
	}
	tests := []struct {
		name    string
		profile *Profile
		from    string
		spf     dmarc.SPFInput
		spfFact SPF
		dkim    []dkim.Result
		want    want
	}{
		{name: "qq: ESP defaults under p=reject: the 550", profile: QQ, from: "news@reject.example", spf: espSPF, dkim: espDKIM,
			spfFact: SPF{Result: "pass", Domain: "bounce.esp.example", IP: netip.MustParseAddr("192.0.2.10")},
			want:    want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 1, rules: []string{"qq.discovery", "qq.dmarc-reject"}, paths: 1, summary: "QQ Mail would reject it"}},
		{name: "qq: DKIM aligned under p=reject", profile: QQ, from: "reject.example", spf: espSPF, dkim: brand("reject.example", 2048, false, "rsa-sha256"),
			want: want{disp: DispositionAccept, conf: MediumHigh, prob: 1, rules: []string{"qq.dmarc-pass"}, paths: 1, summary: "DMARC passes"}},
		{name: "qq: quarantine", profile: QQ, from: "quar.example", spf: espSPF, dkim: espDKIM,
			want: want{disp: DispositionQuarantine, conf: LowMedium, prob: 1, rules: []string{"qq.dmarc-quarantine"}, paths: 1, summary: "accept it, then junk it"}},
		{name: "qq: p=none", profile: QQ, from: "none.example", spf: espSPF,
			want: want{disp: DispositionAccept, conf: Medium, prob: 1, rules: []string{"qq.dmarc-none"}, paths: 1}},
		{name: "qq: no record", profile: QQ, from: "absent.example", spf: espSPF,
			want: want{disp: DispositionAccept, conf: Medium, prob: 1, rules: []string{"qq.dmarc-no-record"}, paths: 1, summary: "no DMARC record"}},
		{name: "qq: two records = no record, probability open", profile: QQ, from: "two.example", spf: espSPF,
			want: want{disp: DispositionAccept, conf: Low, prob: 0, rules: []string{"qq.dmarc-multiple"}, paths: 1, summary: "several DMARC records"}},
		{name: "rfc: two records = no record, documented", profile: RFC, from: "two.example", spf: espSPF,
			want: want{disp: DispositionAccept, conf: High, prob: 1, rules: []string{"rfc.dmarc-multiple"}, paths: 1, summary: "several DMARC records"}},
		{name: "qq: SPF fail with p=none: the separate SPF rejection", profile: QQ, from: "none.example",
			spf: dmarc.SPFInput{Result: "fail", Domain: "none.example"}, spfFact: SPF{Result: "fail", Domain: "none.example", IP: netip.MustParseAddr("198.51.100.7")},
			want: want{disp: DispositionReject, reply: QQReplySPF, conf: Medium, prob: 1,
				rules: []string{"qq.dmarc-none", "qq.spf-reject"}, paths: 2, summary: "reject on SPF alone"}},
		{name: "qq: SPF fail without a record", profile: QQ, from: "absent.example",
			spf: dmarc.SPFInput{Result: "fail", Domain: "absent.example"}, spfFact: SPF{Result: "fail", Domain: "absent.example"},
			want: want{disp: DispositionReject, reply: QQReplySPF, conf: Medium, prob: 1,
				rules: []string{"qq.dmarc-no-record", "qq.spf-reject"}, paths: 2}},
		{name: "qq: SPF fail of a planned (assumed) setup lowers confidence", profile: QQ, from: "none.example",
			spfFact: SPF{Result: "fail", Domain: "none.example", Assumed: true},
			want: want{disp: DispositionReject, reply: QQReplySPF, conf: LowMedium, prob: 1,
				rules: []string{"qq.spf-reject"}, paths: 2}},
		{name: "qq: SPF fail on HELO only is not the MAIL FROM rule", profile: QQ, from: "none.example",
			spfFact: SPF{Result: "fail", Domain: "mx.none.example", HELO: true},
			want:    want{disp: DispositionAccept, conf: Medium, prob: 1, rules: []string{"qq.dmarc-none"}, paths: 1}},
		{name: "qq: DMARC reject and SPF fail: the DMARC reply comes first", profile: QQ, from: "reject.example",
			spf: dmarc.SPFInput{Result: "fail", Domain: "reject.example"}, spfFact: SPF{Result: "fail", Domain: "reject.example"},
			want: want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 1, rules: []string{"qq.dmarc-reject", "qq.spf-reject"}, paths: 2}},
		{name: "qq: SPF fail although DKIM aligns: SPF path, low confidence", profile: QQ, from: "reject.example",
			spf: dmarc.SPFInput{Result: "fail", Domain: "reject.example"}, dkim: brand("reject.example", 2048, false, "rsa-sha256"),
			spfFact: SPF{Result: "fail", Domain: "reject.example", IP: netip.MustParseAddr("192.0.2.1")},
			want: want{disp: DispositionReject, reply: QQReplySPF, conf: Low, prob: 1,
				rules: []string{"qq.dmarc-pass", "qq.spf-reject", "qq.spf-reject-dmarc-pass"}, paths: 2, summary: "SPF alone"}},
		{name: "qq: SPF softfail warns only", profile: QQ, from: "none.example", spfFact: SPF{Result: "softfail", Domain: "none.example"},
			want: want{disp: DispositionAccept, conf: Medium, prob: 1, rules: []string{"qq.spf-softfail"}, paths: 1}},
		{name: "qq: SPF permerror warns only", profile: QQ, from: "none.example", spfFact: SPF{Result: "permerror", Domain: "none.example"},
			want: want{disp: DispositionAccept, conf: Medium, prob: 1, rules: []string{"qq.spf-error"}, paths: 1}},
		{name: "qq: pct=30: a probability", profile: QQ, from: "pct.example", spf: espSPF,
			want: want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 0.3, rules: []string{"qq.pct", "qq.dmarc-reject", "qq.dmarc-quarantine"}, paths: 2, summary: "probability 30%"}},
		{name: "qq: pct=0: quarantine", profile: QQ, from: "pct0.example", spf: espSPF,
			want: want{disp: DispositionQuarantine, conf: LowMedium, prob: 1, rules: []string{"qq.pct", "qq.dmarc-quarantine"}, paths: 1}},
		{name: "qq: temperror: unknown", profile: QQ, from: "temp.example", spf: espSPF,
			want: want{disp: DispositionUnknown, conf: Low, prob: 1, rules: []string{"qq.dmarc-temperror"}, paths: 1, summary: "temporary DNS failure"}},
		{name: "qq: broken record: permerror, no policy", profile: QQ, from: "bad.example", spf: espSPF,
			want: want{disp: DispositionAccept, conf: Low, prob: 1, rules: []string{"qq.dmarc-permerror"}, paths: 1, summary: "broken"}},
		{name: "qq: 512-bit RSA key does not count", profile: QQ, from: "reject.example", dkim: brand("reject.example", 512, false, "rsa-sha256"),
			want: want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 1, rules: []string{"qq.dkim-short-key", "qq.dmarc-reject"}, paths: 1}},
		{name: "qq: 1024-bit RSA key counts", profile: QQ, from: "reject.example", dkim: brand("reject.example", 1024, false, "rsa-sha256"),
			want: want{disp: DispositionAccept, conf: MediumHigh, prob: 1, rules: []string{"qq.dmarc-pass"}, paths: 1}},
		{name: "qq: ed25519 is not an RSA key", profile: QQ, from: "reject.example", dkim: brand("reject.example", 256, false, "ed25519-sha256"),
			want: want{disp: DispositionAccept, conf: MediumHigh, prob: 1, rules: []string{"qq.dmarc-pass"}, paths: 1}},
		{name: "qq: t=y DKIM key does not count", profile: QQ, from: "reject.example", dkim: brand("reject.example", 2048, true, "rsa-sha256"),
			want: want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 1, rules: []string{"qq.dkim-testing-key", "qq.dmarc-reject"}, paths: 1}},
		{name: "qq: DMARC t=y ignored (RFC 7489 receiver)", profile: QQ, from: "test.example", spf: espSPF,
			want: want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 1, rules: []string{"qq.dmarc-reject"}, paths: 1}},
		{name: "qq: np ignored, sp applies to a non-existent subdomain", profile: QQ, from: "ghost.subs.example", spf: espSPF,
			want: want{disp: DispositionReject, reply: QQReplyDMARC, conf: MediumHigh, prob: 1, rules: []string{"qq.subdomain-policy", "qq.dmarc-reject"}, paths: 1, summary: "sp=reject"}},
		{name: "rfc: reject", profile: RFC, from: "reject.example", spf: espSPF,
			want: want{disp: DispositionReject, reply: "550 5.7.1 Message rejected by the DMARC policy of reject.example", conf: High, prob: 1, rules: []string{"rfc.discovery", "rfc.dmarc-reject"}, paths: 1}},
		{name: "rfc: no SPF-only rejection", profile: RFC, from: "none.example", spfFact: SPF{Result: "fail", Domain: "none.example"},
			want: want{disp: DispositionAccept, conf: High, prob: 1, rules: []string{"rfc.dmarc-none"}, paths: 1}},
		{name: "gmail: temperror defers with 451 4.7.26", profile: Gmail, from: "temp.example",
			want: want{disp: DispositionDefer, reply: "451 4.7.26 Unauthenticated email from temp.example is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. Please contact the administrator of temp.example domain if this was a legitimate email.", conf: High, prob: 1, rules: []string{"gmail.dmarc-temperror"}, paths: 1}},
		{name: "microsoft: upper-case domain in 5.7.509", profile: Microsoft, from: "reject.example", spf: espSPF,
			want: want{disp: DispositionReject, reply: "550 5.7.509 Access denied, sending domain [REJECT.EXAMPLE] does not pass DMARC verification and has a DMARC policy of reject.", conf: MediumHigh, prob: 1, rules: []string{"microsoft.dmarc-reject"}, paths: 1}},
		{name: "yahoo: quarantine", profile: Yahoo, from: "quar.example", spf: espSPF,
			want: want{disp: DispositionQuarantine, conf: Medium, prob: 1, rules: []string{"yahoo.dmarc-quarantine"}, paths: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := view(t, tc.profile, tc.from, tc.spf, tc.dkim)
			in.SPF = tc.spfFact
			v := Predict(tc.profile, in)
			if v.Disposition != tc.want.disp || v.SMTPReply != tc.want.reply || v.Confidence != tc.want.conf || v.Probability != tc.want.prob {
				t.Errorf("verdict = %s %q %s %.2f, want %s %q %s %.2f", v.Disposition, v.SMTPReply, v.Confidence, v.Probability,
					tc.want.disp, tc.want.reply, tc.want.conf, tc.want.prob)
			}
			if v.Reject != (tc.want.disp == DispositionReject) || v.Receiver != tc.profile.Name {
				t.Errorf("Reject = %v, Receiver = %q", v.Reject, v.Receiver)
			}
			ids := ruleIDs(v)
			for _, r := range tc.want.rules {
				if !slices.Contains(ids, r) {
					t.Errorf("rule %s not applied; applied: %v", r, ids)
				}
			}
			if ids[0] != tc.profile.DMARCRule.ID {
				t.Errorf("first rule = %s, want the discovery rule", ids[0])
			}
			if len(v.Paths) != tc.want.paths {
				t.Errorf("paths = %+v, want %d", v.Paths, tc.want.paths)
			}
			sum := 0.0
			for _, p := range v.Paths {
				if p.Name == "dmarc" {
					sum += p.Probability
				}
			}
			if tc.want.prob == 0 && (sum != 0 || len(v.Alternatives) == 0) {
				t.Errorf("open probability: DMARC paths %+v, alternatives %+v", v.Paths, v.Alternatives)
			} else if tc.want.prob != 0 && (sum < 0.999 || sum > 1.001) {
				t.Errorf("DMARC path probabilities add up to %v: %+v", sum, v.Paths)
			}
			if !strings.Contains(v.Summary, tc.want.summary) {
				t.Errorf("summary %q does not contain %q", v.Summary, tc.want.summary)
			}
			for _, r := range v.Rules {
				if r.ID == "" || r.Text == "" || r.Provenance == "" || r.Confidence == "" {
					t.Errorf("incomplete rule %+v", r)
				}
			}
		})
	}
}

func TestConfidenceCoarse(t *testing.T) {
	t.Parallel()
	for c, want := range map[Confidence]string{High: "high", MediumHigh: "medium", Medium: "medium", LowMedium: "low", Low: "low", "": "low"} {
		if got := c.Coarse(); got != want {
			t.Errorf("%q.Coarse() = %q, want %q", c, got, want)
		}
	}
}

func TestPredictWithoutEvaluation(t *testing.T) {
	t.Parallel()
	v := Predict(QQ, Input{})
	if v.Disposition != DispositionUnknown || v.Confidence != Low || v.Reject {
		t.Errorf("Predict without evaluation = %+v", v)
	}
}

// A profile is data: a receiver that implements RFC 9989 needs no code.
func TestProfileIsData(t *testing.T) {
	t.Parallel()
	bis := *RFC
	bis.Name, bis.DMARC = "bis", dmarc.RFC9989
	bis.DMARCRule = Rule{ID: "bis.discovery", Text: "RFC 9989", Provenance: Documented, Confidence: High}
	if v := Predict(&bis, view(t, &bis, "test.example", dmarc.SPFInput{}, nil)); v.Disposition != DispositionQuarantine {
		t.Errorf("t=y under an RFC 9989 profile: %s, want quarantine", v.Disposition)
	}
	if v := Predict(RFC, view(t, RFC, "test.example", dmarc.SPFInput{}, nil)); v.Disposition != DispositionReject {
		t.Errorf("t=y under RFC 7489: %s, want reject", v.Disposition)
	}
	if v := Predict(&bis, view(t, &bis, "a.mid.deep.example", dmarc.SPFInput{}, nil)); v.Disposition != DispositionReject {
		t.Errorf("tree walk finds the intermediate record: %s, want reject", v.Disposition)
	}
	if v := Predict(QQ, view(t, QQ, "a.mid.deep.example", dmarc.SPFInput{}, nil)); v.Disposition != DispositionAccept {
		t.Errorf("RFC 7489 discovery misses the intermediate record: %s, want accept", v.Disposition)
	}
}

func TestProfiles(t *testing.T) {
	t.Parallel()
	validProv := map[Provenance]bool{Documented: true, ThirdParty: true, Inferred: true}
	for _, p := range Profiles() {
		for _, pol := range []dmarc.Policy{dmarc.PolicyReject, dmarc.PolicyQuarantine, dmarc.PolicyNone} {
			if _, ok := p.OnFail[pol]; !ok {
				t.Errorf("%s: no action for p=%s", p.Name, pol)
			}
		}
		if p.About == "" || p.MultipleRecords.ID == "" {
			t.Errorf("%s: no About or no rule for several DMARC records", p.Name)
		}
		seen := map[string]bool{}
		for _, pr := range p.Rules() {
			r := pr.Rule
			if !strings.HasPrefix(r.ID, p.Name+".") || r.Text == "" || !validProv[r.Provenance] {
				t.Errorf("%s: bad rule %+v", p.Name, r)
			}
			if _, ok := confRank[r.Confidence]; !ok {
				t.Errorf("%s: rule %s has confidence %q", p.Name, r.ID, r.Confidence)
			}
			if seen[r.ID] {
				t.Errorf("%s: rule ID %s used twice", p.Name, r.ID)
			}
			seen[r.ID] = true
			// Nothing user-facing may point at the project's own notes.
			for _, bad := range []string{"receivers.md", "receivers-2.md", "seed", "R0", "question 2"} {
				if strings.Contains(r.Text+r.Source+p.About, bad) {
					t.Errorf("%s: rule %s mentions %q", p.Name, r.ID, bad)
				}
			}
			// A rule that is not inferred names its source.
			if r.Provenance != Inferred && r.Source == "" {
				t.Errorf("%s: %s rule %s has no source", p.Name, r.Provenance, r.ID)
			}
			if strings.ContainsAny(pr.Reply, "{}") {
				t.Errorf("%s: example reply %q keeps a placeholder", p.Name, pr.Reply)
			}
		}
		if got, err := Lookup(strings.ToUpper(p.Name)); err != nil || got != p {
			t.Errorf("Lookup(%s) = %v, %v", p.Name, got, err)
		}
		d, tp, inf := p.Count()
		if d+tp+inf != len(p.Rules()) {
			t.Errorf("%s: counts %d+%d+%d != %d rules", p.Name, d, tp, inf, len(p.Rules()))
		}
	}
	if _, err := Lookup("hotmail.example"); err == nil {
		t.Error("Lookup of an unknown receiver should fail")
	}
	if QQ.OnFail[dmarc.PolicyReject].Reply != "550 DMARC check failed. http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16." {
		t.Error("QQ's DMARC reply must be verbatim")
	}
}

func TestKnownReplies(t *testing.T) {
	t.Parallel()
	all := KnownReplies()
	if len(all) < 30 {
		t.Errorf("only %d known replies", len(all))
	}
	for _, r := range all {
		if r.Receiver == "" || r.Kind == "" || r.Code < 200 || r.Reason == "" || r.Provenance == "" || r.Confidence == "" || r.Source == "" {
			t.Errorf("incomplete reply %+v", r)
		}
		if r.Sample != "" && !strings.Contains(strings.ToLower(r.Sample), strings.ToLower(r.Reason)) {
			t.Errorf("sample %q does not contain its reason %q", r.Sample, r.Reason)
		}
		if r.Temporary != (r.Code < 500) {
			t.Errorf("reply %q: Temporary = %v with code %d", r.Reason, r.Temporary, r.Code)
		}
	}
	qq := RepliesFor("QQ")
	if len(qq) == 0 || qq[0].Sample != QQReplyDMARC || qq[0].Kind != "dmarc" {
		t.Errorf("RepliesFor(QQ)[0] = %+v", qq[0])
	}
	all[0].Sample = "changed"
	if KnownReplies()[0].Sample == "changed" {
		t.Error("KnownReplies must return a copy")
	}
}

// TestEveryRule drives every profile through one scenario per rule and
// checks that the rule is applied and that the profile's own action
// decides the disposition.
func TestEveryRule(t *testing.T) {
	t.Parallel()
	esp := dmarc.SPFInput{Result: "pass", Domain: "esp.example"}
	sig := func(d dns.Domain, bits int, testing bool) []dkim.Result {
		return []dkim.Result{{Domain: d, Selector: "s", Result: dkim.StatusPass, Algorithm: "rsa-sha256", KeyBits: bits, Testing: testing}}
	}
	for _, p := range Profiles() {
		scenarios := []struct {
			name   string
			from   string
			spf    dmarc.SPFInput
			fact   SPF
			dkim   []dkim.Result
			rule   *Rule
			action *Action
		}{
			{name: "pass", from: "reject.example", dkim: sig("reject.example", 2048, false), rule: &p.OnPass.Rule, action: &p.OnPass},
			{name: "reject", from: "reject.example", spf: esp, rule: ptr(p.OnFail[dmarc.PolicyReject].Rule), action: ptr(p.OnFail[dmarc.PolicyReject])},
			{name: "quarantine", from: "quar.example", spf: esp, rule: ptr(p.OnFail[dmarc.PolicyQuarantine].Rule), action: ptr(p.OnFail[dmarc.PolicyQuarantine])},
			{name: "none", from: "none.example", spf: esp, rule: ptr(p.OnFail[dmarc.PolicyNone].Rule), action: ptr(p.OnFail[dmarc.PolicyNone])},
			{name: "no record", from: "absent.example", spf: esp, rule: &p.OnNoRecord.Rule, action: &p.OnNoRecord},
			{name: "temperror", from: "temp.example", spf: esp, rule: &p.OnTempError.Rule, action: &p.OnTempError},
			{name: "permerror", from: "bad.example", spf: esp, rule: &p.OnPermError.Rule, action: &p.OnPermError},
			{name: "pct", from: "pct.example", spf: esp, rule: p.Pct},
			{name: "subdomain", from: "ghost.subs.example", spf: esp, rule: p.Subdomain},
			{name: "short key", from: "reject.example", dkim: sig("reject.example", 768, false), rule: &p.MinRSARule, action: ptr(p.OnFail[dmarc.PolicyReject])},
			{name: "testing key", from: "reject.example", dkim: sig("reject.example", 2048, true), rule: &p.TestingRule, action: ptr(p.OnFail[dmarc.PolicyReject])},
			{name: "spf fail", from: "absent.example", fact: SPF{Result: "fail", Domain: "absent.example"}, rule: actionRule(p.SPFFail), action: p.SPFFail},
			{name: "spf softfail", from: "absent.example", fact: SPF{Result: "softfail", Domain: "absent.example"}, rule: p.SPFSoftFail},
			{name: "spf permerror", from: "absent.example", fact: SPF{Result: "permerror", Domain: "absent.example"}, rule: p.SPFError},
		}
		for _, sc := range scenarios {
			if sc.rule == nil || sc.rule.ID == "" {
				continue // the profile has no such rule
			}
			t.Run(p.Name+"/"+sc.name, func(t *testing.T) {
				in := view(t, p, sc.from, sc.spf, sc.dkim)
				in.SPF = sc.fact
				v := Predict(p, in)
				if !slices.Contains(ruleIDs(v), sc.rule.ID) {
					t.Errorf("rule %s not applied: %v", sc.rule.ID, ruleIDs(v))
				}
				if sc.action != nil && v.Disposition != sc.action.Disposition {
					t.Errorf("disposition %s, want the profile's %s", v.Disposition, sc.action.Disposition)
				}
				if sc.action != nil && sc.action.Reply != "" && !strings.HasPrefix(v.SMTPReply, sc.action.Reply[:8]) {
					t.Errorf("reply %q, want the profile's %q", v.SMTPReply, sc.action.Reply)
				}
				if strings.ContainsAny(v.SMTPReply, "{}<>") || strings.Contains(v.SMTPReply, "…") {
					t.Errorf("placeholder left in reply %q", v.SMTPReply)
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }

func actionRule(a *Action) *Rule {
	if a == nil {
		return nil
	}
	return &a.Rule
}
