package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// This file is pure grammar: the DKIM-Signature header field (RFC 6376 §3.5)
// and the DNS key record (RFC 6376 §3.6.1), both written as tag lists
// (RFC 6376 §3.2). Nothing here touches DNS or a clock, so a signature or a
// key record can be linted offline.

// Syntax and semantic errors of signatures and key records. Errors returned by
// ParseSignature and ParseKey wrap one of them.
var (
	// ErrSyntax: the tag list is not RFC 6376 §3.2 syntax.
	ErrSyntax = errors.New("dkim: malformed tag list")
	// ErrDuplicateTag: a tag name occurs twice (RFC 6376 §3.2 makes the whole
	// tag list invalid).
	ErrDuplicateTag = errors.New("dkim: duplicate tag")
	// ErrMissingTag: a tag that RFC 6376 §3.5 requires is absent.
	ErrMissingTag = errors.New("dkim: required tag missing")
	// ErrVersion: v= is not 1 (signature) or DKIM1 (key record).
	ErrVersion = errors.New("dkim: incompatible version")
	// ErrAlgorithm: a= or the key's k= names an algorithm this verifier does
	// not know.
	ErrAlgorithm = errors.New("dkim: unsupported algorithm")
	// ErrCanonicalization: c= names an unknown canonicalization.
	ErrCanonicalization = errors.New("dkim: unsupported canonicalization")
	// ErrFromNotSigned: h= does not list From (RFC 6376 §5.4).
	ErrFromNotSigned = errors.New("dkim: From header field not signed")
	// ErrIdentifier: i= is not d= or a subdomain of it (RFC 6376 §3.5).
	ErrIdentifier = errors.New("dkim: i= is outside the d= domain")
	// ErrTagValue: a tag value is malformed (base64, number, domain).
	ErrTagValue = errors.New("dkim: malformed tag value")
	// ErrKeyRevoked: the key record has an empty p= (RFC 6376 §3.6.1).
	ErrKeyRevoked = errors.New("dkim: key revoked")
	// ErrKeySyntax: the key record's p= does not hold a usable public key.
	ErrKeySyntax = errors.New("dkim: key syntax error")
)

// Tag is one tag=value pair of a tag list, in the order written. Value has
// leading and trailing whitespace removed; folding inside it is kept.
type Tag struct {
	Name  string
	Value string
}

// ParseTags parses an RFC 6376 §3.2 tag list. Tag names are case-sensitive;
// a name that occurs twice invalidates the list (ErrDuplicateTag). An empty
// list, and a trailing ";", are allowed.
func ParseTags(s string) ([]Tag, error) {
	var tags []Tag
	seen := map[string]bool{}
	for _, spec := range strings.Split(s, ";") {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		name, value, ok := strings.Cut(spec, "=")
		if !ok {
			return tags, fmt.Errorf("%w: %q has no \"=\"", ErrSyntax, clip(strings.TrimSpace(spec)))
		}
		name = trimFWS(name)
		if !validTagName(name) {
			return tags, fmt.Errorf("%w: invalid tag name %q", ErrSyntax, clip(name))
		}
		value = trimFWS(value)
		for i := 0; i < len(value); i++ {
			c := value[i]
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				continue
			}
			// VALCHAR is %x21-3A / %x3C-7E. Control characters are
			// refused; 8-bit bytes are tolerated, as go-msgauth (and most
			// verifiers) do, so that a stray UTF-8 z= does not make us
			// disagree with the verdict.
			if c < 0x21 || c == 0x7f {
				return tags, fmt.Errorf("%w: tag %s= holds byte 0x%02x", ErrSyntax, name, c)
			}
		}
		if seen[name] {
			return tags, fmt.Errorf("%w: %s= occurs more than once", ErrDuplicateTag, name)
		}
		seen[name] = true
		tags = append(tags, Tag{Name: name, Value: value})
	}
	return tags, nil
}

