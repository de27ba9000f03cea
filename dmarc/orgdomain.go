package dmarc

import (
	"strings"

	"golang.org/x/net/publicsuffix"

	"preflight/dns"
)

// PublicSuffix returns the public suffix of d under the Public Suffix List,
// ICANN and PRIVATE sections both (RFC 7489 §3.2), as mailauth,
// authheaders and OpenDMARC use it: github.io and blogspot.com are public
// suffixes, so alice.github.io and bob.github.io are different
// organizational domains. Names under a TLD the list does not know get the
// TLD as their suffix (the list's implicit "*" rule).
//
// The list is golang.org/x/net/publicsuffix (see the package doc for why).
func PublicSuffix(d dns.Domain) dns.Domain {
	s, _ := publicsuffix.PublicSuffix(string(d))
	return dns.Domain(s)
}

// ICANNSuffix is PublicSuffix with the ICANN section only, for comparison:
// under it alice.github.io and bob.github.io share github.io.
func ICANNSuffix(d dns.Domain) dns.Domain {
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
// suffix (both sections of the list) plus one label. A domain that is itself a public
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
