package dkim

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"preflight/dns"
)

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParsePrivateKey(t *testing.T) {
	t.Parallel()
	testKeys(t)
	pkcs8RSA, _ := x509.MarshalPKCS8PrivateKey(rsa2048)
	pkcs8Ed, _ := x509.MarshalPKCS8PrivateKey(edKey)
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsa2048.PublicKey)
	tests := []struct {
		name string
		data []byte
		pub  crypto.PublicKey // nil: an error is expected
	}{
		{name: "pkcs1-rsa", data: pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa2048)), pub: &rsa2048.PublicKey},
		{name: "pkcs8-rsa", data: pemOf(t, "PRIVATE KEY", pkcs8RSA), pub: &rsa2048.PublicKey},
		{name: "pkcs8-ed25519", data: pemOf(t, "PRIVATE KEY", pkcs8Ed), pub: edKey.Public()},
		{name: "ed25519-seed-base64", data: []byte(base64.StdEncoding.EncodeToString(edKey.Seed()) + "\n"), pub: edKey.Public()},
		{name: "public-key", data: pemOf(t, "PUBLIC KEY", pubDER)},
		{name: "garbage", data: []byte("not a key at all")},
		{name: "corrupt-pkcs1", data: pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa2048)[:200])},
		{name: "empty", data: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParsePrivateKey(tc.data)
			if tc.pub == nil {
				if err == nil || !errors.Is(err, ErrPrivateKey) {
					t.Fatalf("err = %v, want ErrPrivateKey", err)
				}
				if len(tc.data) > 40 && strings.Contains(err.Error(), string(tc.data[30:40])) {
					t.Errorf("error quotes the key file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !samePublicKey(k.Public(), tc.pub) {
				t.Error("wrong public key")
			}
		})
	}
}

func TestLoadPrivateKeyPermissions(t *testing.T) {
	t.Parallel()
	testKeys(t)
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o600, 0o640, 0o644} {
		p := filepath.Join(dir, mode.String()+".pem")
		if err := os.WriteFile(p, pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa1024)), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode) // umask may have removed bits
		_, findings, err := LoadPrivateKey(p)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := hasFinding(findings, "dkim.key-file-readable"), mode != 0o600; got != want {
			t.Errorf("mode %04o: readable finding %v, want %v", mode, got, want)
		}
	}
}

func TestCheckKeyAndExpect(t *testing.T) {
	t.Parallel()
	testKeys(t)
	const name = "s1._domainkey.brand.example"
	tests := []struct {
		name    string
		records map[string]string
		fail    []string
		signer  crypto.Signer
		want    Status
		cause   Cause
		reason  string
	}{
		{name: "valid", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "")}, want: StatusPass, cause: CauseKeyReady, reason: "2048-bit RSA key"},
		{name: "valid-matching", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "")}, signer: rsa2048, want: StatusPass, cause: CauseKeyReady, reason: "matches the private key"},
		{name: "mismatch", records: map[string]string{name: keyRecord(t, &rsa1024.PublicKey, "")}, signer: rsa2048, want: StatusFail, cause: CauseKeyMismatch, reason: "does not match the private key"},
		{name: "ed25519-mismatch", records: map[string]string{name: keyRecord(t, edKey.Public(), "")}, signer: rsa2048, want: StatusFail, cause: CauseKeyMismatch},
		{name: "nxdomain", records: nil, want: StatusPermError, cause: CauseKeyNotFound, reason: "NXDOMAIN"},
		{name: "nodata", records: map[string]string{name: "A 192.0.2.1"}, want: StatusPermError, cause: CauseKeyNotFound, reason: "NODATA"},
		{name: "temporary", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "")}, fail: []string{name}, want: StatusTempError, cause: CauseKeyTemporary, reason: "not a missing key"},
		{name: "revoked", records: map[string]string{name: "v=DKIM1; p="}, want: StatusPermError, cause: CauseKeyRevoked},
		{name: "short", records: map[string]string{name: keyRecord(t, &rsa768.PublicKey, "")}, want: StatusPermError, cause: CauseKeyTooShort, reason: "768-bit"},
		{name: "sha1-only", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "h=sha1; ")}, want: StatusPermError, cause: CauseKeyHash},
		{name: "garbage", records: map[string]string{name: "v=DKIM1; k=rsa; p=AAAA"}, want: StatusPermError, cause: CauseKeySyntax},
		{name: "testing", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "t=y; ")}, want: StatusPass, cause: CauseKeyReady, reason: "t=y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Verifier{Resolver: zoneOf(t, tc.records, tc.fail...)}
			got := v.CheckKey(context.Background(), "Brand.Example.", "S1", tc.signer)
			if got.Result != tc.want || got.Cause != tc.cause || !strings.Contains(got.Reason, tc.reason) {
				t.Errorf("got %s/%s %q, want %s/%s containing %q", got.Result, got.Cause, got.Reason, tc.want, tc.cause, tc.reason)
			}
			if got.Domain != "brand.example" || got.Selector != "s1" {
				t.Errorf("names not canonical: %s %s", got.Domain, got.Selector)
			}
			if tc.signer != nil {
				return
			}
			exp := v.Expect(context.Background(), "brand.example", "s1")
			if !exp.Assumed || exp.Result != tc.want || !strings.Contains(exp.Reason, "d=brand.example s=s1") {
				t.Errorf("Expect: %+v", exp)
			}
			if exp.Result == StatusPass && (exp.Cause != CauseNotSigned || !strings.Contains(exp.Reason, "Assumed pass")) {
				t.Errorf("Expect pass not marked assumed: %s", exp.Reason)
			}
		})
	}
}

