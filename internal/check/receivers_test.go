package check

import (
	"context"
	"slices"
	"strings"
	"testing"

	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
)

func multi(t testing.TB, r dns.Resolver, spec string) Config {
	t.Helper()
	cfg := config(t, r, "qq")
	ps, auto, err := ParseReceivers(spec)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Receiver, cfg.Receivers, cfg.AutoReceivers = ps[0], ps, auto
	return cfg
}

func verdictOf(t *testing.T, r *Result, id string) receiver.Verdict {
	t.Helper()
	for _, o := range r.Receivers {
		if o.Profile.Name == id {
			return o.Verdict
		}
	}
	t.Fatalf("no verdict for %s", id)
	return receiver.Verdict{}
}

// TestReceiversShareOneRun: with every receiver, SPF, DKIM and discovery
// run once (the same DNS questions as for one receiver), DMARC is
// evaluated once per distinct view, and the primary's verdict is the
// single verdict.
func TestReceiversShareOneRun(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	m, err := ReadMessageFile(demoDir + "esp-defaults.eml")
	if err != nil {
		t.Fatal(err)
	}
	one := Check(context.Background(), config(t, z, "qq"), m, Plan{})
	all := Check(context.Background(), multi(t, z, "all"), m, Plan{})
	consistent(t, all)
	if len(all.DNS) != len(one.DNS) {
		t.Errorf("%d DNS questions for every receiver, %d for one", len(all.DNS), len(one.DNS))
	}
	if len(all.Receivers) != len(receiver.Profiles()) || !all.Multi || all.Verdict.Receiver != "qq" {
		t.Fatalf("%d receivers, multi %v, primary %s", len(all.Receivers), all.Multi, all.Verdict.Receiver)
	}
	views := map[*dmarc.Evaluation]bool{}
	for _, o := range all.Receivers {
		views[o.View] = true
		if o.Verdict.Disposition != receiver.DispositionReject {
			t.Errorf("%s: %s, want reject", o.Profile.Name, o.Verdict.Disposition)
		}
	}
	// Two dialects among the profiles (RFC 7489 proper, and with np=/t=
	// honoured), and no DKIM rule changes a result here.
	if len(views) != 2 {
		t.Errorf("%d distinct DMARC evaluations for %d receivers, want 2", len(views), len(all.Receivers))
	}
	if len(all.Report.Verdicts) != len(all.Receivers) || all.Report.Verdicts[0].SMTPReply != all.Report.Verdict.SMTPReply {
		t.Errorf("report verdicts %d, first %q", len(all.Report.Verdicts), all.Report.Verdicts[0].SMTPReply)
	}
	if one.Report.Verdicts != nil {
		t.Error("a single --receiver lists no verdicts")
	}
}

// TestEd25519OnlyAtGmail: an Ed25519 signature aligned with the From
// domain passes DMARC at QQ, not at Gmail, which does not verify Ed25519.
func TestEd25519OnlyAtGmail(t *testing.T) {
	t.Parallel()
	z := smallZone(t)
	plan := Plan{From: "news@brand.example", MailFrom: "bounce@esp.example", MailFromSet: true, IPs: ips("192.0.2.10"),
		ExpectDKIM: []DomainSelector{{Domain: "brand.example", Selector: "s1"}}}
	r := Check(context.Background(), multi(t, z, "qq,gmail"), nil, plan)
	if v := verdictOf(t, r, "qq"); v.Disposition != receiver.DispositionAccept {
		t.Errorf("QQ: %s %s", v.Disposition, v.Summary)
	}
	g := verdictOf(t, r, "gmail")
	if g.Disposition != receiver.DispositionReject || !strings.HasPrefix(g.SMTPReply, "550 5.7.26 Unauthenticated email from brand.example") {
		t.Errorf("Gmail: %s %q", g.Disposition, g.SMTPReply)
	}
	if f, ok := finding1(r, "receiver.dkim-not-counted"); !ok || !strings.Contains(f.Detail, "Gmail") {
		t.Errorf("receiver.dkim-not-counted: %+v (%v)", f, findingIDs(r.Findings))
	}
	if r.Level() != LevelReject {
		t.Errorf("level %s: the worst receiver decides", r.Level())
	}
}

