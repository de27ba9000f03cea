package dkim

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"time"

	"preflight/dns"
	"preflight/report/finding"
)

// This file turns a verdict into plain words and advice.

// aliasOf names the key record and, when it is a CNAME (ESPs often have
// their customers alias the selector to a name the ESP manages), the name
// that finally answered: "s1._domainkey.brand.example (a CNAME to
// s1.dkim.esp.example)".
func aliasOf(name string, cnames []string) string {
	if len(cnames) == 0 {
		return name
	}
	return fmt.Sprintf("%s (a CNAME to %s)", name, cnames[len(cnames)-1])
}

func describeKey(key *Key) string {
	if key == nil || key.PublicKey == nil {
		return ""
	}
	if key.Type == "ed25519" {
		return "Ed25519 key"
	}
	return fmt.Sprintf("%d-bit RSA key", key.Bits)
}

// reason says in plain words why a signature got its result.
func (v *Verifier) reason(res *Result, st *sigState, fields []headerField, kl *keyLookup, key *Key, own ownVerdict, now time.Time) string {
	sig := st.sig
	name := res.KeyRecord
	var b strings.Builder
	switch own.cause {
	case CauseVerified, CauseBodyLength:
		if st.headersOnly {
			fmt.Fprintf(&b, "Header signature verified: the %s at %s made this signature and the signed header fields are unchanged. Only the header section is available, so the body hash (bh=) could not be checked: the body is assumed unchanged.", describeKey(key), aliasOf(name, res.KeyCNAMEs))
			break
		}
		fmt.Fprintf(&b, "Verified: the body and the signed header fields are unchanged since %s signed them with the %s at %s.", sig.Domain, describeKey(key), aliasOf(name, res.KeyCNAMEs))
		if own.cause == CauseBodyLength {
			fmt.Fprintf(&b, " But l=%d: only the first %d bytes of the canonical body are signed; the %d bytes after them are not, and anyone could replace them. Receivers differ: RFC 6376 §3.5 lets them honour l= and many do, others (go-msgauth among them, which says %q) refuse such signatures. Sign without l=.",
				sig.BodyLength, sig.BodyLength, res.UnsignedBodyBytes, libErrString(st))
		}
		if key != nil && key.Type == "rsa" && key.Bits < 2048 {
			fmt.Fprintf(&b, " The key is %d bits: it passes today, but 2048 bits is recommended.", key.Bits)
		}
	case CauseSyntax:
		fmt.Fprintf(&b, "The DKIM-Signature field is malformed (%v); receivers cannot use it.", plain(own.err))
	case CauseVersion:
		fmt.Fprintf(&b, "%s; receivers that follow RFC 6376 cannot use this signature.", capital(plain(own.err)))
	case CauseMissingTag:
		fmt.Fprintf(&b, "A tag RFC 6376 §3.5 requires is missing (%v); receivers cannot use this signature.", plain(own.err))
	case CauseAlgorithm:
		fmt.Fprintf(&b, "%s: receivers cannot verify it. Sign with rsa-sha256 (and relaxed/relaxed).", capital(plain(own.err)))
	case CauseFromNotSigned:
		fmt.Fprintf(&b, "h= does not list From (h=%s). RFC 6376 §5.4 requires the From field to be signed, so receivers refuse this signature. List From in h= (twice, to oversign it).", strings.Join(sig.Headers, ":"))
	case CauseIdentifier:
		fmt.Fprintf(&b, "i=%s is not d=%s nor a subdomain of it (RFC 6376 §3.5), so receivers refuse this signature. Use an i= inside %s, or leave i= out.", sig.Identifier, sig.Domain, sig.Domain)
	case CauseTagValue:
		fmt.Fprintf(&b, "A tag value is malformed (%v); receivers cannot use this signature.", plain(own.err))
	case CauseExpired:
		fmt.Fprintf(&b, "The signature expired at %s (x=%d), before the evaluation time %s; receivers ignore expired signatures (RFC 6376 §3.5). Sign when sending, or give x= more time.",
			time.Unix(sig.ExpiresAt, 0).UTC().Format(time.RFC3339), sig.ExpiresAt, now.UTC().Format(time.RFC3339))
		if key != nil && key.PublicKey != nil {
			if bodyOK, sigOK := cryptoCheck(st, fields, key); bodyOK && sigOK {
				b.WriteString(" Apart from its age the signature is intact.")
			}
		}
	case CauseKeyNotFound:
		switch {
		case kl != nil && kl.err != nil:
			fmt.Fprintf(&b, "The key record name %s cannot be asked (%v).", name, plain(kl.err))
		case kl != nil && kl.result.Status == dns.StatusNXDomain:
			fmt.Fprintf(&b, "No key: %s does not exist (NXDOMAIN).", aliasOf(name, kl.result.CNAMEs))
		default:
			fmt.Fprintf(&b, "No key: %s exists but has no TXT record (NODATA).", aliasOf(name, kl.result.CNAMEs))
		}
		fmt.Fprintf(&b, " Receivers cannot verify the signature (permerror). Publish the public key as a TXT record at %s, or sign with a selector that is published.", name)
	case CauseKeyTemporary:
		fmt.Fprintf(&b, "The key record %s could not be fetched: %v. This is a temporary DNS failure, not a missing key: a receiver would get temperror and usually defer the message. Check that the DNS servers of %s answer.", name, kl.err, sig.Domain)
	case CauseKeyMultiple:
		fmt.Fprintf(&b, "%s has %d TXT records; RFC 6376 §3.6.2.2 leaves that undefined and verifiers refuse it. Keep exactly one key record there.", name, len(kl.result.TXT()))
	case CauseKeyRevoked:
		fmt.Fprintf(&b, "The key at %s is revoked (empty p=), so no signature made with it verifies. Sign with a selector whose key is published.", name)
	case CauseKeySyntax:
		if t := strings.ToLower(res.KeyText); strings.HasPrefix(t, "v=spf1") || strings.HasPrefix(t, "v=dmarc1") {
			fmt.Fprintf(&b, "The TXT record at %s is not a DKIM key but %q (a wildcard record, or one published at the wrong name). ", name, clip(res.KeyText))
		}
		fmt.Fprintf(&b, "The key record at %s cannot be used: %v. Republish it as \"v=DKIM1; k=rsa; p=<base64 public key>\".", name, plain(own.err))
	case CauseKeyTooShort:
		fmt.Fprintf(&b, "The key at %s is a %d-bit RSA key; RFC 8301 §3.2 forbids keys under 1024 bits and every major receiver fails such signatures. Publish a 2048-bit key and sign with it.", name, key.Bits)
	case CauseKeyHash, CauseKeyType, CauseKeyService:
		fmt.Fprintf(&b, "The key at %s does not allow this signature: %v.", name, plain(own.err))
	case CauseSHA1:
		b.WriteString("a=rsa-sha1: RFC 8301 §3.1 says verifiers must not accept rsa-sha1 any more, so modern receivers treat this signature as unusable (permerror)")
		switch bodyOK, sigOK := cryptoCheck(st, fields, key); {
		case bodyOK && sigOK:
			b.WriteString("; the signature itself is intact")
		case bodyOK:
			b.WriteString("; it would not verify anyway (signature mismatch)")
		default:
			b.WriteString("; it would not verify anyway (body hash mismatch)")
		}
		b.WriteString(". Sign with rsa-sha256.")
	case CauseBodyHash:
		if sig.BodyLength >= 0 && st.body != nil && st.body.n < sig.BodyLength {
			fmt.Fprintf(&b, "l=%d claims more body than there is (%d canonical bytes): the body was shortened after signing.", sig.BodyLength, st.body.n)
		} else {
			b.WriteString("Body hash mismatch: the body changed after signing, so bh= no longer matches.")
			if n, ok := st.body.signedPrefix(st.body.newH, sig.BodyHash); ok && st.body != nil {
				res.SignedBodyBytes = n
				fmt.Fprintf(&b, " The first %d bytes of the body (canonicalized) are exactly what was signed; the %d bytes after them were added later: a footer or disclaimer appended after signing.", n, st.body.n-n)
			} else {
				b.WriteString(" Typical causes: a footer added, links rewritten for click tracking, line endings or transfer encoding changed.")
			}
			if sig.BodyCanon == Simple {
				b.WriteString(" The body uses simple canonicalization, which breaks on any whitespace change; relaxed tolerates some.")
			}
		}
		b.WriteString(" Sign after the last change to the body.")
	case CauseSignature, CauseKeyMismatch:
		if st.headersOnly {
			fmt.Fprintf(&b, "Signature mismatch: the header signature does not verify with the %s at %s. ", describeKey(key), name)
		} else {
			fmt.Fprintf(&b, "Signature mismatch: the body is intact (bh= matches) but the header signature does not verify with the %s at %s. ", describeKey(key), name)
		}
		pub, isRSA := key.PublicKey.(*rsa.PublicKey)
		switch {
		case isRSA && rsaKeyMatches(pub, sig.Sig):
			b.WriteString("The signature was made with this key, so a signed header field changed after signing. ")
			if d := headerDiagnosis(st, fields, key); d != "" {
				b.WriteString(d)
			} else {
				fmt.Fprintf(&b, "Which one cannot be told from the signature; the signed fields are %s.", strings.Join(sig.Headers, ":"))
				if sig.HeaderCanon == Simple {
					b.WriteString(" The signature uses simple header canonicalization, which also breaks when a relay refolds a field or changes its whitespace; relaxed tolerates that.")
				}
			}
		case isRSA:
			fmt.Fprintf(&b, "The signature was not made with this key: the message was signed with another private key than the one whose public key is published at %s (or b= was damaged).", name)
		default:
			if d := headerDiagnosis(st, fields, key); d != "" {
				b.WriteString(d)
			} else {
				fmt.Fprintf(&b, "Either a signed header field (%s) changed after signing, or that key is not the one that signed.", strings.Join(sig.Headers, ":"))
			}
		}
	default:
		fmt.Fprintf(&b, "%s.", capital(plain(own.err)))
	}
	if res.Testing {
		b.WriteString(" The key record has t=y (testing): RFC 6376 §3.6.1 says receivers may treat the message as unsigned; do not rely on this signature for DMARC.")
	}
	return b.String()
}

