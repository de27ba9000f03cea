package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"
)

// Net asks DNS servers over the network with github.com/miekg/dns: UDP with
// EDNS0 (1232-byte buffer, RFC 9715 and DNS Flag Day 2020), TCP when the
// answer is truncated, a timeout per query, retries with failover across the
// servers, an explicit rcode mapping and CNAME chains followed with a limit.
//
// Net does not cache; wrap it in a Cache. It is safe for concurrent use.
type Net struct {
	// Servers are "host:port" addresses, tried in order.
	Servers []string
	// Timeout bounds one exchange with one server (default 2s).
	Timeout time.Duration
	// Attempts is how many rounds over all servers are made before giving
	// up (default 2).
	Attempts int
	// MaxInFlight caps the queries on the wire at once (default 32).
	MaxInFlight int

	once sync.Once
	sem  chan struct{}
}

// NewNet returns a Net for servers ("host", "host:port", "[v6]:port" or a
// bare IPv6 address; port 53 by default).
func NewNet(servers []string, timeout time.Duration) (*Net, error) {
	n := &Net{Timeout: timeout}
	for _, s := range servers {
		addr, err := ServerAddr(s)
		if err != nil {
			return nil, err
		}
		n.Servers = append(n.Servers, addr)
	}
	if len(n.Servers) == 0 {
		return nil, errors.New("dns: no DNS servers given")
	}
	return n, nil
}

// SystemServers returns the name servers of /etc/resolv.conf (or path).
func SystemServers(path string) ([]string, error) {
	cfg, err := mdns.ClientConfigFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("dns: reading %s: %w (use --resolver HOST or --zone FILE)", path, err)
	}
	var out []string
	for _, s := range cfg.Servers {
		out = append(out, net.JoinHostPort(s, cfg.Port))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dns: %s lists no nameserver (use --resolver HOST or --zone FILE)", path)
	}
	return out, nil
}

// ServerAddr normalises a server given by a user to "host:port".
func ServerAddr(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("dns: empty server address")
	}
	if ip, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return net.JoinHostPort(ip.String(), "53"), nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(s, ":") {
			return "", fmt.Errorf("dns: bad server address %q (use HOST, HOST:PORT or [IPv6]:PORT)", s)
		}
		host, port = s, "53"
	}
	if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
		return "", fmt.Errorf("dns: bad port in server address %q", s)
	}
	if host == "" {
		return "", fmt.Errorf("dns: bad server address %q", s)
	}
	return net.JoinHostPort(host, port), nil
}

func (n *Net) timeout() time.Duration {
	if n.Timeout > 0 {
		return n.Timeout
	}
	return 2 * time.Second
}

func (n *Net) attempts() int {
	if n.Attempts > 0 {
		return n.Attempts
	}
	return 2
}

// Lookup implements Resolver.
func (n *Net) Lookup(ctx context.Context, name string, t Type) (Result, error) {
	qname := CanonicalName(name)
	if err := CheckName(qname); err != nil {
		return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Err: err}
	}
	res := Result{Name: qname, Type: t}
	cur := qname
	seen := map[string]bool{qname: true}
	for hops := 0; ; hops++ {
		msg, server, err := n.query(ctx, cur, t)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Name, e.Type = qname, t
				if cur != qname {
					e.Err = fmt.Errorf("following CNAME to %s: %w", cur, e.Err)
				}
			}
			return Result{}, err
		}
		res.Source, res.Rcode = server, msg.Rcode
		res.Authenticated = msg.AuthenticatedData && (hops == 0 || res.Authenticated)
		// Walk the answer section along the alias chain.
		recs, target, ttl := chase(msg, cur, t)
		for _, c := range target {
			if seen[c] || len(res.CNAMEs) >= maxCNAME {
				return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Server: server,
					Err: Temporary(errCNAMELoop(qname))}
			}
			seen[c] = true
			res.CNAMEs = append(res.CNAMEs, c)
		}
		end := cur
		if len(target) > 0 {
			end = target[len(target)-1]
		}
		switch {
		case len(recs) > 0:
			res.Status, res.Rcode, res.Records, res.TTL = StatusAnswer, RcodeSuccess, recs, ttl
			return res, nil
		case msg.Rcode == mdns.RcodeNameError:
			res.Status, res.TTL = StatusNXDomain, negTTL(msg)
			return res, nil
		case len(target) > 0 && hops < maxCNAME:
			// The server gave the alias but not the target's records:
			// ask for the target ourselves.
			cur = end
			continue
		case len(target) > 0:
			return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Server: server,
				Err: Temporary(errCNAMELoop(qname))}
		default:
			res.Status, res.TTL = StatusNoData, negTTL(msg)
			return res, nil
		}
	}
}

