package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/spf"
)

// edgeZone holds the policies the plan case (no sending IP) has to read
// without evaluating them against an IP, and a DMARC tree on which RFC 7489
// and RFC 9989 discovery disagree.
const edgeZone = `
$ORIGIN .
$TTL 300
none.example             TXT "v=spf1 -all"
two.example              TXT "v=spf1 -all"
two.example              TXT "v=spf1 ip4:192.0.2.0/24 -all"
dangling.example         TXT "v=spf1 include:gone.example -all"
_dmarc.deep.example      TXT "v=DMARC1; p=none"
_dmarc.mid.deep.example  TXT "v=DMARC1; p=reject"
`

// TestSPFWithoutIP: with no sending IP, SPF is assumed to pass only when
// the policy authorises some network; otherwise the report says why it
// cannot pass, and the policy's own problems are findings.
func TestSPFWithoutIP(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(edgeZone, "edge.zone")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		domain  string
		r       dns.Resolver
		status  spf.Status
		expl    string
		finding string
	}{
		{name: "no record", domain: "absent.example", r: z, status: spf.StatusNone, expl: "publishes no SPF record", finding: "spf.no-record"},
		{name: "authorises nothing", domain: "none.example", r: z, status: spf.StatusFail, expl: "authorises no network at all", finding: "spf.fail"},
		{name: "two records", domain: "two.example", r: z, status: spf.StatusPermError, finding: "spf.permerror"},
		{name: "include of nothing: a warning from the analysis", domain: "dangling.example", r: z, status: spf.StatusFail, finding: "spf.include-missing"},
		{name: "temporary failure", domain: "none.example", r: failingFor(z, "none.example"), status: spf.StatusTempError, finding: "spf.temperror"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan := Plan{From: "news@brand.example", MailFrom: "b@" + tc.domain, MailFromSet: true}
			r := Check(context.Background(), config(t, tc.r, "qq"), nil, plan)
			consistent(t, r)
			if r.SPF.Analysis == nil || r.SPF.Status != tc.status || r.SPF.Assumed || !strings.Contains(r.SPF.Explanation, tc.expl) {
				t.Errorf("SPF %s (assumed %v): %q; want %s: %q", r.SPF.Status, r.SPF.Assumed, r.SPF.Explanation, tc.status, tc.expl)
			}
			if _, ok := finding1(r, tc.finding); !ok {
				t.Errorf("no %s finding among %v", tc.finding, findingIDs(r.Findings))
			}
		})
	}
}

// TestDiscoveryDiffers: when RFC 7489 and RFC 9989 discovery find
// different records, the verdict follows the receiver's method and the
// report shows the other.
func TestDiscoveryDiffers(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(edgeZone+testZoneSPF, "edge.zone")
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{From: "news@a.mid.deep.example", MailFrom: "b@esp.example", MailFromSet: true, IPs: ips("192.0.2.10")}
	r := Check(context.Background(), config(t, z, "qq"), nil, plan)
	consistent(t, r)
	other := r.DMARC.Alternative()
	if other == nil || other.Method != dmarc.MethodTreeWalk || other.RecordDomain != "mid.deep.example" {
		t.Fatalf("alternative %+v", other)
	}
	if r.DMARC.Evaluation.Method != dmarc.MethodPSL || r.DMARC.Evaluation.Found.RecordDomain != "deep.example" {
		t.Errorf("evaluation by %s at %s", r.DMARC.Evaluation.Method, r.DMARC.Evaluation.Found.RecordDomain)
	}
	f, ok := finding1(r, "dmarc.discovery-differs")
	if !ok || !strings.Contains(f.Detail, `rfc9989 finds "v=DMARC1; p=reject" at _dmarc.mid.deep.example`) {
		t.Errorf("finding %+v", f)
	}
	if a := r.Report.DMARC.Alternative; a == nil || a.Policy != "reject" || a.Discovery != "rfc9989" {
		t.Errorf("report alternative %+v", a)
	}
}

// testZoneSPF authorises the ESP for the discovery test.
const testZoneSPF = `esp.example. 300 TXT "v=spf1 ip4:192.0.2.0/25 -all"
`

// TestDKIMRepair: the repair step follows the cause of the failure.
func TestDKIMRepair(t *testing.T) {
	t.Parallel()
	a := &dmarc.Alignment{Domain: "brand.example", Selector: "s1"}
	for cause, want := range map[dkim.Cause]string{
		dkim.CauseKeyNotFound:  "Publish the public key at s1._domainkey.brand.example.",
		dkim.CauseKeyMismatch:  "Replace the TXT record at s1._domainkey.brand.example",
		dkim.CauseBodyHash:     "Something changed the body after signing",
		dkim.CauseSignature:    "A signed header changed after signing",
		dkim.CauseKeyTooShort:  "Publish a 2048-bit RSA key",
		dkim.CauseExpired:      "longer x= expiry",
		dkim.CauseKeyRevoked:   "sign with a current selector",
		dkim.CauseKeyTemporary: "",
	} {
		sigs := []Signature{
			{DKIM: dkim.Result{Domain: "esp.example", Selector: "s1", Cause: dkim.CauseKeyNotFound}},
			{DKIM: dkim.Result{Domain: "brand.example", Selector: "s1", Cause: cause}},
		}
		if got := dkimRepair(sigs, a); !strings.Contains(got, want) || (want == "") != (got == "") {
			t.Errorf("%s: %q, want one with %q", cause, got, want)
		}
	}
}

func TestExpandPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"b.eml", "a.EML", "notes.txt", "sub/c.eml"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("From: a@b.example\n\nx\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ExpandPaths([]string{"-", dir, filepath.Join(dir, "notes.txt")})
	want := []string{"-", filepath.Join(dir, "a.EML"), filepath.Join(dir, "b.eml"), filepath.Join(dir, "sub/c.eml"), filepath.Join(dir, "notes.txt")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ExpandPaths = %q, %v; want %q", got, err, want)
	}
	if _, err := ExpandPaths([]string{filepath.Join(dir, "missing.eml")}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
	if _, err := ExpandPaths([]string{filepath.Join(dir, "sub", "..", "sub", "c.eml"), t.TempDir()}); err == nil || !strings.Contains(err.Error(), "has no .eml files") {
		t.Errorf("empty folder: %v", err)
	}
	if _, err := ReadMessageFile(dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("ReadMessageFile(folder): %v", err)
	}
}