// plain drops the "dkim: " prefix of our errors inside a sentence.
func plain(err error) string {
	return strings.ReplaceAll(fmt.Sprint(err), "dkim: ", "")
}

func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func libErrString(st *sigState) string {
	if st.lib == nil || st.lib.Err == nil {
		return "no error"
	}
	return st.lib.Err.Error()
}

// resultFindings derives advice from a result.
func resultFindings(res *Result) []finding.Finding {
	var out []finding.Finding
	if res.Cause == CauseVerified || res.Cause == CauseBodyLength {
		if res.KeyBits > 0 && res.KeyBits < 2048 && res.Algorithm != "ed25519-sha256" {
			out = append(out, finding.Finding{ID: "dkim.key-1024", Severity: finding.SeverityWarn,
				Title:  fmt.Sprintf("%s uses a %d-bit RSA key", res.KeyRecord, res.KeyBits),
				Detail: "1024-bit keys still pass at every major receiver, but 2048 bits is the recommended size (RFC 8301 §3.2).",
				Fix:    fmt.Sprintf("Generate a 2048-bit key, publish it under a new selector of %s, and switch signing to it.", res.Domain)})
		}
	}
	if res.Cause == CauseBodyLength {
		out = append(out, finding.Finding{ID: "dkim.body-length", Severity: finding.SeverityWarn,
			Title:  fmt.Sprintf("the signature of %s signs only %d body bytes (l=)", res.Domain, *res.BodyLength),
			Detail: fmt.Sprintf("%d bytes of the body are unsigned and could be replaced; some receivers refuse l= signatures altogether.", res.UnsignedBodyBytes),
			Fix:    "Configure the signer not to add l=."})
	}
	if res.Testing {
		out = append(out, finding.Finding{ID: "dkim.testing-mode", Severity: finding.SeverityWarn,
			Title:  fmt.Sprintf("the key at %s is in testing mode (t=y)", res.KeyRecord),
			Detail: "RFC 6376 §3.6.1: receivers may treat a message signed with a testing key as unsigned, so DMARC cannot rely on it.",
			Fix:    fmt.Sprintf("Remove t=y from the TXT record at %s once signing works.", res.KeyRecord)})
	}
	if res.Result != StatusPass {
		out = append(out, finding.Finding{ID: "dkim." + string(res.Cause), Severity: finding.SeverityError,
			Title:  fmt.Sprintf("DKIM %s for d=%s s=%s", res.Result, res.Domain, res.Selector),
			Detail: res.Reason, Fix: fixFor(res)})
	}
	return out
}

