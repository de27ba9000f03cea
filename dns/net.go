package dns

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	mdns "github.com/miekg/dns"
)

// Net asks DNS servers over the network with github.com/miekg/dns: UDP with
// EDNS0 (1232-byte buffer, RFC 9715 and DNS Flag Day 2020), TCP when the
// answer is truncated, a timeout per query, retries with failover across the
// servers, an explicit rcode mapping and CNAME chains followed with a limit.
//
// Net believes no reply it cannot match with its question. A reply with
// another ID, QR=0, another opcode, or a question section naming another
// name, type or class is not the answer: over UDP it is skipped (a stray or
// forged datagram) and the wait goes on; over TCP it is an error. A reply
// that does not decode, is still truncated over TCP, says NXDOMAIN while its
// answer holds records of the name (RFC 6604 §2: NXDOMAIN speaks of the last
// name of a CNAME chain, which then has no records), or leads into a CNAME
// loop or a chain longer than 10 is a temporary failure: never NXDOMAIN,
// NODATA or an answer. Error texts name the server but never the local
// address or port, so that reports of the same run are byte-identical.
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

// ServerAddr normalises a server given by a user to "host:port". A
// leading "@" is dropped, as dig writes its server ("@8.8.8.8").
func ServerAddr(s string) (string, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
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
		if msg.Rcode == mdns.RcodeNameError && (len(recs) > 0 || ownsAnswer(msg, end)) {
			// RFC 6604 §2: NXDOMAIN is about the last name of the chain;
			// it cannot also have records. One of the two is a lie, and
			// either reading could be the wrong one.
			return Result{}, &Error{Name: qname, Type: t, Rcode: -1, Server: server,
				Err: Temporary(fmt.Errorf("the reply says NXDOMAIN for %s and holds its records", end))}
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

// ownsAnswer reports whether msg's answer section has a record owned by
// name (any type).
func ownsAnswer(msg *mdns.Msg, name string) bool {
	for _, rr := range msg.Answer {
		if CanonicalName(rr.Header().Name) == name {
			return true
		}
	}
	return false
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

// exchange does one UDP exchange, retried over TCP on truncation. Error
// texts never carry the ephemeral source port (see describeNetErr): two runs
// against the same servers report the same words.
func (n *Net) exchange(ctx context.Context, q *mdns.Msg, server string) (*mdns.Msg, string, error) {
	msg, err := n.roundTrip(ctx, "udp", q, server)
	via := "udp " + server
	if err == nil && msg.Truncated {
		via = "tcp " + server
		msg, err = n.roundTrip(ctx, "tcp", q, server)
		if err == nil && msg.Truncated {
			// Over TCP there is no size limit to excuse TC=1: the
			// records are missing, and an empty answer is not NODATA.
			msg, err = nil, errors.New("the answer is still truncated (TC=1) over TCP")
		}
		if err != nil {
			err = fmt.Errorf("answer truncated over UDP and TCP failed: %w", err)
		}
	}
	if err != nil {
		return nil, via, err
	}
	return msg, via, nil
}

// roundTrip sends q to server over network and reads the reply to it.
//
// Every reply is checked against the query (checkReply): the same ID, QR=1,
// opcode QUERY and, for NOERROR and NXDOMAIN, the same question (name,
// type and class). Over UDP a reply that fails the check, or does not
// decode, is ignored and the wait goes on: it may be a stray or forged
// datagram, and the real answer may still come; if none does, the timeout
// error says what was ignored. Over TCP the connection carries nothing
// else, so such a reply is an error at once. Either way it is never read
// as an answer.
func (n *Net) roundTrip(ctx context.Context, network string, q *mdns.Msg, server string) (*mdns.Msg, error) {
	qctx, cancel := context.WithTimeout(ctx, n.timeout())
	defer cancel()
	c := &mdns.Client{Net: network, Timeout: n.timeout()}
	co, err := c.DialContext(qctx, server)
	if err != nil {
		return nil, n.describeNetErr(ctx, err, nil)
	}
	defer co.Close()
	// A cancelled caller must not wait for the read deadline.
	stop := context.AfterFunc(qctx, func() { co.SetDeadline(time.Now()) })
	defer stop()
	if dl, ok := qctx.Deadline(); ok {
		co.SetDeadline(dl)
	}
	co.UDPSize = 1232
	if err := co.WriteMsg(q); err != nil {
		return nil, n.describeNetErr(ctx, err, nil)
	}
	var ignored error
	for {
		p, err := co.ReadMsgHeader(nil)
		if err != nil && !errors.Is(err, mdns.ErrShortRead) {
			return nil, n.describeNetErr(ctx, err, ignored)
		}
		msg := new(mdns.Msg)
		if err == nil {
			if uerr := msg.Unpack(p); uerr != nil {
				err = fmt.Errorf("the reply does not decode: %s", strings.TrimPrefix(uerr.Error(), "dns: "))
			} else {
				err = checkReply(q, msg)
			}
		} else {
			err = errors.New("the reply is shorter than a DNS header")
		}
		if err == nil {
			return msg, nil
		}
		if network != "udp" {
			return nil, err
		}
		ignored = err
	}
}

// checkReply reports why msg is not the reply to q, or nil. The question of
// a failure rcode (SERVFAIL, REFUSED …) is not checked: such a reply is a
// temporary failure whatever it names.
func checkReply(q, msg *mdns.Msg) error {
	switch {
	case msg.Id != q.Id:
		return fmt.Errorf("a reply with ID %d, not the query's %d", msg.Id, q.Id)
	case !msg.Response:
		return errors.New("a message that is not a response (QR=0)")
	case msg.Opcode != mdns.OpcodeQuery:
		return fmt.Errorf("a reply with opcode %s, not QUERY", opcodeString(msg.Opcode))
	}
	if msg.Rcode != mdns.RcodeSuccess && msg.Rcode != mdns.RcodeNameError {
		return nil
	}
	want := q.Question[0]
	if len(msg.Question) != 1 {
		return fmt.Errorf("a %s reply with %d questions, not the one asked", RcodeString(msg.Rcode), len(msg.Question))
	}
	got := msg.Question[0]
	switch {
	case !strings.EqualFold(got.Name, want.Name):
		return fmt.Errorf("a reply for the name %s, not %s", got.Name, want.Name)
	case got.Qtype != want.Qtype:
		return fmt.Errorf("a reply for type %s, not %s", Type(got.Qtype), Type(want.Qtype))
	case got.Qclass != want.Qclass:
		return fmt.Errorf("a reply for class %s, not %s", classString(got.Qclass), classString(want.Qclass))
	}
	return nil
}

func opcodeString(op int) string {
	if s, ok := mdns.OpcodeToString[op]; ok {
		return s
	}
	return fmt.Sprintf("OPCODE%d", op)
}

func classString(c uint16) string {
	if s, ok := mdns.ClassToString[c]; ok {
		return s
	}
	return fmt.Sprintf("CLASS%d", c)
}

// netError keeps the cause for errors.Is/As but prints a fixed text: the
// texts of net errors name the local address and its ephemeral port ("read
// udp 127.0.0.1:60217->192.0.2.53:53: i/o timeout"), which would make two
// reports of the same run differ.
type netError struct {
	text string
	err  error
}

func (e *netError) Error() string { return e.text }
func (e *netError) Unwrap() error { return e.err }

// describeNetErr turns a transport error into words without addresses:
// the caller's cancellation, a timeout (with what was ignored meanwhile),
// or the operation and the system's reason ("read: connection refused").
func (n *Net) describeNetErr(ctx context.Context, err, ignored error) error {
	if cerr := ctx.Err(); cerr != nil {
		return &netError{text: cerr.Error(), err: errors.Join(cerr, err)}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		text := fmt.Sprintf("no answer within %s", n.timeout())
		if ignored != nil {
			text = fmt.Sprintf("no acceptable answer within %s (ignored %v)", n.timeout(), ignored)
		}
		return &netError{text: text, err: err}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &netError{text: "the server closed the connection before answering", err: err}
	}
	var op *net.OpError
	if errors.As(err, &op) {
		reason := op.Err.Error()
		var errno syscall.Errno
		if errors.As(op.Err, &errno) {
			reason = errno.Error()
		}
		return &netError{text: op.Op + ": " + reason, err: err}
	}
	return &netError{text: err.Error(), err: err}
}
