package dkim

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	msgauth "github.com/emersion/go-msgauth/dkim"

	"preflight/dns"
	"preflight/report/finding"
)

// Verifier verifies DKIM signatures (RFC 6376 §6) and explains each result.
//
// The verdict comes from github.com/emersion/go-msgauth/dkim, whose key
// lookups go through Resolver so that a missing key (NXDOMAIN or NODATA) and
// a temporary DNS failure stay apart. Alongside it, Verifier runs its own
// streaming analysis of the same bytes (canonical body hashes, the header
// hash, the key record) to name the precise cause, and to judge the two
// things go-msgauth cannot: an x= expiry against the injected clock
// (go-msgauth reads the wall clock) and l= signatures (go-msgauth refuses
// them; RFC 6376 §3.5 lets receivers honour them).
//
// The zero value is not usable: Resolver is required.
type Verifier struct {
	Resolver dns.Resolver
	// Now is the evaluation time for x= (RFC 6376 §3.5); nil means
	// time.Now.
	Now dns.Clock
	// MaxSignatures caps the signatures evaluated per message (default
	// 16): the first ones, top to bottom. The rest cause no DNS lookup and
	// get no Result; Report.NotEvaluated counts them and one finding
	// (dkim.too-many-signatures) says so. SigningDomains names the d= of
	// the evaluated ones, for callers that look up more about them.
	MaxSignatures int
	// MaxHeaderBytes caps the header section (default 1 MiB). The body is
	// streamed and has no cap.
	MaxHeaderBytes int
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// headerField is one raw header field: name, colon, value, folding and the
// final CRLF, exactly as in the (CRLF-normalized) message.
type headerField struct {
	name string
	raw  string
}

// readHeader reads the header section up to and including the empty line.
// A message that ends inside its header (no body) is accepted: complete is
// false then.
func readHeader(br *bufio.Reader, max int) (fields []headerField, raw []byte, complete bool, err error) {
	var line []byte
	for {
		line = line[:0]
		for {
			chunk, err := br.ReadSlice('\n')
			line = append(line, chunk...)
			if len(raw)+len(line) > max {
				return nil, nil, false, fmt.Errorf("%w: over %d bytes", ErrHeaderTooLong, max)
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(line) > 0 && line[len(line)-1] != '\n' {
					line = append(line, '\r', '\n')
				}
				break
			}
			if err != nil {
				return nil, nil, false, err
			}
			break
		}
		if len(line) == 0 {
			return nameFields(fields), raw, false, nil
		}
		raw = append(raw, line...)
		if string(line) == "\r\n" {
			return nameFields(fields), raw, true, nil
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1].raw += string(line)
			continue
		}
		fields = append(fields, headerField{raw: string(line)})
	}
}

// nameFields sets each field's name: the text before the first colon of the
// whole (unfolded or not) field, trimmed, as go-msgauth reads it. A field
// without a colon is named by all its text, so it is never mistaken for a
// DKIM-Signature.
func nameFields(fields []headerField) []headerField {
	for i := range fields {
		name, _, _ := strings.Cut(fields[i].raw, ":")
		fields[i].name = strings.TrimSpace(name)
	}
	return fields
}

// sigState is everything known about one DKIM-Signature field.
type sigState struct {
	field    headerField
	sig      *Signature
	parseErr error
	body     *limitHash // canonical body hash as the signature asks (nil: none)
	lib      *msgauth.Verification
	// libSkipped: go-msgauth was not given the whole body (see
	// blankRunGuard), so its verdict is not used.
	libSkipped bool
	// headersOnly: only the header section is available (VerifyHeaders).
	headersOnly bool
}

