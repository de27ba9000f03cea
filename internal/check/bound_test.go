package check

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/dnstest"
	"preflight/report"
)

// boundZone answers for the brand; every other name is NXDOMAIN.
const boundZone = `
brand.example.        60 IN TXT "v=spf1 -all"
_dmarc.brand.example. 60 IN TXT "v=DMARC1; p=reject"
`

// manySignatures is a message carrying n DKIM-Signature fields, each with
// its own 8-label d= (7 labels of its own under a shared "example"), none
// of which will verify.
func manySignatures(n int) []byte {
	var b strings.Builder
	b.WriteString("Return-Path: <bounce@brand.example>\r\n")
	for i := range n {
		fmt.Fprintf(&b, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=s%d.a%d.b%d.c%d.d%d.e%d.i%d.example; s=sel; h=from; bh=YWJj; b=YWJj\r\n", i, i, i, i, i, i, i)
	}
	b.WriteString("From: news@brand.example\r\nTo: reader@qq.com\r\nSubject: many\r\n\r\nbody\r\n")
	return []byte(b.String())
}

// checkMany checks the message against a loopback server and returns the
// report and the queries that reached the server.
func checkMany(tb testing.TB, srv *dnstest.Server, n *dns.Net, msg *Message) (*report.Report, int) {
	tb.Helper()
	before := srv.Total()
	cfg := Config{Resolver: dns.NewCache(n, nil), Now: func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC) }}
	var err error
	if cfg.Receiver, err = LookupProfile("qq"); err != nil {
		tb.Fatal(err)
	}
	rep := Check(context.Background(), cfg, msg, Plan{IPs: ipList("192.0.2.10")}).Report
	return rep, srv.Total() - before
}

// maxQueriesPerMessage is what one message may cost whatever its header
// holds: the From domain's walk and existence check, the SPF evaluation
// (10 lookups here at most), one key per evaluated signature and the
// identifiers' walks within the discovery budget.
const maxQueriesPerMessage = 48

// TestManySignaturesBounded: 1,000 DKIM signatures with distinct 8-label
// d= used to cost 7,020 queries (a tree walk from every d=, verified or
// not). Only the signatures that are evaluated may cause lookups, and one
// finding says the rest were not evaluated.
func TestManySignaturesBounded(t *testing.T) {
	t.Parallel()
	msg, err := ParseMessage(manySignatures(1000), "many.eml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		fault dnstest.Fault
		// The timeout only ends the unanswered run quickly; answered
		// questions get time enough for a loaded -race run, where the
		// discovery's walks all ask at once.
		timeout time.Duration
	}{
		{"answered", dnstest.Fault{}, 5 * time.Second},
		{"unanswered", dnstest.Fault{Drop: true}, 50 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, boundZone)
			srv.SetFault("*", tc.fault)
			n, err := dns.NewNet([]string{srv.Addr}, tc.timeout)
			if err != nil {
				t.Fatal(err)
			}
			n.Attempts = 1
			rep, queries := checkMany(t, srv, n, msg)
			if queries > maxQueriesPerMessage {
				t.Errorf("%d queries for one message, want at most %d", queries, maxQueriesPerMessage)
			}
			if len(rep.DKIM) > 16 {
				t.Errorf("%d DKIM results, want at most the 16 evaluated", len(rep.DKIM))
			}
			var capped []report.Finding
			for _, f := range rep.Findings {
				if f.ID == "dkim.too-many-signatures" {
					capped = append(capped, f)
				}
			}
			if len(capped) != 1 || !strings.Contains(capped[0].Title+capped[0].Detail, "984") {
				t.Errorf("findings %+v, want one dkim.too-many-signatures naming the 984 not evaluated", capped)
			}
			if tc.name == "answered" && rep.Verdict.Disposition != "reject" {
				t.Errorf("verdict %s, want reject (nothing aligned passes)", rep.Verdict.Disposition)
			}
		})
	}
}

// BenchmarkManySignatures measures one message with 1,000 DKIM signatures
// of distinct 8-label d= against a loopback server that answers every
// question (NXDOMAIN but the brand's), and one that answers none (the
// default 2s timeout and 2 attempts: run with -benchtime=1x). It reports
// the queries that reached the server per message.
func BenchmarkManySignatures(b *testing.B) {
	msg, err := ParseMessage(manySignatures(1000), "many.eml")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		fault dnstest.Fault
	}{
		{"answered", dnstest.Fault{}},
		{"unanswered", dnstest.Fault{Drop: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv := dnstest.Start(b, boundZone)
			srv.SetFault("*", tc.fault)
			n, err := dns.NewNet([]string{srv.Addr}, 2*time.Second)
			if err != nil {
				b.Fatal(err)
			}
			total := 0
			for b.Loop() {
				_, q := checkMany(b, srv, n, msg)
				total += q
			}
			b.ReportMetric(float64(total)/float64(b.N), "queries/msg")
		})
	}
}
