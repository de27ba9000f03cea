package dmarc

import (
	"strings"

	"golang.org/x/net/publicsuffix"

	"preflight/dns"
)

// PublicSuffix returns the public suffix of d under the ICANN section of the
// Public Suffix List (RFC 7489 §3.2). Names under a TLD the list does not
// know get the TLD as their suffix (the list's implicit "*" rule).
//
// The list is golang.org/x/net/publicsuffix (see the package doc for why);
// its PRIVATE-section rules (e.g. blogspot.com) are skipped here, as RFC 7489
// receivers commonly do and as the issue asks.
func PublicSuffix(d dns.Domain) dns.Domain {
	s, icann := publicsuffix.PublicSuffix(string(d))
	// The longest match was a PRIVATE rule: the longest ICANN rule is a
	// suffix of it, so look again one label up until the match is ICANN
	// or a single label (an unlisted TLD).
	for !icann && strings.Contains(s, ".") {
		_, up, _ := strings.Cut(s, ".")
		s, icann = publicsuffix.PublicSuffix(up)
	}
	return dns.Domain(s)
}

// OrgDomain returns the RFC 7489 §3.2 organizational domain of d: its public
// suffix (ICANN section) plus one label. A domain that is itself a public
// suffix (or a single label) is returned unchanged, and ok is false: it has
// no organizational domain of its own, and only an identical domain aligns
// with it.
func OrgDomain(d dns.Domain) (org dns.Domain, ok bool) {
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
	return dns.Domain(rest + "." + string(suffix)), true
}
