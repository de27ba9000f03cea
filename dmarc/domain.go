package dmarc

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrInvalidDomain marks a domain that cannot be used: empty, not
// convertible to A-labels, or not a valid DNS name.
var ErrInvalidDomain = errors.New("dmarc: invalid domain")

// Domain is a domain name in the one canonical form every comparison in this
// package uses: lower case, IDNA A-labels ("xn--…"), no trailing dot. Build it
// with ParseDomain; never compare raw strings.
type Domain string

// String returns the canonical (A-label) form.
func (d Domain) String() string { return string(d) }

// Unicode returns the domain with U-labels, for display only.
func (d Domain) Unicode() string {
	u, err := idna.Display.ToUnicode(string(d))
	if err != nil {
		return string(d)
	}
	return u
}

// Labels returns the number of labels.
func (d Domain) Labels() int {
	if d == "" {
		return 0
	}
	return strings.Count(string(d), ".") + 1
}

// parent returns d without its leftmost label, or "" for a single label.
func (d Domain) parent() Domain {
	_, rest, ok := strings.Cut(string(d), ".")
	if !ok {
		return ""
	}
	return Domain(rest)
}

// IsSubdomainOf reports whether d is below p (not equal to it).
func (d Domain) IsSubdomainOf(p Domain) bool {
	return p != "" && strings.HasSuffix(string(d), "."+string(p))
}

// profile maps like UTS #46 lookup but allows "_" (StrictDomainName off):
// DKIM d= and HELO names carry them in practice.
var profile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.StrictDomainName(false))

// ParseDomain converts s, a domain in any case with U-labels or A-labels
// and an optional trailing dot, to its canonical Domain. It accepts an
// address ("user@host") and uses its domain part. IP literals and names
// that are not valid DNS names give ErrInvalidDomain.
func ParseDomain(s string) (Domain, error) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidDomain)
	}
	if strings.HasPrefix(s, "[") {
		return "", fmt.Errorf("%w: %q is an address literal", ErrInvalidDomain, s)
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return "", fmt.Errorf("%w: %q is an IP address", ErrInvalidDomain, s)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidDomain, s)
	}
	a, err := profile.ToASCII(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidDomain, s, err)
	}
	a = strings.ToLower(a)
	// The canonical form must be a fixed point: an A-label that does not
	// decode back (e.g. one made from U+FFFD) is not a usable name.
	if again, err := profile.ToASCII(a); err != nil || strings.ToLower(again) != a {
		return "", fmt.Errorf("%w: %q does not have a stable A-label form", ErrInvalidDomain, s)
	}
	if len(a) > 253 {
		return "", fmt.Errorf("%w: %q is longer than 253 octets", ErrInvalidDomain, s)
	}
	for _, l := range strings.Split(a, ".") {
		if l == "" || len(l) > 63 {
			return "", fmt.Errorf("%w: %q has an empty or over-long label", ErrInvalidDomain, s)
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", fmt.Errorf("%w: %q has a character %q that is not allowed in a host name", ErrInvalidDomain, s, c)
			}
		}
	}
	return Domain(a), nil
}

// PublicSuffix returns the public suffix of d under the ICANN section of the
// Public Suffix List (RFC 7489 §3.2). Names under a TLD the list does not
// know get the TLD as their suffix (the list's implicit "*" rule).
//
// The list is golang.org/x/net/publicsuffix (see the package doc for why);
// its PRIVATE-section rules (e.g. blogspot.com) are skipped here, as RFC 7489
// receivers commonly do and as the issue asks.
func PublicSuffix(d Domain) Domain {
	s, icann := publicsuffix.PublicSuffix(string(d))
	// The longest match was a PRIVATE rule: the longest ICANN rule is a
	// suffix of it, so look again one label up until the match is ICANN
	// or a single label (an unlisted TLD).
	for !icann && strings.Contains(s, ".") {
		_, up, _ := strings.Cut(s, ".")
		s, icann = publicsuffix.PublicSuffix(up)
	}
	return Domain(s)
}

// OrgDomain returns the RFC 7489 §3.2 organizational domain of d: its public
// suffix (ICANN section) plus one label. A domain that is itself a public
// suffix (or a single label) is returned unchanged, and ok is false: it has
// no organizational domain of its own, and only an identical domain aligns
// with it.
func OrgDomain(d Domain) (org Domain, ok bool) {
	if d == "" {
		return "", false
	}
	suffix := PublicSuffix(d)
	if len(d) <= len(suffix) {
		return d, false
	}
	rest := strings.TrimSuffix(string(d), "."+string(suffix))
	if i := strings.LastIndexByte(rest, '.'); i >= 0 {
		rest = rest[i+1:]
	}
	return Domain(rest + "." + string(suffix)), true
}
