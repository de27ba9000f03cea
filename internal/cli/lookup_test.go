package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"preflight/internal/dnstest"
)

const loopZone = `$ORIGIN example.org.
@     300 IN TXT  "v=spf1 " "-all"
@     300 IN MX   10 mx
mx    300 IN A    192.0.2.1
mx    300 IN AAAA 2001:db8::1
1.2.0.192.in-addr.arpa. 300 IN PTR mx.example.org.
broken 300 IN TXT "never served"
@     300 IN NS   ns1
@     300 IN SOA  ns1 hostmaster 2026011501 7200 3600 1209600 300
@     300 IN CAA  0 issue "ca.example"
s1._domainkey 300 IN CNAME s1.dkim.esp.example.
_25._tcp.mx 300 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
`

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestLookupLoopback asks a real DNS server on loopback and checks each
// answer type, NXDOMAIN vs NODATA, SERVFAIL as a temporary failure (exit 3),
// and that --record then --zone replays the same answers offline.
func TestLookupLoopback(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, loopZone)
	srv.SetFault("broken.example.org", dnstest.Fault{Rcode: dns.RcodeServerFailure})
	record := filepath.Join(t.TempDir(), "run")
	cases := []struct {
		typ, name, status string
		answers           []string
	}{
		{"TXT", "example.org", "answer", []string{"v=spf1 -all"}},
		{"MX", "example.org", "answer", []string{"10 mx.example.org."}},
		{"A", "mx.example.org", "answer", []string{"192.0.2.1"}},
		{"AAAA", "mx.example.org", "answer", []string{"2001:db8::1"}},
		{"PTR", "192.0.2.1", "answer", []string{"mx.example.org."}},
		{"TXT", "mx.example.org", "nodata", []string{}},
		{"TXT", "nope.example.org", "nxdomain", []string{}},
		{"NS", "example.org", "answer", []string{"ns1.example.org."}},
		{"SOA", "example.org", "answer", []string{"ns1.example.org. hostmaster.example.org. 2026011501 7200 3600 1209600 300"}},
		{"CAA", "example.org", "answer", []string{`0 issue "ca.example"`}},
		{"TLSA", "_25._tcp.mx.example.org", "answer", []string{"3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
		// The alias itself, not followed (a delegated DKIM selector).
		{"CNAME", "s1._domainkey.example.org", "answer", []string{"s1.dkim.esp.example."}},
		{"cname", "mx.example.org", "nodata", []string{}},
	}
	type got struct {
		Status  string   `json:"status"`
		Answers []string `json:"answers"`
		Rcode   string   `json:"rcode"`
		Source  string   `json:"source"`
	}
	for _, tc := range cases {
		code, out, stderr := run(t, "lookup", "--resolver", srv.Addr, "--format", "json", tc.typ, tc.name)
		if code != 0 {
			t.Fatalf("%s %s: exit %d, stderr %q", tc.typ, tc.name, code, stderr)
		}
		var g got
		if err := json.Unmarshal([]byte(out), &g); err != nil {
			t.Fatalf("%s %s: %v in %q", tc.typ, tc.name, err, out)
		}
		if g.Status != tc.status || strings.Join(g.Answers, "|") != strings.Join(tc.answers, "|") {
			t.Errorf("%s %s = %s %q, want %s %q", tc.typ, tc.name, g.Status, g.Answers, tc.status, tc.answers)
		}
		if g.Source != "udp "+srv.Addr {
			t.Errorf("%s %s: source %q", tc.typ, tc.name, g.Source)
		}
	}

	code, out, _ := run(t, "lookup", "--resolver", srv.Addr, "TXT", "broken.example.org")
	if code != ExitIndeterminate || !strings.Contains(out, "temporary") || !strings.Contains(out, "SERVFAIL") {
		t.Errorf("SERVFAIL: exit %d, output %q; want exit 3 saying temporary and SERVFAIL", code, out)
	}
	code, out, _ = run(t, "lookup", "--resolver", srv.Addr, "--format", "json", "TXT", "broken.example.org")
	if code != ExitIndeterminate || !strings.Contains(out, `"status":"temperror"`) || !strings.Contains(out, `"rcode":"SERVFAIL"`) {
		t.Errorf("SERVFAIL json: exit %d, %q", code, out)
	}

	// Record a NODATA answer, then replay it offline: it must stay NODATA
	// (not become NXDOMAIN), and an NXDOMAIN must stay NXDOMAIN.
	for _, q := range [][2]string{{"TXT", "mx.example.org"}, {"TXT", "nope.example.org"}, {"MX", "example.org"},
		{"SOA", "example.org"}, {"CAA", "example.org"}, {"TLSA", "_25._tcp.mx.example.org"}, {"CNAME", "s1._domainkey.example.org"}, {"NS", "example.org"}} {
		rec := record + "." + q[0] + "." + q[1]
		code, live, _ := run(t, "lookup", "--resolver", srv.Addr, "--record", rec, "--format", "json", q[0], q[1])
		if code != 0 {
			t.Fatalf("record %v: exit %d", q, code)
		}
		code, replay, stderr := run(t, "lookup", "--zone", rec, "--format", "json", q[0], q[1])
		if code != 0 {
			t.Fatalf("replay %v: exit %d %s", q, code, stderr)
		}
		var a, b got
		json.Unmarshal([]byte(live), &a)
		json.Unmarshal([]byte(replay), &b)
		if a.Status != b.Status || a.Rcode != b.Rcode || strings.Join(a.Answers, "|") != strings.Join(b.Answers, "|") {
			t.Errorf("replay of %v: live %+v, replay %+v", q, a, b)
		}
	}

	// A recording with a failure says so and warns.
	rec := record + ".broken"
	code, _, stderr := run(t, "lookup", "--resolver", srv.Addr, "--record", rec, "TXT", "broken.example.org")
	if code != ExitIndeterminate || !strings.Contains(stderr, "incomplete") {
		t.Errorf("recording a failure: exit %d, stderr %q", code, stderr)
	}
	data, err := os.ReadFile(rec)
	if err != nil || !strings.Contains(string(data), "TEMPERROR broken.example.org TXT") {
		t.Errorf("recording %q, %v", data, err)
	}
}

func TestLookupTimeoutIsTemporary(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, loopZone)
	srv.SetFault("*", dnstest.Fault{Drop: true})
	code, out, _ := run(t, "lookup", "--resolver", srv.Addr, "--timeout", "100ms", "MX", "example.org")
	if code != ExitIndeterminate || !strings.Contains(out, "temporary") || !strings.Contains(out, "no answer within 100ms") {
		t.Errorf("timeout: exit %d, %q", code, out)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, "version")
	if code != 0 || !strings.Contains(out, "preflight ") || !strings.Contains(out, "go1.") || !strings.Contains(out, "github.com/miekg/dns") {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestLookupDigHabits: NAME TYPE in either order, @SERVER and +short, as
// dig takes them.
func TestLookupDigHabits(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, loopZone)
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--resolver", srv.Addr, "example.org", "MX", "+short"}, 0, "10 mx.example.org.\n"},
		{[]string{"s1._domainkey.example.org", "CNAME", "@" + srv.Addr, "+short"}, 0, "s1.dkim.esp.example.\n"},
		{[]string{"+short", "@" + srv.Addr, "TXT", "example.org"}, 0, "\"v=spf1 -all\"\n"},
		{[]string{"@" + srv.Addr, "+short", "A", "nope.example.org"}, 0, ""},
		{[]string{"@" + srv.Addr, "+trace", "A", "example.org"}, 2, ""},
	} {
		code, out, stderr := run(t, append([]string{"lookup"}, tc.args...)...)
		if code != tc.code || out != tc.out {
			t.Errorf("lookup %v: exit %d, %q (stderr %q); want exit %d, %q", tc.args, code, out, stderr, tc.code, tc.out)
		}
	}
}
