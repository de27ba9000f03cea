package dns

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Domain is a domain name in the one canonical form every package compares:
// lower case, IDNA A-labels ("xn--…"), no trailing dot. Build it with
// ParseDomain; never compare raw strings. The zero Domain is "no domain".
type Domain string

// String returns the canonical (A-label) form, the form asked in DNS.
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

// Parent returns d without its leftmost label, or "" for a single label.
func (d Domain) Parent() Domain {
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

// idnaProfile is the one IDNA profile of preflight: UTS #46 mapping as a
// browser's lookup does, non-transitional (ß and ς stay), the bidi rule, but
// underscores allowed (StrictDomainName off): _dmarc, _domainkey, DKIM d=
// and HELO names carry them in practice.
var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.BidiRule(), idna.StrictDomainName(false))

// ParseDomain converts s, a domain in any case with U-labels or A-labels and
// an optional trailing dot, to its canonical Domain. It accepts an address
// ("user@host") and uses its domain part. IP literals and names that are not
// valid DNS names (RFC 1035 §2.3.4: at most 253 octets, labels of 1 to 63)
// give an error matching ErrInvalidName.
func ParseDomain(s string) (Domain, error) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidName)
	}
	if strings.HasPrefix(s, "[") {
		return "", fmt.Errorf("%w: %q is an address literal", ErrInvalidName, s)
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return "", fmt.Errorf("%w: %q is an IP address", ErrInvalidName, s)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidName, s)
	}
	a, err := idnaProfile.ToASCII(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidName, s, idnaCause(err))
	}
	a = strings.ToLower(a)
	// The canonical form must be a fixed point: an A-label that does not
	// decode back (e.g. one made from U+FFFD) is not a usable name.
	if again, err := idnaProfile.ToASCII(a); err != nil || strings.ToLower(again) != a {
		return "", fmt.Errorf("%w: %q does not have a stable A-label form", ErrInvalidName, s)
	}
	if len(a) > 253 {
		return "", fmt.Errorf("%w: %q is longer than 253 octets", ErrInvalidName, s)
	}
	for _, l := range strings.Split(a, ".") {
		if l == "" {
			return "", fmt.Errorf("%w: %q has an empty label", ErrInvalidName, s)
		}
		if len(l) > 63 {
			return "", fmt.Errorf("%w: %q has a label of %d octets, over the 63-octet limit", ErrInvalidName, s, len(l))
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", fmt.Errorf("%w: %q has a character %q that is not allowed in a host name", ErrInvalidName, s, c)
			}
		}
	}
	return Domain(a), nil
}

// idnaCause drops the "idna: " prefix of x/net/idna errors, which would
// otherwise leak a package name into what a person reads.
func idnaCause(err error) string {
	return strings.TrimPrefix(err.Error(), "idna: ")
}

// MustParseDomain is ParseDomain for constants in tests and examples; it
// panics on an invalid domain.
func MustParseDomain(s string) Domain {
	d, err := ParseDomain(s)
	if err != nil {
		panic(err)
	}
	return d
}
