package dns_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mdns "github.com/miekg/dns"

	"preflight/dns"
	"preflight/internal/dnstest"
)

// record asks questions through a Recorder over a loopback server and
// returns the recording's text and what each question got live.
func record(t *testing.T, up dns.Resolver, questions [][2]string) (string, map[[2]string]result) {
	t.Helper()
	rec := &dns.Recorder{Upstream: up}
	live := map[[2]string]result{}
	for _, q := range questions {
		typ, _ := dns.ParseType(q[1])
		res, err := rec.Lookup(context.Background(), q[0], typ)
		if err == nil {
			live[q] = summary(res)
		}
	}
	var buf bytes.Buffer
	if err := rec.WriteZone(&buf, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return buf.String(), live
}

// TestReplayTellsNotRecordedFromAbsent: a replayed recording answers the
// questions of the recorded run as they were answered, NXDOMAIN and NODATA
// included; every other question is "not recorded" (temporary), never
// NXDOMAIN: a new template checked against an old recording must not be
// predicted from DNS nobody asked.
func TestReplayTellsNotRecordedFromAbsent(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	srv.SetFault("broken.example.com", dnstest.Fault{Rcode: mdns.RcodeServerFailure})
	asked := [][2]string{
		{"example.com", "TXT"},          // answer
		{"nope.example.com", "TXT"},     // NXDOMAIN
		{"mx1.example.com", "TXT"},      // NODATA at a name with other records
		{"www.example.com", "A"},        // CNAME chain
		{"dangling.example.com", "A"},   // chain ending in NXDOMAIN
		{"b.deep.example.com", "TXT"},   // empty non-terminal: NODATA
		{"broken.example.com", "TXT"},   // SERVFAIL: not recorded
		{"mx1.example.com", "A"},        // answer
		{"nope2.mx1.example.com", "MX"}, // NXDOMAIN below a name that exists
	}
	text, live := record(t, newNet(t, srv.Addr), asked)
	if !strings.HasPrefix(text, dns.RecordingHeader) {
		t.Fatalf("the recording does not start with %q:\n%s", dns.RecordingHeader, text)
	}
	replay, err := dns.ParseZone(text, "run.zone")
	if err != nil {
		t.Fatal(err)
	}
	if !replay.Recording() {
		t.Fatal("Recording() = false for a recording")
	}
	ctx := context.Background()
	for _, q := range asked {
		typ, _ := dns.ParseType(q[1])
		res, err := replay.Lookup(ctx, q[0], typ)
		want, ok := live[q]
		if !ok { // a failure live: not recorded in replay
			if !errors.Is(err, dns.ErrNotRecorded) {
				t.Errorf("%s %s: %v %v, want ErrNotRecorded", q[0], q[1], res.Status, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", q[0], q[1], err)
			continue
		}
		if d := cmp.Diff(want, summary(res)); d != "" {
			t.Errorf("%s %s replays differently (-live +replay)\n%s", q[0], q[1], d)
		}
	}
	for _, q := range [][2]string{
		{"brand.example", "TXT"},          // a name never seen
		{"_dmarc.brand.example", "TXT"},   // idem
		{"mx1.example.com", "MX"},         // a name seen, a type never asked
		{"example.com", "A"},              // idem, at a name with records
		{"nope.example.com", "A"},         // NXDOMAIN was recorded for TXT only
		{"deep.example.com", "TXT"},       // an ancestor of recorded names
		{"other.nope.example.com", "TXT"}, // below a recorded NXDOMAIN
	} {
		typ, _ := dns.ParseType(q[1])
		res, err := replay.Lookup(ctx, q[0], typ)
		if !errors.Is(err, dns.ErrNotRecorded) || !dns.IsTemporary(err) {
			t.Errorf("%s %s: %v %v, want ErrNotRecorded (and temporary)", q[0], q[1], res.Status, err)
			continue
		}
		if !strings.Contains(err.Error(), "not recorded") || !strings.Contains(err.Error(), "run.zone") {
			t.Errorf("error %q does not say not recorded and name the file", err)
		}
	}
	// Without its first line the file is a plain zone: absent is NXDOMAIN.
	plain, err := dns.ParseZone(text[strings.IndexByte(text, '\n')+1:], "plain.zone")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := plain.Lookup(ctx, "brand.example", dns.TypeTXT); err != nil || res.Status != dns.StatusNXDomain || plain.Recording() {
		t.Errorf("plain zone: %v %v, want NXDOMAIN", res.Status, err)
	}
}

// scripted answers NXDOMAIN for one name and delegates the rest.
type scripted struct {
	dns.Resolver
	nx string
}

func (s scripted) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if dns.CanonicalName(name) == s.nx {
		return dns.Result{Name: s.nx, Type: t, Status: dns.StatusNXDomain, Rcode: dns.RcodeNXDomain}, nil
	}
	return s.Resolver.Lookup(ctx, name, t)
}

// TestReplayNXDomainOfExistingName: live DNS said NXDOMAIN for a name that
// other recorded records keep in existence (a server that ignores RFC
// 8020); the replay still says NXDOMAIN, as recorded.
func TestReplayNXDomainOfExistingName(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone("a.parent.example. 60 IN TXT \"child\"\n", "live")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := record(t, scripted{z, "parent.example"}, [][2]string{{"parent.example", "TXT"}, {"a.parent.example", "TXT"}})
	replay, err := dns.ParseZone(text, "run.zone")
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Lookup(context.Background(), "parent.example", dns.TypeTXT)
	if err != nil || res.Status != dns.StatusNXDomain {
		t.Errorf("parent.example: %v %v, want NXDOMAIN as recorded", res.Status, err)
	}
}

// TestReplayWithHandWrittenZone: a hand-written zone loaded beside a
// recording answers for the names it defines as any zone does (NODATA for
// missing types); everything else stays "not recorded".
func TestReplayWithHandWrittenZone(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, testZone)
	text, _ := record(t, newNet(t, srv.Addr), [][2]string{{"example.com", "TXT"}})
	dir := t.TempDir()
	rec := filepath.Join(dir, "run.zone")
	plan := filepath.Join(dir, "plan.zone")
	if err := os.WriteFile(rec, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plan, []byte("_dmarc.brand.example. 60 IN TXT \"v=DMARC1; p=reject\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	z, err := dns.LoadZone(rec, plan)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		t    dns.Type
		want string // status, or "not recorded"
	}{
		{"example.com", dns.TypeTXT, "answer"},
		{"_dmarc.brand.example", dns.TypeTXT, "answer"},
		{"_dmarc.brand.example", dns.TypeA, "nodata"},
		{"brand.example", dns.TypeTXT, "nodata"}, // an ancestor of a hand-written name
		{"other.example", dns.TypeTXT, "not recorded"},
		{"example.com", dns.TypeMX, "not recorded"},
	} {
		res, err := z.Lookup(ctx, tc.name, tc.t)
		got := res.Status.String()
		if errors.Is(err, dns.ErrNotRecorded) {
			got = "not recorded"
		} else if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.name, tc.t, got, tc.want)
		}
	}
}

