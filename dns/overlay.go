package dns

import "context"

// Overlay answers from Zone for the names and types the zone defines, and
// from Live for everything else: a what-if view of DNS with planned records
// in place ("would this pass once I publish this DKIM key?").
//
// An RRset in the zone replaces the live RRset of the same name and type
// entirely; a CNAME in the zone replaces the name for every type, and its
// target is looked up through the Overlay again. Overlay cannot express the
// removal of a live record.
type Overlay struct {
	Zone *Zone
	Live Resolver
}

// Lookup implements Resolver.
func (o *Overlay) Lookup(ctx context.Context, name string, t Type) (Result, error) {
	return o.lookup(ctx, CanonicalName(name), t, 0)
}

func (o *Overlay) lookup(ctx context.Context, name string, t Type, depth int) (Result, error) {
	n := o.Zone.nodes[name]
	if n == nil {
		return o.Live.Lookup(ctx, name, t)
	}
	if _, ok := n.rrsets[t]; ok {
		res, err := o.Zone.Lookup(ctx, name, t)
		res.Source = "overlay " + trimZone(res.Source)
		return res, err
	}
	cn, ok := n.rrsets[TypeCNAME]
	if !ok || t == TypeCNAME {
		return o.Live.Lookup(ctx, name, t)
	}
	if depth >= maxCNAME {
		return Result{}, &Error{Name: name, Type: t, Rcode: -1, Server: "overlay",
			Err: Temporary(errCNAMELoop(name))}
	}
	res, err := o.lookup(ctx, cn[0].Target, t, depth+1)
	if err != nil {
		return res, err
	}
	res.Name = name
	res.CNAMEs = append([]string{cn[0].Target}, res.CNAMEs...)
	return res, nil
}

func trimZone(source string) string {
	if len(source) > 5 && source[:5] == "zone " {
		return source[5:]
	}
	return source
}
