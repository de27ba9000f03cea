package dkim

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	msgauth "github.com/emersion/go-msgauth/dkim"
	"github.com/google/go-cmp/cmp"

	"preflight/dns"
)

// FuzzParseSignature: parsing never panics, and a signature whose tag list
// parses round-trips through String.
func FuzzParseSignature(f *testing.F) {
	f.Add("v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1; h=from:to; bh=AAAA; b=AAAA")
	f.Add("v=1; a=ed25519-sha256; d=example.com; s=s1; h=from; l=10; t=1; x=2; i=a=40example.com; bh=; b=")
	f.Add("v=1; v=2")
	f.Add(" a = b ;\r\n\tc=d;")
	f.Add("\xff=\x00;;;=")
	f.Fuzz(func(t *testing.T, s string) {
		sig, _ := ParseSignature(s)
		if sig == nil {
			t.Fatal("nil signature")
		}
		tags, err := ParseTags(s)
		if err != nil {
			return
		}
		again, err := ParseTags((&Signature{Tags: tags}).String())
		if err != nil {
			t.Fatalf("String() of a parsed tag list does not parse: %v", err)
		}
		if diff := cmp.Diff(tags, again); len(tags) > 0 && diff != "" {
			t.Errorf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzParseKey: parsing a key record never panics, and a parsed record
// round-trips through String.
func FuzzParseKey(f *testing.F) {
	f.Add("v=DKIM1; k=rsa; p=MIGJAoGBALVI635dLK4cJJAH3Lx6upo3X/Lm1tQz3mezcWTA3BUBnyIsdnRf57aD5BtNmhPrYYDlWlzw3UgnKisIxktkk5+iMQMlFtAS10JB8L3YadXNJY+JBcbeSi5TgJe4WFzNgW95FWDAuSTRXSWZfA/8xjflbTLDx0euFZOM7C4T0GwLAgMBAAE=")
	f.Add("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	f.Add("k=rsa; t=y:s; h=sha1:sha256; s=email:*; p=")
	f.Add("p=AAAA; g=*")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if k == nil {
			t.Fatal("nil key")
		}
		if err != nil {
			return
		}
		k2, err := ParseKey(k.String())
		if err != nil {
			t.Fatalf("String() of a parsed key does not parse: %v", err)
		}
		if k2.Bits != k.Bits || k2.Type != k.Type || !samePublicKey(k.PublicKey, k2.PublicKey) {
			t.Errorf("round trip changed the key: %+v vs %+v", k, k2)
		}
	})
}

// FuzzBodyCanon: for any body, our streaming canonicalization hashes the
// same as go-msgauth's (which signs the message).
func FuzzBodyCanon(f *testing.F) {
	f.Add("hello \t world  \r\n\r\n", uint8(3))
	f.Add("a\nb\r\nc\rd\r\n\r\n\r", uint8(1))
	f.Add("", uint8(0))
	testKeys(f)
	f.Fuzz(func(t *testing.T, body string, chunk uint8) {
		body = strings.ReplaceAll(body, "\n", "\r\n") // the CRLF reader's job
		body = strings.ReplaceAll(body, "\r\r\n", "\r\n")
		for _, canon := range []msgauth.Canonicalization{msgauth.CanonicalizationSimple, msgauth.CanonicalizationRelaxed} {
			var out strings.Builder
			err := msgauth.Sign(&out, strings.NewReader("From: a@b.example\r\n\r\n"+body), &msgauth.SignOptions{
				Domain: "b.example", Selector: "s", Signer: edKey, BodyCanonicalization: canon})
			if err != nil {
				t.Skip(err)
			}
			v, _, _ := strings.Cut(out.String(), "\r\nFrom:")
			_, v, _ = strings.Cut(v, ":")
			sig, err := ParseSignature(v)
			if err != nil {
				t.Fatalf("go-msgauth's signature does not parse: %v", err)
			}
			h := sha256.New()
			bc := newBodyCanon(Canonicalization(canon), h)
			b := []byte(body)
			n := int(chunk) + 1
			for len(b) > 0 {
				k := min(n, len(b))
				bc.Write(b[:k])
				b = b[k:]
			}
			bc.Close()
			if !bytes.Equal(h.Sum(nil), sig.BodyHash) {
				t.Errorf("%s body %q: hash differs from go-msgauth", canon, body)
			}
		}
	})
}

// FuzzVerify: any bytes as a message; Verify returns, never panics, and
// never reports pass without a key.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("DKIM-Signature: v=1; a=rsa-sha256; d=a.example; s=s; h=from; bh=AAAA; b=AAAA\r\nFrom: x@a.example\r\n\r\nbody\r\n"))
	f.Add([]byte("From: x\n\nbody"))
	f.Add([]byte{0, 1, 2, 0xff})
	f.Fuzz(func(t *testing.T, msg []byte) {
		v := Verifier{Resolver: zoneOf(t, nil)}
		rep, err := v.Verify(context.Background(), bytes.NewReader(msg))
		if err != nil {
			return
		}
		for _, s := range rep.Signatures {
			if s.Result == StatusPass {
				t.Errorf("pass without any key: %+v", s)
			}
		}
	})
}

// FuzzVerifySigned mutates validly signed messages (RSA and Ed25519,
// relaxed and simple) whose keys are published: Verify never panics or
// hangs, a pass is never ours alone, and our own analysis reaches
// go-msgauth's verdict (the inputs it found where they differed are kept
// in testdata/fuzz as regression cases).
func FuzzVerifySigned(f *testing.F) {
	testKeys(f)
	for _, k := range []struct {
		sel    string
		signer interface{ Public() crypto.PublicKey }
	}{{"rsa", rsa2048}, {"ed", edKey}} {
		for _, c := range []msgauth.Canonicalization{msgauth.CanonicalizationSimple, msgauth.CanonicalizationRelaxed} {
			var b strings.Builder
			msgauth.Sign(&b, strings.NewReader(testMessage), &msgauth.SignOptions{Domain: "brand.example", Selector: k.sel,
				Signer: k.signer.(crypto.Signer), HeaderCanonicalization: c, BodyCanonicalization: c,
				HeaderKeys: []string{"From", "From", "Subject", "Date"}})
			f.Add([]byte(b.String()))
		}
	}
	zone := zoneOf(f, map[string]string{
		"rsa._domainkey.brand.example": keyRecord(f, &rsa2048.PublicKey, ""),
		"ed._domainkey.brand.example":  keyRecord(f, edKey.Public(), ""),
	})
	f.Fuzz(func(t *testing.T, msg []byte) {
		v := Verifier{Resolver: zone, Now: fixedClock("2026-11-27T00:00:00Z")}
		done := make(chan struct{})
		var rep *Report
		var err error
		go func() {
			defer close(done)
			rep, err = v.Verify(context.Background(), bytes.NewReader(msg))
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			panic("Verify hangs")
		}
		if err != nil {
			return
		}
		for _, s := range rep.Signatures {
			if s.Result == StatusPass && s.Library != "" && s.BodyLength == nil && s.ExpiresAt == nil {
				t.Errorf("pass that go-msgauth does not give: %s", s.Library)
			}
			if s.Reason == "" {
				t.Error("empty reason")
			}
			// The one known disagreement: go-msgauth does not decode a
			// dkim-quoted-printable i= (see TestVerifyDisagreement).
			if s.Cause == CauseVerifierDisagree && !strings.Contains(s.Identifier, "=") {
				t.Errorf("go-msgauth and preflight's analysis disagree: %s", s.Reason)
			}
		}
	})
}

// staticTXT answers one TXT record for every name.
type staticTXT string

func (s staticTXT) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	return dns.Result{Name: name, Type: t, Status: dns.StatusAnswer,
		Records: []dns.Record{{Name: name, Type: dns.TypeTXT, Data: string(s)}}}, nil
}

// FuzzKeyRecordAgreement publishes mutated key records for a validly signed
// message: our reading of the key record must lead to go-msgauth's verdict.
func FuzzKeyRecordAgreement(f *testing.F) {
	testKeys(f)
	f.Add(keyRecord(f, &rsa2048.PublicKey, ""))
	f.Add(keyRecord(f, &rsa2048.PublicKey, "t=y; h=sha256; s=email; "))
	f.Add(keyRecord(f, &rsa2048.PublicKey, "k=; "))
	f.Add("v=DKIM1; k=rsa; p=")
	var b strings.Builder
	msgauth.Sign(&b, strings.NewReader(testMessage), &msgauth.SignOptions{Domain: "brand.example", Selector: "s1", Signer: rsa2048})
	msg := b.String()
	f.Fuzz(func(t *testing.T, record string) {
		v := Verifier{Resolver: staticTXT(record)}
		rep, err := v.Verify(context.Background(), strings.NewReader(msg))
		if err != nil {
			t.Fatal(err)
		}
		if s := rep.Signatures[0]; s.Cause == CauseVerifierDisagree {
			t.Errorf("key record %q: %s", record, s.Reason)
		}
	})
}
