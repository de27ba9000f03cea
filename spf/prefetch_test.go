package spf

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
	"preflight/internal/dnstest"
)

// fanOutZone is a 10×10×10 tree of includes under top.example: 1,111
// records, none of which authorises 192.0.2.99. A sequential evaluation
// stops at the 11th lookup (permerror) after 11 questions.
func fanOutZone() string {
	var b strings.Builder
	inc := func(prefix string) string {
		s := "v=spf1"
		for i := range 10 {
			s += fmt.Sprintf(" include:%s%d.example", prefix, i)
		}
		return s + " -all"
	}
	fmt.Fprintf(&b, "top.example. 60 IN TXT %q\n", inc("i"))
	for i := range 10 {
		fmt.Fprintf(&b, "i%d.example. 60 IN TXT %q\n", i, inc(fmt.Sprintf("i%d-", i)))
		for j := range 10 {
			fmt.Fprintf(&b, "i%d-%d.example. 60 IN TXT %q\n", i, j, inc(fmt.Sprintf("i%d-%d-", i, j)))
			for k := range 10 {
				fmt.Fprintf(&b, "i%d-%d-%d.example. 60 IN TXT \"v=spf1 ip4:198.51.100.%d -all\"\n", i, j, k, k)
			}
		}
	}
	return b.String()
}

// TestPrefetchFanOutStaysInBudget: prefetching must not put on the wire
// more than the evaluation's budget allows. The 10×10×10 fan-out used to
// send 74 questions for an evaluation that stops at 11 lookups; with or
// without prefetching it now sends the 11 a sequential evaluation sends.
func TestPrefetchFanOutStaysInBudget(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, fanOutZone())
	req := Request{IP: ip("192.0.2.99"), MailFrom: "a@top.example"}
	for _, prefetch := range []bool{false, true} {
		n, err := dns.NewNet([]string{srv.Addr}, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		before := srv.Total()
		res := Check(context.Background(), Config{Resolver: n, NoPrefetch: !prefetch}, req)
		time.Sleep(50 * time.Millisecond) // prefetches the evaluation did not wait for
		sent := srv.Total() - before
		if res.Status != StatusPermError || res.Lookups != 11 {
			t.Errorf("prefetch=%v: %s with %d lookups, want permerror at 11", prefetch, res.Status, res.Lookups)
		}
		if sent != 11 {
			t.Errorf("prefetch=%v: %d queries on the wire, want the 11 of a sequential evaluation", prefetch, sent)
		}
	}
}

// asking records every question a resolver is asked.
type asking struct {
	dns.Resolver
	mu sync.Mutex
	qs map[string]bool
}

func (a *asking) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	a.mu.Lock()
	a.qs[t.String()+" "+dns.CanonicalName(name)] = true
	a.mu.Unlock()
	return a.Resolver.Lookup(ctx, name, t)
}

func (a *asking) list() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for q := range a.qs {
		out = append(out, q)
	}
	sort.Strings(out)
	return out
}

// unmatched answers as its Resolver does, but with ip replaced in address
// answers, so that no a, mx or exists term matches ip.
type unmatched struct {
	dns.Resolver
	ip netip.Addr
}

func (u unmatched) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	res, err := u.Resolver.Lookup(ctx, name, t)
	recs := slices.Clone(res.Records)
	for i, r := range recs {
		if r.IP == u.ip {
			recs[i].IP = netip.MustParseAddr("198.18.0.1")
			if u.ip.Is6() {
				recs[i].IP = netip.MustParseAddr("2001:db8:ffff::1")
			}
		}
	}
	res.Records = recs
	return res, err
}

// TestPrefetchAsksOnlyWhatTheEvaluationWould: for a client that matches
// nothing, prefetching asks exactly the questions of a sequential
// evaluation — never one past its budget, its void limit or its end —
// only sooner. For clients that match, it asks no more than for one that
// does not.
func TestPrefetchAsksOnlyWhatTheEvaluationWould(t *testing.T) {
	t.Parallel()
	const zone = `
wide.example.   TXT "v=spf1 include:w1.example include:w2.example a:h1.example mx:m.example exists:%{i}.e.example -all"
w1.example.     TXT "v=spf1 a:h2.example include:w3.example ~all"
w2.example.     TXT "v=spf1 ip4:203.0.113.0/24 a:h3.example -all"
w3.example.     TXT "v=spf1 mx:m.example -all"
h1.example.     A 192.0.2.1
h2.example.     A 192.0.2.2
h3.example.     A 192.0.2.3
m.example.      MX 10 mx1.example.
m.example.      MX 20 mx2.example.
mx1.example.    A 192.0.2.10
mx2.example.    A 192.0.2.11
voids.example.  TXT "v=spf1 a:n1.example a:n2.example a:n3.example a:h1.example include:wide.example -all"
many.example.   TXT "v=spf1 a:h1.example a:h2.example a:h3.example a:h1.example include:wide.example include:w2.example -all"
redir.example.  TXT "v=spf1 a:h1.example redirect=wide.example"
plus.example.   TXT "v=spf1 include:plusall.example a:h2.example -all"
plusall.example. TXT "v=spf1 +all"
`
	z, err := dns.ParseZone(zone, "z")
	if err != nil {
		t.Fatal(err)
	}
	for _, domain := range []string{"wide.example", "voids.example", "many.example", "redir.example", "plus.example", "w1.example"} {
		for _, addr := range []string{"198.51.100.1", "192.0.2.10", "203.0.113.5", "2001:db8::1"} {
			t.Run(domain+"/"+addr, func(t *testing.T) {
				t.Parallel()
				req := Request{IP: ip(addr), MailFrom: "a@" + domain}
				seq := &asking{Resolver: z, qs: map[string]bool{}}
				Check(context.Background(), Config{Resolver: seq, NoPrefetch: true}, req)
				// The same client, but no a, mx or exists term matches it.
				nomatch := &asking{Resolver: unmatched{z, ip(addr)}, qs: map[string]bool{}}
				Check(context.Background(), Config{Resolver: nomatch, NoPrefetch: true}, req)
				pre := &asking{Resolver: z, qs: map[string]bool{}}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				Check(ctx, Config{Resolver: pre}, req)
				time.Sleep(20 * time.Millisecond) // let prefetches that were not waited for land
				if addr == "198.51.100.1" {
					if d := cmp.Diff(seq.list(), pre.list()); d != "" {
						t.Errorf("questions differ (-sequential +prefetch):\n%s", d)
					}
					return
				}
				want := map[string]bool{}
				for _, q := range nomatch.list() {
					want[q] = true
				}
				for _, q := range pre.list() {
					if !want[q] {
						t.Errorf("prefetch asked %s, which a sequential evaluation matching nothing does not", q)
					}
				}
			})
		}
	}
}

