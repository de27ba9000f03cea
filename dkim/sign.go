package dkim

import (
	"bufio"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	msgauth "github.com/emersion/go-msgauth/dkim"

	"preflight/dns"
	"preflight/report/finding"
)

// This file holds what preflight does before anything is sent: check a
// published key (and that it matches a private key), simulate the ESP's
// signing of a sample, and assume an expected signature.

// ErrPrivateKey marks a private key file that cannot be used. Its text never
// includes key material.
var ErrPrivateKey = errors.New("dkim: unusable private key")

// ParsePrivateKey parses a PEM private key: PKCS#1 ("RSA PRIVATE KEY") or
// PKCS#8 ("PRIVATE KEY") holding RSA or Ed25519. As a convenience it also
// accepts the base64 of a raw 32-byte Ed25519 seed (the RFC 8463 §A.1 form).
// Errors never quote the key.
func ParsePrivateKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
		if err == nil && len(seed) == ed25519.SeedSize {
			return ed25519.NewKeyFromSeed(seed), nil
		}
		return nil, fmt.Errorf("%w: no PEM block found (want \"-----BEGIN PRIVATE KEY-----\" or \"-----BEGIN RSA PRIVATE KEY-----\")", ErrPrivateKey)
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: the PKCS#1 RSA key does not parse", ErrPrivateKey)
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: the PKCS#8 key does not parse", ErrPrivateKey)
		}
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return k, nil
		default:
			return nil, fmt.Errorf("%w: a %T cannot sign DKIM (RSA or Ed25519 only)", ErrPrivateKey, k)
		}
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return nil, fmt.Errorf("%w: the file holds a public key; the private key is needed to sign", ErrPrivateKey)
	}
	return nil, fmt.Errorf("%w: unsupported PEM block %q", ErrPrivateKey, block.Type)
}

// MaxPrivateKeyFile is the most LoadPrivateKey reads: 64 KiB. A PEM RSA key
// of 8192 bits is under 7 KiB; a larger file (a message, /dev/zero given by
// mistake) is refused without being read whole.
const MaxPrivateKeyFile = 64 << 10

// readKeyFile reads at most MaxPrivateKeyFile bytes of path; st is its
// Stat, so that a regular file too large is refused unread.
func readKeyFile(path string, st os.FileInfo) ([]byte, error) {
	tooLarge := fmt.Errorf("%w: %s: the file is larger than %d KiB: not a private key", ErrPrivateKey, path, MaxPrivateKeyFile>>10)
	if st.Mode().IsRegular() && st.Size() > MaxPrivateKeyFile {
		return nil, tooLarge
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPrivateKey, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPrivateKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrPrivateKey, path, err)
	}
	if len(data) > MaxPrivateKeyFile {
		return nil, tooLarge
	}
	return data, nil
}

// LoadPrivateKey reads and parses a private key file (see ParsePrivateKey)
// of at most MaxPrivateKeyFile bytes. It adds a warning finding when the
// file is readable by group or others.
func LoadPrivateKey(path string) (crypto.Signer, []finding.Finding, error) {
	st, err := os.Stat(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrPrivateKey, path, err)
	}
	var findings []finding.Finding
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		findings = append(findings, finding.Finding{ID: "dkim.key-file-readable", Severity: finding.SeverityWarn,
			Title:  fmt.Sprintf("the private key file %s is readable by others (mode %04o)", path, perm),
			Detail: "Anyone who can read it can sign mail as your domain.",
			Fix:    fmt.Sprintf("chmod 600 %s", path)})
	}
	data, err := readKeyFile(path, st)
	if err != nil {
		return nil, findings, err
	}
	k, err := ParsePrivateKey(data)
	if err != nil {
		return nil, findings, fmt.Errorf("%s: %w", path, err)
	}
	return k, findings, nil
}

// PublicKeyRecord returns the DNS key record text ("v=DKIM1; k=rsa; p=…")
// for the public half of a signing key.
func PublicKeyRecord(signer crypto.Signer) (string, error) {
	switch pub := signer.Public().(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			return "", err
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der), nil
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub), nil
	}
	return "", fmt.Errorf("%w: unsupported key type %T", ErrPrivateKey, signer.Public())
}

