// Package dkim verifies DKIM signatures (RFC 6376) and explains, in plain
// words, why each one passes or fails; it also checks published keys and
// simulates an ESP's signing before anything is sent.
//
// # What it does
//
//   - [ParseSignature] and [ParseKey] are pure grammar: the DKIM-Signature
//     tag list (RFC 6376 §3.5) and the key record (RFC 6376 §3.6.1,
//     RFC 8463 §4.2 for ed25519), with no DNS and no clock.
//   - [Verifier.Verify] verifies every signature of a message. The verdict
//     comes from github.com/emersion/go-msgauth/dkim; its key lookups go
//     through preflight's resolver, so NXDOMAIN/NODATA ("no key",
//     permerror) and a temporary DNS failure (temperror) stay apart. A
//     second, streaming pass of our own names the precise cause: body hash
//     vs header signature, a key that did not make the signature (RSA
//     signatures are opened with the public key), key size, rsa-sha1
//     (RFC 8301), expiry against the injected clock, testing keys, l=.
//   - [Verifier.CheckKey] checks a published key, and that it matches a
//     private key; [Verifier.SimulateSigning] signs a sample as an ESP would
//     and verifies it against DNS; [Verifier.Expect] turns "the ESP will
//     sign with d=D s=S" into an assumed pass once the key is usable.
//
// Each signature gets a [Result] whose JSON form is an element of the "dkim"
// array of preflight's report, with its advice as catalogued findings
// (package preflight/report/finding). DMARC alignment is not computed here:
// dmarc.Evaluate computes it from the Results' domains and the caller copies
// it into Result.Aligned. [Verifier.VerifyHeaders] verifies the header
// signature of a header section without its body (a bounce's
// text/rfc822-headers part): a pass is marked HeadersOnly and assumed.
//
// # Where the result is not go-msgauth's
//
// go-msgauth judges x= against the wall clock; Verifier judges it against
// Verifier.Now, so a result can be reproduced at a given time (Result.Library
// then shows go-msgauth's own verdict, or says it was not consulted: for
// VerifyHeaders, which has no body, and past the blank-run limit below). go-msgauth refuses every l=
// signature; RFC 6376 §3.5 lets receivers honour l= and many do, so a
// signature whose signed part verifies is a pass with cause body-length, the
// number of unsigned body bytes and a warning. Anywhere else the two
// disagree, go-msgauth's verdict is kept and the cause is
// verifier-disagreement. Both read tag lists, a= and c= the same way (fuzzing
// mutated signed messages checks it); the one known difference is a
// dkim-quoted-printable i= (RFC 6376 §2.11), which go-msgauth does not
// decode. Finally, go-msgauth buffers runs of empty lines whole and its
// simple canonicalizer copies that buffer on every write: past 1 MiB of
// blank bytes in a row it is shown the end of the body, and our analysis
// decides alone (Result.Library says so).
//
// # Input
//
// Messages stored with bare LF line endings are verified as they travel,
// with CRLF (RFC 5321 §2.3.8), and the result says so. The body is streamed:
// memory does not grow with its size. The header section is capped
// (Verifier.MaxHeaderBytes), as is the number of signatures evaluated
// (Verifier.MaxSignatures, 16 by default): the others cause no DNS lookup,
// and one finding says how many were left out.
//
// It does not evaluate ARC, DomainKeys (RFC 4870) signatures, or DMARC.
package dkim
