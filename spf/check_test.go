package spf

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"preflight/dns"
)

// faulty wraps a resolver and makes chosen names fail temporarily.
type faulty struct {
	dns.Resolver
	fail map[string]bool // "name" or "name TYPE"
}

func (f faulty) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	n := dns.CanonicalName(name)
	if f.fail[n] || f.fail[n+" "+t.String()] {
		return dns.Result{}, &dns.Error{Name: n, Type: t, Rcode: dns.RcodeServFail, Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	return f.Resolver.Lookup(ctx, name, t)
}

func includes(prefix string, n int, last string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		next := fmt.Sprintf("%s%d.example.", prefix, i+1)
		rec := "v=spf1 include:" + strings.TrimSuffix(next, ".") + " -all"
		if i == n {
			rec = last
		}
		fmt.Fprintf(&b, "%s%d.example. TXT %q\n", prefix, i, rec)
	}
	return b.String()
}

const checkZone = `
$ORIGIN example.
$TTL 300
pass.example.      TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
pass.example.      TXT "unrelated text"
soft.example.      TXT "v=spf1 ~all"
neutral.example.   TXT "v=spf1 ip4:203.0.113.1"
multi.example.     TXT "v=spf1 -all"
multi.example.     TXT "v=spf1 +all"
nospf.example.     TXT "hello"
a.example.         TXT "v=spf1 a/24 -all"
a.example.         A   192.0.2.10
mx.example.        TXT "v=spf1 mx//64 -all"
mx.example.        MX  10 mail.mx.example.
mail.mx.example.   A   198.51.100.7
mail.mx.example.   AAAA 2001:db8:aaaa::1
mx11.example.      TXT "v=spf1 mx -all"
mxt.example.       TXT "v=spf1 mx -all"
mxt.example.       MX  10 mail.mx.example.
mxt.example.       MX  20 servfail.example.
mx3.example.       TXT "v=spf1 mx -all"
mx3.example.       MX  10 a.mx3.example.
mx3.example.       MX  20 b.mx3.example.
mx3.example.       MX  30 c.mx3.example.
a.mx3.example.     A   198.51.100.11
b.mx3.example.     A   198.51.100.12
c.mx3.example.     A   198.51.100.13
$GENERATE 1-11 mx11.example. MX $ h$.mx11.example.
void.example.      TXT "v=spf1 a:n1.example a:n2.example a:n3.example +all"
void2.example.     TXT "v=spf1 a:n1.example a:n2.example +all"
loop.example.      TXT "v=spf1 include:loop2.example -all"
loop2.example.     TXT "v=spf1 include:loop.example -all"
redir.example.     TXT "v=spf1 redirect=pass.example"
redirall.example.  TXT "v=spf1 ?all redirect=pass.example"
redirnone.example. TXT "v=spf1 redirect=nospf.example"
inclnone.example.  TXT "v=spf1 include:nospf.example -all"
exp.example.       TXT "v=spf1 -ip4:192.0.2.66 ip4:192.0.2.0/24 -all exp=why.exp.example"
why.exp.example.   TXT "%{c} is not allowed to send as %{d} (checked at %{r}, %{t}) for %{L}"
expincl.example.   TXT "v=spf1 include:exp.example -all exp=outer.exp.example"
outer.exp.example. TXT "outer %{d}"
tmp.example.       TXT "v=spf1 include:servfail.example -all"
tmpa.example.      TXT "v=spf1 a:servfail.example -all"
ptr.example.       TXT "v=spf1 ptr -all"
ptrfail.example.   TXT "v=spf1 ptr:servfail.example ?all"
10.2.0.192.in-addr.arpa. PTR host.ptr.example.
host.ptr.example.  A 192.0.2.10
helo.example.      TXT "v=spf1 ip4:192.0.2.1 -all"
macro.example.     TXT "v=spf1 exists:%{l}.%{i}.list.example -all"
alice.192.0.2.5.list.example. A 127.0.0.2
` + "deep.example. TXT \"v=spf1 include:d1.example -all\"\n"

