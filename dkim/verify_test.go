package dkim

import (
	"context"
	"crypto"
	"encoding/json"
	"strings"
	"testing"
	"time"

	msgauth "github.com/emersion/go-msgauth/dkim"

	"preflight/report/finding"
)

func TestVerifyCauses(t *testing.T) {
	t.Parallel()
	testKeys(t)
	const sel = "s1._domainkey.brand.example"
	relaxed := func(k crypto.Signer, extra func(*msgauth.SignOptions)) string {
		o := &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: k,
			HeaderCanonicalization: msgauth.CanonicalizationRelaxed, BodyCanonicalization: msgauth.CanonicalizationRelaxed,
			HeaderKeys: []string{"From", "From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"}}
		if extra != nil {
			extra(o)
		}
		return libSign(t, testMessage, o)
	}
	good := relaxed(rsa2048, nil)
	tests := []struct {
		name    string
		msg     string
		records map[string]string
		fail    []string
		now     string
		want    Status
		cause   Cause
		reason  []string // substrings of Reason
		finding string   // a finding ID that must be present
		library bool     // go-msgauth's verdict differs, by design
	}{
		{name: "pass-rsa2048", msg: good, records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want: StatusPass, cause: CauseVerified, reason: []string{"2048-bit RSA key", sel}},
		{name: "pass-rsa1024", msg: relaxed(rsa1024, nil), records: map[string]string{sel: keyRecord(t, &rsa1024.PublicKey, "")},
			want: StatusPass, cause: CauseVerified, reason: []string{"1024 bits", "2048 bits is recommended"}, finding: "dkim.key-1024"},
		{name: "pass-ed25519-only", msg: relaxed(edKey, nil), records: map[string]string{sel: keyRecord(t, edKey.Public(), "")},
			want: StatusPass, cause: CauseVerified, reason: []string{"Ed25519"}},
		{name: "key-nxdomain", msg: good, records: map[string]string{"other._domainkey.brand.example": keyRecord(t, &rsa2048.PublicKey, "")},
			want: StatusPermError, cause: CauseKeyNotFound, reason: []string{"NXDOMAIN", "Publish the public key"}},
		{name: "key-nodata", msg: good, records: map[string]string{sel: "A 192.0.2.1"},
			want: StatusPermError, cause: CauseKeyNotFound, reason: []string{"NODATA"}},
		{name: "key-temporary", msg: good, records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, fail: []string{sel},
			want: StatusTempError, cause: CauseKeyTemporary, reason: []string{"temporary DNS failure, not a missing key", "SERVFAIL"}},
		{name: "key-revoked", msg: good, records: map[string]string{sel: "v=DKIM1; k=rsa; p="},
			want: StatusPermError, cause: CauseKeyRevoked, reason: []string{"revoked"}},
		{name: "key-768", msg: relaxed(rsa768, nil), records: map[string]string{sel: keyRecord(t, &rsa768.PublicKey, "")},
			want: StatusPermError, cause: CauseKeyTooShort, reason: []string{"768-bit", "RFC 8301"}},
		{name: "key-multiple", msg: good, records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "") + "\x00" + keyRecord(t, &rsa1024.PublicKey, "")},
			want: StatusPermError, cause: CauseKeyMultiple, reason: []string{"2 TXT records"}},
		{name: "key-mismatch", msg: good, records: map[string]string{sel: keyRecord(t, &rsa1024.PublicKey, "")},
			want: StatusFail, cause: CauseKeyMismatch, reason: []string{"body is intact", "was not made with this key"}},
		{name: "rsa-sha1", msg: rawSign(t, testMessage, "v=1; a=rsa-sha1; c=relaxed/relaxed; d=brand.example; s=s1; h=from:to:subject", rsa2048),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusPermError, cause: CauseSHA1, reason: []string{"RFC 8301", "signature itself is intact"}},
		{name: "body-changed", msg: good + "--\r\nSent with a footer\r\n", records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want: StatusFail, cause: CauseBodyHash, reason: []string{"body changed after signing", "The first 48 bytes", "the 24 bytes after them were added later"}},
		{name: "body-rewritten", msg: strings.Replace(good, "sale starts", "sale begins", 1), records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want: StatusFail, cause: CauseBodyHash, reason: []string{"body changed after signing", "click tracking"}},
		{name: "footer-simple-lf", msg: strings.ReplaceAll(libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048})+"-- \r\nunsubscribe: https://x.example/u\r\n", "\r\n", "\n"),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusFail, cause: CauseBodyHash, reason: []string{"were added later", "LF line endings"}},
		{name: "header-changed", msg: strings.Replace(good, "Subject: Autumn sale", "Subject: Winter sale", 1), records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want: StatusFail, cause: CauseSignature, reason: []string{"was made with this key", "signed header field"}},
		{name: "from-added-on-top", msg: "From: attacker@evil.example\r\n" + relaxed(rsa2048, func(o *msgauth.SignOptions) { o.HeaderKeys = []string{"From", "From", "To", "Subject"} }),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusFail, cause: CauseSignature, reason: []string{"From field \"attacker@evil.example\" was added after signing"}},
		{name: "from-added-not-oversigned", msg: "From: attacker@evil.example\r\n" + relaxed(rsa2048, func(o *msgauth.SignOptions) { o.HeaderKeys = []string{"From", "To", "Subject"} }),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusPass, cause: CauseVerified, finding: "dkim.from-unsigned-instance"},
		{name: "reply-to-added-ed25519", msg: strings.Replace(relaxed(edKey, func(o *msgauth.SignOptions) { o.HeaderKeys = []string{"From", "Reply-To", "Subject"} }), "Subject:", "Reply-To: x@y.example\r\nSubject:", 1),
			records: map[string]string{sel: keyRecord(t, edKey.Public(), "")},
			want:    StatusFail, cause: CauseSignature, reason: []string{"Reply-To field", "added after signing"}},
		{name: "simple-header-refolded", msg: strings.Replace(libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048}), "Subject: Autumn sale", "Subject:  Autumn\r\n  sale", 1),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusFail, cause: CauseSignature, reason: []string{"simple header canonicalization", "refolds"}},
		{name: "header-changed-ed25519", msg: strings.Replace(relaxed(edKey, nil), "Subject: Autumn sale", "Subject: Winter sale", 1), records: map[string]string{sel: keyRecord(t, edKey.Public(), "")},
			want: StatusFail, cause: CauseSignature, reason: []string{"Either a signed header field"}},
		{name: "from-not-signed", msg: rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=to:subject", rsa2048),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusPermError, cause: CauseFromNotSigned, reason: []string{"does not list From"}},
		{name: "expired-at-now", msg: rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=from:to:subject; t=1700000000; x=2000000000", rsa2048),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, now: "2034-01-01T00:00:00Z",
			want: StatusPermError, cause: CauseExpired, reason: []string{"expired at 2033-05-18", "2034-01-01", "Apart from its age the signature is intact"}, library: true},
		{name: "not-yet-expired-at-now", msg: rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=from:to:subject; t=1500000000; x=1600000000", rsa2048),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, now: "2019-01-01T00:00:00Z",
			want: StatusPass, cause: CauseVerified, library: true},
		{name: "testing-key", msg: good, records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "t=y; ")},
			want: StatusPass, cause: CauseVerified, reason: []string{"t=y", "treat the message as unsigned"}, finding: "dkim.testing-mode"},
		{name: "body-length", msg: rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=from:from:to:subject; l=20", rsa2048) + "Appended by anyone\r\n",
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusPass, cause: CauseBodyLength, reason: []string{"l=20", "Receivers differ"}, finding: "dkim.body-length", library: true},
		{name: "identifier-outside", msg: rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=from:to:subject; i=news@esp.example", rsa2048),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want:    StatusPermError, cause: CauseIdentifier, reason: []string{"i=news@esp.example"}},
		{name: "lf-only", msg: strings.ReplaceAll(good, "\r\n", "\n"), records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")},
			want: StatusPass, cause: CauseVerified, reason: []string{"LF line endings"}, finding: "dkim.lf-line-endings"},
		{name: "simple-simple", msg: libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048}),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPass, cause: CauseVerified},
		{name: "simple-body-whitespace", msg: strings.Replace(libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048}), "Hello,", "Hello, ", 1),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusFail, cause: CauseBodyHash, reason: []string{"simple canonicalization"}},
		{name: "relaxed-body-whitespace", msg: strings.Replace(good, "Hello,", "Hello,  ", 1),
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPass, cause: CauseVerified},
		{name: "key-hash-sha1-only", msg: good, records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "h=sha1; ")},
			want: StatusPermError, cause: CauseKeyHash},
		{name: "key-type", msg: good, records: map[string]string{sel: keyRecord(t, edKey.Public(), "")},
			want: StatusPermError, cause: CauseKeyType},
		{name: "version-2", msg: "DKIM-Signature: v=2; a=rsa-sha256; d=brand.example; s=s1; h=from; bh=AAAA; b=AAAA\r\n" + testMessage,
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPermError, cause: CauseVersion, reason: []string{"v=2"}},
		{name: "missing-bh", msg: "DKIM-Signature: v=1; a=rsa-sha256; d=brand.example; s=s1; h=from; b=AAAA\r\n" + testMessage,
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPermError, cause: CauseMissingTag, reason: []string{"bh="}},
		{name: "unknown-algorithm", msg: "DKIM-Signature: v=1; a=rsa-sha512; d=brand.example; s=s1; h=from; bh=AAAA; b=AAAA\r\n" + testMessage,
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPermError, cause: CauseAlgorithm, reason: []string{"a=rsa-sha512"}},
		{name: "bad-timestamp", msg: "DKIM-Signature: v=1; a=rsa-sha256; d=brand.example; s=s1; h=from; t=soon; bh=AAAA; b=AAAA\r\n" + testMessage,
			records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPermError, cause: CauseTagValue, reason: []string{"t=soon"}},
		{name: "key-service", msg: good, records: map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "s=chat; ")},
			want: StatusPermError, cause: CauseKeyService, reason: []string{"excludes email"}},
		{name: "key-not-dkim", msg: good, records: map[string]string{sel: "v=spf1 -all"},
			want: StatusPermError, cause: CauseKeySyntax, reason: []string{"is not a DKIM key but \"v=spf1 -all\"", "expected DKIM1"}},
		{name: "malformed-tags", msg: "DKIM-Signature: v=1; a=rsa-sha256; d=brand.example; s=s1; d=other.example; h=from; bh=; b=\r\n" + testMessage,
			want: StatusPermError, cause: CauseSyntax, reason: []string{"occurs more than once"}},
		{name: "binary-junk-tag", msg: "DKIM-Signature: v=1; a=rsa-sha256; \x01\xff\x00; d=brand.example\r\n" + testMessage,
			want: StatusPermError, cause: CauseSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Verifier{Resolver: zoneOf(t, tc.records, tc.fail...)}
			if tc.now != "" {
				v.Now = fixedClock(tc.now)
			}
			rep, err := v.Verify(context.Background(), strings.NewReader(tc.msg))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if len(rep.Signatures) != 1 {
				t.Fatalf("%d signatures, want 1", len(rep.Signatures))
			}
			got := rep.Signatures[0]
			if got.Result != tc.want || got.Cause != tc.cause {
				t.Errorf("got %s/%s, want %s/%s\nreason: %s\nlibrary: %s", got.Result, got.Cause, tc.want, tc.cause, got.Reason, got.Library)
			}
			for _, s := range tc.reason {
				if !strings.Contains(got.Reason, s) {
					t.Errorf("reason lacks %q: %s", s, got.Reason)
				}
			}
			if (got.Library != "") != tc.library {
				t.Errorf("library verdict %q, want a difference: %v", got.Library, tc.library)
			}
			if got.Result != StatusPass && got.Err == nil {
				t.Errorf("result %s without an error", got.Result)
			}
			if tc.finding != "" && !hasFinding(append(got.Findings, rep.Findings...), tc.finding) {
				t.Errorf("no finding %s in %+v %+v", tc.finding, got.Findings, rep.Findings)
			}
		})
	}
}

