// Package dnstest runs a real DNS server on 127.0.0.1 for tests: UDP and TCP
// on the same ephemeral port, answering from zone-file text like an
// authoritative-and-recursive server would (CNAME chains included in the
// answer, SOA in the authority section of negative answers), with faults
// injected per name: delay, SERVFAIL, REFUSED, drop (the client times out)
// and UDP truncation (TC=1, the client must retry over TCP), and lies: a
// reply for another question, still truncated over TCP, not a response, with
// another ID, NXDOMAIN beside the answer, bytes that do not decode. A lie can
// be followed by the honest reply (a forged datagram racing the real one).
//
// Its zone handling is written independently of package dns on
// purpose, so that dns tests compare two implementations.
package dnstest

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

// Fault is what the server does wrong for one name.
type Fault struct {
	Delay    time.Duration // wait before answering
	Rcode    int           // answer with this rcode (mdns.RcodeServerFailure, mdns.RcodeRefused …)
	Drop     bool          // never answer (the client times out)
	Truncate bool          // over UDP: answer TC=1 with no records
	DropTCP  bool          // never answer over TCP
	AD       bool          // set the AD bit, as a validating resolver would

	// Lies: the reply is wrong in one way. A client must never read such
	// a reply as an answer (NXDOMAIN, NODATA or records).
	QName          string // the question section names this name instead
	QType          uint16 // … this type instead
	QClass         uint16 // … this class instead
	TruncateTCP    bool   // TC=1 over TCP too, with no records
	NotResponse    bool   // QR=0: the message is not a response
	WrongID        bool   // the reply carries another message ID
	NXDomainAnswer bool   // rcode NXDOMAIN on a reply whose answer holds the records
	Garbage        bool   // bytes that do not decode as a DNS message (the right ID)
	// LieOver limits the lie to "udp" or "tcp" ("" both).
	LieOver string
	// ThenTruth sends the honest reply right after the lie, as when a
	// forged or stray datagram arrives before the real answer.
	ThenTruth bool
}

func (f Fault) lies() bool {
	return f.QName != "" || f.QType != 0 || f.QClass != 0 || f.TruncateTCP || f.NotResponse ||
		f.WrongID || f.NXDomainAnswer || f.Garbage
}

// Server is a running DNS server. Its zone and faults may be changed while it
// runs.
type Server struct {
	// Addr is "127.0.0.1:PORT", for --resolver.
	Addr string

	udp, tcp *mdns.Server
	mu       sync.Mutex
	rrs      map[string][]mdns.RR // owner (lower case, fqdn) → records
	faults   map[string]Fault     // lower-case fqdn → fault ("*" for every name)
	counts   map[string]int       // "name TYPE net" → queries
}

// Start starts a server answering from zone (RFC 1035 text; absolute names
// or $ORIGIN) and stops it when the test ends.
func Start(tb testing.TB, zone string) *Server {
	tb.Helper()
	s, err := New(zone)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// New starts a server; call Close when done.
func New(zone string) (*Server, error) {
	s := &Server{rrs: map[string][]mdns.RR{}, faults: map[string]Fault{}, counts: map[string]int{}}
	if err := s.SetZone(zone); err != nil {
		return nil, err
	}
	pc, ln, err := listen()
	if err != nil {
		return nil, err
	}
	s.Addr = pc.LocalAddr().String()
	started := make(chan struct{}, 2)
	notify := func() { started <- struct{}{} }
	s.udp = &mdns.Server{PacketConn: pc, Handler: s.handler("udp"), NotifyStartedFunc: notify}
	s.tcp = &mdns.Server{Listener: ln, Handler: s.handler("tcp"), NotifyStartedFunc: notify}
	go s.udp.ActivateAndServe()
	go s.tcp.ActivateAndServe()
	<-started
	<-started
	return s, nil
}

// listen binds UDP and TCP on one free loopback port; the UDP port may be
// taken for TCP, so it tries a few.
func listen() (net.PacketConn, net.Listener, error) {
	var err error
	for range 20 {
		var pc net.PacketConn
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		var ln net.Listener
		ln, err = net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
	}
	return nil, nil, err
}

// Close stops the server.
func (s *Server) Close() {
	s.udp.Shutdown()
	s.tcp.Shutdown()
}

// SetZone replaces the served data.
func (s *Server) SetZone(zone string) error {
	rrs := map[string][]mdns.RR{}
	zp := mdns.NewZoneParser(strings.NewReader(zone), ".", "dnstest")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name := strings.ToLower(rr.Header().Name)
		rrs[name] = append(rrs[name], rr)
	}
	if err := zp.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.rrs = rrs
	s.mu.Unlock()
	return nil
}

// SetFault makes the server misbehave for name ("*" for every name).
func (s *Server) SetFault(name string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name != "*" {
		name = strings.ToLower(mdns.Fqdn(name))
	}
	s.faults[name] = f
}

