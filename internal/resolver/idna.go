package resolver

import "golang.org/x/net/idna"

// idnaProfile maps and converts like a browser's lookup (UTS #46,
// non-transitional) but allows the underscore labels of email
// authentication (_dmarc, _domainkey) that a hostname profile rejects.
var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false), idna.BidiRule())