func testZone(t testing.TB, extra string) dns.Resolver {
	t.Helper()
	z, err := dns.ParseZone(checkZone+includes("d", 10, "v=spf1 ip4:192.0.2.0/24 -all")+includes("e", 11, "v=spf1 ip4:192.0.2.0/24 -all")+extra, "check")
	if err != nil {
		t.Fatal(err)
	}
	return faulty{Resolver: z, fail: map[string]bool{"servfail.example": true}}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	r := testZone(t, "over.example. TXT \"v=spf1 include:e1.example -all\"\n")
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		req         Request
		status      Status
		mechanism   string
		lookups     int
		void        int
		err         error
		explanation string
	}{
		{name: "ip4 pass", req: Request{IP: ip("192.0.2.5"), MailFrom: "a@pass.example"}, status: StatusPass, mechanism: "ip4:192.0.2.0/24"},
		{name: "ip6 pass", req: Request{IP: ip("2001:db8::5"), MailFrom: "a@pass.example"}, status: StatusPass, mechanism: "ip6:2001:db8::/32"},
		{name: "ipv4-mapped is ipv4", req: Request{IP: ip("::ffff:192.0.2.5"), MailFrom: "a@pass.example"}, status: StatusPass, mechanism: "ip4:192.0.2.0/24"},
		{name: "fail", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@pass.example"}, status: StatusFail, mechanism: "-all"},
		{name: "softfail", req: Request{IP: ip("198.51.100.1"), MailFrom: "<a@soft.example>"}, status: StatusSoftFail, mechanism: "~all"},
		{name: "neutral by default", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@neutral.example"}, status: StatusNeutral},
		{name: "no spf record", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@nospf.example"}, status: StatusNone},
		{name: "nxdomain", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@nope.example"}, status: StatusNone},
		{name: "single label", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@localhost"}, status: StatusNone},
		{name: "multiple records", req: Request{IP: ip("192.0.2.5"), MailFrom: "a@multi.example"}, status: StatusPermError, err: ErrMultipleRecords},
		{name: "a with cidr", req: Request{IP: ip("192.0.2.200"), MailFrom: "a@a.example"}, status: StatusPass, mechanism: "a/24", lookups: 1},
		{name: "a for ipv6 is void", req: Request{IP: ip("2001:db8::1"), MailFrom: "a@a.example"}, status: StatusFail, mechanism: "-all", lookups: 1, void: 1},
		{name: "mx ipv6 cidr", req: Request{IP: ip("2001:db8:aaaa::99"), MailFrom: "a@mx.example"}, status: StatusPass, mechanism: "mx//64", lookups: 1},
		{name: "mx ipv4 exact", req: Request{IP: ip("198.51.100.8"), MailFrom: "a@mx.example"}, status: StatusFail, mechanism: "-all", lookups: 1},
		{name: "more than 10 mx names", req: Request{IP: ip("198.51.100.8"), MailFrom: "a@mx11.example"}, status: StatusPermError, mechanism: "mx", lookups: 1, err: ErrTooManyMX},
		{name: "mx hosts without AAAA are void for ipv6", req: Request{IP: ip("2001:db8::1"), MailFrom: "a@mx3.example"}, status: StatusPermError, mechanism: "mx", lookups: 1, void: 3, err: ErrTooManyVoid},
		{name: "mx hosts for ipv4", req: Request{IP: ip("198.51.100.13"), MailFrom: "a@mx3.example"}, status: StatusPass, mechanism: "mx", lookups: 1},
		{name: "every mx host is resolved before comparing", req: Request{IP: ip("198.51.100.7"), MailFrom: "a@mxt.example"}, status: StatusTempError, mechanism: "mx", lookups: 1, err: ErrDNS},
		{name: "two void lookups are fine", req: Request{IP: ip("198.51.100.8"), MailFrom: "a@void2.example"}, status: StatusPass, mechanism: "+all", lookups: 2, void: 2},
		{name: "third void lookup", req: Request{IP: ip("198.51.100.8"), MailFrom: "a@void.example"}, status: StatusPermError, mechanism: "a:n3.example", lookups: 3, void: 3, err: ErrTooManyVoid},
		{name: "include loop", req: Request{IP: ip("198.51.100.8"), MailFrom: "a@loop.example"}, status: StatusPermError, mechanism: "include:loop.example", lookups: 2, err: ErrLoop},
		{name: "10 lookups", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@deep.example"}, status: StatusPass, mechanism: "include:d1.example", lookups: 10},
		{name: "11 lookups", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@over.example"}, status: StatusPermError, mechanism: "include:e11.example", lookups: 11, err: ErrTooManyLookups},
		{name: "redirect", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@redir.example"}, status: StatusPass, mechanism: "ip4:192.0.2.0/24", lookups: 1},
		{name: "redirect ignored with all", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@redirall.example"}, status: StatusNeutral, mechanism: "?all"},
		{name: "redirect to none", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@redirnone.example"}, status: StatusPermError, mechanism: "redirect=nospf.example", lookups: 1, err: ErrNoIncludedRecord},
		{name: "include of none", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@inclnone.example"}, status: StatusPermError, mechanism: "include:nospf.example", lookups: 1, err: ErrNoIncludedRecord},
		{name: "exp on fail with c r t L macros", req: Request{IP: ip("192.0.2.66"), MailFrom: "Jo&Ann@exp.example"}, status: StatusFail, mechanism: "-ip4:192.0.2.66",
			explanation: "192.0.2.66 is not allowed to send as exp.example (checked at mx.receiver.example, 1768478400) for Jo%26Ann"},
		{name: "no exp on pass", req: Request{IP: ip("192.0.2.67"), MailFrom: "a@exp.example"}, status: StatusPass, mechanism: "ip4:192.0.2.0/24"},
		{name: "include ignores the target's exp", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@expincl.example"}, status: StatusFail, mechanism: "-all", lookups: 1, explanation: "outer expincl.example"},
		{name: "temperror in include", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@tmp.example"}, status: StatusTempError, mechanism: "include:servfail.example", lookups: 1, err: dns.ErrTemporary},
		{name: "temperror in a", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@tmpa.example"}, status: StatusTempError, mechanism: "a:servfail.example", lookups: 1, err: ErrDNS},
		{name: "temperror at top", req: Request{IP: ip("192.0.2.9"), MailFrom: "a@servfail.example"}, status: StatusTempError, err: ErrDNS},
		{name: "ptr validated", req: Request{IP: ip("192.0.2.10"), MailFrom: "a@ptr.example"}, status: StatusPass, mechanism: "ptr", lookups: 1},
		{name: "ptr not validated", req: Request{IP: ip("192.0.2.11"), MailFrom: "a@ptr.example"}, status: StatusFail, mechanism: "-all", lookups: 1, void: 1},
		{name: "ptr forward errors do not matter", req: Request{IP: ip("192.0.2.10"), MailFrom: "a@ptrfail.example"}, status: StatusNeutral, mechanism: "?all", lookups: 1},
		{name: "null sender uses helo", req: Request{IP: ip("192.0.2.1"), MailFrom: "<>", HELO: "helo.example"}, status: StatusPass, mechanism: "ip4:192.0.2.1"},
		{name: "helo address literal", req: Request{IP: ip("192.0.2.2"), HELO: "[192.0.2.2]"}, status: StatusNone},
		{name: "helo bare address", req: Request{IP: ip("192.0.2.2"), HELO: "192.0.2.2"}, status: StatusNone},
		{name: "helo fail", req: Request{IP: ip("192.0.2.2"), HELO: "helo.example"}, status: StatusFail, mechanism: "-all"},
		{name: "macros in exists", req: Request{IP: ip("192.0.2.5"), MailFrom: "alice@macro.example"}, status: StatusPass, mechanism: "exists:%{l}.%{i}.list.example", lookups: 1},
		{name: "record override", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@pass.example", Record: "v=spf1 ip4:198.51.100.0/24 -all"}, status: StatusPass, mechanism: "ip4:198.51.100.0/24"},
		{name: "record override syntax error", req: Request{IP: ip("198.51.100.1"), MailFrom: "a@pass.example", Record: "v=spf1 ip4:198.51.100.0/33"}, status: StatusPermError, err: ErrSyntax},
		{name: "no ip", req: Request{MailFrom: "a@pass.example"}, status: StatusPermError, err: ErrInvalidIP},
	}
	for _, tc := range tests {
		for _, prefetch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/prefetch=%v", tc.name, prefetch), func(t *testing.T) {
				t.Parallel()
				cfg := Config{Resolver: r, Now: func() time.Time { return now }, ReceiverDomain: "mx.receiver.example", NoPrefetch: !prefetch}
				got := Check(context.Background(), cfg, tc.req)
				if got.Status != tc.status {
					t.Errorf("status %s (err %v), want %s\n%s", got.Status, got.Err, tc.status, traceString(got.Trace))
				}
				if got.Mechanism != tc.mechanism {
					t.Errorf("mechanism %q, want %q", got.Mechanism, tc.mechanism)
				}
				if got.Lookups != tc.lookups || got.VoidLookups != tc.void {
					t.Errorf("lookups %d void %d, want %d and %d", got.Lookups, got.VoidLookups, tc.lookups, tc.void)
				}
				if tc.err != nil && !errors.Is(got.Err, tc.err) {
					t.Errorf("err %v, want one matching %v", got.Err, tc.err)
				}
				if (got.Status == StatusTempError || got.Status == StatusPermError) != (got.Err != nil) {
					t.Errorf("status %s with err %v", got.Status, got.Err)
				}
				if got.Explanation != tc.explanation {
					t.Errorf("explanation %q, want %q", got.Explanation, tc.explanation)
				}
				sum := 0
				for _, tc := range got.Terms {
					if tc.Depth == 0 {
						sum += tc.Lookups
					}
				}
				if sum != got.Lookups {
					t.Errorf("per-term lookups at depth 0 add up to %d, total %d", sum, got.Lookups)
				}
			})
		}
	}
}

// TestPrefetchSameTrace checks the promise of prefetching: the result, the
// counts and the whole trace are those of a strictly sequential evaluation.
func TestPrefetchSameTrace(t *testing.T) {
	t.Parallel()
	r := testZone(t, "")
	for _, from := range []string{"a@deep.example", "a@mx.example", "a@void.example", "a@exp.example", "a@tmp.example", "a@loop.example"} {
		for _, addr := range []string{"192.0.2.66", "198.51.100.7", "2001:db8:aaaa::1"} {
			t.Run(from+"/"+addr, func(t *testing.T) {
				t.Parallel()
				req := Request{IP: ip(addr), MailFrom: from}
				seq := Check(context.Background(), Config{Resolver: r, NoPrefetch: true, Now: time.Now}, req)
				pre := Check(context.Background(), Config{Resolver: r, Now: time.Now}, req)
				opts := cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) })
				seq.Queries, pre.Queries = 0, 0
				if d := cmp.Diff(seq, pre, opts, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
					t.Errorf("prefetch changed the result (-sequential +prefetch):\n%s", d)
				}
			})
		}
	}
}

func TestNoResolver(t *testing.T) {
	t.Parallel()
	res := Check(context.Background(), Config{}, Request{IP: ip("192.0.2.1"), MailFrom: "a@example.com"})
	if res.Status != StatusPermError || !errors.Is(res.Err, ErrNoResolver) {
		t.Errorf("got %s %v", res.Status, res.Err)
	}
}

func TestCanceledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Check(ctx, Config{Resolver: testZone(t, "")}, Request{IP: ip("192.0.2.1"), MailFrom: "a@pass.example"})
	if res.Status != StatusTempError || res.Err == nil {
		t.Errorf("got %s %v, want temperror", res.Status, res.Err)
	}
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// stalling never answers chosen names (it ignores the context, as a
// misbehaving resolver might) until release is closed.
type stalling struct {
	dns.Resolver
	name    string
	release chan struct{}
}

func (s stalling) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if dns.CanonicalName(name) == s.name {
		<-s.release
	}
	return s.Resolver.Lookup(ctx, name, t)
}

// TestPrefetchDoesNotDelay: a prefetched answer the evaluation never
// needs cannot hold Check up, even when the resolver stalls on it.
func TestPrefetchDoesNotDelay(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(`top.example. TXT "v=spf1 ip4:192.0.2.0/24 include:slow.example -all"`+"\n", "t")
	if err != nil {
		t.Fatal(err)
	}
	r := stalling{Resolver: z, name: "slow.example", release: make(chan struct{})}
	defer close(r.release)
	done := make(chan Result, 1)
	go func() {
		done <- Check(context.Background(), Config{Resolver: r}, Request{IP: ip("192.0.2.1"), MailFrom: "a@top.example"})
	}()
	select {
	case res := <-done:
		if res.Status != StatusPass {
			t.Errorf("got %s, want pass", res.Status)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Check waited for a prefetch it did not need")
	}
}

// TestTimeout: an evaluation stalled on DNS ends with temperror once
// Config.Timeout passes.
func TestTimeout(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(`top.example. TXT "v=spf1 include:slow.example -all"`+"\n", "t")
	if err != nil {
		t.Fatal(err)
	}
	r := blocking{Resolver: z, name: "slow.example"}
	res := Check(context.Background(), Config{Resolver: r, Timeout: 50 * time.Millisecond}, Request{IP: ip("192.0.2.1"), MailFrom: "a@top.example"})
	if res.Status != StatusTempError || !errors.Is(res.Err, dns.ErrTemporary) {
		t.Errorf("got %s (%v), want temperror", res.Status, res.Err)
	}
}

// blocking answers chosen names only when the context ends.
type blocking struct {
	dns.Resolver
	name string
}

func (b blocking) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if dns.CanonicalName(name) == b.name {
		<-ctx.Done()
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: -1, Err: dns.Temporary(ctx.Err())}
	}
	return b.Resolver.Lookup(ctx, name, t)
}
