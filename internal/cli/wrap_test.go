package cli

import (
	"strings"
	"testing"
)

// TestNarrowTerminalKeepsRecordsWhole: on a 50-column terminal the prose
// wraps, but the DMARC record, the records to publish and the commands to
// run each stay on one line, whole (copy, paste, act).
func TestNarrowTerminalKeepsRecordsWhole(t *testing.T) {
	t.Setenv("COLUMNS", "50")
	code, out, stderr := run(t, "check", "--zone", demoDir+"demo.zone", "--now", "2026-12-01T00:00:00Z", demoDir+"esp-defaults.eml")
	if code != ExitFail {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, whole := range []string{
		`"v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@brand.example"`,
		"preflight dkim --domain brand.example --selector s1",
		`s1._domainkey.brand.example. TXT "v=DKIM1; k=rsa; p=<public key from your ESP>"`,
	} {
		found := false
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) == whole || strings.HasSuffix(strings.TrimSpace(l), whole) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q is not whole on a line of its own:\n%s", whole, out)
		}
	}
	wrapped := 0
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) <= 50 {
			wrapped++
		}
	}
	if wrapped < 20 {
		t.Errorf("the prose does not seem wrapped at 50 columns:\n%s", out)
	}
}