func hasFinding(fs []finding.Finding, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

func TestVerifyAdvice(t *testing.T) {
	t.Parallel()
	testKeys(t)
	const sel = "s1._domainkey.brand.example"
	records := map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "")}
	tests := []struct {
		name    string
		headers []string
		want    []string
		notWant []string
	}{
		{name: "oversigned-and-complete", headers: []string{"From", "From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"},
			notWant: []string{"dkim.from-not-oversigned", "dkim.header-unsigned"}},
		{name: "from-once", headers: []string{"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"},
			want: []string{"dkim.from-not-oversigned"}, notWant: []string{"dkim.header-unsigned"}},
		{name: "minimal", headers: []string{"From"},
			want: []string{"dkim.from-not-oversigned", "dkim.header-unsigned"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg := libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048, HeaderKeys: tc.headers})
			rep, err := (&Verifier{Resolver: zoneOf(t, records)}).Verify(context.Background(), strings.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			got := rep.Signatures[0]
			if got.Result != StatusPass {
				t.Fatalf("result %s: %s", got.Result, got.Reason)
			}
			for _, id := range tc.want {
				if !hasFinding(got.Findings, id) {
					t.Errorf("missing finding %s", id)
				}
			}
			for _, id := range tc.notWant {
				if hasFinding(got.Findings, id) {
					t.Errorf("unexpected finding %s", id)
				}
			}
		})
	}
	t.Run("unsigned-headers-named", func(t *testing.T) {
		t.Parallel()
		msg := libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048, HeaderKeys: []string{"From", "From", "Subject"}})
		rep, _ := (&Verifier{Resolver: zoneOf(t, records)}).Verify(context.Background(), strings.NewReader(msg))
		for _, f := range rep.Signatures[0].Findings {
			if f.ID == "dkim.header-unsigned" {
				for _, h := range []string{"Date", "Message-ID", "List-Unsubscribe"} {
					if !strings.Contains(f.Title, h) {
						t.Errorf("title %q does not name %s", f.Title, h)
					}
				}
				return
			}
		}
		t.Error("no dkim.header-unsigned finding")
	})
}

