package resolver

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// fromRR converts a miekg/dns record of a type preflight understands. ok is
// false for other types, which callers skip.
func fromRR(rr dns.RR) (rec Record, ok bool) {
	h := rr.Header()
	rec = Record{Name: CanonicalName(h.Name), Type: Type(h.Rrtype), TTL: h.Ttl}
	switch v := rr.(type) {
	case *dns.A:
		ip, ok := netip.AddrFromSlice(v.A.To4())
		if !ok {
			return rec, false
		}
		rec.IP, rec.Data = ip, ip.String()
	case *dns.AAAA:
		ip, ok := netip.AddrFromSlice(v.AAAA.To16())
		if !ok {
			return rec, false
		}
		rec.IP, rec.Data = ip, ip.String()
	case *dns.TXT:
		// RFC 7208 §3.3, RFC 6376 §3.6.2.2: the strings of one record are
		// concatenated with no separator.
		rec.Data = strings.Join(v.Txt, "")
	case *dns.MX:
		rec.Pref, rec.Target = v.Preference, CanonicalName(v.Mx)
		rec.Data = strconv.Itoa(int(v.Preference)) + " " + displayName(v.Mx)
	case *dns.PTR:
		rec.Target, rec.Data = CanonicalName(v.Ptr), displayName(v.Ptr)
	case *dns.NS:
		rec.Target, rec.Data = CanonicalName(v.Ns), displayName(v.Ns)
	case *dns.CNAME:
		rec.Target, rec.Data = CanonicalName(v.Target), displayName(v.Target)
	default:
		return rec, false
	}
	return rec, true
}

// displayName is a name as shown to people: absolute names end in a dot in
// zone files, but "." alone (the root) stays ".".
func displayName(n string) string {
	c := CanonicalName(n)
	if c == "" {
		return "."
	}
	return c + "."
}