// chase follows CNAMEs from name inside msg's answer section and returns the
// records of type t at the end of the chain, the chain's targets and the
// smallest TTL of the returned records.
func chase(msg *mdns.Msg, name string, t Type) ([]Record, []string, uint32) {
	var chain []string
	cur := name
	for i := 0; i <= maxCNAME; i++ {
		next := ""
		for _, rr := range msg.Answer {
			h := rr.Header()
			if CanonicalName(h.Name) != cur || h.Class != mdns.ClassINET {
				continue
			}
			if c, ok := rr.(*mdns.CNAME); ok && t != TypeCNAME {
				next = CanonicalName(c.Target)
				break
			}
		}
		if next == "" {
			break
		}
		// A loop inside the answer stops at the bound; Lookup reports it.
		chain = append(chain, next)
		cur = next
	}
	var recs []Record
	var ttl uint32
	for _, rr := range msg.Answer {
		h := rr.Header()
		if CanonicalName(h.Name) != cur || Type(h.Rrtype) != t || h.Class != mdns.ClassINET {
			continue
		}
		if rec, ok := fromRR(rr); ok {
			if len(recs) == 0 || rec.TTL < ttl {
				ttl = rec.TTL
			}
			recs = append(recs, rec)
		}
	}
	return recs, chain, ttl
}

// negTTL is the RFC 2308 §5 negative TTL: min(SOA TTL, SOA MINIMUM).
func negTTL(msg *mdns.Msg) uint32 {
	for _, rr := range msg.Ns {
		if soa, ok := rr.(*mdns.SOA); ok {
			return min(soa.Hdr.Ttl, soa.Minttl)
		}
	}
	return 0
}

// query asks every server in turn, attempts rounds, until one gives a
// definite answer (NOERROR or NXDOMAIN).
func (n *Net) query(ctx context.Context, name string, t Type) (*mdns.Msg, string, error) {
	n.once.Do(n.initSem)
	select {
	case n.sem <- struct{}{}:
		defer func() { <-n.sem }()
	case <-ctx.Done():
		return nil, "", &Error{Rcode: -1, Err: Temporary(ctx.Err())}
	}

	q := new(mdns.Msg)
	q.SetQuestion(mdns.Fqdn(name), uint16(t))
	q.RecursionDesired = true
	// RFC 6840 §5.7: ask for the AD bit without requesting DNSSEC records.
	q.AuthenticatedData = true
	q.SetEdns0(1232, false)

	var last *Error
	for round := 0; round < n.attempts(); round++ {
		for _, server := range n.Servers {
			if err := ctx.Err(); err != nil {
				return nil, server, &Error{Rcode: -1, Server: server, Err: Temporary(err)}
			}
			msg, via, err := n.exchange(ctx, q, server)
			if err != nil {
				last = &Error{Rcode: -1, Server: via, Err: Temporary(err)}
				continue
			}
			switch msg.Rcode {
			case mdns.RcodeSuccess, mdns.RcodeNameError:
				return msg, via, nil
			default:
				// SERVFAIL, REFUSED, FORMERR, NOTIMP and anything else:
				// no answer from this server; try the next one.
				last = &Error{Rcode: msg.Rcode, Server: via,
					Err: Temporary(fmt.Errorf("server answered %s", RcodeString(msg.Rcode)))}
			}
		}
	}
	return nil, last.Server, last
}

func (n *Net) initSem() {
	size := n.MaxInFlight
	if size <= 0 {
		size = 32
	}
	n.sem = make(chan struct{}, size)
}

// exchange does one UDP exchange, retried over TCP on truncation.
func (n *Net) exchange(ctx context.Context, q *mdns.Msg, server string) (*mdns.Msg, string, error) {
	c := &mdns.Client{Net: "udp", Timeout: n.timeout(), UDPSize: 1232}
	qctx, cancel := context.WithTimeout(ctx, n.timeout())
	defer cancel()
	msg, _, err := c.ExchangeContext(qctx, q, server)
	via := "udp " + server
	if err == nil && msg.Truncated {
		c.Net = "tcp"
		via = "tcp " + server
		qctx2, cancel2 := context.WithTimeout(ctx, n.timeout())
		defer cancel2()
		msg, _, err = c.ExchangeContext(qctx2, q, server)
		if err != nil {
			err = fmt.Errorf("answer truncated over UDP and TCP failed: %w", err)
		}
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s: %w", n.timeout(), err)
		}
		return nil, via, err
	}
	return msg, via, nil
}