func TestVerifyMessageLevel(t *testing.T) {
	t.Parallel()
	testKeys(t)
	t.Run("unsigned", func(t *testing.T) {
		t.Parallel()
		rep, err := (&Verifier{Resolver: zoneOf(t, nil)}).Verify(context.Background(), strings.NewReader(testMessage))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Signatures) != 0 || !hasFinding(rep.Findings, "dkim.unsigned") {
			t.Errorf("got %+v", rep)
		}
	})
	t.Run("ed25519-only", func(t *testing.T) {
		t.Parallel()
		msg := libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "ed", Signer: edKey})
		rep, _ := (&Verifier{Resolver: zoneOf(t, map[string]string{"ed._domainkey.brand.example": keyRecord(t, edKey.Public(), "")})}).Verify(context.Background(), strings.NewReader(msg))
		if !hasFinding(rep.Findings, "dkim.ed25519-only") {
			t.Errorf("no ed25519-only finding: %+v", rep.Findings)
		}
		msg = libSign(t, msg, &msgauth.SignOptions{Domain: "brand.example", Selector: "rsa", Signer: rsa2048})
		rep, _ = (&Verifier{Resolver: zoneOf(t, map[string]string{
			"ed._domainkey.brand.example":  keyRecord(t, edKey.Public(), ""),
			"rsa._domainkey.brand.example": keyRecord(t, &rsa2048.PublicKey, "")})}).Verify(context.Background(), strings.NewReader(msg))
		if hasFinding(rep.Findings, "dkim.ed25519-only") {
			t.Errorf("ed25519-only with an RSA signature present")
		}
		if len(rep.Signatures) != 2 || rep.Signatures[0].Result != StatusPass || rep.Signatures[1].Result != StatusPass {
			t.Errorf("two signatures should pass: %+v", rep.Signatures)
		}
	})
	t.Run("no-body", func(t *testing.T) {
		t.Parallel()
		head, _, _ := strings.Cut(testMessage, "\r\n\r\n")
		msg := libSign(t, head+"\r\n\r\n", &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048})
		msg = strings.TrimSuffix(msg, "\r\n") // end inside the header: no separator line
		rep, err := (&Verifier{Resolver: zoneOf(t, map[string]string{"s1._domainkey.brand.example": keyRecord(t, &rsa2048.PublicKey, "")})}).Verify(context.Background(), strings.NewReader(msg))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Signatures[0].Result != StatusPass {
			t.Errorf("got %s: %s", rep.Signatures[0].Result, rep.Signatures[0].Reason)
		}
	})
	t.Run("header-too-large", func(t *testing.T) {
		t.Parallel()
		msg := "X-Big: " + strings.Repeat("a", 2000) + "\r\n" + testMessage
		_, err := (&Verifier{Resolver: zoneOf(t, nil), MaxHeaderBytes: 1000}).Verify(context.Background(), strings.NewReader(msg))
		if err == nil {
			t.Error("no error for an over-long header")
		}
	})
}

