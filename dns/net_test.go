package dns_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mdns "github.com/miekg/dns"

	"preflight/dns"
	"preflight/internal/dnstest"
)

const testZone = `$ORIGIN example.com.
$TTL 300
@        IN TXT  "v=spf1 " "ip4:192.0.2.0/24 -all"
@        IN MX   10 mx1
@        IN MX   20 mx2.example.net.
mx1      IN A    192.0.2.1
mx1      IN AAAA 2001:db8::1
www      IN CNAME web
web      IN CNAME host
host     IN A    192.0.2.80
loop1    IN CNAME loop2
loop2    IN CNAME loop1
dangling IN CNAME nowhere
a.b.deep IN TXT  "deep"
1.2.0.192.in-addr.arpa. IN PTR mx1.example.com.
`

func newNet(t *testing.T, servers ...string) *dns.Net {
	t.Helper()
	n, err := dns.NewNet(servers, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	n.Attempts = 1
	return n
}

// result is the part of a Result that the two implementations must agree on.
type result struct {
	Status  string
	Rcode   string
	Data    []string
	CNAMEs  []string
	Targets []string
}

func summary(r dns.Result) result {
	var data []string
	for _, rec := range r.Records {
		data = append(data, rec.Data)
	}
	return result{r.Status.String(), dns.RcodeString(r.Rcode), data, r.CNAMEs, r.Targets()}
}

var lookupCases = []struct {
	name string
	qn   string
	t    dns.Type
	want result
}{
	{"txt strings joined", "example.com", dns.TypeTXT,
		result{Status: "answer", Rcode: "NOERROR", Data: []string{"v=spf1 ip4:192.0.2.0/24 -all"}}},
	{"mx", "Example.COM.", dns.TypeMX,
		result{Status: "answer", Rcode: "NOERROR", Data: []string{"10 mx1.example.com.", "20 mx2.example.net."}, Targets: []string{"mx1.example.com", "mx2.example.net"}}},
	{"a", "mx1.example.com", dns.TypeA, result{Status: "answer", Rcode: "NOERROR", Data: []string{"192.0.2.1"}}},
	{"aaaa", "mx1.example.com", dns.TypeAAAA, result{Status: "answer", Rcode: "NOERROR", Data: []string{"2001:db8::1"}}},
	{"ptr", "1.2.0.192.in-addr.arpa", dns.TypePTR,
		result{Status: "answer", Rcode: "NOERROR", Data: []string{"mx1.example.com."}, Targets: []string{"mx1.example.com"}}},
	{"nodata", "mx1.example.com", dns.TypeTXT, result{Status: "nodata", Rcode: "NOERROR"}},
	{"nxdomain", "nope.example.com", dns.TypeTXT, result{Status: "nxdomain", Rcode: "NXDOMAIN"}},
	{"empty non-terminal is nodata", "b.deep.example.com", dns.TypeTXT, result{Status: "nodata", Rcode: "NOERROR"}},
	{"cname chain", "www.example.com", dns.TypeA,
		result{Status: "answer", Rcode: "NOERROR", Data: []string{"192.0.2.80"}, CNAMEs: []string{"web.example.com", "host.example.com"}}},
	{"cname to nothing", "dangling.example.com", dns.TypeA,
		result{Status: "nxdomain", Rcode: "NXDOMAIN", CNAMEs: []string{"nowhere.example.com"}}},
}

func TestNetAnswers(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	n := newNet(t, srv.Addr)
	for _, tc := range lookupCases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := n.Lookup(context.Background(), tc.qn, tc.t)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			if diff := cmp.Diff(tc.want, summary(res)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if !strings.HasPrefix(res.Source, "udp 127.0.0.1:") {
				t.Errorf("Source = %q, want udp 127.0.0.1:…", res.Source)
			}
		})
	}
}

