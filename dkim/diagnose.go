package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"strings"
)

// This file looks for the header change that broke a signature whose body
// is intact: it recomputes the header hash over plausible originals of the
// header and checks each against the signature. For RSA the signed digest is
// recovered once from b= and compared; for Ed25519 each candidate is
// verified.

// headerDiagnosis says which change to the signed header fields explains a
// signature mismatch, or "" when none of the candidates does.
func headerDiagnosis(st *sigState, fields []headerField, key *Key) string {
	sig := st.sig
	h := crypto.SHA256
	if sig.HashAlgorithm == "sha1" {
		h = crypto.SHA1
	}
	matches := func(fs []headerField, canon Canonicalization) bool {
		s := *sig
		s.HeaderCanon = canon
		digest := headerHash(h, fs, st.field, &s)
		switch pub := key.PublicKey.(type) {
		case *rsa.PublicKey:
			return rsa.VerifyPKCS1v15(pub, h, digest, sig.Sig) == nil
		case ed25519.PublicKey:
			return ed25519.Verify(pub, digest, sig.Sig)
		}
		return false
	}
	// A signed field added after signing (a second From or Subject on top,
	// or a field h= listed that did not exist yet): without it the
	// signature verifies. Candidates are the fields h= picks.
	seen := map[int]bool{}
	for _, name := range sig.Headers {
		for i := range fields {
			if seen[i] || !strings.EqualFold(fields[i].name, name) || fields[i].raw == st.field.raw {
				continue
			}
			seen[i] = true
			if len(seen) > 64 {
				break
			}
			variant := make([]headerField, 0, len(fields)-1)
			variant = append(variant, fields[:i]...)
			variant = append(variant, fields[i+1:]...)
			if matches(variant, sig.HeaderCanon) {
				return fmt.Sprintf("The %s field %q was added after signing: without it the signature verifies. h= lists %s, so any %s added later breaks the signature.",
					fields[i].name, clip(strings.TrimSpace(strings.SplitN(fields[i].raw, ":", 2)[1])), fields[i].name, fields[i].name)
			}
		}
	}
	return ""
}
