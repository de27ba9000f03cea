package dkim

import (
	"errors"
	"time"

	"preflight/dns"
	"preflight/report/finding"
)

// Status is a DKIM result in the words of RFC 8601 §2.7.1.
type Status string

// The DKIM results of RFC 8601 §2.7.1.
const (
	StatusPass      Status = "pass"      // the signature verified
	StatusFail      Status = "fail"      // the signature was usable but did not verify
	StatusNeutral   Status = "neutral"   // verified, but the result is not meaningful
	StatusPolicy    Status = "policy"    // verified, but not acceptable by local policy
	StatusNone      Status = "none"      // the message was not signed
	StatusTempError Status = "temperror" // a temporary failure, usually DNS: try again later
	StatusPermError Status = "permerror" // the signature or key cannot be used
)

// Cause names, in a stable machine-readable form, why a signature got its
// result. Result.Reason says the same in plain words.
type Cause string

// Causes of a Result.
const (
	CauseVerified         Cause = "verified"            // pass: the signature verified
	CauseBodyLength       Cause = "body-length"         // pass over l= bytes only; the rest of the body is unsigned
	CauseSyntax           Cause = "signature-syntax"    // the DKIM-Signature tag list is malformed
	CauseVersion          Cause = "signature-version"   // v= is absent or not 1
	CauseMissingTag       Cause = "missing-tag"         // a required tag is absent
	CauseAlgorithm        Cause = "unknown-algorithm"   // a= or c= is not known
	CauseFromNotSigned    Cause = "from-not-signed"     // h= does not list From
	CauseIdentifier       Cause = "identifier-outside"  // i= is not in d=
	CauseTagValue         Cause = "tag-value"           // a number, base64 or domain is malformed
	CauseExpired          Cause = "expired"             // x= is before the evaluation time
	CauseKeyNotFound      Cause = "key-not-found"       // NXDOMAIN or NODATA at the key record
	CauseKeyTemporary     Cause = "key-temporary"       // DNS temporary failure fetching the key
	CauseKeyMultiple      Cause = "key-multiple"        // several TXT records at the key name
	CauseKeyRevoked       Cause = "key-revoked"         // p= is empty
	CauseKeySyntax        Cause = "key-syntax"          // the key record cannot be used
	CauseKeyTooShort      Cause = "key-too-short"       // RSA key under 1024 bits
	CauseKeyHash          Cause = "key-hash"            // the key's h= does not allow the hash
	CauseKeyType          Cause = "key-type"            // a= and the key's k= disagree
	CauseKeyService       Cause = "key-service"         // the key's s= does not include email
	CauseSHA1             Cause = "rsa-sha1"            // rsa-sha1, refused since RFC 8301
	CauseBodyHash         Cause = "body-hash-mismatch"  // the body changed after signing
	CauseSignature        Cause = "signature-mismatch"  // a signed header changed, or another key signed
	CauseKeyMismatch      Cause = "key-mismatch"        // the published key is not the one that signed (RSA: detected from b=)
	CauseNotSigned        Cause = "not-signed"          // expected signing: the key is ready, nothing was signed
	CauseKeyReady         Cause = "key-ready"           // key check: the published key is usable
	CauseTooManyHeaders   Cause = "header-too-large"    // the header section exceeds the limit
	CauseTooManySigs      Cause = "too-many-signatures" // no longer in Results: see Report.NotEvaluated
	CauseVerifierDisagree Cause = "verifier-disagreement"
)

// Sentinel errors carried by Result.Err. Each wraps, with %w, the underlying
// cause (a parse error, a resolver error, go-msgauth's error).
var (
	ErrKeyNotFound   = errors.New("dkim: no key record")
	ErrKeyTemporary  = errors.New("dkim: key record temporarily unavailable")
	ErrKeyMultiple   = errors.New("dkim: several key records")
	ErrKeyTooShort   = errors.New("dkim: RSA key shorter than 1024 bits")
	ErrKeyUnusable   = errors.New("dkim: key record does not allow this signature")
	ErrSHA1          = errors.New("dkim: rsa-sha1 is not accepted (RFC 8301)")
	ErrExpired       = errors.New("dkim: signature expired")
	ErrBodyHash      = errors.New("dkim: body hash did not verify")
	ErrSignature     = errors.New("dkim: signature did not verify")
	ErrKeyMismatch   = errors.New("dkim: published key does not match the private key")
	ErrHeaderTooLong = errors.New("dkim: header section too large")
)

