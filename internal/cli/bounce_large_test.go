package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"preflight/report"
)

// largeDSN returns a Postfix DSN about n QQ recipients that all got "550
// DMARC check failed" from the same server for the same returned message:
// one message sent to a mailing list, bounced once.
func largeDSN(n int) []byte {
	var b strings.Builder
	b.WriteString(`Return-Path: <>
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@shop.example
Date: Thu, 15 Jan 2026 12:00:07 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to some recipients.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example
X-Postfix-Sender: rfc822; bounces@shop.example
Arrival-Date: Thu, 15 Jan 2026 12:00:02 +0000
`)
	for i := range n {
		fmt.Fprintf(&b, `
Final-Recipient: rfc822; user%d@qq.com
Action: failed
Status: 5.0.0
Remote-MTA: dns; mx3.qq.com
Diagnostic-Code: smtp; 550 DMARC check failed.
    http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.
`, i)
	}
	b.WriteString(`
--B
Content-Type: message/rfc822

Return-Path: <bounces@shop.example>
Received: from app1.shop.example (app1.shop.example [192.0.2.10])
	by mail.shop.example (Postfix) with ESMTP id 4Q1xYz2kLmz9sTq;
	Thu, 15 Jan 2026 12:00:02 +0000
From: Shop News <news@brand.example>
To: list@shop.example
Subject: Winter sale
Date: Thu, 15 Jan 2026 12:00:01 +0000
Message-ID: <sale-2026-01@shop.example>

Our winter sale starts today.

--B--
`)
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n"))
}

// BenchmarkBounceLargeDSN runs `preflight bounce` on a DSN about 10,000
// recipients of one message and reports the size of each output format
// (bytes/op is allocation; out-bytes is what the user gets).
func BenchmarkBounceLargeDSN(b *testing.B) {
	path := filepath.Join(b.TempDir(), "large.eml")
	if err := os.WriteFile(path, largeDSN(10000), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"text", "json", "markdown"} {
		b.Run(format, func(b *testing.B) {
			var size int
			for b.Loop() {
				var out, errb bytes.Buffer
				code := Run(context.Background(), []string{"bounce", "--format", format, "--zone", demoDir + "demo.zone",
					"--now", "2026-12-01T00:00:00Z", path}, strings.NewReader(""), &out, &errb)
				if code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
				size = out.Len()
			}
			b.ReportMetric(float64(size), "out-bytes")
		})
	}
}

// TestBounceLargeDSNSharesRecheck: a DSN about many recipients of one
// message re-checks it once; text shows the re-check once and refers to it,
// JSON carries the check object on the first line only and recheck_ref on
// the others, every line keeping recheck and recheck_note.
func TestBounceLargeDSNSharesRecheck(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "large.eml")
	if err := os.WriteFile(path, largeDSN(50), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--zone", demoDir + "demo.zone", path}
	code, ds := bounceRun(t, args...)
	if code != 0 || len(ds) != 50 {
		t.Fatalf("exit %d, %d lines", code, len(ds))
	}
	for i, d := range ds {
		if d.Recheck == nil || d.Status != report.RecheckStillFails || d.Note == "" {
			t.Fatalf("line %d: %+v", i+1, d.Recheck)
		}
		switch {
		case i == 0 && (d.Report == nil || d.Ref != ""):
			t.Errorf("first line: check %v, recheck_ref %q", d.Report != nil, d.Ref)
		case i > 0 && (d.Report != nil || d.Ref != "user0@qq.com"):
			t.Errorf("line %d: check %v, recheck_ref %q", i+1, d.Report != nil, d.Ref)
		}
	}
	code, out, _ := run(t, append([]string{"bounce", "--now", "2026-12-01T00:00:00Z"}, args...)...)
	if code != 0 {
		t.Fatalf("text: exit %d", code)
	}
	if n := strings.Count(out, "same re-check as user0@qq.com above"); n != 49 {
		t.Errorf("text refers to the first re-check %d times, want 49", n)
	}
	if n := strings.Count(out, "Fix"); n > 2 {
		t.Errorf("text repeats the re-check report (%d × Fix)", n)
	}
}
