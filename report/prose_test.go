package report

import (
	"errors"
	"fmt"
	"testing"
)

func TestProse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"dmarc: no DMARC record at _dmarc.x.example (NXDOMAIN)", "no DMARC record at _dmarc.x.example (NXDOMAIN)"},
		{"spf: too many DNS lookups: term 11, the limit is 10", "too many DNS lookups: term 11, the limit is 10"},
		{"lookup x TXT: dns: temporary DNS failure", "lookup x TXT: temporary DNS failure"},
		{"dmarc: discovery failed (dns: server answered SERVFAIL)", "discovery failed (server answered SERVFAIL)"},
		{"v=spf1 include:spf.example -all", "v=spf1 include:spf.example -all"},
		{"mailto:dns: odd", "mailto:dns: odd"},
		{"plain sentence", "plain sentence"},
		{"bounce: input is not a bounce: no reply", "input is not a bounce: no reply"},
	} {
		if got := Prose(tc.in); got != tc.want {
			t.Errorf("Prose(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	err := fmt.Errorf("dkim: key lookup: %w", errors.New("dns: no answer"))
	if got, want := ErrorText(err), "key lookup: no answer"; got != want {
		t.Errorf("ErrorText = %q, want %q", got, want)
	}
	if ErrorText(nil) != "" {
		t.Error("ErrorText(nil) is not empty")
	}
}