func TestSimulateSigning(t *testing.T) {
	t.Parallel()
	testKeys(t)
	const name = "s1._domainkey.brand.example"
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(rsa2048)
	secret := base64.StdEncoding.EncodeToString(pkcs8)[100:140]
	tests := []struct {
		name    string
		records map[string]string
		signer  crypto.Signer
		msg     string
		want    Status
		cause   Cause
		reason  []string
		finding string
	}{
		{name: "matching-rsa", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "")}, signer: rsa2048, msg: testMessage,
			want: StatusPass, cause: CauseVerified, reason: []string{"Simulated signing", "2048-bit RSA key"}},
		{name: "matching-ed25519", records: map[string]string{name: keyRecord(t, edKey.Public(), "")}, signer: edKey, msg: testMessage,
			want: StatusPass, cause: CauseVerified, finding: "dkim.ed25519-only"},
		{name: "lf-sample", records: map[string]string{name: keyRecord(t, &rsa2048.PublicKey, "")}, signer: rsa2048, msg: strings.ReplaceAll(testMessage, "\r\n", "\n"),
			want: StatusPass, cause: CauseVerified, reason: []string{"LF line endings"}},
		{name: "published-key-differs", records: map[string]string{name: keyRecord(t, &rsa1024.PublicKey, "")}, signer: rsa2048, msg: testMessage,
			want: StatusFail, cause: CauseKeyMismatch, reason: []string{"does not match the private key", "Publish the record that matches the private key at s1._domainkey.brand.example"}},
		{name: "not-published", records: nil, signer: rsa2048, msg: testMessage,
			want: StatusPermError, cause: CauseKeyNotFound, reason: []string{"NXDOMAIN", "Publish the record that matches the private key at"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Verifier{Resolver: zoneOf(t, tc.records)}
			got, err := v.SimulateSigning(context.Background(), strings.NewReader(tc.msg), SignOptions{Domain: "brand.example", Selector: "s1", Signer: tc.signer})
			if err != nil {
				t.Fatal(err)
			}
			if got.Result != tc.want || got.Cause != tc.cause || !got.Simulated {
				t.Errorf("got %s/%s simulated=%v: %s", got.Result, got.Cause, got.Simulated, got.Reason)
			}
			// The record to publish is given whole when the published key
			// is missing or another's.
			wantRecord := tc.cause == CauseKeyMismatch || tc.cause == CauseKeyNotFound
			if has := strings.HasPrefix(got.PublicRecord, "v=DKIM1; k=rsa; p="); has != wantRecord {
				t.Errorf("public record %q, want one: %v", got.PublicRecord, wantRecord)
			}
			for _, s := range tc.reason {
				if !strings.Contains(got.Reason, s) {
					t.Errorf("reason lacks %q: %s", s, got.Reason)
				}
			}
			if tc.finding != "" && !hasFinding(got.Findings, tc.finding) {
				t.Errorf("no %s finding: %+v", tc.finding, got.Findings)
			}
			if got.Result == StatusPass {
				if hasFinding(got.Findings, "dkim.from-not-oversigned") || hasFinding(got.Findings, "dkim.header-unsigned") {
					t.Errorf("the simulated signature should oversign From and sign the usual headers: %+v", got.Findings)
				}
			}
			b, _ := json.Marshal(got)
			if strings.Contains(string(b), secret) || strings.Contains(got.Reason, "PRIVATE KEY") {
				t.Error("the result contains private key material")
			}
		})
	}
}