func samePublicKey(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := a.(equaler); ok {
		return e.Equal(b)
	}
	return false
}

func algorithmOf(keyType string) string {
	if keyType == "ed25519" {
		return "ed25519-sha256"
	}
	return "rsa-sha256"
}

// CheckKey checks the key record published at SELECTOR._domainkey.DOMAIN
// (RFC 6376 §3.6.1): that it exists, parses, is not revoked, allows
// sha256 and email, and is at least 1024 bits. With signer non-nil it also
// checks that the published public key is signer's. The result is "pass"
// with cause key-ready when the key is usable (and matches); otherwise the
// result a receiver would give a signature made with it (permerror,
// temperror, or fail for a key that does not match the private key).
func (v *Verifier) CheckKey(ctx context.Context, domain dns.Domain, selector string, signer crypto.Signer) Result {
	res := Result{Domain: domain, Selector: selector}
	d, err := dns.ParseDomain(string(domain))
	if err == nil {
		var s dns.Domain
		if s, err = dns.ParseDomain(selector); err == nil {
			res.Domain, res.Selector = d, s.String()
		}
	}
	res.KeyRecord = res.Selector + "._domainkey." + res.Domain.String()
	if err != nil {
		res.Result, res.Cause = StatusPermError, CauseKeyNotFound
		res.setErr(fmt.Errorf("%w: %w", ErrKeyNotFound, err))
		res.Reason = fmt.Sprintf("%s is not a valid DNS name: %v.", res.KeyRecord, err)
		return res
	}
	var cache lookupCache
	kl := cache.get(ctx, v.Resolver, res.KeyRecord)
	perm := func(c Cause, err error, reason string) Result {
		res.Result, res.Cause, res.Reason = StatusPermError, c, reason
		res.setErr(err)
		return res
	}
	switch {
	case kl.err != nil && dns.IsTemporary(kl.err):
		res.Result, res.Cause = StatusTempError, CauseKeyTemporary
		res.setErr(fmt.Errorf("%w: %w", ErrKeyTemporary, kl.err))
		res.Reason = fmt.Sprintf("The key record %s could not be fetched: %v. This is a temporary DNS failure, not a missing key; check that the DNS servers of %s answer.", res.KeyRecord, kl.err, res.Domain)
		return res
	case kl.err != nil:
		return perm(CauseKeyNotFound, fmt.Errorf("%w: %w", ErrKeyNotFound, kl.err), fmt.Sprintf("%s cannot be asked: %v.", res.KeyRecord, kl.err))
	case kl.result.Status == dns.StatusNXDomain:
		return perm(CauseKeyNotFound, fmt.Errorf("%w: NXDOMAIN", ErrKeyNotFound), fmt.Sprintf("No key: %s does not exist (NXDOMAIN). Publish the public key there as a TXT record%s.", aliasOf(res.KeyRecord, kl.result.CNAMEs), publishHint(signer)))
	case kl.result.Status == dns.StatusNoData || len(kl.result.TXT()) == 0:
		return perm(CauseKeyNotFound, fmt.Errorf("%w: NODATA", ErrKeyNotFound), fmt.Sprintf("No key: %s exists but has no TXT record (NODATA). Publish the public key there as a TXT record%s.", aliasOf(res.KeyRecord, kl.result.CNAMEs), publishHint(signer)))
	case len(kl.result.TXT()) > 1:
		return perm(CauseKeyMultiple, fmt.Errorf("%w: %d TXT records", ErrKeyMultiple, len(kl.result.TXT())), fmt.Sprintf("%s has %d TXT records; verifiers refuse that (RFC 6376 §3.6.2.2). Keep exactly one.", res.KeyRecord, len(kl.result.TXT())))
	}
	res.KeyText = kl.result.TXT()[0]
	res.KeyCNAMEs = kl.result.CNAMEs
	key, err := ParseKey(res.KeyText)
	res.Testing = key.Testing()
	res.Algorithm = algorithmOf(key.Type)
	switch {
	case errors.Is(err, ErrKeyRevoked):
		return perm(CauseKeyRevoked, err, fmt.Sprintf("The key at %s is revoked (empty p=): no signature made with it verifies.%s", res.KeyRecord, publishHint(signer)))
	case err != nil:
		return perm(CauseKeySyntax, err, fmt.Sprintf("The key record at %s cannot be used: %v.", res.KeyRecord, err))
	}
	res.KeyBits = key.Bits
	switch {
	case key.tooShort():
		return perm(CauseKeyTooShort, fmt.Errorf("%w: %d bits", ErrKeyTooShort, key.Bits), fmt.Sprintf("The key at %s is a %d-bit RSA key; RFC 8301 §3.2 forbids keys under 1024 bits and every major receiver fails such signatures. Publish a 2048-bit key.", res.KeyRecord, key.Bits))
	case !key.AllowsHash("sha256"):
		return perm(CauseKeyHash, fmt.Errorf("%w: h=%s", ErrKeyUnusable, strings.Join(key.HashAlgorithms, ":")), fmt.Sprintf("The key at %s allows only h=%s; sha256 signatures cannot use it. Remove h= or add sha256.", res.KeyRecord, strings.Join(key.HashAlgorithms, ":")))
	case !key.AllowsEmail():
		return perm(CauseKeyService, fmt.Errorf("%w: s=%s", ErrKeyUnusable, strings.Join(key.Services, ":")), fmt.Sprintf("The key at %s is limited to s=%s, not email.", res.KeyRecord, strings.Join(key.Services, ":")))
	}
	if signer != nil && !samePublicKey(signer.Public(), key.PublicKey) {
		res.Result, res.Cause = StatusFail, CauseKeyMismatch
		res.setErr(ErrKeyMismatch)
		res.Reason = fmt.Sprintf("The public key published at %s does not match the private key: every message signed with this private key will fail DKIM (signature mismatch).%s", res.KeyRecord, publishHint(signer))
		return res
	}
	res.Result, res.Cause = StatusPass, CauseKeyReady
	res.Reason = fmt.Sprintf("The key record at %s is valid: %s.", aliasOf(res.KeyRecord, res.KeyCNAMEs), describeKey(key))
	if signer != nil {
		res.Reason += " It matches the private key."
	}
	if key.Type == "rsa" && key.Bits < 2048 {
		res.Reason += fmt.Sprintf(" %d bits passes today, but 2048 bits is recommended.", key.Bits)
	}
	if key.Type == "ed25519" {
		res.Reason += " Not every receiver verifies Ed25519 (RFC 8463): sign with an RSA key as well."
	}
	if res.Testing {
		res.Reason += " The record has t=y (testing): receivers may treat signed mail as unsigned; remove t=y once signing works."
	}
	res.Findings = resultFindings(&Result{Cause: CauseVerified, Result: StatusPass, KeyBits: res.KeyBits, Algorithm: res.Algorithm, KeyRecord: res.KeyRecord, Domain: res.Domain, Testing: res.Testing})
	return res
}