// Count returns how many queries for name and type (e.g. "TXT") arrived over
// network ("udp", "tcp", or "" for both).
func (s *Server) Count(name, qtype, network string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(mdns.Fqdn(name)) + " " + strings.ToUpper(qtype)
	if network != "" {
		return s.counts[key+" "+network]
	}
	return s.counts[key+" udp"] + s.counts[key+" tcp"]
}

// Total returns the number of queries received.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}

func (s *Server) handler(network string) mdns.HandlerFunc {
	return func(w mdns.ResponseWriter, req *mdns.Msg) {
		if len(req.Question) != 1 {
			m := new(mdns.Msg)
			m.SetRcode(req, mdns.RcodeFormatError)
			w.WriteMsg(m)
			return
		}
		q := req.Question[0]
		qname := strings.ToLower(q.Name)
		s.mu.Lock()
		s.counts[qname+" "+mdns.TypeToString[q.Qtype]+" "+network]++
		f, ok := s.faults[qname]
		if !ok {
			f = s.faults["*"]
		}
		s.mu.Unlock()

		if f.Delay > 0 {
			time.Sleep(f.Delay)
		}
		if f.Drop || f.DropTCP && network == "tcp" {
			return
		}
		m := new(mdns.Msg)
		m.SetReply(req)
		m.RecursionAvailable = true
		m.AuthenticatedData = f.AD
		if f.Rcode != 0 {
			m.Rcode = f.Rcode
			w.WriteMsg(m)
			return
		}
		s.answer(m, qname, q.Qtype)
		if network == "udp" {
			size := 512
			if opt := req.IsEdns0(); opt != nil {
				size = int(opt.UDPSize())
				m.SetEdns0(opt.UDPSize(), false)
			}
			if f.Truncate || m.Len() > size {
				m.Truncated = true
				m.Answer, m.Ns, m.Extra = nil, nil, nil
				if opt := req.IsEdns0(); opt != nil {
					m.SetEdns0(opt.UDPSize(), false)
				}
			}
		}
		if f.lies() && (f.LieOver == "" || f.LieOver == network) {
			lie(w, m, f, network)
			if !f.ThenTruth {
				return
			}
		}
		w.WriteMsg(m)
	}
}

// lie writes a corrupted copy of the honest reply m.
func lie(w mdns.ResponseWriter, m *mdns.Msg, f Fault, network string) {
	l := m.Copy()
	q := &l.Question[0]
	if f.QName != "" {
		q.Name = mdns.Fqdn(f.QName)
	}
	if f.QType != 0 {
		q.Qtype = f.QType
	}
	if f.QClass != 0 {
		q.Qclass = f.QClass
	}
	if f.TruncateTCP && network == "tcp" {
		l.Truncated = true
		l.Answer, l.Ns = nil, nil
	}
	if f.NotResponse {
		l.Response = false
	}
	if f.WrongID {
		l.Id++
	}
	if f.NXDomainAnswer {
		l.Rcode = mdns.RcodeNameError
	}
	if f.Garbage {
		// The honest header (so the ID matches) announcing one question,
		// then a label that claims 63 octets and has 2.
		b, err := m.Pack()
		if err != nil {
			return
		}
		b = append(b[:12:12], 0x3f, 'x', 'y')
		b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11] = 0, 1, 0, 0, 0, 0, 0, 0
		w.Write(b)
		return
	}
	w.WriteMsg(l)
}

// answer fills m like a recursive resolver: follows CNAMEs (at most 12, so a
// loop ends), NXDOMAIN for absent names, NODATA for names that exist (or
// have descendants) without the type.
func (s *Server) answer(m *mdns.Msg, qname string, qtype uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := qname
	for hops := 0; hops < 12; hops++ {
		rrs, exists := s.rrs[cur]
		if !exists {
			for owner := range s.rrs {
				if strings.HasSuffix(owner, "."+cur) {
					exists = true
					break
				}
			}
		}
		if !exists {
			m.Rcode = mdns.RcodeNameError
			s.addSOA(m)
			return
		}
		var next string
		found := false
		for _, rr := range rrs {
			switch {
			case rr.Header().Rrtype == qtype:
				m.Answer = append(m.Answer, rr)
				found = true
			case rr.Header().Rrtype == mdns.TypeCNAME && qtype != mdns.TypeCNAME:
				m.Answer = append(m.Answer, rr)
				next = strings.ToLower(rr.(*mdns.CNAME).Target)
			}
		}
		if found || next == "" {
			if !found {
				s.addSOA(m)
			}
			return
		}
		cur = next
	}
}

func (s *Server) addSOA(m *mdns.Msg) {
	m.Ns = append(m.Ns, &mdns.SOA{
		Hdr: mdns.RR_Header{Name: ".", Rrtype: mdns.TypeSOA, Class: mdns.ClassINET, Ttl: 300},
		Ns:  "ns.dnstest.", Mbox: "hostmaster.dnstest.", Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: 60,
	})
}
