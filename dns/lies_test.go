package dns_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"preflight/dns"
	"preflight/internal/dnstest"
)

// lies are the ways a server (or someone forging its datagrams) can answer
// wrongly. None may become an answer: each must be a temporary failure, so
// that DMARC p=reject never turns into "no record".
var lies = []struct {
	name  string
	fault dnstest.Fault
	want  string // in the error text
}{
	{"another name", dnstest.Fault{QName: "other.example"}, "reply for the name other.example."},
	{"another type", dnstest.Fault{QType: mdns.TypeA}, "reply for type A, not TXT"},
	{"another class", dnstest.Fault{QClass: mdns.ClassCHAOS}, "reply for class CH, not IN"},
	{"not a response", dnstest.Fault{NotResponse: true}, "not a response (QR=0)"},
	{"wrong id", dnstest.Fault{WrongID: true}, "not the query's"},
	{"undecodable", dnstest.Fault{Garbage: true}, "does not decode"},
}

// TestNetLiesAreTemporary: over UDP a lying reply is ignored (the real
// answer may still come) and the wait ends in a timeout that says what was
// ignored; over TCP the lie is an error at once.
func TestNetLiesAreTemporary(t *testing.T) {
	t.Parallel()
	for _, tc := range lies {
		for _, network := range []string{"udp", "tcp"} {
			t.Run(tc.name+"/"+network, func(t *testing.T) {
				t.Parallel()
				srv := dnstest.Start(t, testZone)
				f := tc.fault
				f.LieOver = network
				if network == "tcp" {
					f.Truncate = true // the honest UDP reply sends the client to TCP
				}
				srv.SetFault("example.com", f)
				n := newNet(t, srv.Addr)
				n.Timeout = 200 * time.Millisecond
				start := time.Now()
				res, err := n.Lookup(context.Background(), "example.com", dns.TypeTXT)
				if err == nil {
					t.Fatalf("a lie became %s %q", res.Status, res.TXT())
				}
				if !dns.IsTemporary(err) || errors.Is(err, dns.ErrInvalidName) {
					t.Errorf("err = %v, want temporary only", err)
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %q does not say %q", err, tc.want)
				}
				if network == "tcp" && time.Since(start) > 150*time.Millisecond {
					// Not a timing assertion on speed: a TCP lie must not
					// be waited out like a UDP one.
					t.Errorf("a TCP lie was waited out (%v)", time.Since(start))
				}
			})
		}
	}
}

// TestNetSkipsForgedDatagram: a lying datagram that arrives before the
// real reply is skipped and the real reply is taken.
func TestNetSkipsForgedDatagram(t *testing.T) {
	t.Parallel()
	for _, tc := range lies {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, testZone)
			f := tc.fault
			f.ThenTruth = true
			srv.SetFault("example.com", f)
			res, err := newNet(t, srv.Addr).Lookup(context.Background(), "example.com", dns.TypeTXT)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.TXT(); len(got) != 1 || got[0] != "v=spf1 ip4:192.0.2.0/24 -all" {
				t.Errorf("TXT = %q", got)
			}
		})
	}
}

func TestNetInconsistentAnswersAreTemporary(t *testing.T) {
	t.Parallel()
	const chain = `$ORIGIN example.com.
c0 IN CNAME c1
c1 IN CNAME c2
c2 IN CNAME c3
c3 IN CNAME c4
c4 IN CNAME c5
c5 IN CNAME c6
c6 IN CNAME c7
c7 IN CNAME c8
c8 IN CNAME c9
c9 IN CNAME c10
c10 IN CNAME c11
c11 IN CNAME c12
c12 IN CNAME c13
c13 IN CNAME c14
c14 IN CNAME c15
c15 IN A 192.0.2.15
`
	for _, tc := range []struct {
		name  string
		qname string
		t     dns.Type
		fault dnstest.Fault
		want  string
	}{
		{"nxdomain with the records", "example.com", dns.TypeTXT, dnstest.Fault{NXDomainAnswer: true}, "NXDOMAIN for example.com and holds its records"},
		{"nxdomain with other records of the name", "mx1.example.com", dns.TypeA, dnstest.Fault{NXDomainAnswer: true}, "NXDOMAIN for mx1.example.com"},
		{"nxdomain at the end of a chain with its records", "www.example.com", dns.TypeA, dnstest.Fault{NXDomainAnswer: true}, "NXDOMAIN for host.example.com"},
		{"still truncated over tcp", "example.com", dns.TypeTXT, dnstest.Fault{Truncate: true, TruncateTCP: true}, "still truncated (TC=1) over TCP"},
		{"cname loop", "loop1.example.com", dns.TypeA, dnstest.Fault{}, "loops"},
		{"cname chain that never ends", "c0.example.com", dns.TypeA, dnstest.Fault{}, "longer than 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, testZone+chain)
			srv.SetFault(tc.qname, tc.fault)
			res, err := newNet(t, srv.Addr).Lookup(context.Background(), tc.qname, tc.t)
			if err == nil {
				t.Fatalf("got %s %v, want a temporary failure", res.Status, res.Records)
			}
			if !dns.IsTemporary(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want temporary saying %q", err, tc.want)
			}
		})
	}
	// RFC 6604: a chain that ends in a name that does not exist is NXDOMAIN
	// with the CNAME in the answer, and that is a real answer.
	srv := dnstest.Start(t, testZone)
	res, err := newNet(t, srv.Addr).Lookup(context.Background(), "dangling.example.com", dns.TypeA)
	if err != nil || res.Status != dns.StatusNXDomain {
		t.Errorf("dangling CNAME: %v %v, want NXDOMAIN", res.Status, err)
	}
}

// TestNetErrorTextIsStable: error texts carry no ephemeral port, so the
// reports of two runs are the same apart from timings.
func TestNetErrorTextIsStable(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("example.com", dnstest.Fault{Drop: true})
	// A port nothing listens on: the kernel answers "connection refused".
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close()
	for _, server := range []string{srv.Addr, closed} {
		var texts []string
		for range 2 {
			n := newNet(t, server)
			n.Timeout = 100 * time.Millisecond
			_, err := n.Lookup(context.Background(), "example.com", dns.TypeTXT)
			if !dns.IsTemporary(err) {
				t.Fatalf("%s: err = %v, want temporary", server, err)
			}
			texts = append(texts, err.Error())
		}
		if texts[0] != texts[1] {
			t.Errorf("%s: two runs, two texts:\n%s\n%s", server, texts[0], texts[1])
		}
		rest := strings.ReplaceAll(texts[0], server, "SERVER")
		if strings.Contains(rest, "->") || strings.Contains(rest, "127.0.0.1") {
			t.Errorf("error text names a local address: %s", texts[0])
		}
	}
}

// TestNetCancelStopsTheWait: a caller that gives up does not wait for the
// query timeout.
func TestNetCancelStopsTheWait(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("example.com", dnstest.Fault{Drop: true})
	n := newNet(t, srv.Addr)
	n.Timeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := n.Lookup(ctx, "example.com", dns.TypeTXT)
		done <- err
	}()
	select {
	case err := <-done:
		if !dns.IsTemporary(err) || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want temporary and context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Lookup kept waiting after its context was cancelled")
	}
}