func TestAutoReceivers(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	msg := parse(t, "From: news@brand.example\nTo: a@GMAIL.com, \"X\" <x@163.com>\nCc: broken <<b@corp.example, c@hotmail.com\nSubject: s\n\nbody\n")
	r := Check(context.Background(), multi(t, z, "auto"), msg, Plan{MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")})
	var got []string
	for _, o := range r.Receivers {
		got = append(got, o.Profile.Name)
	}
	if !slices.Equal(got, []string{"gmail", "netease", "microsoft"}) || r.Verdict.Receiver != "gmail" {
		t.Errorf("receivers %v, primary %s", got, r.Verdict.Receiver)
	}
	if !containsAny(r.Assumptions, "corp.example") {
		t.Errorf("the unmapped domain is not named: %v", r.Assumptions)
	}
	none := Check(context.Background(), multi(t, z, "auto"), parse(t, "From: news@brand.example\nTo: x@corp.example\n\nb\n"), Plan{})
	if len(none.Receivers) != 1 || none.Verdict.Receiver != "qq" || !containsAny(none.Assumptions, "predicting for QQ Mail") {
		t.Errorf("fallback: %d receivers, %s, %v", len(none.Receivers), none.Verdict.Receiver, none.Assumptions)
	}
}

// TestDomainNotFound: a From domain that does not exist gets QQ's DNS-check
// reply and a finding naming it.
func TestDomainNotFound(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	r := Check(context.Background(), multi(t, z, "qq,yahoo,rfc"), nil, Plan{From: "news@gone.example", MailFrom: "bounce@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")})
	if v := verdictOf(t, r, "qq"); v.SMTPReply != receiver.QQReplyDomain {
		t.Errorf("QQ: %q", v.SMTPReply)
	}
	if v := verdictOf(t, r, "rfc"); v.Disposition != receiver.DispositionAccept {
		t.Errorf("rfc: %s", v.Disposition)
	}
	f, ok := finding1(r, "message.domain-not-found")
	if !ok || !strings.Contains(f.Detail, "gone.example") || !strings.Contains(f.Detail, "550 Domain may not exist") {
		t.Errorf("finding %+v", f)
	}
	ok2 := Check(context.Background(), multi(t, z, "qq"), nil, Plan{From: "news@nodmarc.example", MailFrom: "bounce@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")})
	if _, bad := finding1(ok2, "message.domain-not-found"); bad || ok2.Verdict.Disposition != receiver.DispositionAccept {
		t.Errorf("an existing domain without _dmarc: %s %v", ok2.Verdict.Disposition, findingIDs(ok2.Findings))
	}
}

// TestBulk: the bulk-sender rules judge the unsubscribe headers and the
// sending IP's forward-confirmed reverse DNS.
func TestBulk(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	for _, tc := range []struct {
		name     string
		file     string
		ip       string
		findings []string
		gmail    string // reply prefix, "" for accept
	}{
		{name: "compliant", file: "custom-return-path.eml", ip: "192.0.2.10"},
		{name: "no PTR", file: "custom-return-path.eml", ip: "192.0.2.11", findings: []string{"bulk.no-fcrdns"}, gmail: "550 5.7.25"},
		{name: "p=none, nothing aligned", file: "policy-none.eml", ip: "192.0.2.10", findings: []string{"bulk.not-aligned", "bulk.dmarc-fail"}, gmail: "550 5.7.32"},
		{name: "no DMARC record", file: "no-dmarc.eml", ip: "192.0.2.10", findings: []string{"bulk.no-dmarc-record"}, gmail: "550 5.7.40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := ReadMessageFile(demoDir + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			cfg := multi(t, z, "all")
			cfg.Bulk = true
			r := Check(context.Background(), cfg, m, Plan{IPs: ips(tc.ip)})
			consistent(t, r)
			var bulk []string
			for _, id := range findingIDs(r.Findings) {
				if strings.HasPrefix(id, "bulk.") {
					bulk = append(bulk, id)
				}
			}
			for _, want := range tc.findings {
				if !slices.Contains(bulk, want) {
					t.Errorf("no %s among %v", want, bulk)
				}
			}
			if len(tc.findings) == 0 && len(bulk) > 0 {
				t.Errorf("compliant mail has bulk findings %v", bulk)
			}
			g := verdictOf(t, r, "gmail")
			if tc.gmail == "" && g.Disposition != receiver.DispositionAccept || tc.gmail != "" && !strings.HasPrefix(g.SMTPReply, tc.gmail) {
				t.Errorf("Gmail: %s %q", g.Disposition, g.SMTPReply)
			}
		})
	}
	// The unsubscribe headers: missing, mailto only, one-click unsigned.
	for _, tc := range []struct {
		headers string
		want    []string
	}{
		{"", []string{"bulk.no-list-unsubscribe", "bulk.no-one-click"}},
		{"List-Unsubscribe: <mailto:u@brand.example>\n", []string{"bulk.no-one-click"}},
		{"List-Unsubscribe: <https://brand.example/u>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n", []string{"bulk.no-one-click"}},
	} {
		m := parse(t, "From: news@brand.example\nTo: a@gmail.com\n"+tc.headers+"Subject: s\n\nbody\n")
		cfg := multi(t, z, "gmail,yahoo")
		cfg.Bulk = true
		r := Check(context.Background(), cfg, m, Plan{MailFrom: "b@bounce.brand.example", MailFromSet: true, IPs: ips("192.0.2.10")})
		for _, want := range tc.want {
			if _, ok := finding1(r, want); !ok {
				t.Errorf("headers %q: no %s among %v", tc.headers, want, findingIDs(r.Findings))
			}
		}
	}
}

