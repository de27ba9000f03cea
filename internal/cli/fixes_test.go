package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"preflight/report"
)

// proofKey is a valid RSA public key to put where a fix says
// "<public key from your ESP>", as a user would put the ESP's key.
const proofKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxQcQ+cxDoxXTI2PoyV3viOEaqQj4S9C9P85JR1NkZEw0TtohmSVZ1lrrxhutgLjaIEYnQuoqLij+XWs+EZaRMHiy1zY/q7OYi0csmqN8cVyDIl3WEkq/MTAraeucRz2hSfDUu2d9yvXetA2a06G5aBTyWtz4SM8X+x7HErfIiYwwL9ErI5duwWijD/v2kjt5TV5nHHisMTXprJ/pGDjFbry3oNfUxsebTrZRbNHYkSDMUrZI77kwGSPALn1ypMexiX82gNZORMH+aIxQbqjBQUlMoS4hn/z2l7nJNg/eiY7/TMGPYMkZjaRKNBchqVYWP4NY4eO4+AILA89bjJBSZwIDAQAB"

func runJSON(t *testing.T, args []string) (*report.Report, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), append(args, "--format", "json"), strings.NewReader(""), &out, &errb)
	if code == ExitUsage {
		t.Fatalf("preflight %s: exit 2: %s", strings.Join(args, " "), errb.String())
	}
	var rep report.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("preflight %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return &rep, code
}

// TestFixesAreProven applies every fix the demo scenarios get, as a user
// would: its records saved as the overlay file its verify command names
// (the ESP's key in place of the placeholder), then that very command run.
// A fix said sufficient for a receiver must make it accept the message with
// DMARC passing (or not failing); one said not sufficient must not.
func TestFixesAreProven(t *testing.T) {
	t.Chdir("../..")
	t.Setenv("PREFLIGHT_RESOLV_CONF", "/nonexistent/resolv.conf")
	zone := []string{"--zone", "testdata/demo/demo.zone", "--now", "2026-12-01T00:00:00Z"}
	cases := [][]string{}
	msgs, _ := filepath.Glob("testdata/demo/*.eml")
	for _, m := range msgs {
		cases = append(cases, []string{m}, []string{"--receiver", "all", m}, []string{"--receiver", "all", "--bulk", m})
	}
	cases = append(cases,
		[]string{"--from", "news@brand.example", "--mail-from", "bounce@esp.example", "--ip", "192.0.2.10"},
		[]string{"--receiver", "all", "--from", "news@brand.example", "--mail-from", "bounce@esp.example", "--ip", "192.0.2.10", "--expect-dkim", "esp.example:s1"},
		[]string{"--from", "news@legacy.example", "--mail-from", "bounce@legacy.example", "--ip", "192.0.2.10", "--receiver", "gmail,qq"},
	)
	proven := 0
	for _, c := range cases {
		rep, _ := runJSON(t, append(append([]string{"check"}, zone...), c...))
		for n, f := range rep.Fixes {
			if f.Verify == "" {
				if f.Unproven == "" {
					t.Errorf("%v: fix %d has neither a verify command nor a reason", c, n+1)
				}
				continue
			}
			dir := t.TempDir()
			words, err := splitWords(strings.TrimPrefix(f.Verify, "preflight "))
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range words {
				if strings.HasPrefix(w, "fix-") && strings.HasSuffix(w, ".zone") {
					path := filepath.Join(dir, w)
					recs := strings.ReplaceAll(strings.Join(f.Records, "\n"), "<public key from your ESP>", proofKey)
					if err := os.WriteFile(path, []byte(recs+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					words[i] = path
				}
			}
			after, _ := runJSON(t, words)
			verdicts := after.Verdicts
			if len(verdicts) == 0 {
				verdicts = []report.Verdict{after.Verdict}
			}
			for _, v := range verdicts {
				suff, decided := f.Sufficient[v.Receiver]
				if !decided {
					continue
				}
				ok := v.Disposition == report.DispositionAccept && (after.DMARC.Result == "pass" || rep.DMARC.Result != "fail")
				if ok != suff {
					t.Errorf("%v, fix %d %q at %s: sufficient = %v, but the verify command gives %s (DMARC %s): %s",
						c, n+1, f.Title, v.Receiver, suff, v.Disposition, after.DMARC.Result, f.Verify)
				}
				if want := f.After[v.Receiver]; want.Disposition != v.Disposition || want.SMTPReply != v.SMTPReply {
					t.Errorf("%v, fix %d at %s: after %+v, the verify command gives %s %q", c, n+1, v.Receiver, want, v.Disposition, v.SMTPReply)
				}
				proven++
			}
		}
	}
	if proven < 50 {
		t.Errorf("only %d (fix, receiver) proofs checked", proven)
	}
	t.Logf("%d (fix, receiver) proofs applied and checked", proven)
}
