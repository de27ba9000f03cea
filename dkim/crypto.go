package dkim

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"io"
	"math/big"
	"strings"
)

// cryptoCheck compares the body hash and verifies the header signature with
// key. It does not look at policy (expiry, hash strength).
func cryptoCheck(st *sigState, fields []headerField, key *Key) (bodyOK, sigOK bool) {
	sig := st.sig
	if key == nil || key.PublicKey == nil {
		return false, false
	}
	if !st.headersOnly {
		if st.body == nil {
			return false, false
		}
		if sig.BodyLength >= 0 && st.body.n < sig.BodyLength {
			// l= claims more body than there is (RFC 6376 §6.1.3).
			return false, false
		}
		if !bytes.Equal(st.body.h.Sum(nil), sig.BodyHash) {
			return false, false
		}
	}
	h := crypto.SHA256
	if sig.HashAlgorithm == "sha1" {
		h = crypto.SHA1
	}
	digest := headerHash(h, fields, st.field, sig)
	switch pub := key.PublicKey.(type) {
	case *rsa.PublicKey:
		return true, rsa.VerifyPKCS1v15(pub, h, digest, sig.Sig) == nil
	case ed25519.PublicKey:
		return true, ed25519.Verify(pub, digest, sig.Sig)
	}
	return true, false
}

// rsaKeyMatches reports whether sig was made with pub, even though it does
// not verify: RSA lets us open the signature with the public key; a
// well-formed PKCS #1 v1.5 block (RFC 8017 §9.2) means the key is the
// signer's and the signed data differs (a header changed), while garbage
// means another key made it (or b= was damaged).
func rsaKeyMatches(pub *rsa.PublicKey, sig []byte) bool {
	k := pub.Size()
	if len(sig) != k || pub.E <= 0 {
		return false
	}
	c := new(big.Int).SetBytes(sig)
	if c.Cmp(pub.N) >= 0 {
		return false
	}
	m := new(big.Int).Exp(c, big.NewInt(int64(pub.E)), pub.N).FillBytes(make([]byte, k))
	if m[0] != 0 || m[1] != 1 {
		return false
	}
	i := 2
	for i < k && m[i] == 0xff {
		i++
	}
	// At least 8 bytes of 0xff, then 0x00, then a DigestInfo (a DER
	// SEQUENCE).
	return i >= 10 && i+1 < k && m[i] == 0 && m[i+1] == 0x30
}

// headerHash computes the header hash of RFC 6376 §3.7: the fields listed
// in h=, each instance picked from the bottom up (§5.4.2), then the
// signature field itself with an empty b= and no final CRLF.
func headerHash(h crypto.Hash, fields []headerField, sigField headerField, sig *Signature) []byte {
	hh := h.New()
	used := map[string]int{}
	for _, name := range sig.Headers {
		lname := strings.ToLower(name)
		skip := used[lname]
		used[lname]++
		for i := len(fields) - 1; i >= 0; i-- {
			if !strings.EqualFold(fields[i].name, lname) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			io.WriteString(hh, canonHeader(sig.HeaderCanon, fields[i].raw))
			break
		}
	}
	s := canonHeader(sig.HeaderCanon, stripSignatureValue(sigField.raw))
	io.WriteString(hh, strings.TrimRight(s, "\r\n"))
	return hh.Sum(nil)
}
