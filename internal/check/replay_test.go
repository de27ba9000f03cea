package check

import (
	"bytes"
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/dnstest"
	"preflight/report"
)

// liveZone is the live DNS of two brands, both p=reject, neither
// authorising the sending IP: both messages are rejected live.
const liveZone = `
a.example.        60 IN TXT "v=spf1 -all"
_dmarc.a.example. 60 IN TXT "v=DMARC1; p=reject"
b.example.        60 IN TXT "v=spf1 -all"
_dmarc.b.example. 60 IN TXT "v=DMARC1; p=reject"
`

func checkWith(t *testing.T, r dns.Resolver, from string) *report.Report {
	t.Helper()
	msg, err := ParseMessage([]byte("From: news@"+from+"\r\nTo: reader@qq.com\r\nReturn-Path: <bounce@"+from+">\r\nSubject: s\r\n\r\nbody\r\n"), from+".eml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Resolver: dns.NewCache(r, nil), Now: func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC) }}
	cfg.Receiver, err = LookupProfile("qq")
	if err != nil {
		t.Fatal(err)
	}
	return Check(context.Background(), cfg, msg, Plan{IPs: ipList("192.0.2.10")}).Report
}

// TestReplayOfAnotherTemplateIsNotAVerdict: a recording of a.example's
// check, replayed for b.example (never recorded), must not predict
// "accept" from DNS nobody asked: DMARC is temperror, the verdict is not
// accept, and the texts say "not recorded". The recorded template replays
// with its live verdict.
func TestReplayOfAnotherTemplateIsNotAVerdict(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, liveZone)
	n, err := dns.NewNet([]string{srv.Addr}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	rec := &dns.Recorder{Upstream: n}
	live := checkWith(t, rec, "a.example")
	if live.Verdict.Disposition != "reject" {
		t.Fatalf("live: %s, want reject (%s)", live.Verdict.Disposition, live.DMARC.Error)
	}
	if d := checkWith(t, n, "b.example").Verdict.Disposition; d != "reject" {
		t.Fatalf("live b.example: %s, want reject", d)
	}
	var buf bytes.Buffer
	if err := rec.WriteZone(&buf, time.Now()); err != nil {
		t.Fatal(err)
	}
	replay, err := dns.ParseZone(buf.String(), "dns.zone")
	if err != nil {
		t.Fatal(err)
	}
	if got := checkWith(t, replay, "a.example"); got.Verdict.Disposition != live.Verdict.Disposition {
		t.Errorf("replay of the recorded template: %s, want %s", got.Verdict.Disposition, live.Verdict.Disposition)
	}
	got := checkWith(t, replay, "b.example")
	if got.Verdict.Disposition == "accept" || got.DMARC.Result != "temperror" || got.SPF.Result != "temperror" {
		t.Errorf("replay of a template never recorded: %s, DMARC %s, SPF %s; want no verdict (temperror)",
			got.Verdict.Disposition, got.DMARC.Result, got.SPF.Result)
	}
	var texts strings.Builder
	for _, f := range got.Findings {
		texts.WriteString(f.Detail + "\n")
	}
	// One dns.not-recorded finding, whose fix is to refresh the
	// recording, in place of "retry; check the name servers".
	var ids []string
	for _, f := range got.Findings {
		ids = append(ids, f.ID)
		if f.ID == "dns.not-recorded" && (!strings.Contains(f.Detail, "_dmarc.b.example TXT") || !strings.Contains(f.Fix, "--record FILE")) {
			t.Errorf("dns.not-recorded: %q / %q", f.Detail, f.Fix)
		}
	}
	if !slices.Contains(ids, "dns.not-recorded") || slices.Contains(ids, "dmarc.temperror") || slices.Contains(ids, "spf.temperror") {
		t.Errorf("findings %v: want dns.not-recorded instead of the temperrors", ids)
	}
	if !strings.Contains(texts.String(), "not recorded") {
		t.Errorf("no finding says the DNS was not recorded:\n%s", texts.String())
	}
	if got.DNS.Failures == 0 {
		t.Errorf("DNS failures = 0, want the not-recorded questions counted (exit 3)")
	}
}

func ipList(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

// TestNotRecordedDKIMKey: an expected DKIM key that the recording never saw
// is named in dns.not-recorded, and its dkim.key-temporary finding (whose
// fix is about the name servers) is left out.
func TestNotRecordedDKIMKey(t *testing.T) {
	t.Parallel()
	replay, err := dns.ParseZone(dns.RecordingHeader+", 2026-01-15T12:00:00Z\nb.example. 60 IN TXT \"v=spf1 -all\"\n_dmarc.b.example. 60 IN TXT \"v=DMARC1; p=reject\"\n", "dns.zone")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(t, replay, "qq")
	res := Check(context.Background(), cfg, nil, Plan{From: "b.example", MailFrom: "b.example", MailFromSet: true,
		ExpectDKIM: []DomainSelector{{"b.example", "s1"}}})
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.ID)
		if f.ID == "dns.not-recorded" && !strings.Contains(f.Detail, "s1._domainkey.b.example TXT") {
			t.Errorf("dns.not-recorded: %q", f.Detail)
		}
	}
	if !slices.Contains(ids, "dns.not-recorded") || slices.Contains(ids, "dkim.key-temporary") {
		t.Errorf("findings %v", ids)
	}
}