// Verify reads one message from r, verifies every DKIM-Signature in it and
// explains each result. Bare LF line endings are converted to CRLF first
// (the message is verified as it would travel) and Report.CRLFConverted says
// so. The body is streamed: memory does not grow with its size.
//
// It returns an error only when the message cannot be read (I/O error,
// header section over MaxHeaderBytes); every problem with a signature is a
// Result.
func (v *Verifier) Verify(ctx context.Context, r io.Reader) (*Report, error) {
	maxHeader := v.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = 1 << 20
	}
	maxSigs := v.maxSignatures()
	cr := newCRLFReader(r)
	br := bufio.NewReaderSize(cr, 64<<10)
	fields, rawHeader, complete, err := readHeader(br, maxHeader)
	if err != nil {
		return nil, err
	}
	if !complete {
		rawHeader = append(rawHeader, '\r', '\n')
	}

	rep := &Report{Signatures: []Result{}}
	var states []*sigState
	fan := &bodyFan{canons: map[Canonicalization]*bodyCanon{}, outs: map[Canonicalization]*multiHash{}, hashes: map[string]*limitHash{}}
	for _, f := range fields {
		if strings.EqualFold(f.name, "From") {
			rep.FromCount++
		}
		if !strings.EqualFold(f.name, "DKIM-Signature") {
			continue
		}
		_, value, _ := strings.Cut(f.raw, ":")
		st := &sigState{field: f}
		st.sig, st.parseErr = ParseSignature(value)
		if len(states) < maxSigs {
			st.body = fan.hashFor(st.sig)
		}
		states = append(states, st)
	}

	// Our analysis runs in its own goroutine, overlapping go-msgauth's
	// hashing; chunks are copied, at most a few in flight.
	af := newAsyncWriter(fan)
	defer af.Close()
	body := io.TeeReader(br, af)
	var cache lookupCache
	if len(states) > 0 {
		guard := &blankRunGuard{r: body, max: maxBlankRun}
		libVerifs, libErr := msgauth.VerifyWithOptions(
			io.MultiReader(bytes.NewReader(rawHeader), guard),
			&msgauth.VerifyOptions{LookupTXT: cache.lookupTXT(ctx, v.Resolver), MaxVerifications: maxSigs},
		)
		if libErr != nil && !errors.Is(libErr, msgauth.ErrTooManySignatures) {
			// Not a verdict on a signature: reading failed.
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("dkim: reading the message: %w", libErr)
		}
		for i, lv := range libVerifs {
			if i < len(states) {
				states[i].lib = lv
				states[i].libSkipped = guard.tripped
			}
		}
	}
	// go-msgauth does not always read the body (a missing key stops it
	// early); our analysis needs all of it.
	if _, err := io.Copy(io.Discard, body); err != nil {
		return nil, fmt.Errorf("dkim: reading the message: %w", err)
	}
	af.Close()
	fan.Close()
	rep.BodyBytes = fan.raw
	rep.CRLFConverted = cr.bareLF > 0

	now := v.now()
	for i, st := range states {
		if i >= maxSigs {
			rep.NotEvaluated++
			continue
		}
		res := v.explain(ctx, &cache, st, fields, now)
		res.CRLFConverted = rep.CRLFConverted
		if rep.CRLFConverted {
			res.Reason += " The file has LF line endings; it was verified as it travels, with CRLF."
		}
		res.Findings = append(res.Findings, resultFindings(&res)...)
		res.Findings = append(res.Findings, adviseSignature(st.sig, st.parseErr, fields)...)
		rep.Signatures = append(rep.Signatures, res)
	}
	rep.Findings = adviseMessage(rep, maxSigs)
	return rep, nil
}

