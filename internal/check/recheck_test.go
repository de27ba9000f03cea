package check

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/bounce"
)

const bounceDir = "../bounce/testdata/"

func analyze(t *testing.T, file string) *bounce.Analysis {
	t.Helper()
	f, err := os.Open(bounceDir + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := bounce.Analyze(f)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func recheckConfig(r dns.Resolver) RecheckConfig {
	return RecheckConfig{Resolver: func() (dns.Resolver, error) { return dns.NewCache(r, nil), nil }, Now: func() time.Time { return evalTime }}
}

// TestRecheck re-checks what QQ bounced against today's DNS: the demo zone
// (still fails, for the same reason), and the same zone with the policy
// relaxed (now passes).
func TestRecheck(t *testing.T) {
	t.Parallel()
	demo := demoZone(t)
	relaxed, err := dns.ParseZone(`_dmarc.brand.example. 300 IN TXT "v=DMARC1; p=none"`, "overlay")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		file   string
		r      dns.Resolver
		status RecheckStatus
		note   string
		assume string
	}{
		{name: "DMARC bounce, DNS unchanged", file: "postfix-qq-dmarc.eml", r: demo, status: RecheckStillFails,
			note: "would still be rejected: 550 DMARC check failed", assume: "taken from the first external Received hop"},
		{name: "DMARC bounce, policy since relaxed", file: "postfix-qq-dmarc.eml", r: &dns.Overlay{Zone: relaxed, Live: demo}, status: RecheckNowPasses,
			note: "would pass (QQ Mail, DMARC fail). If nothing was changed since the bounce, DNS may have been fixed meanwhile"},
		{name: "headers only", file: "postfix-qq-spf-headers-crlf.eml", r: demo, status: RecheckStillFails,
			note: "Only the headers came back, so DKIM body hashes could not be checked.", assume: "taken from the receiver's reply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := analyze(t, tc.file)
			d := &a.Diagnoses[0]
			rc, err := Recheck(context.Background(), recheckConfig(tc.r), a.Bounce, d)
			if err != nil || rc == nil {
				t.Fatalf("Recheck: %v, %v", rc, err)
			}
			if rc.Status != tc.status || !strings.Contains(rc.Note, tc.note) {
				t.Errorf("%s: %q; want %s: %q", rc.Status, rc.Note, tc.status, tc.note)
			}
			if rc.Check == nil || rc.Check.Path != "returned message" || rc.Check.Receiver.Name != "qq" {
				t.Fatalf("check %+v", rc.Check)
			}
			consistent(t, rc.Check)
			if tc.assume != "" && !containsAny(rc.Check.Assumptions, tc.assume) {
				t.Errorf("no assumption %q in %q", tc.assume, rc.Check.Assumptions)
			}
			if rep := rc.Report(); rep.Status != string(tc.status) || rep.Note != rc.Note || rep.Report != rc.Check.Report {
				t.Errorf("report model of the re-check: %+v", rep)
			}
		})
	}
}

// TestRecheckNeedsNoDNS: a bounce that is not about authentication, or that
// did not return the message, is never checked, and the resolver is never
// asked for.
func TestRecheckNeedsNoDNS(t *testing.T) {
	t.Parallel()
	noResolver := RecheckConfig{Resolver: func() (dns.Resolver, error) { return nil, errors.New("no resolver wanted") }}
	a := analyze(t, "reply-qq-dmarc.txt")
	rc, err := Recheck(context.Background(), noResolver, a.Bounce, &a.Diagnoses[0])
	if err != nil || rc == nil || rc.Status != RecheckNotChecked || rc.Check != nil || !strings.Contains(rc.Note, "did not return the original message") {
		t.Errorf("bare reply: %+v, %v", rc, err)
	}
	if rep := rc.Report(); rep.Report != nil || rep.Status != "not-checked" {
		t.Errorf("report model of a bare reply's re-check: %+v", rep)
	}
	a = analyze(t, "exim-main.log")
	for i := range a.Diagnoses {
		d := &a.Diagnoses[i]
		rc, err := Recheck(context.Background(), noResolver, a.Bounce, d)
		if d.NeedsRecheck() {
			continue
		}
		if rc != nil || err != nil || rc.Report() != nil {
			t.Errorf("%s bounce re-checked: %+v, %v", d.Category, rc, err)
		}
	}
	// An authentication bounce with the message needs the resolver, and
	// its failure is the caller's error.
	a = analyze(t, "postfix-qq-dmarc.eml")
	if _, err := Recheck(context.Background(), noResolver, a.Bounce, &a.Diagnoses[0]); err == nil {
		t.Error("resolver error not returned")
	}
}

// TestRecheckOtherReason: the cause of the bounce is gone but the message
// would now be rejected for another reason.
func TestRecheckOtherReason(t *testing.T) {
	t.Parallel()
	a := analyze(t, "postfix-qq-dmarc.eml")
	d := a.Diagnoses[0]
	d.Reason = "SPF check failed" // as if QQ had bounced it for SPF
	rc, err := Recheck(context.Background(), recheckConfig(demoZone(t)), a.Bounce, &d)
	if err != nil || rc.Status != RecheckStillFails || !strings.Contains(rc.Note, "is gone with today's DNS (SPF pass, DMARC fail)") {
		t.Errorf("%+v, %v", rc, err)
	}
	// A temporary failure leaves the re-check undecided.
	rc, err = Recheck(context.Background(), recheckConfig(failingFor(demoZone(t), "_dmarc.brand.example")), a.Bounce, &a.Diagnoses[0])
	if err != nil || rc.Status != RecheckNotChecked || !strings.Contains(rc.Note, "could not decide") {
		t.Errorf("temperror: %+v, %v", rc, err)
	}
}
