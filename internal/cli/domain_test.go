package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	mdns "github.com/miekg/dns"

	"preflight/internal/dnstest"
)

// demoServer serves the demo zone from a real DNS server on loopback.
func demoServer(t *testing.T) *dnstest.Server {
	t.Helper()
	zone, err := os.ReadFile("../../testdata/demo/demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	return dnstest.Start(t, string(zone))
}

type domainJSON struct {
	Kind   string `json:"kind"`
	Domain string `json:"domain"`
	Status string `json:"status"`
	Exists string `json:"exists"`
	DMARC  struct {
		Status string `json:"status"`
		Policy string `json:"policy"`
	} `json:"dmarc"`
	MX struct {
		Status string `json:"status"`
	} `json:"mx"`
	Findings []struct {
		ID string `json:"id"`
	} `json:"findings"`
}

func decodeDomains(t *testing.T, out string) []domainJSON {
	t.Helper()
	var all []domainJSON
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d domainJSON
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatalf("%v in %q", err, line)
		}
		all = append(all, d)
	}
	return all
}

func (d domainJSON) ids() []string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, f.ID)
	}
	return out
}

// TestDomainLoopback audits against a real DNS server on 127.0.0.1: a
// SERVFAIL on one name is a temporary failure (exit 3) reported as
// unknown, never as "no record"; a dropped query times out the same way; a
// definite problem in another domain outranks it (exit 1).
func TestDomainLoopback(t *testing.T) {
	t.Parallel()
	srv := demoServer(t)
	srv.SetFault("_dmarc.brand.example", dnstest.Fault{Rcode: mdns.RcodeServerFailure})

	code, out, stderr := run(t, "domain", "--resolver", srv.Addr, "--format", "json", "brand.example")
	if code != ExitIndeterminate {
		t.Fatalf("SERVFAIL on _dmarc: exit %d, want 3; stderr %q", code, stderr)
	}
	d := decodeDomains(t, out)[0]
	if d.Kind != "domain" || d.Status != "temperror" || d.DMARC.Status != "temperror" || d.Exists != "yes" {
		t.Errorf("got %+v", d)
	}
	if got := d.ids(); !slices.Contains(got, "dmarc.temperror") || slices.Contains(got, "dmarc.no-record") {
		t.Errorf("findings %v: want dmarc.temperror, never dmarc.no-record", got)
	}

	code, out, _ = run(t, "domain", "--resolver", srv.Addr, "brand.example")
	if code != ExitIndeterminate || !strings.Contains(out, "DMARC:   unknown — temporary DNS failure") || strings.Contains(out, "no DMARC record") {
		t.Errorf("text, exit %d:\n%s", code, out)
	}

	// esp.example never answers (a server of its own, so that the other
	// domains, which include esp.example's SPF, are not slowed): its SPF,
	// MX, … time out.
	drop := demoServer(t)
	drop.SetFault("esp.example", dnstest.Fault{Drop: true})
	code, out, _ = run(t, "domain", "--resolver", drop.Addr, "--timeout", "100ms", "--format", "json", "esp.example")
	if code != ExitIndeterminate {
		t.Errorf("dropped queries: exit %d, want 3", code)
	}
	if d := decodeDomains(t, out)[0]; d.Exists != "unknown" || d.MX.Status != "temperror" || slices.Contains(d.ids(), "spf.no-record") || slices.Contains(d.ids(), "domain.no-mx") {
		t.Errorf("dropped queries: %+v", d)
	}

	// A definite problem (nosuch.example does not exist) outranks the
	// temporary failure; output stays in input order.
	code, out, _ = run(t, "domain", "--resolver", srv.Addr, "--format", "json", "brand.example", "nosuch.example", "legacy.example")
	if code != ExitFail {
		t.Errorf("mixed batch: exit %d, want 1", code)
	}
	var got []string
	for _, d := range decodeDomains(t, out) {
		got = append(got, d.Domain+":"+d.Status)
	}
	if want := []string{"brand.example:temperror", "nosuch.example:fail", "legacy.example:warn"}; !slices.Equal(got, want) {
		t.Errorf("mixed batch: %v, want %v", got, want)
	}

	// JUnit: the temporary failure is an <error>, the problem a <failure>.
	_, out, _ = run(t, "domain", "--resolver", srv.Addr, "--format", "junit", "brand.example", "nosuch.example")
	var suites struct {
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil || suites.Failures != 1 || suites.Errors != 1 {
		t.Errorf("junit: %v, failures %d errors %d:\n%s", err, suites.Failures, suites.Errors, out)
	}

	// Healthy: exit 0.
	srv.SetFault("_dmarc.brand.example", dnstest.Fault{})
	if code, out, stderr := run(t, "domain", "--resolver", srv.Addr, "-q", "brand.example"); code != 0 || !strings.HasPrefix(out, "✓ brand.example: DMARC p=reject") {
		t.Errorf("healthy: exit %d %q %q", code, out, stderr)
	}
}

// TestDomainRecordReplay records an audit from the loopback server and
// replays it offline with --zone: the same verdicts and findings.
func TestDomainRecordReplay(t *testing.T) {
	t.Parallel()
	srv := demoServer(t)
	rec := filepath.Join(t.TempDir(), "run.zone")
	args := []string{"--format", "json", "--selector", "s1", "brand.example", "esp.example", "nosuch.example", "notify.brand.example"}
	code1, live, _ := run(t, append([]string{"domain", "--resolver", srv.Addr, "--record", rec}, args...)...)
	code2, replay, stderr := run(t, append([]string{"domain", "--zone", rec}, args...)...)
	if code1 != code2 {
		t.Errorf("exit %d live, %d replayed (%s)", code1, code2, stderr)
	}
	a, b := decodeDomains(t, live), decodeDomains(t, replay)
	for i := range a {
		if a[i].Status != b[i].Status || !slices.Equal(a[i].ids(), b[i].ids()) {
			t.Errorf("%s: live %s %v, replayed %s %v", a[i].Domain, a[i].Status, a[i].ids(), b[i].Status, b[i].ids())
		}
	}
}

// TestDomainCSV reads the CSV back: a header, one row per domain, the
// same number of fields in each, and no cell a spreadsheet would run as a
// formula.
func TestDomainCSV(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	in := "brand.example\n=HYPERLINK(\"http://evil.example\")\n+1.example\n-minus.example\n@at.example\nnosuch.example\n"
	code := Run(context.Background(), []string{"domain", "--zone", "../../testdata/demo/demo.zone", "--format", "csv", "--receiver", "all", "-"},
		strings.NewReader(in), &out, &errb)
	if code != ExitUsage {
		t.Errorf("exit %d, want 2 (some inputs are not domains); stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "\r\n") {
		t.Errorf("CSV lines do not end in CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows, want a header and 6", len(rows))
	}
	for _, col := range []string{"domain", "status", "dmarc_policy", "spf_lookups", "qq_if_dmarc_fails", "microsoft_if_dmarc_fails", "findings"} {
		if !slices.Contains(rows[0], col) {
			t.Errorf("header lacks %s: %v", col, rows[0])
		}
	}
	for i, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("row %d: cell %q starts a formula", i, cell)
			}
		}
	}
	if rows[1][0] != "brand.example" || rows[2][1] != `'=HYPERLINK("http://evil.example")` {
		t.Errorf("rows %q / %q", rows[1][:3], rows[2][:3])
	}
}

// TestDomainInputs covers the list reader: comments, blank lines, a BOM,
// CRLF, a binary file and an empty list.
func TestDomainInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	list := write("list.txt", "\ufeffbrand.example\r\n# comment\r\n\r\n  esp.example  # trailing\r\n")
	bin := write("bin.dat", "brand.example\x00\x01\x02")
	empty := write("empty.txt", "# nothing\n\n")
	zone := "../../testdata/demo/demo.zone"

	code, out, stderr := run(t, "domain", "--zone", zone, "-q", list, "shop.example")
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, "✓ brand.example") || !strings.Contains(out, "shop.example") {
		t.Errorf("list: exit %d\n%s%s", code, out, stderr)
	}
	if code, _, stderr := run(t, "domain", "--zone", zone, bin); code != ExitUsage || !strings.Contains(stderr, "NUL") {
		t.Errorf("binary: exit %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "domain", "--zone", zone, empty); code != ExitUsage || !strings.Contains(stderr, "empty") {
		t.Errorf("empty: exit %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "domain", "--zone", zone, "-", "-"); code != ExitUsage || !strings.Contains(stderr, "twice") {
		t.Errorf("stdin twice: exit %d %q", code, stderr)
	}
}
