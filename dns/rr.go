package dns

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	mdns "github.com/miekg/dns"
)

// fromRR converts a miekg/dns record of a type preflight understands. ok is
// false for other types, which callers skip.
func fromRR(rr mdns.RR) (rec Record, ok bool) {
	h := rr.Header()
	rec = Record{Name: CanonicalName(h.Name), Type: Type(h.Rrtype), TTL: h.Ttl}
	switch v := rr.(type) {
	case *mdns.A:
		ip, ok := netip.AddrFromSlice(v.A.To4())
		if !ok {
			return rec, false
		}
		rec.IP, rec.Data = ip, ip.String()
	case *mdns.AAAA:
		ip, ok := netip.AddrFromSlice(v.AAAA.To16())
		if !ok {
			return rec, false
		}
		rec.IP, rec.Data = ip, ip.String()
	case *mdns.TXT:
		// RFC 7208 §3.3, RFC 6376 §3.6.2.2: the strings of one record are
		// concatenated with no separator.
		// miekg/dns keeps character-strings in presentation form (\"
		// \\ \DDD); the checks need the octets.
		var b strings.Builder
		for _, t := range v.Txt {
			b.WriteString(unescapeTXT(t))
		}
		rec.Data = b.String()
	case *mdns.MX:
		rec.Pref, rec.Target = v.Preference, CanonicalName(v.Mx)
		rec.Data = strconv.Itoa(int(v.Preference)) + " " + displayName(v.Mx)
	case *mdns.PTR:
		rec.Target, rec.Data = CanonicalName(v.Ptr), displayName(v.Ptr)
	case *mdns.NS:
		rec.Target, rec.Data = CanonicalName(v.Ns), displayName(v.Ns)
	case *mdns.CNAME:
		rec.Target, rec.Data = CanonicalName(v.Target), displayName(v.Target)
	case *mdns.SOA:
		rec.Target = CanonicalName(v.Ns)
		rec.Data = rdata(v)
	case *mdns.CAA, *mdns.TLSA:
		rec.Data = rdata(rr)
	default:
		return rec, false
	}
	return rec, true
}

// rdata is the RDATA of rr in zone-file presentation form: its text
// without the owner, TTL, class and type.
func rdata(rr mdns.RR) string {
	return strings.TrimSpace(strings.TrimPrefix(rr.String(), rr.Header().String()))
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

// unescapeTXT turns a character-string in miekg/dns presentation form into
// its octets: \DDD is a decimal octet, \X is X.
func unescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			n := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if n <= 255 {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

// escapeTXT is the inverse: octets to miekg/dns presentation form.
func escapeTXT(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