func TestZoneAnswersLikeServer(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(testZone, "test.zone")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range lookupCases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := z.Lookup(context.Background(), tc.qn, tc.t)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			if diff := cmp.Diff(tc.want, summary(res)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestNetCNAMELoopIsTemporary(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	n := newNet(t, srv.Addr)
	_, err := n.Lookup(context.Background(), "loop1.example.com", dns.TypeA)
	if !dns.IsTemporary(err) || !strings.Contains(err.Error(), "CNAME") {
		t.Fatalf("err = %v, want a temporary CNAME loop error", err)
	}
	z, _ := dns.ParseZone(testZone, "z")
	if _, err := z.Lookup(context.Background(), "loop1.example.com", dns.TypeA); !dns.IsTemporary(err) {
		t.Fatalf("zone: err = %v, want temporary", err)
	}
}

func TestNetTruncationRetriesOverTCP(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("example.com", dnstest.Fault{Truncate: true})
	n := newNet(t, srv.Addr)
	res, err := n.Lookup(context.Background(), "example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.TXT(); len(got) != 1 || got[0] != "v=spf1 ip4:192.0.2.0/24 -all" {
		t.Errorf("TXT = %q", got)
	}
	if !strings.HasPrefix(res.Source, "tcp ") {
		t.Errorf("Source = %q, want tcp", res.Source)
	}
	if udp, tcp := srv.Count("example.com", "TXT", "udp"), srv.Count("example.com", "TXT", "tcp"); udp != 1 || tcp != 1 {
		t.Errorf("queries udp=%d tcp=%d, want 1 and 1", udp, tcp)
	}
}

func TestNetLargeAnswerTruncatesNaturally(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("big.example. 300 IN TXT")
	for i := 0; i < 8; i++ {
		b.WriteString(` "` + strings.Repeat(string(rune('a'+i)), 250) + `"`)
	}
	srv := dnstest.Start(t, b.String()+"\n")
	res, err := newNet(t, srv.Addr).Lookup(context.Background(), "big.example", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.TXT(); len(got) != 1 || len(got[0]) != 2000 {
		t.Fatalf("TXT length = %v, want one value of 2000 octets", len(got))
	}
	if srv.Count("big.example", "TXT", "tcp") != 1 {
		t.Errorf("no TCP retry for a 2000-octet answer over 1232-byte EDNS0")
	}
}

func TestNetFailuresAreTemporary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault dnstest.Fault
		want  string
	}{
		{"servfail", dnstest.Fault{Rcode: mdns.RcodeServerFailure}, "SERVFAIL"},
		{"refused", dnstest.Fault{Rcode: mdns.RcodeRefused}, "REFUSED"},
		{"timeout", dnstest.Fault{Drop: true}, "no answer within"},
		{"truncated, tcp stalls", dnstest.Fault{Truncate: true, DropTCP: true}, "TCP failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, testZone)
			srv.SetFault("example.com", tc.fault)
			n := newNet(t, srv.Addr)
			n.Timeout = 200 * time.Millisecond
			res, err := n.Lookup(context.Background(), "example.com", dns.TypeTXT)
			if err == nil {
				t.Fatalf("got %v answer %v, want an error", res.Status, res.TXT())
			}
			if !dns.IsTemporary(err) {
				t.Errorf("IsTemporary(%v) = false", err)
			}
			if errors.Is(err, dns.ErrInvalidName) {
				t.Errorf("temporary failure also matches ErrInvalidName")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "temporary") {
				t.Errorf("error %q does not say %q and temporary", err, tc.want)
			}
		})
	}
}

func TestNetFailover(t *testing.T) {
	t.Parallel()
	for _, fault := range []dnstest.Fault{{Rcode: mdns.RcodeServerFailure}, {Drop: true}, {Rcode: mdns.RcodeRefused}} {
		bad := dnstest.Start(t, testZone)
		bad.SetFault("*", fault)
		good := dnstest.Start(t, testZone)
		n := newNet(t, bad.Addr, good.Addr)
		res, err := n.Lookup(context.Background(), "mx1.example.com", dns.TypeA)
		if err != nil {
			t.Fatalf("fault %+v: %v", fault, err)
		}
		if res.Source != "udp "+good.Addr {
			t.Errorf("fault %+v: answered by %q, want the second server %s", fault, res.Source, good.Addr)
		}
		if bad.Total() != 1 {
			t.Errorf("fault %+v: first server got %d queries, want 1", fault, bad.Total())
		}
	}
}

func TestNetADBit(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("mx1.example.com", dnstest.Fault{AD: true})
	res, err := newNet(t, srv.Addr).Lookup(context.Background(), "mx1.example.com", dns.TypeA)
	if err != nil || !res.Authenticated {
		t.Fatalf("Authenticated = %v, err %v; want true", res.Authenticated, err)
	}
	res, _ = newNet(t, srv.Addr).Lookup(context.Background(), "example.com", dns.TypeTXT)
	if res.Authenticated {
		t.Errorf("Authenticated set without AD in the response")
	}
}

func TestInvalidNames(t *testing.T) {
	t.Parallel()
	z := &dns.Zone{}
	for _, name := range []string{"", "a..b", strings.Repeat("a", 64) + ".example", strings.Repeat("abcdefghi.", 26)} {
		_, err := z.Lookup(context.Background(), name, dns.TypeTXT)
		if !errors.Is(err, dns.ErrInvalidName) || dns.IsTemporary(err) {
			t.Errorf("Lookup(%q) err = %v, want ErrInvalidName only", name, err)
		}
	}
}

func TestServerAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"127.0.0.1": "127.0.0.1:53", "127.0.0.1:5353": "127.0.0.1:5353", "::1": "[::1]:53",
		"[::1]:5353": "[::1]:5353", "2001:db8::53": "[2001:db8::53]:53", "ns.example": "ns.example:53",
		// dig's way of naming the server.
		"@8.8.8.8": "8.8.8.8:53", "@127.0.0.1:5353": "127.0.0.1:5353", "@::1": "[::1]:53",
	} {
		got, err := dns.ServerAddr(in)
		if err != nil || got != want {
			t.Errorf("ServerAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "host:port", "127.0.0.1:99999", ":53", "@"} {
		if _, err := dns.ServerAddr(bad); err == nil {
			t.Errorf("ServerAddr(%q) accepted", bad)
		}
	}
}

func TestCacheSingleFlight(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("example.com", dnstest.Fault{Delay: 50 * time.Millisecond})
	c := dns.NewCache(newNet(t, srv.Addr), nil)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Lookup(context.Background(), "example.com", dns.TypeTXT); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.Count("example.com", "TXT", ""); n != 1 {
		t.Errorf("50 concurrent identical questions made %d upstream queries, want 1", n)
	}
	st := dns.Summarize(c.Log())
	if st.Lookups != 50 || st.Queries != 1 {
		t.Errorf("Summarize = %+v, want 50 lookups, 1 query", st)
	}
	// Cached afterwards, including negative answers.
	c.Lookup(context.Background(), "nope.example.com", dns.TypeTXT)
	c.Lookup(context.Background(), "nope.example.com", dns.TypeTXT)
	if n := srv.Count("nope.example.com", "TXT", ""); n != 1 {
		t.Errorf("NXDOMAIN asked %d times, want 1 (negative answers are cached)", n)
	}
}

func TestCacheDoesNotKeepFailures(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("example.com", dnstest.Fault{Rcode: mdns.RcodeServerFailure})
	c := dns.NewCache(newNet(t, srv.Addr), nil)
	if _, err := c.Lookup(context.Background(), "example.com", dns.TypeTXT); !dns.IsTemporary(err) {
		t.Fatalf("err = %v, want temporary", err)
	}
	srv.SetFault("example.com", dnstest.Fault{})
	res, err := c.Lookup(context.Background(), "example.com", dns.TypeTXT)
	if err != nil || res.Status != dns.StatusAnswer {
		t.Fatalf("after recovery: %v %v", res.Status, err)
	}
}

func TestTraceCollectsPerContext(t *testing.T) {
	t.Parallel()
	z, _ := dns.ParseZone(testZone, "z")
	c := dns.NewCache(z, nil)
	ctx1, tr1 := dns.WithTrace(context.Background())
	ctx2, tr2 := dns.WithTrace(context.Background())
	c.Lookup(ctx1, "example.com", dns.TypeTXT)
	c.Lookup(ctx1, "example.com", dns.TypeMX)
	c.Lookup(ctx2, "example.com", dns.TypeTXT)
	if len(tr1.Queries()) != 2 || len(tr2.Queries()) != 1 || !tr2.Queries()[0].Cached {
		t.Errorf("trace 1 has %d, trace 2 %v", len(tr1.Queries()), tr2.Queries())
	}
}

// TestCacheCancelledCallerDoesNotFailOthers: when the first caller of a
// question gives up, a second caller waiting on the same question still
// gets the answer (an SPF evaluation cancelling its prefetches must not
// turn another evaluation's lookup into a temporary failure).
func TestCacheCancelledCallerDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("example.com", dnstest.Fault{Delay: 100 * time.Millisecond})
	c := dns.NewCache(newNet(t, srv.Addr), nil)
	ctx1, cancel1 := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() {
		_, err := c.Lookup(ctx1, "example.com", dns.TypeTXT)
		errs <- err
	}()
	time.Sleep(20 * time.Millisecond) // the first caller's question is in flight
	done := make(chan error, 1)
	go func() {
		res, err := c.Lookup(context.Background(), "example.com", dns.TypeTXT)
		if err == nil && len(res.TXT()) != 1 {
			err = errors.New("no TXT")
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel1()
	if err := <-errs; !dns.IsTemporary(err) {
		t.Errorf("cancelled caller: err = %v, want temporary", err)
	}
	if err := <-done; err != nil {
		t.Errorf("second caller: %v, want the answer", err)
	}
	if n := srv.Count("example.com", "TXT", ""); n != 1 {
		t.Errorf("%d upstream queries, want 1", n)
	}
}
