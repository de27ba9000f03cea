package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"preflight/internal/dnstest"
)

const dkimDir = "testdata/dkim"

// TestDKIMKeyFile covers --key, which the golden transcripts cannot: the
// key is generated here (nothing private is committed) and its file mode is
// set, not left to the checkout's umask.
func TestDKIMKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	private := filepath.Join(dir, "s1.pem")
	if err := os.WriteFile(private, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	loose := filepath.Join(dir, "loose.pem")
	if err := os.WriteFile(loose, keyPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(loose, 0o644)
	pub := func(k *rsa.PrivateKey) string {
		der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
		b := base64.StdEncoding.EncodeToString(der)
		return `"v=DKIM1; k=rsa; p=` + b[:200] + `" "` + b[200:] + `"`
	}
	zone := filepath.Join(dir, "keys.zone")
	if err := os.WriteFile(zone, []byte(
		"s1._domainkey.brand.example. 300 IN TXT "+pub(key)+"\n"+
			"s2._domainkey.brand.example. 300 IN TXT "+pub(other)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := filepath.Join(dkimDir, "unsigned.eml")
	secret := base64.StdEncoding.EncodeToString(pkcs8)[300:340]

	tests := []struct {
		name    string
		args    []string
		code    int
		want    []string
		notWant []string
	}{
		{name: "key-matches", args: []string{"--domain", "brand.example", "--selector", "s1", "--key", private},
			code: 0, want: []string{"pass", "It matches the private key"}, notWant: []string{"readable"}},
		{name: "key-does-not-match", args: []string{"--domain", "brand.example", "--selector", "s2", "--key", private},
			code: 1, want: []string{"fail", "does not match the private key", "Publish the record that matches the private key at",
				// The record to publish, as a zone line in two strings.
				"publish this record (it matches the private key):\n    s2._domainkey.brand.example. TXT \"v=DKIM1; k=rsa; p=MII",
				"\" \"", "(split into 2 quoted strings of at most 255 bytes"}},
		{name: "key-file-readable", args: []string{"--domain", "brand.example", "--selector", "s1", "--key", loose},
			code: 0, want: []string{"readable by others", "chmod 600"}},
		{name: "sign-simulation", args: []string{"--domain", "brand.example", "--selector", "s1", "--key", private, msg},
			code: 0, want: []string{"pass", "simulated", "Simulated signing"}, notWant: []string{"from-not-oversigned", "signs From only"}},
		{name: "sign-simulation-mismatch", args: []string{"--domain", "brand.example", "--selector", "s2", "--key", private, msg},
			code: 1, want: []string{"fail", "does not match the private key"}},
		{name: "sign-simulation-json", args: []string{"--domain", "brand.example", "--selector", "s2", "--key", private, "--format", "json", msg},
			code: 1, want: []string{`"cause":"key-mismatch"`, `"simulated":true`, `"public_record":"v=DKIM1; k=rsa; p=MII`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"dkim", "--zone", zone}, tc.args...)
			code, out, stderr := run(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, stderr)
			}
			for _, s := range tc.want {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
			if strings.Contains(out+stderr, secret) || strings.Contains(out+stderr, "PRIVATE KEY") {
				t.Error("the private key was printed")
			}
		})
	}
}

// TestDKIMTemporaryFailure asks a real DNS server on loopback that answers
// SERVFAIL for the key: a temporary failure (temperror, exit 3), never
// "no key".
func TestDKIMTemporaryFailure(t *testing.T) {
	t.Parallel()
	zone, err := os.ReadFile(filepath.Join(dkimDir, "dkim.zone"))
	if err != nil {
		t.Fatal(err)
	}
	srv := dnstest.Start(t, string(zone))
	srv.SetFault("s2048._domainkey.brand.example", dnstest.Fault{Rcode: dns.RcodeServerFailure})
	code, out, stderr := run(t, "dkim", "--resolver", srv.Addr, "--now", "2026-11-28T00:00:00Z", "--format", "json", filepath.Join(dkimDir, "signed.eml"))
	if code != ExitIndeterminate {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitIndeterminate, out, stderr)
	}
	var got struct {
		Result, Cause, Reason string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Result != "temperror" || got.Cause != "key-temporary" || !strings.Contains(got.Reason, "not a missing key") {
		t.Errorf("got %+v", got)
	}

	// The same server answers the key normally: pass.
	code, out, _ = run(t, "dkim", "--resolver", srv.Addr, "--now", "2026-11-28T00:00:00Z", filepath.Join(dkimDir, "two-signatures-lf.eml"))
	if code != ExitOK || !strings.Contains(out, "pass      d=esp.example") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestDKIMLoopbackLargeKey verifies a message signed with a 4096-bit key
// whose record (about 800 bytes, several TXT strings) comes over a real DNS
// server that truncates over UDP: the answer arrives over TCP, is joined,
// and the signature passes; a server that also drops TCP gives temperror.
func TestDKIMLoopbackLargeKey(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	b64 := base64.StdEncoding.EncodeToString(der)
	var parts []string
	for len(b64) > 0 {
		n := min(len(b64), 255)
		parts = append(parts, `"`+b64[:n]+`"`)
		b64 = b64[n:]
	}
	zone := "big._domainkey.brand.example. 300 IN TXT \"v=DKIM1; k=rsa; p=\" " + strings.Join(parts, " ") + "\n"
	srv := dnstest.Start(t, zone)
	srv.SetFault("big._domainkey.brand.example", dnstest.Fault{Truncate: true})

	dir := t.TempDir()
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	keyFile := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(keyFile, pkcs1, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, "dkim", "--resolver", srv.Addr, "--domain", "brand.example", "--selector", "big", "--key", keyFile,
		"--format", "json", filepath.Join(dkimDir, "unsigned.eml"))
	if code != ExitOK || !strings.Contains(out, `"result":"pass"`) || !strings.Contains(out, `"key_bits":4096`) {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}

	srv.SetFault("big._domainkey.brand.example", dnstest.Fault{Truncate: true, DropTCP: true})
	code, out, _ = run(t, "dkim", "--resolver", srv.Addr, "--timeout", "300ms", "--domain", "brand.example", "--selector", "big", "--format", "json")
	if code != ExitIndeterminate || !strings.Contains(out, `"result":"temperror"`) {
		t.Errorf("TCP dropped: exit %d\n%s", code, out)
	}
}
