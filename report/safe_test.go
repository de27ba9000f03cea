package report

import "testing"

func TestSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text":            "plain text",
		"Grüße, 你好":             "Grüße, 你好",
		"tab\tkept":             "tab\tkept",
		"\x1b[31mred\x1b[0m":    `\x1b[31mred\x1b[0m`,
		"title\x1b]0;pwned\x07": `title\x1b]0;pwned\x07`,
		"line\r\nbreak":         `line\x0d\x0abreak`,
		"c1 \u009b31m":          `c1 \u009b31m`,
		"bidi \u202egnp.exe":    `bidi \u202egnp.exe`,
		"bad utf8 \xff\xfe":     `bad utf8 \xff\xfe`,
		"del \x7f":              `del \x7f`,
		"ls \u2028 nc \ufffe":   `ls \u2028 nc \ufffe`,
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeCopy(t *testing.T) {
	t.Parallel()
	r := &Report{
		Message:  MessageInfo{Subject: "a\x1b[2Jb"},
		Findings: []Finding{{ID: "x", Detail: "\u202eevil"}},
		DMARC:    DMARC{Alternative: &DMARCView{Record: "v=DMARC1\n::error::x"}},
		DNS:      DNS{Queries: 3, Log: []Query{{Answers: []string{"ok", "\x07"}}}},
	}
	c := SafeCopy(r)
	if c.Message.Subject != `a\x1b[2Jb` || c.Findings[0].Detail != `\u202eevil` ||
		c.DMARC.Alternative.Record != `v=DMARC1\x0a::error::x` || c.DNS.Log[0].Answers[1] != `\x07` || c.DNS.Queries != 3 {
		t.Errorf("SafeCopy = %+v", c)
	}
	if r.Message.Subject != "a\x1b[2Jb" || r.DNS.Log[0].Answers[1] != "\x07" || r.DMARC.Alternative.Record != "v=DMARC1\n::error::x" {
		t.Error("SafeCopy modified its argument")
	}
	if SafeCopy(nil) != nil {
		t.Error("SafeCopy(nil) != nil")
	}
}
