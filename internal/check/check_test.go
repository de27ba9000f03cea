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

// TestDemo runs the pipeline over every demo message (the README's quick
// start) and checks the typed outcome: the verdict, the plain DMARC result,
// the SPF result, the --fail-on level, the fixes and the finding that
// explains each.
func TestDemo(t *testing.T) {
	t.Parallel()
	z := demoZone(t)
	for _, tc := range []struct {
		file    string
		disp    receiver.Disposition
		dmarc   dmarc.Result
		spf     spf.Status
		level   Level
		reply   string   // prefix of the SMTP reply
		fixes   []string // vias, in order
		finding string   // one finding that must be there
		tag     string   // the DMARC policy tag that applied
	}{
		{file: "aligned-dkim.eml", disp: receiver.DispositionAccept, dmarc: dmarc.ResultPass, spf: spf.StatusPass, level: LevelNone, finding: "dmarc.single-aligned", tag: "p"},
		{file: "custom-return-path.eml", disp: receiver.DispositionAccept, dmarc: dmarc.ResultPass, spf: spf.StatusPass, level: LevelNone, finding: "dmarc.single-aligned", tag: "p"},
		{file: "esp-defaults.eml", disp: receiver.DispositionReject, dmarc: dmarc.ResultFail, spf: spf.StatusPass, level: LevelReject,
			reply: "550 DMARC check failed", fixes: []string{"dkim", "spf"}, finding: "dmarc.no-aligned-pass", tag: "p"},
		{file: "no-dmarc.eml", disp: receiver.DispositionAccept, dmarc: dmarc.ResultNone, spf: spf.StatusPass, level: LevelWarn, finding: "dmarc.no-record"},
		{file: "policy-none.eml", disp: receiver.DispositionAccept, dmarc: dmarc.ResultFail, spf: spf.StatusPass, level: LevelFail,
			fixes: []string{"dkim", "spf"}, finding: "dmarc.no-aligned-pass", tag: "p"},
		{file: "quarantine.eml", disp: receiver.DispositionQuarantine, dmarc: dmarc.ResultFail, spf: spf.StatusPass, level: LevelQuarantine,
			fixes: []string{"dkim", "spf"}, finding: "receiver.quarantine", tag: "p"},
		{file: "spf-fail-none.eml", disp: receiver.DispositionReject, dmarc: dmarc.ResultFail, spf: spf.StatusFail, level: LevelReject,
			reply: "550 SPF check failed. https://service.mail.qq.com/detail/122/72.", fixes: []string{"spf", "dkim"}, finding: "spf.fail", tag: "p"},
		{file: "subdomain-sp.eml", disp: receiver.DispositionQuarantine, dmarc: dmarc.ResultFail, spf: spf.StatusPass, level: LevelQuarantine,
			fixes: []string{"dkim", "spf"}, finding: "receiver.quarantine", tag: "sp"},
		{file: "two-dmarc.eml", disp: receiver.DispositionAccept, dmarc: dmarc.ResultNone, spf: spf.StatusPass, level: LevelFail, finding: "dmarc.multiple-records"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			m, err := ReadMessageFile(demoDir + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			r := Check(context.Background(), config(t, z, "qq"), m, Plan{})
			consistent(t, r)
			if r.Verdict.Disposition != tc.disp || r.DMARC.Result != tc.dmarc || r.SPF.Status != tc.spf || r.Level() != tc.level {
				t.Errorf("verdict %s, DMARC %s, SPF %s, level %s; want %s, %s, %s, %s",
					r.Verdict.Disposition, r.DMARC.Result, r.SPF.Status, r.Level(), tc.disp, tc.dmarc, tc.spf, tc.level)
			}
			if !strings.HasPrefix(r.Verdict.SMTPReply, tc.reply) || (tc.reply == "") != (r.Verdict.SMTPReply == "") {
				t.Errorf("reply %q, want %q…", r.Verdict.SMTPReply, tc.reply)
			}
			if got := fixVias(r.Fixes); !slices.Equal(got, tc.fixes) {
				t.Errorf("fixes %v, want %v", got, tc.fixes)
			}
			if _, ok := finding1(r, tc.finding); !ok {
				t.Errorf("no %s finding among %v", tc.finding, findingIDs(r.Findings))
			}
			if ev := r.DMARC.Evaluation; ev == nil || ev.PolicyTag != tc.tag {
				t.Errorf("DMARC evaluation %v, want policy tag %q", ev, tc.tag)
			}
			// Every demo signature is a 2048-bit RSA key without t=y: QQ
			// counts it, so DMARC is evaluated once.
			for _, s := range r.DKIM {
				if s.DKIM.Result == dkim.StatusPass && !s.Counted {
					t.Errorf("d=%s not counted: %s", s.DKIM.Domain, s.NotCounted)
				}
			}
			if r.DMARC.ReceiverView != r.DMARC.Evaluation {
				t.Error("DMARC evaluated twice although the receiver counts every signature")
			}
			if r.Path != demoDir+tc.file || r.Envelope.IPSource != SourceReceived || r.Envelope.MailFromSource != SourceReturnPath {
				t.Errorf("intake: path %q, IP from %s, MAIL FROM from %s", r.Path, r.Envelope.IPSource, r.Envelope.MailFromSource)
			}
		})
	}
}

