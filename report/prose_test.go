package report

import (
	"errors"
	"fmt"
	"strings"
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

func TestTXTLine(t *testing.T) {
	t.Parallel()
	line, n := TXTLine("s1._domainkey.brand.example", `v=DKIM1; k=rsa; p=AB"C`)
	if want := `s1._domainkey.brand.example. TXT "v=DKIM1; k=rsa; p=AB\"C"`; line != want || n != 1 {
		t.Errorf("TXTLine = %q, %d; want %q, 1", line, n, want)
	}
	long := "v=DKIM1; k=rsa; p=" + strings.Repeat("A", 400)
	line, n = TXTLine("s1._domainkey.brand.example.", long)
	if n != 2 || !strings.HasPrefix(line, `s1._domainkey.brand.example. TXT "v=DKIM1; k=rsa; p=AAA`) {
		t.Fatalf("TXTLine = %q, %d", line, n)
	}
	var joined strings.Builder
	quotedParts := strings.Trim(strings.TrimPrefix(line, "s1._domainkey.brand.example. TXT "), `"`)
	for i, s := range strings.Split(quotedParts, `" "`) {
		if i == 0 && len(s) != 255 {
			t.Errorf("first string is %d octets, want 255", len(s))
		}
		joined.WriteString(s)
	}
	if joined.String() != long {
		t.Error("the strings do not join to the record")
	}
}