// TestProvenFixes: only fixes that flip the verdict are "enough", each
// says exactly what it changes, and a pair is proposed when no single fix
// satisfies a receiver.
func TestProvenFixes(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	m, err := ReadMessageFile(demoDir + "spf-fail-none.eml")
	if err != nil {
		t.Fatal(err)
	}
	r := Check(context.Background(), config(t, z, "qq"), m, Plan{})
	consistent(t, r)
	if len(r.Fixes) != 2 {
		t.Fatalf("fixes %+v", r.Fixes)
	}
	spfFix, dkimFix := r.Fixes[0], r.Fixes[1]
	if !spfFix.Enough() || spfFix.Via != "spf" || len(spfFix.Records) != 1 ||
		spfFix.Records[0] != `legacy.example. TXT "v=spf1 ip4:203.0.113.0/24 ip4:192.0.2.10 -all"` {
		t.Errorf("SPF fix: %+v", spfFix)
	}
	if dkimFix.Enough() || dkimFix.DKIM != "legacy.example:s1" || dkimFix.After["qq"].SMTPReply != receiver.QQReplySPF || dkimFix.Sufficient["qq"] {
		t.Errorf("DKIM fix must be proven not enough at QQ (550 SPF check failed remains): %+v", dkimFix)
	}
	if f, _ := finding1(r, "dmarc.no-aligned-pass"); !strings.Contains(f.Fix, "(1) authorise") || strings.Contains(f.Fix, "(2)") {
		t.Errorf("the DMARC finding lists the fixes that are enough only: %q", f.Fix)
	}

	// Outlook.com's high-volume rule needs SPF and DKIM both: only pairs
	// (a DKIM signature with an SPF change) are enough.
	cfg := multi(t, z, "microsoft")
	cfg.Bulk = true
	plan := Plan{From: "news@brand.example", MailFrom: "bounce@legacy.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	r = Check(context.Background(), cfg, nil, plan)
	var pair *struct{ a, b int }
	for _, f := range r.Fixes {
		if f.Sufficient["microsoft"] && len(f.Combines) == 2 {
			pair = &struct{ a, b int }{f.Combines[0], f.Combines[1]}
			if f.DKIM == "" || len(f.Records) < 2 || !strings.Contains(f.Via, "spf") {
				t.Errorf("pair %+v does not carry both changes", f)
			}
		}
		if f.Sufficient["microsoft"] && len(f.Combines) == 0 {
			t.Errorf("single fix %q said enough for Outlook.com's high-volume rule", f.Title)
		}
	}
	if pair == nil || r.Fixes[0].Combines == nil {
		t.Errorf("no pair proposed first: %+v", r.Fixes)
	}
}

// TestSeveralAuthors: RFC 7489 §6.6.1 — every author domain is evaluated
// and the message passes only if every one passes; the strictest failing
// policy decides.
func TestSeveralAuthors(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	for _, tc := range []struct {
		from   string
		result dmarc.Result
		policy dmarc.Policy
		qq     receiver.Disposition
	}{
		{"a@brand.example, b@brand.example", dmarc.ResultPass, dmarc.PolicyReject, receiver.DispositionAccept},
		{"a@brand.example, b@startup.example", dmarc.ResultFail, dmarc.PolicyNone, receiver.DispositionAccept},
		{"a@startup.example, b@shop.example", dmarc.ResultFail, dmarc.PolicyQuarantine, receiver.DispositionQuarantine},
		{"a@shop.example, b@startup.example", dmarc.ResultFail, dmarc.PolicyQuarantine, receiver.DispositionQuarantine},
	} {
		msg := parse(t, "From: "+tc.from+"\nSender: a@brand.example\nTo: x@qq.com\nSubject: s\n\nb\n")
		r := Check(context.Background(), multi(t, z, "qq,gmail"), msg, Plan{MailFrom: "b@bounce.brand.example", MailFromSet: true, IPs: ips("192.0.2.10")})
		ev := r.DMARC.Evaluation
		if ev.Result != tc.result || (tc.result == dmarc.ResultFail && ev.Policy != tc.policy) || r.Verdict.Disposition != tc.qq {
			t.Errorf("%s: DMARC %s %s, QQ %s; want %s %s, %s", tc.from, ev.Result, ev.Policy, r.Verdict.Disposition, tc.result, tc.policy, tc.qq)
		}
		if _, ok := finding1(r, "message.from-multiple"); !ok {
			t.Errorf("%s: no message.from-multiple", tc.from)
		}
		if g := verdictOf(t, r, "gmail"); !strings.HasPrefix(g.SMTPReply, "550 5.7.1 Messages with multiple addresses") {
			t.Errorf("%s: Gmail %q", tc.from, g.SMTPReply)
		}
		if n := len(r.Report.DMARC.Authors); (strings.Contains(tc.from, "b@brand") && n != 0) || (!strings.Contains(tc.from, "b@brand") && n != 2) {
			t.Errorf("%s: %d authors in the report", tc.from, n)
		}
	}
}