// TestIntake: From, MAIL FROM, sending IPs and HELO, from the message or the
// plan, with what was assumed and the finding for what is missing.
func TestIntake(t *testing.T) {
	t.Parallel()
	z := smallZone(t)
	const (
		full = "Return-Path: <b-1@esp.example>\n" +
			"Received: from [10.1.1.1] by relay.internal\n" +
			"Received: from mta.esp.example (mta.esp.example [192.0.2.10]) by mx.qq.com\n" +
			"From: Brand <news@brand.example>\nSubject: =?UTF-8?Q?Caf=C3=A9?=\nMessage-ID: <m1@esp.example>\n\nbody\n"
		bare = "From: Brand <news@brand.example>\nSubject: x\n\nbody\n"
	)
	for _, tc := range []struct {
		name        string
		msg         string // "" for a plan
		plan        Plan
		from        string // Author.Domain
		mailFrom    string // report's envelope.mail_from
		mfSource    Source
		ips         string // joined
		ipSource    Source
		spfDomain   string
		helo        bool
		spfStatus   spf.Status
		assumed     []string // envelope.assumed
		assumption  string   // substring of one assumption
		finding     string
		noFinding   string
		dmarcResult dmarc.Result
	}{
		{name: "message: headers give From, MAIL FROM and the first external hop", msg: full,
			from: "brand.example", mailFrom: "b-1@esp.example", mfSource: SourceReturnPath, ips: "192.0.2.10", ipSource: SourceReceived,
			spfDomain: "esp.example", spfStatus: spf.StatusPass, assumption: "first external Received hop", noFinding: "envelope.mail-from-unknown", dmarcResult: dmarc.ResultFail},
		{name: "--from overrides the header, and says so", msg: full, plan: Plan{From: "news@nodmarc.example"},
			from: "nodmarc.example", mailFrom: "b-1@esp.example", mfSource: SourceReturnPath, ips: "192.0.2.10", ipSource: SourceReceived,
			spfDomain: "esp.example", spfStatus: spf.StatusPass, assumption: "From taken from --from", dmarcResult: dmarc.ResultNone},
		{name: "--mail-from and --ip override the headers", msg: full, plan: Plan{MailFrom: "<b@Bounce.Brand.Example>", MailFromSet: true, IPs: ips("192.0.2.20")},
			from: "brand.example", mailFrom: "b@bounce.brand.example", mfSource: SourceFlag, ips: "192.0.2.20", ipSource: SourceFlag,
			spfDomain: "bounce.brand.example", spfStatus: spf.StatusPass, dmarcResult: dmarc.ResultPass},
		{name: "a bare MAIL FROM domain gets postmaster@", plan: Plan{From: "brand.example", MailFrom: "esp.example", MailFromSet: true, IPs: ips("192.0.2.10")},
			from: "brand.example", mailFrom: "postmaster@esp.example", mfSource: SourceFlag, ips: "192.0.2.10", ipSource: SourceFlag,
			spfDomain: "esp.example", spfStatus: spf.StatusPass, assumed: []string{"mail-from-local-part"}, dmarcResult: dmarc.ResultFail},
		{name: "null sender: SPF checks the HELO name", plan: Plan{From: "news@brand.example", MailFrom: "<>", MailFromSet: true, HELO: "MTA.esp.example.", IPs: ips("192.0.2.10")},
			from: "brand.example", mailFrom: "<>", mfSource: SourceFlag, ips: "192.0.2.10", ipSource: SourceFlag,
			spfDomain: "mta.esp.example", helo: true, spfStatus: spf.StatusPass, dmarcResult: dmarc.ResultFail},
		{name: "null sender without HELO: no SPF", plan: Plan{From: "news@brand.example", MailFrom: "<>", MailFromSet: true, IPs: ips("192.0.2.10")},
			from: "brand.example", mailFrom: "<>", mfSource: SourceFlag, ips: "192.0.2.10", ipSource: SourceFlag,
			finding: "envelope.null-sender-no-helo", dmarcResult: dmarc.ResultFail},
		{name: "unknown MAIL FROM with a HELO: SPF on the HELO, assumed", msg: bare, plan: Plan{HELO: "mta.esp.example", IPs: ips("192.0.2.10")},
			from: "brand.example", mfSource: SourceNone, ips: "192.0.2.10", ipSource: SourceFlag, spfDomain: "mta.esp.example", helo: true,
			spfStatus: spf.StatusPass, assumed: []string{"helo-as-spf-identity"}, assumption: "SPF evaluated on the HELO name", finding: "envelope.mail-from-unknown", dmarcResult: dmarc.ResultFail},
		{name: "unknown MAIL FROM and no IP: said loudly, never assumed", msg: bare,
			from: "brand.example", mfSource: SourceNone, ipSource: SourceNone, finding: "envelope.mail-from-unknown", dmarcResult: dmarc.ResultFail},
		{name: "an invalid MAIL FROM is not known", plan: Plan{From: "brand.example", MailFrom: "bounce@-bad-.example", MailFromSet: true},
			from: "brand.example", mfSource: SourceNone, ipSource: SourceNone, finding: "envelope.mail-from-invalid", dmarcResult: dmarc.ResultFail},
		{name: "plan without an IP: SPF assumed from the authorised networks", plan: Plan{From: "news@brand.example", MailFrom: "b@bounce.brand.example", MailFromSet: true},
			from: "brand.example", mailFrom: "b@bounce.brand.example", mfSource: SourceFlag, ipSource: SourceNone, spfDomain: "bounce.brand.example",
			spfStatus: spf.StatusPass, assumption: "assumed to pass, as if the ESP sends from one of 192.0.2.0/25, 2001:db8:e5::/48", dmarcResult: dmarc.ResultPass},
		{name: "no From: no DMARC, an error finding", msg: "To: a@qq.com\nSubject: x\n\nbody\n", plan: Plan{MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")},
			mailFrom: "b@esp.example", mfSource: SourceFlag, ips: "192.0.2.10", ipSource: SourceFlag, spfDomain: "esp.example", spfStatus: spf.StatusPass,
			finding: "message.from-invalid", dmarcResult: dmarc.ResultNone},
		{name: "a broken From is read leniently, and said", msg: "From: Brand News news@brand.example\nSubject: x\n\nbody\n",
			from: "brand.example", mfSource: SourceNone, ipSource: SourceNone, finding: "message.from-lenient", dmarcResult: dmarc.ResultFail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var m *Message
			if tc.msg != "" {
				m = parse(t, tc.msg)
			}
			r := Check(context.Background(), config(t, z, "qq"), m, tc.plan)
			consistent(t, r)
			env, rep := r.Envelope, r.Report.Envelope
			if r.Author.Domain != tc.from || rep.MailFrom != tc.mailFrom || env.MailFromSource != tc.mfSource ||
				strings.Join(rep.IPs, ",") != tc.ips || env.IPSource != tc.ipSource {
				t.Errorf("From %q, MAIL FROM %q (%s), IPs %v (%s); want %q, %q (%s), %s (%s)",
					r.Author.Domain, rep.MailFrom, env.MailFromSource, rep.IPs, env.IPSource, tc.from, tc.mailFrom, tc.mfSource, tc.ips, tc.ipSource)
			}
			if r.SPF.Domain != tc.spfDomain || r.SPF.HELO != tc.helo || r.SPF.Status != tc.spfStatus {
				t.Errorf("SPF %q helo=%v %q, want %q helo=%v %q", r.SPF.Domain, r.SPF.HELO, r.SPF.Status, tc.spfDomain, tc.helo, tc.spfStatus)
			}
			if !slices.Equal(env.Assumed, tc.assumed) {
				t.Errorf("assumed %v, want %v", env.Assumed, tc.assumed)
			}
			if tc.assumption != "" && !containsAny(r.Assumptions, tc.assumption) {
				t.Errorf("no assumption %q in %q", tc.assumption, r.Assumptions)
			}
			if tc.finding != "" {
				if _, ok := finding1(r, tc.finding); !ok {
					t.Errorf("no %s finding among %v", tc.finding, findingIDs(r.Findings))
				}
			}
			if _, ok := finding1(r, tc.noFinding); ok {
				t.Errorf("unexpected %s finding", tc.noFinding)
			}
			if r.DMARC.Result != tc.dmarcResult {
				t.Errorf("DMARC %s, want %s", r.DMARC.Result, tc.dmarcResult)
			}
		})
	}
}

