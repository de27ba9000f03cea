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

const spfLiveZone = `
brand.example.     3600 IN TXT "v=spf1 include:esp.example -all"
esp.example.       3600 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
broken.example.    3600 IN TXT "v=spf1 include:down.example -all"
`

// TestSPFLiveDNS runs the spf command against a real DNS server on
// loopback: a temporary failure (SERVFAIL) in the include tree gives
// temperror and exit code 3, never "no record".
func TestSPFLiveDNS(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, spfLiveZone)
	srv.SetFault("down.example", dnstest.Fault{Rcode: dns.RcodeServerFailure})
	tests := []struct {
		name   string
		args   []string
		exit   int
		result string
	}{
		{name: "pass", args: []string{"brand.example", "192.0.2.7"}, exit: ExitOK, result: "pass"},
		{name: "fail", args: []string{"brand.example", "198.51.100.7"}, exit: ExitOK, result: "fail"},
		{name: "servfail in include", args: []string{"broken.example", "192.0.2.7"}, exit: ExitIndeterminate, result: "temperror"},
		{name: "analysis", args: []string{"brand.example"}, exit: ExitOK},
		{name: "analysis with a servfail in the tree", args: []string{"broken.example"}, exit: ExitIndeterminate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			args := append([]string{"spf", "--resolver", srv.Addr, "--timeout", "1s", "--format", "json"}, tc.args...)
			code := Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.exit {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.exit, stderr.String())
			}
			var out map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatalf("output is not one JSON object: %v\n%s", err, stdout.String())
			}
			if tc.result != "" && out["result"] != tc.result {
				t.Errorf("result %v, want %s", out["result"], tc.result)
			}
			if tc.result == "" {
				if _, ok := out["networks"]; !ok {
					t.Errorf("analysis without networks: %s", stdout.String())
				}
			}
		})
	}
}

// TestSPFJSONContract checks the field names the issue fixes.
func TestSPFJSONContract(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"spf", "--zone", "../../spf/testdata/cli.zone", "--format", "json", "shop.example", "192.0.2.25", "2001:db8:e5::1"},
		strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON line per IP, got %d", len(lines))
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"domain", "ip", "result", "mechanism", "explanation", "lookups", "void_lookups", "trace"} {
			if _, ok := m[k]; !ok {
				t.Errorf("field %q missing in %s", k, l)
			}
		}
	}
	stdout.Reset()
	code = Run(context.Background(), []string{"spf", "--zone", "../../spf/testdata/cli.zone", "--format", "json", "shop.example"}, strings.NewReader(""), &stdout, &stderr)
	var m map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	for _, k := range []string{"domain", "lookups", "networks", "warnings"} {
		if _, ok := m[k]; !ok {
			t.Errorf("field %q missing in %s", k, stdout.String())
		}
	}
}

// TestSPFRecordFlagIsPolicy: --record 'v=spf1 …' is the what-if record and
// writes no file; any other --record value still records the DNS answers.
func TestSPFRecordFlagIsPolicy(t *testing.T) {
	zone, err := filepath.Abs("../../spf/testdata/cli.zone")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"spf", "--zone", zone, "--format", "json", "--record", "v=spf1 ip4:203.0.113.0/24 -all", "shop.example", "203.0.113.5"},
		strings.NewReader(""), &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), `"result":"pass"`) {
		t.Fatalf("exit %d, %s %s", code, stdout.String(), stderr.String())
	}
	if files, _ := os.ReadDir("."); len(files) != 0 {
		t.Errorf("--record 'v=spf1 …' wrote %v", files)
	}
	code = Run(context.Background(), []string{"spf", "--zone", zone, "--record", "seen.zone", "shop.example", "192.0.2.25"},
		strings.NewReader(""), &stdout, &stderr)
	if _, err := os.Stat("seen.zone"); code != 0 || err != nil {
		t.Errorf("--record FILE: exit %d, %v", code, err)
	}
}