// splitTags reads a tag list the way verifiers do in practice (and
// go-msgauth, whose verdict preflight reports): only a tag-spec without "="
// and a duplicate tag name make the list invalid; unusual names and bytes
// are accepted. ParseTags is the strict RFC 6376 §3.2 grammar.
func splitTags(s string) ([]Tag, error) {
	var tags []Tag
	seen := map[string]bool{}
	for _, spec := range strings.Split(s, ";") {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		name, value, ok := strings.Cut(spec, "=")
		if !ok {
			return tags, fmt.Errorf("%w: %q has no \"=\"", ErrSyntax, clip(strings.TrimSpace(spec)))
		}
		name = strings.TrimSpace(name)
		if seen[name] {
			return tags, fmt.Errorf("%w: %s= occurs more than once", ErrDuplicateTag, clip(name))
		}
		seen[name] = true
		tags = append(tags, Tag{Name: name, Value: strings.TrimSpace(value)})
	}
	return tags, nil
}

func trimFWS(s string) string { return strings.Trim(s, " \t\r\n") }

func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !alpha {
			return false
		}
		if !alpha && !(c >= '0' && c <= '9') && c != '_' {
			return false
		}
	}
	return true
}

// clip shortens untrusted text quoted in error messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// stripFWS removes all whitespace (folding included) from a tag value. Like
// go-msgauth it removes every Unicode space, not only FWS, so that both read
// a value the same way.
func stripFWS(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Canonicalization is a header or body canonicalization algorithm (RFC 6376
// §3.4).
type Canonicalization string

// The two canonicalizations of RFC 6376 §3.4.
const (
	Simple  Canonicalization = "simple"
	Relaxed Canonicalization = "relaxed"
)

// Signature is a parsed DKIM-Signature header field (RFC 6376 §3.5).
type Signature struct {
	Tags []Tag // every tag, in the order written

	Version       string // v=
	Algorithm     string // a=, as written: "rsa-sha256", "ed25519-sha256", "rsa-sha1"
	KeyAlgorithm  string // the part of a= before "-": "rsa", "ed25519"
	HashAlgorithm string // the part after: "sha256", "sha1"
	// HeaderCanon and BodyCanon come from c=; each defaults to simple
	// (RFC 6376 §3.5: "c=relaxed" means relaxed/simple).
	HeaderCanon Canonicalization
	BodyCanon   Canonicalization
	Domain      string   // d=, lower case, without a trailing dot
	Selector    string   // s=, lower case
	Headers     []string // h=, as written (case kept)
	Identifier  string   // i=, or "@" + d= when absent (RFC 6376 §3.5)
	// HasIdentifier says whether i= was present.
	HasIdentifier bool
	// BodyLength is l=, the number of canonical body octets signed; -1 when
	// l= is absent (the whole body is signed).
	BodyLength int64
	// SignedAt is t= in seconds since the Unix epoch, -1 when absent.
	SignedAt int64
	// ExpiresAt is x= in seconds since the Unix epoch, -1 when absent.
	ExpiresAt    int64
	QueryMethods []string // q=, default dns/txt
	BodyHash     []byte   // bh=, decoded
	Sig          []byte   // b=, decoded
}

// Tag returns the value of the named tag and whether it is present.
func (s *Signature) Tag(name string) (string, bool) {
	return lookupTag(s.Tags, name)
}

func lookupTag(tags []Tag, name string) (string, bool) {
	for _, t := range tags {
		if t.Name == name {
			return t.Value, true
		}
	}
	return "", false
}

// String writes the signature's tags back as a tag list, in their order.
func (s *Signature) String() string { return formatTags(s.Tags) }

func formatTags(tags []Tag) string {
	var b strings.Builder
	for i, t := range tags {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(t.Name)
		b.WriteByte('=')
		b.WriteString(t.Value)
	}
	return b.String()
}

// SignsHeader reports how many times h= lists the header field name
// (case-insensitive). A name listed more often than the field occurs is
// "oversigned": adding another instance later breaks the signature.
func (s *Signature) SignsHeader(name string) int {
	n := 0
	for _, h := range s.Headers {
		if strings.EqualFold(h, name) {
			n++
		}
	}
	return n
}

// ParseSignature parses the value of a DKIM-Signature header field (the text
// after the colon, folding included) following RFC 6376 §3.5.
//
// On a semantic problem (v= not 1, a required tag missing, From not in h=,
// i= outside d=, an unknown algorithm, a malformed number or base64 value)
// it returns the fields it could read together with an error wrapping the
// matching sentinel, so that a caller can still say which domain and selector
// a broken signature claims. Only the first problem is reported, in the order
// of RFC 6376 §6.1.1. It never consults DNS and does not check x= against a
// clock.
func ParseSignature(value string) (*Signature, error) {
	sig := &Signature{BodyLength: -1, SignedAt: -1, ExpiresAt: -1, HeaderCanon: Simple, BodyCanon: Simple}
	tags, err := splitTags(value)
	sig.Tags = tags
	if err != nil {
		// Salvage d= and s= for the explanation.
		sig.fillNames()
		return sig, err
	}
	sig.fillNames()

	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	v, ok := sig.Tag("v")
	sig.Version = v
	if !ok {
		fail(fmt.Errorf("%w: v= is absent (a pre-RFC 6376 draft signature)", ErrVersion))
	} else if v != "1" {
		fail(fmt.Errorf("%w: v=%s, RFC 6376 requires v=1", ErrVersion, clip(v)))
	}
	for _, name := range []string{"a", "b", "bh", "d", "h", "s"} {
		if _, ok := sig.Tag(name); !ok {
			fail(fmt.Errorf("%w: %s=", ErrMissingTag, name))
		}
	}

	if a, ok := sig.Tag("a"); ok {
		// Compared as written, like go-msgauth: "RSA-SHA256" is refused.
		sig.Algorithm = stripFWS(a)
		k, h, ok := strings.Cut(sig.Algorithm, "-")
		sig.KeyAlgorithm, sig.HashAlgorithm = k, h
		if !ok || (k != "rsa" && k != "ed25519") || (h != "sha256" && h != "sha1") || (k == "ed25519" && h != "sha256") {
			fail(fmt.Errorf("%w: a=%s", ErrAlgorithm, clip(sig.Algorithm)))
		}
	}
	if c, ok := sig.Tag("c"); ok {
		hc, bc, slash := strings.Cut(stripFWS(c), "/")
		if hc != "" {
			sig.HeaderCanon = Canonicalization(hc)
		}
		if slash {
			// "c=relaxed/" names an empty, unknown, body algorithm.
			sig.BodyCanon = Canonicalization(bc)
		}
		if !validCanon(sig.HeaderCanon) || !validCanon(sig.BodyCanon) {
			fail(fmt.Errorf("%w: c=%s", ErrCanonicalization, clip(c)))
		}
	}
	if sig.Domain != "" {
		if err := checkDomain(sig.Domain); err != nil {
			fail(fmt.Errorf("%w: d=%s: %v", ErrTagValue, clip(sig.Domain), err))
		}
	}
	if h, ok := sig.Tag("h"); ok {
		for _, name := range strings.Split(h, ":") {
			if name = stripFWS(name); name != "" {
				sig.Headers = append(sig.Headers, name)
			}
		}
		if sig.SignsHeader("From") == 0 {
			fail(fmt.Errorf("%w: h=%s", ErrFromNotSigned, clip(stripFWS(h))))
		}
	}
	sig.Identifier = "@" + sig.Domain
	if i, ok := sig.Tag("i"); ok {
		sig.HasIdentifier = true
		// i= is dkim-quoted-printable (RFC 6376 §2.11): "=40" is "@".
		sig.Identifier = decodeQP(stripFWS(i))
		at := strings.LastIndexByte(sig.Identifier, '@')
		found := at >= 0
		dom := strings.ToLower(strings.TrimSuffix(sig.Identifier[at+1:], "."))
		if !found || (dom != sig.Domain && !strings.HasSuffix(dom, "."+sig.Domain)) {
			fail(fmt.Errorf("%w: i=%s, d=%s", ErrIdentifier, clip(sig.Identifier), sig.Domain))
		}
	}
	num := func(name string) int64 {
		v, ok := sig.Tag(name)
		if !ok {
			return -1
		}
		v = stripFWS(v)
		// RFC 6376 §3.5: at most 76 digits for l=, 12 for t= and x=;
		// values that do not fit in an int64 are refused here.
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || v[0] == '+' {
			fail(fmt.Errorf("%w: %s=%s is not a decimal number", ErrTagValue, name, clip(v)))
			return -1
		}
		return n
	}
	sig.BodyLength = num("l")
	sig.SignedAt = num("t")
	sig.ExpiresAt = num("x")
	sig.QueryMethods = []string{"dns/txt"}
	if q, ok := sig.Tag("q"); ok {
		sig.QueryMethods = strings.Split(stripFWS(q), ":")
		// RFC 6376 §3.5: dns/txt is the only query method; a signature
		// that offers no method the verifier knows cannot be verified.
		known := false
		for _, m := range sig.QueryMethods {
			known = known || m == "dns/txt"
		}
		if !known {
			fail(fmt.Errorf("%w: q=%s (only dns/txt exists)", ErrAlgorithm, clip(stripFWS(q))))
		}
	}
	b64 := func(name string) []byte {
		v, ok := sig.Tag(name)
		if !ok {
			return nil
		}
		d, err := base64.StdEncoding.DecodeString(stripFWS(v))
		if err != nil {
			fail(fmt.Errorf("%w: %s= is not base64", ErrTagValue, name))
		}
		return d
	}
	sig.BodyHash = b64("bh")
	sig.Sig = b64("b")
	return sig, first
}

func (s *Signature) fillNames() {
	if d, ok := s.Tag("d"); ok {
		s.Domain = strings.ToLower(strings.TrimSuffix(stripFWS(d), "."))
	}
	if sel, ok := s.Tag("s"); ok {
		s.Selector = strings.ToLower(stripFWS(sel))
	}
}

func validCanon(c Canonicalization) bool { return c == Simple || c == Relaxed }

// checkDomain accepts an LDH or A-label domain name of at least one label.
func checkDomain(d string) error {
	if len(d) > 253 {
		return errors.New("longer than 253 octets")
	}
	for _, l := range strings.Split(d, ".") {
		if l == "" || len(l) > 63 {
			return errors.New("empty or over-long label")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("invalid character %q", c)
			}
		}
	}
	return nil
}

// Key is a parsed DKIM key record (RFC 6376 §3.6.1), published as TXT at
// SELECTOR._domainkey.DOMAIN.
type Key struct {
	Tags []Tag // every tag, in the order written

	Version string // v=, "DKIM1" or empty
	// Type is k=: "rsa" (the default) or "ed25519" (RFC 8463).
	Type string
	// HashAlgorithms is h=: the hash algorithms the key may be used with;
	// nil means any.
	HashAlgorithms []string
	Services       []string // s=; nil means any ("*")
	Flags          []string // t=
	Notes          string   // n=
	// Revoked is set when p= is empty (RFC 6376 §3.6.1).
	Revoked bool
	// PublicKey is *rsa.PublicKey or ed25519.PublicKey; nil when revoked.
	PublicKey crypto.PublicKey
	// Bits is the RSA modulus size, or 256 for ed25519.
	Bits int
}

// Testing reports t=y: "this domain is testing DKIM" (RFC 6376 §3.6.1).
// Verifiers must not treat such mail differently from unsigned mail.
func (k *Key) Testing() bool { return k.hasFlag("y") }

// Strict reports t=s: i= must have exactly d= as its domain, not a
// subdomain (RFC 6376 §3.6.1).
func (k *Key) Strict() bool { return k.hasFlag("s") }

func (k *Key) hasFlag(f string) bool {
	for _, x := range k.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// tooShort reports an RSA key under 1024 bits (RFC 8301 §3.2), counted in
// whole bytes as go-msgauth does, so that both refuse the same keys.
func (k *Key) tooShort() bool {
	rk, ok := k.PublicKey.(*rsa.PublicKey)
	return ok && rk.Size()*8 < 1024
}

// AllowsHash reports whether h= permits the hash algorithm ("sha256").
func (k *Key) AllowsHash(h string) bool {
	if k.HashAlgorithms == nil {
		return true
	}
	for _, x := range k.HashAlgorithms {
		if x == h {
			return true
		}
	}
	return false
}

// AllowsEmail reports whether s= permits the email service.
func (k *Key) AllowsEmail() bool {
	if k.Services == nil {
		return true
	}
	for _, x := range k.Services {
		if x == "email" || x == "*" {
			return true
		}
	}
	return false
}

// String writes the key record's tags back, in their order.
func (k *Key) String() string { return formatTags(k.Tags) }

// ParseKey parses the text of a DKIM key record (the TXT record's strings
// joined without separator, RFC 6376 §3.6.2.2) following RFC 6376 §3.6.1
// and RFC 8463 §4.2.
//
// A revoked key (empty p=) is returned with Revoked set and an error wrapping
// ErrKeyRevoked. RSA keys are accepted as SubjectPublicKeyInfo or as a bare
// PKCS#1 RSAPublicKey (RFC 6376 erratum 3017). Keys shorter than 1024 bits
// parse without error: Bits reports the size and the verifier decides.
// Unknown tags, including RFC 4871's g=, are ignored.
func ParseKey(txt string) (*Key, error) {
	k := &Key{Type: "rsa"}
	tags, err := splitTags(txt)
	k.Tags = tags
	if err != nil {
		return k, err
	}
	if v, ok := lookupTag(tags, "v"); ok {
		k.Version = v
		// RFC 6376 §3.6.1: if present, v= MUST be DKIM1. (It must also come
		// first; like go-msgauth, a later v= is tolerated.)
		if v != "DKIM1" {
			return k, fmt.Errorf("%w: v=%s, expected DKIM1", ErrVersion, clip(v))
		}
	}
	if t, ok := lookupTag(tags, "k"); ok && stripFWS(t) != "" {
		k.Type = stripFWS(t)
	}
	list := func(name string) []string {
		v, ok := lookupTag(tags, name)
		if !ok {
			return nil
		}
		out := []string{}
		for _, x := range strings.Split(v, ":") {
			if x = stripFWS(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	k.HashAlgorithms = list("h")
	k.Services = list("s")
	k.Flags = list("t")
	k.Notes, _ = lookupTag(tags, "n")

	p, ok := lookupTag(tags, "p")
	if !ok {
		return k, fmt.Errorf("%w: p= is absent", ErrKeySyntax)
	}
	p = stripFWS(p)
	if p == "" {
		k.Revoked = true
		return k, ErrKeyRevoked
	}
	der, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return k, fmt.Errorf("%w: p= is not base64", ErrKeySyntax)
	}
	switch k.Type {
	case "rsa":
		pub, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			pub, err = x509.ParsePKCS1PublicKey(der)
		}
		if err != nil {
			return k, fmt.Errorf("%w: p= is not an RSA public key", ErrKeySyntax)
		}
		rk, ok := pub.(*rsa.PublicKey)
		if !ok {
			return k, fmt.Errorf("%w: k=rsa but p= holds a %T", ErrKeySyntax, pub)
		}
		k.PublicKey, k.Bits = rk, rk.N.BitLen()
	case "ed25519":
		// RFC 8463 §4.2: p= is the raw 32-byte public key, not SPKI.
		if len(der) != ed25519.PublicKeySize {
			return k, fmt.Errorf("%w: an ed25519 p= must be 32 bytes, has %d", ErrKeySyntax, len(der))
		}
		k.PublicKey, k.Bits = ed25519.PublicKey(der), 256
	default:
		return k, fmt.Errorf("%w: k=%s", ErrAlgorithm, clip(k.Type))
	}
	return k, nil
}

// decodeQP decodes dkim-quoted-printable (RFC 6376 §2.11); malformed
// escapes are kept as written.
func decodeQP(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