// SigningDomains returns the d= of the DKIM-Signature fields that Verify and
// VerifyHeaders evaluate, given the values of every DKIM-Signature field in
// header order (top to bottom): those of the first MaxSignatures, each once,
// skipping signatures without a usable d=. DMARC discovery uses them to look
// up organizational domains while verification runs, so that signatures
// past the cap cause no DNS lookup either.
func (v *Verifier) SigningDomains(fieldValues []string) []dns.Domain {
	maxSigs := v.maxSignatures()
	var out []dns.Domain
	seen := map[dns.Domain]bool{}
	for i, val := range fieldValues {
		if i >= maxSigs {
			break
		}
		sig, err := ParseSignature(val)
		if err != nil || sig.Domain == "" {
			continue
		}
		d, err := dns.ParseDomain(sig.Domain)
		if err != nil || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

func (v *Verifier) maxSignatures() int {
	if v.MaxSignatures > 0 {
		return v.MaxSignatures
	}
	return 16
}

// VerifyHeaders verifies the signatures of a header section whose body is
// not available (a bounce that returned text/rfc822-headers). The header
// signature covers bh=, so everything but the body can still be verified:
// the key, the policy checks and the signature over the signed fields. A
// signature that verifies is a pass marked Assumed and HeadersOnly: the
// body is assumed unchanged. go-msgauth is not consulted (it needs the
// body). Reading stops at the end of the header section.
func (v *Verifier) VerifyHeaders(ctx context.Context, r io.Reader) (*Report, error) {
	maxHeader := v.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = 1 << 20
	}
	maxSigs := v.maxSignatures()
	cr := newCRLFReader(r)
	fields, _, _, err := readHeader(bufio.NewReaderSize(cr, 64<<10), maxHeader)
	if err != nil {
		return nil, err
	}
	rep := &Report{Signatures: []Result{}, CRLFConverted: cr.bareLF > 0}
	var cache lookupCache
	now := v.now()
	for _, f := range fields {
		if strings.EqualFold(f.name, "From") {
			rep.FromCount++
		}
		if !strings.EqualFold(f.name, "DKIM-Signature") {
			continue
		}
		if len(rep.Signatures) >= maxSigs {
			rep.NotEvaluated++
			continue
		}
		_, value, _ := strings.Cut(f.raw, ":")
		st := &sigState{field: f, headersOnly: true}
		st.sig, st.parseErr = ParseSignature(value)
		res := v.explain(ctx, &cache, st, fields, now)
		if res.CRLFConverted = rep.CRLFConverted; res.CRLFConverted {
			res.Reason += " The file has LF line endings; it was verified as it travels, with CRLF."
		}
		res.Findings = append(res.Findings, resultFindings(&res)...)
		res.Findings = append(res.Findings, adviseSignature(st.sig, st.parseErr, fields)...)
		rep.Signatures = append(rep.Signatures, res)
	}
	rep.Findings = adviseMessage(rep, maxSigs)
	return rep, nil
}

// ownVerdict is the result of our own checks, in go-msgauth's order.
type ownVerdict struct {
	status Status
	cause  Cause
	err    error
}

func (v *Verifier) explain(ctx context.Context, cache *lookupCache, st *sigState, fields []headerField, now time.Time) Result {
	sig := st.sig
	res := Result{
		Domain:     signingDomain(sig.Domain),
		Selector:   sig.Selector,
		Algorithm:  sig.Algorithm,
		Identifier: sig.Identifier,
		Headers:    sig.Headers,
	}
	if sig.BodyLength >= 0 {
		l := sig.BodyLength
		res.BodyLength = &l
	}
	if sig.Domain == "" {
		res.Identifier = ""
	}
	if _, ok := sig.Tag("c"); ok || st.parseErr == nil {
		res.Canonicalization = string(sig.HeaderCanon) + "/" + string(sig.BodyCanon)
	}
	if sig.Domain != "" && sig.Selector != "" {
		res.KeyRecord = sig.Selector + "._domainkey." + sig.Domain
	}
	if sig.SignedAt >= 0 {
		t := time.Unix(sig.SignedAt, 0).UTC()
		res.SignedAt = &t
	}
	if sig.ExpiresAt >= 0 {
		t := time.Unix(sig.ExpiresAt, 0).UTC()
		res.ExpiresAt = &t
	}

	// The key, as our resolver sees it (memoized: go-msgauth asked the
	// same question through lookupTXT).
	var (
		kl     *keyLookup
		key    *Key
		keyErr error
	)
	if res.KeyRecord != "" {
		kl = cache.get(ctx, v.Resolver, res.KeyRecord)
		res.KeyCNAMEs = kl.result.CNAMEs
		if kl.err == nil && kl.result.Status == dns.StatusAnswer {
			txt := kl.result.TXT()
			if len(txt) == 1 {
				res.KeyText = txt[0]
				key, keyErr = ParseKey(txt[0])
				if key.PublicKey != nil {
					res.KeyBits = key.Bits
				}
				res.Testing = key.Testing()
			}
		}
	}

	if sig.BodyLength >= 0 && st.body != nil && st.body.n > sig.BodyLength {
		res.UnsignedBodyBytes = st.body.n - sig.BodyLength
	}
	if key != nil && key.Strict() && sig.HasIdentifier {
		if _, dom, _ := strings.Cut(sig.Identifier, "@"); !strings.EqualFold(strings.TrimSuffix(dom, "."), sig.Domain) {
			res.Findings = append(res.Findings, finding.Finding{ID: "dkim.key-strict-identifier", Severity: finding.SeverityWarn,
				Title:  fmt.Sprintf("the key at %s has t=s but i=%s is a subdomain of d=%s", res.KeyRecord, sig.Identifier, sig.Domain),
				Detail: "RFC 6376 §3.6.1: with t=s the domain of i= must be exactly d=. go-msgauth does not enforce it; receivers that do fail the signature.",
				Fix:    "Remove t=s from the key record, or sign with i= in d= itself."})
		}
	}
	if sig.SignedAt > now.Unix()+300 {
		res.Findings = append(res.Findings, finding.Finding{ID: "dkim.signed-in-future", Severity: finding.SeverityInfo,
			Title:  fmt.Sprintf("t=%d is after the evaluation time", sig.SignedAt),
			Detail: "The signer's clock is ahead, or the evaluation time (--now) is before signing; RFC 6376 §3.5 lets receivers ignore signatures from the future."})
	}
	own := v.ownCheck(st, fields, kl, key, keyErr, now)
	lib := libStatus(st.lib)
	res.Result, res.Cause = own.status, own.cause
	res.setErr(own.err)
	switch {
	case st.headersOnly:
		res.Library = "not consulted: go-msgauth needs the body"
		res.HeadersOnly = true
		res.Assumed = res.Result == StatusPass
	case st.libSkipped:
		res.Library = fmt.Sprintf("not consulted: the body has a run of over %d blank bytes, which go-msgauth handles in quadratic time", maxBlankRun)
	case lib.status != own.status:
		switch {
		case sig.BodyLength >= 0:
			// go-msgauth refuses every l= signature; our result is the
			// RFC 6376 one.
			res.Library = fmt.Sprintf("%s (%v)", lib.status, lib.err)
		case sig.ExpiresAt >= 0 && (isLibExpired(lib.err) || now.Unix() > sig.ExpiresAt):
			// go-msgauth judged x= against the wall clock.
			res.Library = fmt.Sprintf("%s (%v)", lib.status, lib.err)
		default:
			// Trust the library's verdict and say that we disagree.
			res.Result, res.Cause = lib.status, CauseVerifierDisagree
			res.Library = fmt.Sprintf("%s (%v)", lib.status, lib.err)
			res.setErr(lib.err)
			res.Reason = fmt.Sprintf("go-msgauth says %s: %v (preflight's own analysis found %s: %s)", lib.status, lib.err, own.status, v.reason(&res, st, fields, kl, key, own, now))
			return res
		}
	}
	res.Reason = v.reason(&res, st, fields, kl, key, own, now)
	return res
}

type libVerdict struct {
	status Status
	err    error
}

// libStatus classifies go-msgauth's raw error (its IsTempFail/IsPermFail use
// type assertions, so this happens before any wrapping).
func libStatus(lv *msgauth.Verification) libVerdict {
	if lv == nil {
		return libVerdict{status: StatusNone, err: errors.New("not verified")}
	}
	switch err := lv.Err; {
	case err == nil:
		return libVerdict{status: StatusPass}
	case msgauth.IsTempFail(err):
		return libVerdict{status: StatusTempError, err: err}
	case msgauth.IsPermFail(err):
		return libVerdict{status: StatusPermError, err: err}
	default:
		return libVerdict{status: StatusFail, err: err}
	}
}

func isLibExpired(err error) bool {
	return err != nil && strings.Contains(err.Error(), "expired")
}

// ownCheck runs the checks of RFC 6376 §6.1 in go-msgauth's order and
// returns the first that fails.
func (v *Verifier) ownCheck(st *sigState, fields []headerField, kl *keyLookup, key *Key, keyErr error, now time.Time) ownVerdict {
	sig := st.sig
	perm := func(c Cause, err error) ownVerdict { return ownVerdict{status: StatusPermError, cause: c, err: err} }
	if st.parseErr != nil {
		return perm(parseCause(st.parseErr), st.parseErr)
	}
	if sig.ExpiresAt >= 0 && now.Unix() > sig.ExpiresAt {
		return perm(CauseExpired, fmt.Errorf("%w at %s", ErrExpired, time.Unix(sig.ExpiresAt, 0).UTC().Format(time.RFC3339)))
	}
	if kl == nil {
		return perm(CauseMissingTag, fmt.Errorf("%w: d= or s=", ErrMissingTag))
	}
	switch {
	case kl.err != nil && dns.IsTemporary(kl.err):
		return ownVerdict{status: StatusTempError, cause: CauseKeyTemporary, err: fmt.Errorf("%w: %w", ErrKeyTemporary, kl.err)}
	case kl.err != nil:
		return perm(CauseKeyNotFound, fmt.Errorf("%w: %w", ErrKeyNotFound, kl.err))
	case kl.result.Status != dns.StatusAnswer:
		return perm(CauseKeyNotFound, fmt.Errorf("%w: %s %s", ErrKeyNotFound, kl.name, strings.ToUpper(kl.result.Status.String())))
	case len(kl.result.TXT()) > 1:
		return perm(CauseKeyMultiple, fmt.Errorf("%w: %d TXT records at %s", ErrKeyMultiple, len(kl.result.TXT()), kl.name))
	}
	if keyErr != nil {
		switch {
		case errors.Is(keyErr, ErrKeyRevoked):
			return perm(CauseKeyRevoked, keyErr)
		default:
			return perm(CauseKeySyntax, keyErr)
		}
	}
	if key.tooShort() {
		return perm(CauseKeyTooShort, fmt.Errorf("%w: %d bits", ErrKeyTooShort, key.Bits))
	}
	if !key.AllowsHash(sig.HashAlgorithm) {
		return perm(CauseKeyHash, fmt.Errorf("%w: the key's h=%s excludes %s", ErrKeyUnusable, strings.Join(key.HashAlgorithms, ":"), sig.HashAlgorithm))
	}
	if sig.HashAlgorithm == "sha1" {
		return perm(CauseSHA1, ErrSHA1)
	}
	if key.Type != sig.KeyAlgorithm {
		return perm(CauseKeyType, fmt.Errorf("%w: a=%s but the key is k=%s", ErrKeyUnusable, sig.Algorithm, key.Type))
	}
	if !key.AllowsEmail() {
		return perm(CauseKeyService, fmt.Errorf("%w: the key's s=%s excludes email", ErrKeyUnusable, strings.Join(key.Services, ":")))
	}
	body, sigOK := cryptoCheck(st, fields, key)
	if !body {
		return ownVerdict{status: StatusFail, cause: CauseBodyHash, err: ErrBodyHash}
	}
	if !sigOK {
		if pub, ok := key.PublicKey.(*rsa.PublicKey); ok && !rsaKeyMatches(pub, sig.Sig) {
			return ownVerdict{status: StatusFail, cause: CauseKeyMismatch, err: fmt.Errorf("%w: %w", ErrSignature, ErrKeyMismatch)}
		}
		return ownVerdict{status: StatusFail, cause: CauseSignature, err: ErrSignature}
	}
	if sig.BodyLength >= 0 {
		return ownVerdict{status: StatusPass, cause: CauseBodyLength}
	}
	return ownVerdict{status: StatusPass, cause: CauseVerified}
}

func parseCause(err error) Cause {
	switch {
	case errors.Is(err, ErrSyntax), errors.Is(err, ErrDuplicateTag):
		return CauseSyntax
	case errors.Is(err, ErrVersion):
		return CauseVersion
	case errors.Is(err, ErrMissingTag):
		return CauseMissingTag
	case errors.Is(err, ErrAlgorithm), errors.Is(err, ErrCanonicalization):
		return CauseAlgorithm
	case errors.Is(err, ErrFromNotSigned):
		return CauseFromNotSigned
	case errors.Is(err, ErrIdentifier):
		return CauseIdentifier
	}
	return CauseTagValue
}