// TestSimulateSigningConformanceKeys signs with the published RFC private
// keys of the conformance data and verifies against their DNS records.
func TestSimulateSigningConformanceKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key, zone, domain, selector string
	}{
		{"rfc6376-appendix-a/brisbane.private.pem", "rfc6376-appendix-a/dns.zone", "example.com", "brisbane"},
		{"rfc8463-appendix-a/brisbane.ed25519.seed.b64", "rfc8463-appendix-a/dns.zone", "football.example.com", "brisbane"},
		{"rfc8463-appendix-a/test.rsa.private.pem", "rfc8463-appendix-a/dns.zone", "football.example.com", "test"},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			signer, _, err := LoadPrivateKey(confPath(t, tc.key))
			if err != nil {
				t.Fatal(err)
			}
			zone, err := dns.LoadZone(confPath(t, tc.zone))
			if err != nil {
				t.Fatal(err)
			}
			msg, err := os.ReadFile(confPath(t, "rfc6376-appendix-a/message.eml"))
			if err != nil {
				t.Fatal(err)
			}
			v := Verifier{Resolver: zone}
			got, err := v.SimulateSigning(context.Background(), strings.NewReader(string(msg)), SignOptions{Domain: dns.Domain(tc.domain), Selector: tc.selector, Signer: signer})
			if err != nil {
				t.Fatal(err)
			}
			if got.Result != StatusPass {
				t.Errorf("got %s/%s: %s", got.Result, got.Cause, got.Reason)
			}
			// The wrong selector's key is a mismatch, said as such.
			other := map[string]string{"brisbane": "test", "test": "brisbane"}[tc.selector]
			if tc.domain == "football.example.com" {
				got, _ = v.SimulateSigning(context.Background(), strings.NewReader(string(msg)), SignOptions{Domain: dns.Domain(tc.domain), Selector: other, Signer: signer})
				if got.Cause != CauseKeyMismatch {
					t.Errorf("signing with the %s key under s=%s: got %s/%s, want key-mismatch", tc.selector, other, got.Result, got.Cause)
				}
			}
		})
	}
}

// TestKeyCNAME: ESPs have the selector aliased to a name they manage; a
// dangling alias is named as such.
func TestKeyCNAME(t *testing.T) {
	t.Parallel()
	testKeys(t)
	zone, err := dns.ParseZone("s1._domainkey.brand.example. 300 IN CNAME s1.dkim.esp.example.\n"+
		"s2._domainkey.brand.example. 300 IN CNAME s2.dkim.esp.example.\n"+
		txtZoneLine("s2.dkim.esp.example", keyRecord(t, &rsa2048.PublicKey, "")), "cname")
	if err != nil {
		t.Fatal(err)
	}
	v := Verifier{Resolver: zone}
	got := v.CheckKey(context.Background(), "brand.example", "s1", nil)
	if got.Cause != CauseKeyNotFound || !strings.Contains(got.Reason, "(a CNAME to s1.dkim.esp.example) does not exist") {
		t.Errorf("dangling CNAME: %s/%s %s", got.Result, got.Cause, got.Reason)
	}
	got = v.CheckKey(context.Background(), "brand.example", "s2", rsa2048)
	if got.Result != StatusPass || !strings.Contains(got.Reason, "a CNAME to s2.dkim.esp.example") {
		t.Errorf("CNAME to a key: %s/%s %s", got.Result, got.Cause, got.Reason)
	}
	sim, err := v.SimulateSigning(context.Background(), strings.NewReader(testMessage), SignOptions{Domain: "brand.example", Selector: "s2", Signer: rsa2048})
	if err != nil || sim.Result != StatusPass || len(sim.KeyCNAMEs) != 1 {
		t.Errorf("sign via CNAME: %v %+v", err, sim)
	}
}
