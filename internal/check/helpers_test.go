package check

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"preflight/dns"
	"preflight/report"
)

// evalTime is the evaluation time of the demo: its signatures are valid then.
var evalTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

const demoDir = "../../testdata/demo/"

// testZone is the DNS of the small scenarios below, beside the demo's.
// Keys are Ed25519 (a t=y one among them), made from fixed seeds.
const testZone = `
$ORIGIN .
$TTL 300
esp.example                 TXT "v=spf1 ip4:192.0.2.0/25 ip6:2001:db8:e5::/48 -all"
v4.example                  TXT "v=spf1 ip4:192.0.2.0/25 -all"
mta.esp.example             TXT "v=spf1 ip4:192.0.2.0/25 -all"
brand.example               TXT "v=spf1 include:esp.example -all"
_dmarc.brand.example        TXT "v=DMARC1; p=reject"
bounce.brand.example        TXT "v=spf1 include:esp.example -all"
nodmarc.example             TXT "v=spf1 include:esp.example -all"
strict.example              TXT "v=spf1 include:esp.example -all"
_dmarc.strict.example       TXT "v=DMARC1; p=reject; aspf=s"
bounce.strict.example       TXT "v=spf1 include:esp.example -all"
pct.example                 TXT "v=spf1 include:esp.example -all"
_dmarc.pct.example          TXT "v=DMARC1; p=reject; pct=50"
s1._domainkey.brand.example TXT "v=DKIM1; k=ed25519; p=%s"
t1._domainkey.brand.example TXT "v=DKIM1; k=ed25519; t=y; p=%s"
s1._domainkey.esp.example   TXT "v=DKIM1; k=ed25519; p=%s"
`

func edKey(seed byte) string {
	pub := ed25519.NewKeyFromSeed(slices.Repeat([]byte{seed}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	return base64.StdEncoding.EncodeToString(pub)
}

func smallZone(t testing.TB) *dns.Zone {
	t.Helper()
	z, err := dns.ParseZone(fmt.Sprintf(testZone, edKey(1), edKey(2), edKey(3)), "test.zone")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func demoZone(t testing.TB) *dns.Zone {
	t.Helper()
	z, err := dns.LoadZone(demoDir + "demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// config checks against r for the named receiver at evalTime.
func config(t testing.TB, r dns.Resolver, receiver string) Config {
	t.Helper()
	p, err := LookupProfile(receiver)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Resolver: dns.NewCache(r, nil), Now: func() time.Time { return evalTime }, Receiver: p}
}

func parse(t testing.TB, text string) *Message {
	t.Helper()
	m, err := ParseMessage([]byte(strings.ReplaceAll(text, "\n", "\r\n")), "test.eml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ips(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

func findingIDs(fs []report.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return ids
}

func finding1(r *Result, id string) (report.Finding, bool) {
	for _, f := range r.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return report.Finding{}, false
}

func fixVias(fs []report.Fix) []string {
	var v []string
	for _, f := range fs {
		v = append(v, f.Via)
	}
	return v
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// failing answers SERVFAIL (a temporary failure) for some names and passes
// the rest on: the map-based fake of STYLE.md, for protocol logic.
type failing struct {
	dns.Resolver
	names map[string]bool
}

func (f failing) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	if f.names[dns.CanonicalName(name)] {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail, Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	return f.Resolver.Lookup(ctx, name, t)
}

func failingFor(r dns.Resolver, names ...string) failing {
	f := failing{Resolver: r, names: map[string]bool{}}
	for _, n := range names {
		f.names[dns.CanonicalName(n)] = true
	}
	return f
}

// consistent checks that the report says what the typed result says: it is
// made from it, once, and must not drift.
func consistent(t *testing.T, r *Result) {
	t.Helper()
	rep := r.Report
	if rep == nil {
		t.Fatal("no report")
	}
	if rep.Verdict.Disposition != r.Verdict.Disposition || rep.Verdict.Reject != r.Verdict.Reject ||
		rep.Verdict.Receiver != r.Verdict.Receiver || rep.Verdict.SMTPReply != r.Verdict.SMTPReply {
		t.Errorf("report verdict %+v, typed %+v", rep.Verdict, r.Verdict)
	}
	if rep.Verdict.ReceiverName == "" || rep.Verdict.ReceiverName != r.Receiver.DisplayName() {
		t.Errorf("receiver name %q", rep.Verdict.ReceiverName)
	}
	if rep.DMARC.Result != string(r.DMARC.Result) || rep.SPF.Result != string(r.SPF.Status) || rep.SPF.Domain != r.SPF.Domain {
		t.Errorf("report DMARC %q SPF %q %q; typed %q %q %q", rep.DMARC.Result, rep.SPF.Result, rep.SPF.Domain, r.DMARC.Result, r.SPF.Status, r.SPF.Domain)
	}
	if len(rep.DKIM) != len(r.DKIM) || len(rep.Findings) != len(r.Findings) || len(rep.Fixes) != len(r.Fixes) || len(rep.Assumptions) != len(r.Assumptions) {
		t.Errorf("report has %d DKIM, %d findings, %d fixes, %d assumptions; typed %d, %d, %d, %d",
			len(rep.DKIM), len(rep.Findings), len(rep.Fixes), len(rep.Assumptions), len(r.DKIM), len(r.Findings), len(r.Fixes), len(r.Assumptions))
	}
	for i, s := range r.DKIM {
		if i < len(rep.DKIM) && (rep.DKIM[i].Counted != s.Counted || rep.DKIM[i].Result != string(s.DKIM.Result)) {
			t.Errorf("DKIM %d: report %+v, typed %+v", i, rep.DKIM[i], s)
		}
	}
	if len(rep.SPF.PerIP) != len(r.SPF.PerIP) || len(rep.Envelope.IPs) != len(r.Envelope.IPs) {
		t.Errorf("per-IP SPF: report %d of %d IPs, typed %d of %d", len(rep.SPF.PerIP), len(rep.Envelope.IPs), len(r.SPF.PerIP), len(r.Envelope.IPs))
	}
	for i := 1; i < len(rep.Findings); i++ {
		if rep.Findings[i-1].Severity.Rank() > rep.Findings[i].Severity.Rank() {
			t.Errorf("report findings not sorted by severity: %v", findingIDs(rep.Findings))
			break
		}
	}
	// DMARC once per view: the receiver's own view is the plain one unless a
	// DKIM rule changed a result.
	d := r.DMARC
	if d.Evaluation != nil && (d.ReceiverView == d.Evaluation) != (len(d.DKIMRules) == 0) {
		t.Errorf("receiver view shared = %v with %d DKIM rules", d.ReceiverView == d.Evaluation, len(d.DKIMRules))
	}
}