// Result is the outcome for one DKIM signature (or, for a key check or an
// expected signature, for one d=/s= pair). Its JSON form is the element of
// the "dkim" array of preflight's report.
type Result struct {
	Domain   dns.Domain `json:"domain"`   // d=, canonical when valid; else as written, lower case
	Selector string     `json:"selector"` // s=
	Result   Status     `json:"result"`   // RFC 8601 word
	Reason   string     `json:"reason"`   // plain words: why
	Cause    Cause      `json:"cause"`    // machine-readable why
	// Algorithm is a= ("rsa-sha256"), or for a key check the key type.
	Algorithm string `json:"algorithm"`
	// KeyBits is the public key's size (256 for ed25519), 0 when unknown.
	KeyBits int `json:"key_bits"`
	// Aligned is left nil here: dmarc.Evaluate computes alignment and the
	// caller sets it.
	Aligned *bool `json:"aligned,omitempty"`
	// Assumed marks a result that was not verified on a signature: the
	// message is unsigned and the ESP is expected to sign with d=/s=.
	Assumed bool `json:"assumed,omitempty"`
	// HeadersOnly marks a result of VerifyHeaders: the header signature
	// was verified, the body hash could not be (no body).
	HeadersOnly bool `json:"headers_only,omitempty"`
	// Simulated marks the result of a signature preflight made itself
	// (sign-simulation with the ESP's private key).
	Simulated bool `json:"simulated,omitempty"`

	Identifier       string   `json:"identifier,omitempty"`       // i= (or "@" + d=)
	Canonicalization string   `json:"canonicalization,omitempty"` // "relaxed/relaxed"
	Headers          []string `json:"headers,omitempty"`          // h=
	KeyRecord        string   `json:"key_record,omitempty"`       // SELECTOR._domainkey.DOMAIN
	KeyText          string   `json:"key_text,omitempty"`         // the TXT record as published
	KeyCNAMEs        []string `json:"key_cnames,omitempty"`       // the alias chain from KeyRecord, if any
	// PublicRecord is the key record (TXT text) that matches the private
	// key given to CheckKey or SimulateSigning, set when the published
	// one is missing, revoked or another key's: what to publish at
	// KeyRecord.
	PublicRecord string     `json:"public_record,omitempty"`
	Testing      bool       `json:"testing,omitempty"`    // key t=y
	SignedAt     *time.Time `json:"signed_at,omitempty"`  // t=
	ExpiresAt    *time.Time `json:"expires_at,omitempty"` // x=
	// BodyLength is l= (nil: absent, the whole body is signed) and
	// UnsignedBodyBytes the canonical body octets after it that nobody
	// signed.
	BodyLength        *int64 `json:"body_length,omitempty"`
	UnsignedBodyBytes int64  `json:"unsigned_body_bytes,omitempty"`
	// SignedBodyBytes is set on a body hash mismatch when a prefix of the
	// canonical body (that many bytes) is exactly what was signed: the
	// rest was appended after signing.
	SignedBodyBytes int64 `json:"signed_body_bytes,omitempty"`
	// CRLFConverted says the stored message had bare LF line endings and was
	// verified as it travels, with CRLF.
	CRLFConverted bool `json:"crlf_converted,omitempty"`
	// Library is go-msgauth's own verdict when it differs from Result
	// (l=, or an x= expiry judged against the wall clock), or why it was
	// not consulted (no body; a pathological run of blank lines).
	Library  string            `json:"library,omitempty"`
	Findings []finding.Finding `json:"findings,omitempty"`
	Error    string            `json:"error,omitempty"`

	// Err is set for every result but pass; it wraps a sentinel of this
	// package and the underlying cause.
	Err error `json:"-"`
}

func (r *Result) setErr(err error) {
	r.Err = err
	if err != nil {
		r.Error = err.Error()
	}
}

// Report is the outcome of verifying one message.
type Report struct {
	// Signatures holds one Result per evaluated DKIM-Signature field, top
	// to bottom: the first Verifier.MaxSignatures.
	Signatures []Result `json:"signatures"`
	// NotEvaluated counts the DKIM-Signature fields past the cap: no
	// lookup, no Result, and one dkim.too-many-signatures finding.
	NotEvaluated int `json:"not_evaluated,omitempty"`
	// Findings about the message as a whole (no signature, ed25519 only,
	// LF line endings).
	Findings []finding.Finding `json:"findings,omitempty"`
	// CRLFConverted: the message had bare LF line endings.
	CRLFConverted bool `json:"crlf_converted,omitempty"`
	// BodyBytes is the size of the body as verified (after CRLF conversion).
	BodyBytes int64 `json:"body_bytes"`
	// FromCount is the number of From header fields.
	FromCount int `json:"from_count"`
}

// signingDomain returns d= in the canonical form of a Result: parsed when it
// is a valid domain, else as written (the signature is then permerror and
// its Reason says why).
func signingDomain(d string) dns.Domain {
	if pd, err := dns.ParseDomain(d); err == nil {
		return pd
	}
	return dns.Domain(d)
}