// BenchmarkFanOut reports the questions one evaluation of the 10×10×10
// include fan-out puts on the wire, with and without prefetching.
func BenchmarkFanOut(b *testing.B) {
	srv := dnstest.Start(b, fanOutZone())
	req := Request{IP: ip("192.0.2.99"), MailFrom: "a@top.example"}
	for _, prefetch := range []bool{false, true} {
		b.Run(fmt.Sprintf("prefetch=%v", prefetch), func(b *testing.B) {
			n, err := dns.NewNet([]string{srv.Addr}, time.Second)
			if err != nil {
				b.Fatal(err)
			}
			before := srv.Total()
			for b.Loop() {
				Check(context.Background(), Config{Resolver: n, NoPrefetch: !prefetch}, req)
			}
			time.Sleep(50 * time.Millisecond)
			b.ReportMetric(float64(srv.Total()-before)/float64(b.N), "queries/op")
		})
	}
}

// inflight answers as its Resolver does after a delay, and records the
// most questions it was asked at once.
type inflight struct {
	dns.Resolver
	delay   time.Duration
	mu      sync.Mutex
	now, hi int
}

func (f *inflight) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	f.mu.Lock()
	f.now++
	f.hi = max(f.hi, f.now)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.now--; f.mu.Unlock() }()
	time.Sleep(f.delay)
	return f.Resolver.Lookup(ctx, name, t)
}

// TestAnalyzeGivenRecordPrefetches: Analyze with a given record (spf
// --policy) prefetches as with a published one — its includes are asked
// together — and asks exactly the questions of the sequential analysis.
func TestAnalyzeGivenRecordPrefetches(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(fanOutZone(), "fan-out")
	if err != nil {
		t.Fatal(err)
	}
	given := "v=spf1 include:i0-0-0.example include:i0-0-1.example include:i0-0-2.example include:i1-2-3.example a:i0-0.example -all"
	req := Request{Domain: "top.example", Record: given}
	seq := &asking{Resolver: z, qs: map[string]bool{}}
	want := Analyze(context.Background(), Config{Resolver: seq, NoPrefetch: true}, req)
	slow := &inflight{Resolver: z, delay: 5 * time.Millisecond}
	pre := &asking{Resolver: slow, qs: map[string]bool{}}
	got := Analyze(context.Background(), Config{Resolver: pre}, req)
	if d := cmp.Diff(seq.list(), pre.list()); d != "" {
		t.Errorf("questions differ (-sequential +prefetch):\n%s", d)
	}
	if got.Lookups != want.Lookups || got.Status != want.Status {
		t.Errorf("analysis %s/%d, want %s/%d", got.Status, got.Lookups, want.Status, want.Lookups)
	}
	t.Logf("at most %d questions in flight", slow.hi)
	if slow.hi < 2 {
		t.Errorf("at most %d question in flight: the given record was not prefetched", slow.hi)
	}
}

// BenchmarkAnalyzeGivenRecord: analysing a given record whose includes
// answer after 10 ms each, with and without prefetching.
func BenchmarkAnalyzeGivenRecord(b *testing.B) {
	z, err := dns.ParseZone(fanOutZone(), "fan-out")
	if err != nil {
		b.Fatal(err)
	}
	given := "v=spf1 include:i0-0-0.example include:i0-0-1.example include:i0-0-2.example include:i1-2-3.example a:i0-0.example -all"
	for _, prefetch := range []bool{false, true} {
		b.Run(fmt.Sprintf("prefetch=%v", prefetch), func(b *testing.B) {
			for b.Loop() {
				r := dns.NewCache(&inflight{Resolver: z, delay: 10 * time.Millisecond}, nil)
				Analyze(context.Background(), Config{Resolver: r, NoPrefetch: !prefetch}, Request{Domain: "top.example", Record: given})
			}
		})
	}
}