func TestResultJSON(t *testing.T) {
	t.Parallel()
	at := time.Unix(1700000000, 0).UTC()
	aligned := true
	r := Result{Domain: "brand.example", Selector: "s1", Result: StatusPass, Reason: "Verified.", Cause: CauseVerified,
		Algorithm: "rsa-sha256", KeyBits: 2048, Aligned: &aligned, SignedAt: &at}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"domain", "selector", "result", "reason", "algorithm", "key_bits", "aligned"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
}

func TestVerifyInformationalFindings(t *testing.T) {
	t.Parallel()
	testKeys(t)
	const sel = "s1._domainkey.brand.example"
	msg := rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=from:from:to:subject:date:message-id:list-unsubscribe; i=news@mail.brand.example; t=1900000000", rsa2048)
	v := Verifier{Resolver: zoneOf(t, map[string]string{sel: keyRecord(t, &rsa2048.PublicKey, "t=s; ")}), Now: fixedClock("2026-01-01T00:00:00Z")}
	rep, err := v.Verify(context.Background(), strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Signatures[0]
	if got.Result != StatusPass {
		t.Fatalf("got %s: %s", got.Result, got.Reason)
	}
	for _, id := range []string{"dkim.key-strict-identifier", "dkim.signed-in-future"} {
		if !hasFinding(got.Findings, id) {
			t.Errorf("missing %s in %+v", id, got.Findings)
		}
	}
}

// TestVerifyDisagreement: where go-msgauth and our own analysis differ for
// a reason other than the clock or l=, go-msgauth's verdict stands and the
// reason shows both. go-msgauth does not decode a dkim-quoted-printable
// i= (RFC 6376 §2.11), so "news=40brand.example" is "outside d=" to it.
func TestVerifyDisagreement(t *testing.T) {
	t.Parallel()
	testKeys(t)
	msg := rawSign(t, testMessage, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=brand.example; s=s1; h=from:from:to:subject; i=news=40brand.example", rsa2048)
	v := Verifier{Resolver: zoneOf(t, map[string]string{"s1._domainkey.brand.example": keyRecord(t, &rsa2048.PublicKey, "")})}
	rep, err := v.Verify(context.Background(), strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Signatures[0]
	if got.Result != StatusPermError || got.Cause != CauseVerifierDisagree || got.Library == "" || got.Err == nil {
		t.Errorf("got %s/%s library=%q", got.Result, got.Cause, got.Library)
	}
	for _, s := range []string{"go-msgauth says permerror", "own analysis found pass"} {
		if !strings.Contains(got.Reason, s) {
			t.Errorf("reason lacks %q: %s", s, got.Reason)
		}
	}
}

// TestVerifyBlankRun: megabytes of empty lines (which go-msgauth handles in
// quadratic time) are verified by our own analysis, quickly, one signature
// or several.
func TestVerifyBlankRun(t *testing.T) {
	t.Parallel()
	testKeys(t)
	records := map[string]string{
		"s1._domainkey.brand.example": keyRecord(t, &rsa2048.PublicKey, ""),
		"ed._domainkey.brand.example": keyRecord(t, edKey.Public(), ""),
	}
	body := "Hello\r\n" + strings.Repeat("\r\n", 800<<10) + "after the gap\r\n" + strings.Repeat(" \r\n", 400<<10)
	head, _, _ := strings.Cut(testMessage, "\r\n\r\n")
	msg := head + "\r\n\r\n" + body
	// go-msgauth's relaxed signer is linear on such bodies; its simple one
	// is not, so the simple signature is made by rawSign.
	one := rawSign(t, msg, "v=1; a=rsa-sha256; c=simple/simple; d=brand.example; s=s1; h=from:subject", rsa2048)
	two := libSign(t, one, &msgauth.SignOptions{Domain: "brand.example", Selector: "ed", Signer: edKey,
		HeaderCanonicalization: msgauth.CanonicalizationRelaxed, BodyCanonicalization: msgauth.CanonicalizationRelaxed})
	for name, m := range map[string]string{"one": one, "two": two, "two-altered": strings.Replace(two, "after the gap", "AFTER the gap", 1)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rep, err := (&Verifier{Resolver: zoneOf(t, records)}).Verify(context.Background(), strings.NewReader(m))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range rep.Signatures {
				want := StatusPass
				if name == "two-altered" {
					want = StatusFail
				}
				if s.Result != want || !strings.Contains(s.Library, "not consulted") {
					t.Errorf("s=%s: %s/%s library=%q", s.Selector, s.Result, s.Cause, s.Library)
				}
			}
		})
	}
}

// TestVerifyHeaders: a header section without its body (a bounce's
// text/rfc822-headers) still verifies the header signature.
func TestVerifyHeaders(t *testing.T) {
	t.Parallel()
	testKeys(t)
	records := map[string]string{
		"s1._domainkey.brand.example": keyRecord(t, &rsa2048.PublicKey, ""),
		"ed._domainkey.brand.example": keyRecord(t, edKey.Public(), ""),
		"s2._domainkey.brand.example": keyRecord(t, &rsa1024.PublicKey, ""),
	}
	sign := func(sel string, k crypto.Signer) string {
		m := libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: sel, Signer: k,
			HeaderCanonicalization: msgauth.CanonicalizationRelaxed, BodyCanonicalization: msgauth.CanonicalizationRelaxed,
			HeaderKeys: []string{"From", "From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"}})
		head, _, _ := strings.Cut(m, "\r\n\r\n")
		return head + "\r\n"
	}
	tests := []struct {
		name   string
		head   string
		want   Status
		cause  Cause
		reason string
	}{
		{name: "rsa", head: sign("s1", rsa2048), want: StatusPass, cause: CauseVerified, reason: "body is assumed unchanged"},
		{name: "ed25519", head: sign("ed", edKey), want: StatusPass, cause: CauseVerified, reason: "Header signature verified"},
		{name: "subject-changed", head: strings.Replace(sign("s1", rsa2048), "Autumn", "Winter", 1), want: StatusFail, cause: CauseSignature, reason: "was made with this key"},
		{name: "wrong-key", head: strings.Replace(sign("s1", rsa2048), "s=s1", "s=s2", 1), want: StatusFail, cause: CauseKeyMismatch},
		{name: "no-key", head: strings.Replace(sign("s1", rsa2048), "s=s1", "s=s9", 1), want: StatusPermError, cause: CauseKeyNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, err := (&Verifier{Resolver: zoneOf(t, records)}).VerifyHeaders(context.Background(), strings.NewReader(tc.head))
			if err != nil {
				t.Fatal(err)
			}
			got := rep.Signatures[0]
			if got.Result != tc.want || got.Cause != tc.cause || !strings.Contains(got.Reason, tc.reason) || !got.HeadersOnly {
				t.Errorf("got %s/%s headers_only=%v: %s", got.Result, got.Cause, got.HeadersOnly, got.Reason)
			}
			if got.Assumed != (got.Result == StatusPass) {
				t.Errorf("assumed=%v for %s", got.Assumed, got.Result)
			}
			if strings.Contains(got.Reason, "bh= matches") {
				t.Errorf("claims the body was checked: %s", got.Reason)
			}
		})
	}
}

func TestVerifierWithoutResolver(t *testing.T) {
	t.Parallel()
	testKeys(t)
	msg := libSign(t, testMessage, &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: edKey})
	rep, err := (&Verifier{}).Verify(context.Background(), strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Signatures[0]; got.Result != StatusTempError {
		t.Errorf("got %s: %s", got.Result, got.Reason)
	}
	if got := (&Verifier{}).CheckKey(context.Background(), "brand.example", "s1", nil); got.Result != StatusTempError {
		t.Errorf("CheckKey: got %s", got.Result)
	}
}