// TestErrNotRecordedIsTemporary: the sentinel matches ErrTemporary, so
// every caller that keeps temporary failures apart from "no record" does so
// for a replay that lacks an answer.
func TestErrNotRecordedIsTemporary(t *testing.T) {
	t.Parallel()
	if !errors.Is(dns.ErrNotRecorded, dns.ErrTemporary) || errors.Is(dns.ErrTemporary, dns.ErrNotRecorded) {
		t.Error("ErrNotRecorded must match ErrTemporary (and not the reverse)")
	}
}

// TestReplayOnlyNegatives: a recording of nothing but negative answers
// still loads and replays them.
func TestReplayOnlyNegatives(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(dns.RecordingHeader+", 2026-01-15T12:00:00Z\n; NXDOMAIN nope.example TXT\n; NODATA there.example MX\n", "neg.zone")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if res, err := z.Lookup(ctx, "nope.example", dns.TypeTXT); err != nil || res.Status != dns.StatusNXDomain {
		t.Errorf("nope.example: %v %v, want NXDOMAIN", res.Status, err)
	}
	if res, err := z.Lookup(ctx, "there.example", dns.TypeMX); err != nil || res.Status != dns.StatusNoData {
		t.Errorf("there.example: %v %v, want NODATA", res.Status, err)
	}
	if _, err := z.Lookup(ctx, "there.example", dns.TypeA); !errors.Is(err, dns.ErrNotRecorded) {
		t.Errorf("there.example A: %v, want ErrNotRecorded", err)
	}
}

// FuzzParseZone: any text either fails to parse or gives a Zone whose
// lookups answer or fail cleanly (the comment tap and the recording's
// negative comments included).
func FuzzParseZone(f *testing.F) {
	f.Add(testZone)
	f.Add(dns.RecordingHeader + ", 2026-01-15T12:00:00Z\n; NXDOMAIN nope.example TXT\n; NODATA a.example TYPE65280\nx.example. 60 IN TXT \"x\"\n")
	f.Add(dns.RecordingHeader + "\r\n; NODATA " + strings.Repeat("a", 300) + " TXT\n;")
	f.Fuzz(func(t *testing.T, text string) {
		z, err := dns.ParseZone(text, "fuzz.zone")
		if err != nil {
			return
		}
		for _, name := range []string{"nope.example", "x.example", "a.example", "example.com"} {
			for _, typ := range []dns.Type{dns.TypeTXT, dns.TypeA, dns.TypeExists} {
				res, err := z.Lookup(context.Background(), name, typ)
				if err != nil && !dns.IsTemporary(err) {
					t.Fatalf("%s %s: %v is neither an answer nor temporary", name, typ, err)
				}
				if err == nil && res.Status == dns.StatusAnswer && len(res.Records) == 0 {
					t.Fatalf("%s %s: an answer without records", name, typ)
				}
			}
		}
	})
}
