package receiver

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"preflight/dkim"
	"preflight/dmarc"
)

// TestOutsideDMARC drives the rules that do not depend on the DMARC
// policy: unauthenticated mail, a domain that does not exist, several From
// addresses, and DKIM algorithms a receiver does not verify.
func TestOutsideDMARC(t *testing.T) {
	t.Parallel()
	ip := netip.MustParseAddr("192.0.2.10")
	ed := []dkim.Result{{Domain: "none.example", Selector: "ed", Result: dkim.StatusPass, Algorithm: "ed25519-sha256", KeyBits: 256}}
	tests := []struct {
		name    string
		profile *Profile
		from    string
		spf     SPF
		dkim    []dkim.Result
		adjust  func(*Input)
		disp    Disposition
		path    string
		reply   string // prefix; "-" for no reply text
	}{
		{name: "gmail: neither SPF nor DKIM", profile: Gmail, from: "none.example", spf: SPF{Result: "softfail", Domain: "none.example", IP: ip},
			disp: DispositionReject, path: "auth",
			reply: "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [none.example] with ip: [192.0.2.10] = did not pass."},
		{name: "gmail: unauthenticated without an IP: the short reply", profile: Gmail, from: "none.example", spf: SPF{Result: "none", Domain: "none.example"},
			disp: DispositionReject, path: "auth", reply: "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM."},
		{name: "gmail: SPF unknown: not judged", profile: Gmail, from: "none.example", disp: DispositionAccept},
		{name: "gmail: DKIM temperror: not judged", profile: Gmail, from: "none.example", spf: SPF{Result: "fail", Domain: "x.example", IP: ip},
			adjust: func(in *Input) { in.DKIMTempError, in.DKIMSigned = true, true }, disp: DispositionReject, path: "spf"},
		{name: "gmail: Ed25519-only signature does not count", profile: Gmail, from: "none.example", spf: SPF{Result: "softfail", Domain: "none.example", IP: ip}, dkim: ed,
			disp: DispositionReject, path: "auth"},
		{name: "qq: Ed25519-only signature counts", profile: QQ, from: "none.example", spf: SPF{Result: "softfail", Domain: "none.example", IP: ip}, dkim: ed,
			disp: DispositionAccept},
		{name: "apple: failing both", profile: Apple, from: "none.example", spf: SPF{Result: "fail", Domain: "none.example", IP: ip},
			disp: DispositionReject, path: "auth", reply: "554 5.7.1 [HME1]"},
		{name: "qq: From domain does not exist", profile: QQ, from: "none.example", spf: SPF{Result: "pass", Domain: "esp.example"},
			adjust: func(in *Input) { in.Domains = Domains{From: NotExists, FromName: "none.example", MailFrom: Exists} },
			disp:   DispositionReject, path: "domain", reply: QQReplyDomain},
		{name: "yahoo: MAIL FROM domain does not exist: reply unknown", profile: Yahoo, from: "none.example", spf: SPF{Result: "pass", Domain: "gone.example"},
			adjust: func(in *Input) { in.Domains = Domains{From: Exists, MailFrom: NotExists, MailFromName: "gone.example"} },
			disp:   DispositionReject, path: "domain", reply: "-"},
		{name: "rfc: a domain that does not exist is no rule", profile: RFC, from: "none.example", spf: SPF{Result: "pass", Domain: "esp.example"},
			adjust: func(in *Input) { in.Domains = Domains{From: NotExists} }, disp: DispositionAccept},
		{name: "gmail: several From addresses", profile: Gmail, from: "none.example", spf: SPF{Result: "pass", Domain: "esp.example"},
			adjust: func(in *Input) { in.Authors = 2 }, disp: DispositionReject, path: "from", reply: "550 5.7.1 Messages with multiple addresses"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := view(t, tc.profile, tc.from, dmarc.SPFInput{Result: string(tc.spf.Result), Domain: tc.spf.Domain}, tc.dkim)
			in.SPF = tc.spf
			if tc.adjust != nil {
				tc.adjust(&in)
			}
			v := Predict(tc.profile, in)
			if v.Disposition != tc.disp {
				t.Fatalf("disposition %s, want %s: %+v", v.Disposition, tc.disp, v.Paths)
			}
			if tc.path == "" {
				return
			}
			var got *Path
			for i := range v.Paths {
				if v.Paths[i].Name == tc.path {
					got = &v.Paths[i]
				}
			}
			if got == nil {
				t.Fatalf("no %s path: %+v", tc.path, v.Paths)
			}
			if tc.reply == "-" && got.SMTPReply != "" || tc.reply != "-" && !strings.HasPrefix(got.SMTPReply, tc.reply) {
				t.Errorf("reply %q, want prefix %q", got.SMTPReply, tc.reply)
			}
			if strings.ContainsAny(got.SMTPReply, "{}") || got.Why == "" {
				t.Errorf("path %+v: placeholder or no why", got)
			}
		})
	}
}