func publishHint(signer crypto.Signer) string {
	if signer == nil {
		return ""
	}
	rec, err := PublicKeyRecord(signer)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" The record matching the private key is: %q", rec)
}

// Expect handles a message the ESP has not signed yet but will sign with
// d=DOMAIN s=SELECTOR: it checks the key record (see CheckKey) and returns a
// result marked Assumed. When the key is usable the result is an assumed
// "pass": it holds only if the ESP really signs with that key and nothing
// alters the message after signing.
func (v *Verifier) Expect(ctx context.Context, domain dns.Domain, selector string) Result {
	res := v.CheckKey(ctx, domain, selector, nil)
	res.Assumed = true
	if res.Result == StatusPass {
		res.Cause = CauseNotSigned
		res.Reason = fmt.Sprintf("Assumed pass (not verified): the message is not signed yet; the ESP is expected to sign with d=%s s=%s. %s The assumption holds only if the ESP signs with this key and nothing changes the message after signing.", res.Domain, res.Selector, res.Reason)
	} else {
		res.Reason = fmt.Sprintf("The expected signature d=%s s=%s cannot pass: %s", res.Domain, res.Selector, res.Reason)
	}
	return res
}

// SignOptions describe the signing an ESP will do.
type SignOptions struct {
	Domain   dns.Domain    // d=
	Selector string        // s=
	Signer   crypto.Signer // the private key
}