func fixFor(res *Result) string {
	switch res.Cause {
	case CauseKeyNotFound:
		return fmt.Sprintf("Publish the public key as TXT at %s.", res.KeyRecord)
	case CauseKeyTemporary:
		return fmt.Sprintf("Make the DNS servers of %s answer for %s, then check again.", res.Domain, res.KeyRecord)
	case CauseKeyRevoked, CauseKeyMismatch:
		return fmt.Sprintf("Publish the public key of the signing key at %s, or sign with the selector whose key is published.", res.KeyRecord)
	case CauseKeyTooShort:
		return "Publish a 2048-bit RSA key and sign with it."
	case CauseSHA1:
		return "Sign with rsa-sha256."
	case CauseBodyHash:
		return "Sign after the last change to the body (footers, tracking, encoding), or have the ESP sign."
	case CauseSignature:
		return "Sign last: do not change signed header fields after signing (or sign fewer of them)."
	case CauseExpired:
		return "Sign at sending time, or use a longer expiry (x=)."
	case CauseFromNotSigned:
		return "Add From to h= (twice, to oversign it)."
	case CauseIdentifier:
		return "Use an i= inside the d= domain, or omit i=."
	case CauseKeyMultiple:
		return fmt.Sprintf("Keep exactly one TXT record at %s.", res.KeyRecord)
	}
	return "Sign with rsa-sha256, relaxed/relaxed, v=1 and a published key of at least 2048 bits."
}