// TestBulk drives each profile's bulk-sender requirements through one
// message that breaks them all, and one that meets them all.
func TestBulk(t *testing.T) {
	t.Parallel()
	ip := netip.MustParseAddr("192.0.2.10")
	broken := &BulkFacts{Message: true, FCrDNS: "fail", FCrDNSDetail: "no PTR record for 192.0.2.10", OneClickProblem: "no List-Unsubscribe-Post header"}
	good := &BulkFacts{Message: true, ListUnsubscribe: true, OneClick: true, FCrDNS: "pass"}
	brand := []dkim.Result{{Domain: "none.example", Selector: "s1", Result: dkim.StatusPass, Algorithm: "rsa-sha256", KeyBits: 2048}}
	for _, p := range Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			// Broken: no DMARC record, SPF softfail, DKIM absent, no headers, no PTR.
			in := view(t, p, "absent.example", dmarc.SPFInput{Result: "softfail", Domain: "absent.example"}, nil)
			in.SPF, in.Bulk = SPF{Result: "softfail", Domain: "absent.example", IP: ip}, broken
			v := Predict(p, in)
			without := Predict(p, func() Input { c := in; c.Bulk = nil; return c }())
			if p.Bulk == nil {
				if v.Disposition != without.Disposition || len(v.Paths) != len(without.Paths) {
					t.Errorf("no bulk rules, yet --bulk changed the verdict: %+v", v.Paths)
				}
				return
			}
			b := p.Bulk
			for _, a := range []*Action{b.SPF, b.DKIM, b.DMARCRecord, b.Alignment, b.DMARCPass, b.ListUnsubscribe, b.OneClick, b.FCrDNS} {
				if a == nil {
					continue
				}
				if !slices.Contains(ruleIDs(v), a.Rule.ID) {
					t.Errorf("bulk rule %s not applied: %v", a.Rule.ID, ruleIDs(v))
				}
				if a.Disposition == DispositionReject && v.Disposition != DispositionReject {
					t.Errorf("bulk rule %s rejects, verdict %s", a.Rule.ID, v.Disposition)
				}
			}
			for _, path := range v.Paths {
				if strings.ContainsAny(path.SMTPReply, "{}") {
					t.Errorf("placeholder in %q", path.SMTPReply)
				}
			}
			// Good: SPF and DKIM pass aligned, a record, the headers, a PTR.
			in = view(t, p, "none.example", dmarc.SPFInput{Result: "pass", Domain: "none.example"}, brand)
			in.SPF, in.Bulk = SPF{Result: "pass", Domain: "none.example", IP: ip}, good
			if v := Predict(p, in); v.Disposition != DispositionAccept || len(v.Paths) != 1 {
				t.Errorf("compliant bulk mail: %s %+v", v.Disposition, v.Paths)
			}
		})
	}
	// Outlook.com names every mechanism in its one reply.
	in := view(t, Microsoft, "none.example", dmarc.SPFInput{Result: "fail", Domain: "none.example"}, brand)
	in.SPF, in.Bulk = SPF{Result: "fail", Domain: "none.example", IP: ip}, good
	v := Predict(Microsoft, in)
	if !strings.HasSuffix(v.SMTPReply, "Spf= Fail , Dkim= Pass , DMARC= Pass") || !strings.HasPrefix(v.SMTPReply, "550 5.7.515 Access denied, sending domain NONE.EXAMPLE ") {
		t.Errorf("Outlook.com 5.7.515 = %q", v.SMTPReply)
	}
}

// TestAlternatives: with two DMARC records, an undocumented receiver's
// verdict names what it would do if it took the first record, and claims
// no probability.
func TestAlternatives(t *testing.T) {
	t.Parallel()
	in := view(t, Gmail, "two.example", dmarc.SPFInput{Result: "pass", Domain: "esp.example"}, nil)
	v := Predict(Gmail, in)
	if v.Probability != 0 || len(v.Alternatives) != 1 || v.Alternatives[0].Disposition != DispositionReject ||
		!strings.HasPrefix(v.Alternatives[0].SMTPReply, "550 5.7.26 Unauthenticated email from two.example") ||
		!strings.Contains(v.Alternatives[0].When, `"v=DMARC1; p=reject"`) {
		t.Errorf("verdict %+v", v)
	}
	if r := Predict(RFC, view(t, RFC, "two.example", dmarc.SPFInput{}, nil)); len(r.Alternatives) != 0 || r.Probability != 1 {
		t.Errorf("rfc: %+v", r)
	}
}

func TestRulesListing(t *testing.T) {
	t.Parallel()
	rules := Microsoft.Rules()
	var hv *ProfileRule
	for i := range rules {
		if rules[i].Rule.ID == "microsoft.bulk-5.7.515" {
			if hv != nil {
				t.Fatal("the 5.7.515 rule is listed twice")
			}
			hv = &rules[i]
		}
	}
	if hv == nil || !strings.Contains(hv.Case, "DKIM does not pass") || !strings.HasPrefix(hv.Reply, "550 5.7.515 Access denied, sending domain BRAND.EXAMPLE") {
		t.Errorf("5.7.515 entry = %+v", hv)
	}
	d, tp, inf := Yandex.Count()
	if d < 1 || inf < tp {
		t.Errorf("Yandex documents almost nothing: %d documented, %d third-party, %d inferred", d, tp, inf)
	}
}
