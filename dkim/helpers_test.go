//go:debug rsa1024min=0

package dkim

import (
	"bufio"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
	"testing"
	"time"

	msgauth "github.com/emersion/go-msgauth/dkim"

	"preflight/dns"
)

// Test keys are generated once per test binary; nothing private is
// committed. rsa1024min=0 (above) lets the test generate a 768-bit key.
var (
	keysOnce sync.Once
	rsa2048  *rsa.PrivateKey
	rsa1024  *rsa.PrivateKey
	rsa768   *rsa.PrivateKey
	edKey    ed25519.PrivateKey
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsa1024, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
		if rsa768, err = rsa.GenerateKey(rand.Reader, 768); err != nil {
			panic(err)
		}
		seed := sha256.Sum256([]byte("preflight dkim test key"))
		edKey = ed25519.NewKeyFromSeed(seed[:])
	})
}

// keyRecord returns the DNS key record text for a public key.
func keyRecord(t testing.TB, pub crypto.PublicKey, extra string) string {
	t.Helper()
	switch p := pub.(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(p)
		if err != nil {
			t.Fatal(err)
		}
		return "v=DKIM1; k=rsa; " + extra + "p=" + base64.StdEncoding.EncodeToString(der)
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; " + extra + "p=" + base64.StdEncoding.EncodeToString(p)
	}
	t.Fatalf("unsupported key %T", pub)
	return ""
}

// testMessage is a small newsletter-like message with CRLF line endings.
const testMessage = "From: Brand News <news@brand.example>\r\n" +
	"To: reader@qq.example\r\n" +
	"Subject: Autumn sale\r\n" +
	"Date: Fri, 27 Nov 2026 08:00:00 +0000\r\n" +
	"Message-ID: <sale-1@brand.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"List-Unsubscribe: <https://brand.example/u/1>\r\n" +
	"\r\n" +
	"Hello,\r\n" +
	"our autumn sale starts today.\r\n" +
	"\r\n" +
	"Brand\r\n"

// libSign signs msg with go-msgauth (an independent signer).
func libSign(t testing.TB, msg string, o *msgauth.SignOptions) string {
	t.Helper()
	var b strings.Builder
	if err := msgauth.Sign(&b, strings.NewReader(msg), o); err != nil {
		t.Fatalf("msgauth.Sign: %v", err)
	}
	return b.String()
}

// rawSign signs msg with the given tags (everything but bh= and b=), for
// signatures go-msgauth cannot make (l=, rsa-sha1, i= outside d=, t=y
// flags are in the key, x= with any value).
func rawSign(t testing.TB, msg, tags string, key crypto.Signer) string {
	t.Helper()
	sig, err := ParseSignature(tags + "; bh=; b=")
	if err != nil && !errors.Is(err, ErrIdentifier) && !errors.Is(err, ErrFromNotSigned) {
		t.Fatalf("rawSign tags: %v", err)
	}
	head, body, _ := strings.Cut(msg, "\r\n\r\n")
	var newHash func() hash.Hash = sha256.New
	h := crypto.SHA256
	if sig.HashAlgorithm == "sha1" {
		newHash, h = sha1.New, crypto.SHA1
	}
	lh := &limitHash{h: newHash(), limit: sig.BodyLength}
	bc := newBodyCanon(sig.BodyCanon, lh)
	bc.Write([]byte(body))
	bc.Close()
	field := "DKIM-Signature: " + tags + ";\r\n bh=" + base64.StdEncoding.EncodeToString(lh.h.Sum(nil)) + "; b="
	fields, _, _, err := readHeader(bufio.NewReader(strings.NewReader(head+"\r\n\r\n")), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sig.HeaderCanon = Canonicalization(strings.Split(mustTag(sig, "c")+"/", "/")[0])
	if sig.HeaderCanon == "" {
		sig.HeaderCanon = Simple
	}
	digest := headerHash(h, fields, headerField{name: "DKIM-Signature", raw: field + "\r\n"}, sig)
	var s []byte
	if _, ok := key.(ed25519.PrivateKey); ok {
		s, err = key.Sign(rand.Reader, digest, crypto.Hash(0))
	} else {
		s, err = key.Sign(rand.Reader, digest, h)
	}
	if err != nil {
		t.Fatal(err)
	}
	return field + base64.StdEncoding.EncodeToString(s) + "\r\n" + msg
}

func mustTag(s *Signature, name string) string {
	v, _ := s.Tag(name)
	return v
}

// tempResolver wraps a zone and fails chosen names temporarily.
type tempResolver struct {
	zone *dns.Zone
	fail map[string]bool
}

func (r tempResolver) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if r.fail[dns.CanonicalName(name)] {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail,
			Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	return r.zone.Lookup(ctx, name, t)
}

func zoneOf(t testing.TB, records map[string]string, fail ...string) dns.Resolver {
	t.Helper()
	var b strings.Builder
	for name, txt := range records {
		if strings.HasPrefix(txt, "A ") {
			fmt.Fprintf(&b, "%s. 300 IN A %s\n", name, strings.TrimPrefix(txt, "A "))
			continue
		}
		for _, one := range strings.Split(txt, "\x00") {
			b.WriteString(txtZoneLine(name, one))
		}
	}
	z, err := dns.ParseZone(b.String(), t.Name())
	if err != nil {
		t.Fatalf("zone: %v\n%s", err, b.String())
	}
	r := tempResolver{zone: z, fail: map[string]bool{}}
	for _, f := range fail {
		r.fail[f] = true
	}
	return r
}

func fixedClock(s string) dns.Clock {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return t }
}