// signedHeaders are the fields an ESP signs when present (RFC 6376 §5.4.1,
// RFC 8058 §4 for List-Unsubscribe-Post); From is oversigned.
var signedHeaders = []string{"To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post"}

// SimulateSigning signs the message in msg as an ESP would (rsa-sha256 or
// ed25519-sha256 from the key, relaxed/relaxed, From oversigned, the usual
// header fields when present) and verifies the result against DNS, exactly
// as a receiver would. This catches the classic pre-launch failure: the
// published key is not the private key's. The message is read three times
// (header, signing, verification), streamed each time.
//
// The returned Result is that of the simulated signature; a published key
// that does not match has cause key-mismatch and a Reason with the record
// to publish. The private key is never printed.
func (v *Verifier) SimulateSigning(ctx context.Context, msg io.ReadSeeker, o SignOptions) (Result, error) {
	d, err := dns.ParseDomain(string(o.Domain))
	if err != nil {
		return Result{}, fmt.Errorf("dkim: signing domain %q: %w", o.Domain, err)
	}
	sel, err := dns.ParseDomain(o.Selector)
	if err != nil {
		return Result{}, fmt.Errorf("dkim: selector %q: %w", o.Selector, err)
	}
	s := sel.String()
	if o.Signer == nil {
		return Result{}, fmt.Errorf("%w: no signing key", ErrPrivateKey)
	}
	fields, _, _, err := readHeader(bufio.NewReader(newCRLFReader(msg)), 1<<20)
	if err != nil {
		return Result{}, err
	}
	keys := []string{"From", "From"}
	for _, h := range signedHeaders {
		for _, f := range fields {
			if strings.EqualFold(f.name, h) {
				keys = append(keys, h)
				break
			}
		}
	}
	if _, err := msg.Seek(0, io.SeekStart); err != nil {
		return Result{}, err
	}
	signer, err := msgauth.NewSigner(&msgauth.SignOptions{
		Domain: d.String(), Selector: s, Signer: o.Signer,
		HeaderCanonicalization: msgauth.CanonicalizationRelaxed,
		BodyCanonicalization:   msgauth.CanonicalizationRelaxed,
		HeaderKeys:             keys,
	})
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrPrivateKey, err)
	}
	if _, err := io.Copy(signer, newCRLFReader(msg)); err != nil {
		signer.Close()
		return Result{}, err
	}
	if err := signer.Close(); err != nil {
		return Result{}, fmt.Errorf("dkim: signing: %w", err)
	}
	if _, err := msg.Seek(0, io.SeekStart); err != nil {
		return Result{}, err
	}
	rep, err := v.Verify(ctx, io.MultiReader(strings.NewReader(signer.Signature()), msg))
	if err != nil {
		return Result{}, err
	}
	res := rep.Signatures[0]
	res.Simulated = true
	// Message-level advice (ed25519 only, LF line endings) concerns the
	// simulated signature too.
	res.Findings = append(res.Findings, rep.Findings...)
	res.CRLFConverted = rep.CRLFConverted
	// Say precisely when the failure is the classic one: the published
	// key is not this private key's.
	check := v.CheckKey(ctx, d, s, o.Signer)
	if check.Cause == CauseKeyMismatch {
		res.Result, res.Cause, res.Reason = StatusFail, CauseKeyMismatch, check.Reason
		res.setErr(ErrKeyMismatch)
		res.Findings = append(res.Findings, finding.Finding{ID: "dkim.key-mismatch", Severity: finding.SeverityError,
			Title:  fmt.Sprintf("the key published at %s does not match the signing key", res.KeyRecord),
			Detail: check.Reason,
			Fix:    fmt.Sprintf("Publish the signing key's public half at %s (or sign with the private key whose public key is published).", res.KeyRecord)})
	} else if res.Cause == CauseKeyNotFound || res.Cause == CauseKeyRevoked {
		res.Reason += publishHint(o.Signer)
	}
	res.Reason = "Simulated signing (d=" + d.String() + " s=" + s + ", relaxed/relaxed, From oversigned), then verified against DNS: " + res.Reason
	return res, nil
}