// importantHeaders should be signed when present: changing them changes
// what the reader sees or does (RFC 6376 §5.4.1; List-Unsubscribe per
// RFC 8058 §4).
var importantHeaders = []string{"Subject", "Date", "Message-ID", "To", "List-Unsubscribe", "List-Unsubscribe-Post"}

// adviseSignature lists what a signer should improve in h=.
func adviseSignature(sig *Signature, parseErr error, fields []headerField) []finding.Finding {
	if sig == nil || len(sig.Headers) == 0 || errors.Is(parseErr, ErrSyntax) {
		return nil
	}
	count := func(name string) int {
		n := 0
		for _, f := range fields {
			if strings.EqualFold(f.name, name) {
				n++
			}
		}
		return n
	}
	var out []finding.Finding
	if froms := count("From"); sig.SignsHeader("From") > 0 && froms > sig.SignsHeader("From") {
		out = append(out, finding.Finding{ID: "dkim.from-unsigned-instance", Severity: finding.SeverityWarn,
			Title:  fmt.Sprintf("the message has %d From fields but d=%s signs only %d", froms, sig.Domain, sig.SignsHeader("From")),
			Detail: "The topmost From is not covered by the signature: it may have been added after signing (the signature still verifies because DKIM picks fields from the bottom up). RFC 5322 allows one From; many receivers reject two.",
			Fix:    "Send with exactly one From, and oversign it (h=from:from:...)."})
	}
	if froms := count("From"); sig.SignsHeader("From") > 0 && sig.SignsHeader("From") <= froms {
		out = append(out, finding.Finding{ID: "dkim.from-not-oversigned", Severity: finding.SeverityWarn,
			Title:  fmt.Sprintf("d=%s signs From only as often as it occurs", sig.Domain),
			Detail: fmt.Sprintf("h= lists From %d time(s) and the message has %d From field(s): a second From could be added on top without breaking the signature, and some mail clients show that one.", sig.SignsHeader("From"), froms),
			Fix:    "Oversign From: list it in h= once more than it occurs (h=from:from:...)."})
	}
	var missing []string
	for _, h := range importantHeaders {
		if count(h) > 0 && sig.SignsHeader(h) == 0 {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		out = append(out, finding.Finding{ID: "dkim.header-unsigned", Severity: finding.SeverityWarn,
			Title:  fmt.Sprintf("d=%s does not sign %s", sig.Domain, strings.Join(missing, ", ")),
			Detail: "These header fields are in the message but not in h=: anyone relaying the message can change them without breaking the signature. Gmail and Yahoo expect List-Unsubscribe to be signed for bulk mail.",
			Fix:    fmt.Sprintf("Add %s to the signed headers.", strings.Join(missing, ", "))})
	}
	if sig.SignedAt >= 0 && sig.ExpiresAt >= 0 && sig.ExpiresAt < sig.SignedAt {
		out = append(out, finding.Finding{ID: "dkim.expiry-before-timestamp", Severity: finding.SeverityWarn,
			Title: fmt.Sprintf("d=%s has x= before t=", sig.Domain),
			Fix:   "RFC 6376 §3.5 requires x= to be later than t=; fix the signer's clock or expiry setting."})
	}
	return out
}

// adviseMessage lists findings about the message as a whole.
func adviseMessage(rep *Report, maxSigs int) []finding.Finding {
	var out []finding.Finding
	if rep.NotEvaluated > 0 {
		out = append(out, finding.Finding{ID: "dkim.too-many-signatures", Severity: finding.SeverityError,
			Title: fmt.Sprintf("%d DKIM signatures: %d were not evaluated", len(rep.Signatures)+rep.NotEvaluated, rep.NotEvaluated),
			Detail: fmt.Sprintf("Only the first %d signatures (top to bottom) were verified, as receivers also verify a limited number; "+
				"the %d after them caused no DNS lookup and count for nothing, even one that would pass aligned.", maxSigs, rep.NotEvaluated),
			Fix: "Sign each message once or twice (your own d= and the ESP's) and remove the other DKIM-Signature fields; put the aligned signature first."})
	}
	if len(rep.Signatures) == 0 && rep.NotEvaluated == 0 {
		out = append(out, finding.Finding{ID: "dkim.unsigned", Severity: finding.SeverityInfo,
			Title:  "the message has no DKIM signature",
			Detail: "Normal for a template the ESP will sign; check the key the ESP will use (preflight dkim --domain D --selector S, or check --expect-dkim D:S)."})
	}
	ed, other := 0, 0
	for _, s := range rep.Signatures {
		if strings.HasPrefix(s.Algorithm, "ed25519") {
			ed++
		} else {
			other++
		}
	}
	if ed > 0 && other == 0 {
		out = append(out, finding.Finding{ID: "dkim.ed25519-only", Severity: finding.SeverityWarn,
			Title:  "every signature is ed25519",
			Detail: "RFC 8463 ed25519 is not verified by every receiver; those that do not treat the message as unsigned.",
			Fix:    "Add an rsa-sha256 signature (2048-bit key) next to the ed25519 one."})
	}
	if rep.CRLFConverted {
		out = append(out, finding.Finding{ID: "dkim.lf-line-endings", Severity: finding.SeverityInfo,
			Title:  "the file has LF line endings",
			Detail: "It was verified as it travels over SMTP, with CRLF line endings (RFC 5321 §2.3.8)."})
	}
	return out
}
