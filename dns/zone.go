package dns

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	mdns "github.com/miekg/dns"
)

// Zone answers only from RFC 1035 zone files: offline and deterministic, for
// tests, CI and the README demo. Names absent from every loaded zone are
// NXDOMAIN; a name that exists (or is an empty non-terminal, RFC 8020) but has
// no record of the asked type is NODATA. CNAMEs are followed within the zone
// data; RFC 4592 wildcards ("*.example.com") synthesise answers for names
// below their closest encloser that do not exist.
//
// Zone files may use $ORIGIN, $TTL, relative names and every syntax
// github.com/miekg/dns accepts; $INCLUDE is refused so that a zone file
// cannot make preflight read other files. Records of several files merge.
//
// The zero value is an empty zone; a Zone is safe for concurrent lookups once
// loading is done.
type Zone struct {
	nodes map[string]*zoneNode // canonical owner name → records
	exist map[string]bool      // every owner name and all their ancestors
	files []string             // sources, for negative answers
}

type zoneNode struct {
	rrsets map[Type][]Record
	source map[Type]string
}

// LoadZone reads zone files into a new Zone. Relative names in a file without
// $ORIGIN are an error.
func LoadZone(paths ...string) (*Zone, error) {
	z := &Zone{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("zone file: %w", err)
		}
		err = z.Add(f, p, "")
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return z, nil
}

// ParseZone parses zone-file text (handy in tests).
func ParseZone(text, source string) (*Zone, error) {
	z := &Zone{}
	if err := z.Add(strings.NewReader(text), source, ""); err != nil {
		return nil, err
	}
	return z, nil
}

// Add reads one more zone file. origin is the initial $ORIGIN ("" for the
// root). source names the file in answers and errors.
func (z *Zone) Add(r io.Reader, source, origin string) error {
	if z.nodes == nil {
		z.nodes = map[string]*zoneNode{}
		z.exist = map[string]bool{}
	}
	if origin != "" {
		origin = mdns.Fqdn(origin)
	}
	zp := mdns.NewZoneParser(r, origin, source)
	z.files = append(z.files, source)
	zp.SetIncludeAllowed(false)
	zp.SetDefaultTTL(3600)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if rr.Header().Class != mdns.ClassINET {
			continue
		}
		if soa, ok := rr.(*mdns.SOA); ok {
			// RFC 2308 §5: negative answers live min(SOA TTL, MINIMUM).
			soa.Hdr.Ttl = min(soa.Hdr.Ttl, soa.Minttl)
		}
		rec, known := fromRR(rr)
		if !known {
			// Keep the owner alive: an unknown type still makes the name
			// exist (this is how recorded NODATA answers replay).
			rec = Record{Name: CanonicalName(rr.Header().Name), Type: Type(rr.Header().Rrtype), TTL: rr.Header().Ttl}
		}
		z.add(rec, source)
	}
	if err := zp.Err(); err != nil {
		return fmt.Errorf("zone file %s", strings.TrimPrefix(err.Error(), "dns: "))
	}
	return nil
}

func (z *Zone) add(rec Record, source string) {
	n := z.nodes[rec.Name]
	if n == nil {
		n = &zoneNode{rrsets: map[Type][]Record{}, source: map[Type]string{}}
		z.nodes[rec.Name] = n
	}
	for _, have := range n.rrsets[rec.Type] {
		if have.Data == rec.Data {
			return
		}
	}
	n.rrsets[rec.Type] = append(n.rrsets[rec.Type], rec)
	if _, ok := n.source[rec.Type]; !ok {
		n.source[rec.Type] = "zone " + source
	}
	for name := rec.Name; ; {
		z.exist[name] = true
		i := strings.IndexByte(name, '.')
		if i < 0 {
			break
		}
		name = name[i+1:]
	}
}

// Defines reports whether the zone has an RRset of type t at name itself (not
// through a wildcard or CNAME). Overlay uses it.
func (z *Zone) Defines(name string, t Type) bool {
	n := z.nodes[CanonicalName(name)]
	if n == nil {
		return false
	}
	_, ok := n.rrsets[t]
	if !ok && t != TypeCNAME {
		_, ok = n.rrsets[TypeCNAME]
	}
	return ok
}

// maxCNAME bounds the alias chains followed (Net and Zone).
const maxCNAME = 10

// Lookup implements Resolver.
func (z *Zone) Lookup(ctx context.Context, name string, t Type) (Result, error) {
	qname := CanonicalName(name)
	if err := CheckName(qname); err != nil {
		return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Err: Temporary(err)}
	}
	res := Result{Name: qname, Type: t, Source: "zone " + strings.Join(z.files, ", ")}
	cur := qname
	for hops := 0; ; hops++ {
		node := z.find(cur)
		if node == nil {
			res.Status, res.Rcode = StatusNXDomain, RcodeNXDomain
			res.TTL = z.negativeTTL(cur)
			return res, nil
		}
		if recs, ok := node.rrsets[t]; ok {
			res.Status, res.Rcode = StatusAnswer, RcodeSuccess
			res.Source = node.source[t]
			res.TTL = recs[0].TTL
			for _, r := range recs {
				r.Name = cur // wildcard synthesis (RFC 4592 §3.3.1)
				res.Records = append(res.Records, r)
				res.TTL = min(res.TTL, r.TTL)
			}
			return res, nil
		}
		if cn, ok := node.rrsets[TypeCNAME]; ok && t != TypeCNAME {
			if hops >= maxCNAME {
				return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Server: "zone", Err: Temporary(errCNAMELoop(qname))}
			}
			res.CNAMEs = append(res.CNAMEs, cn[0].Target)
			cur = cn[0].Target
			continue
		}
		res.Status, res.Rcode = StatusNoData, RcodeSuccess
		res.TTL = z.negativeTTL(cur)
		return res, nil
	}
}

// find returns the node that answers for name: the name itself, an empty
// non-terminal (an empty node), or a wildcard at the closest encloser. It
// returns nil when the name does not exist.
func (z *Zone) find(name string) *zoneNode {
	if n := z.nodes[name]; n != nil {
		return n
	}
	if z.exist[name] {
		return &zoneNode{} // empty non-terminal: NODATA
	}
	// RFC 4592 §3.3: the closest encloser is the longest existing ancestor;
	// only a wildcard directly below it applies.
	for anc := name; ; {
		i := strings.IndexByte(anc, '.')
		if i < 0 {
			break
		}
		anc = anc[i+1:]
		if z.exist[anc] {
			return z.nodes["*."+anc]
		}
	}
	return z.nodes["*"]
}

// negativeTTL is the SOA minimum of the closest enclosing SOA, as RFC 2308
// negative caching uses, or 0.
func (z *Zone) negativeTTL(name string) uint32 {
	for anc := name; ; {
		if n := z.nodes[anc]; n != nil {
			if soa, ok := n.rrsets[TypeSOA]; ok && len(soa) > 0 {
				return soa[0].TTL
			}
		}
		i := strings.IndexByte(anc, '.')
		if i < 0 {
			return 0
		}
		anc = anc[i+1:]
	}
}