// TestMessageFields: subject (RFC 2047 decoded) and Message-ID reach the
// report; a message without a usable From gets an unknown verdict and the
// --fail-on fail level.
func TestMessageFields(t *testing.T) {
	t.Parallel()
	z := smallZone(t)
	m := parse(t, "From: news@brand.example\nSubject: =?UTF-8?Q?Caf=C3=A9?=\nMessage-ID: <m1@esp.example>\n\nbody\n")
	r := Check(context.Background(), config(t, z, "qq"), m, Plan{})
	if r.Subject != "Café" || r.MessageID != "<m1@esp.example>" || r.Report.Message.Subject != "Café" || r.Report.Message.From != "news@brand.example" {
		t.Errorf("subject %q, message-id %q, report %+v", r.Subject, r.MessageID, r.Report.Message)
	}
	r = Check(context.Background(), config(t, z, "qq"), parse(t, "From: a@brand.example\nFrom: b@evil.example\n\nx\n"), Plan{})
	if r.Verdict.Disposition != receiver.DispositionUnknown || r.DMARC.Evaluation != nil || r.Level() != LevelFail || r.Report.DMARC.Explanation == "" {
		t.Errorf("two From fields: verdict %s, evaluation %v, level %s, explanation %q", r.Verdict.Disposition, r.DMARC.Evaluation, r.Level(), r.Report.DMARC.Explanation)
	}
	if r.Verdict.Reject || r.Verdict.Confidence != receiver.Low || len(r.Fixes) != 0 {
		t.Errorf("two From fields: %+v, fixes %v", r.Verdict, r.Fixes)
	}
}
