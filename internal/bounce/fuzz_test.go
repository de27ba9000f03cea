package bounce

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseReply: any string parses without panicking; a code found is a
// reply code, and an enhanced code found agrees with it in class or the
// code was dropped as the reporting MTA's own.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"550-5.7.26 a\n550 5.7.26 b",
		"550-'5.7.1 <a@b>... Access denied' (delivery attempts: 0)",
		"554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>",
		"554 <a@b.example>... 550 Host unknown",
		"550: : User unknown",
		"550 - Requested action not taken",
		"550 SPF check failed [MHPq59E  IP: 192.0.2.165]. https://service.mail.qq.com/detail/122/72.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := ParseReply(s)
		if r.Code != "" && (len(r.Code) != 3 || !strings.ContainsRune("245", rune(r.Code[0]))) {
			t.Fatalf("code %q from %q", r.Code, s)
		}
		if r.Code != "" && r.Enhanced != "" && r.Code[0] != r.Enhanced[0] {
			t.Fatalf("code %q and enhanced %q disagree in class", r.Code, r.Enhanced)
		}
		if r.Enhanced != "" && !enhancedRE.MatchString(r.Enhanced) {
			t.Fatalf("enhanced %q", r.Enhanced)
		}
	})
}

// FuzzDecodeHeader: any header value and any charset label decode to valid
// UTF-8 without panicking.
func FuzzDecodeHeader(f *testing.F) {
	f.Add("=?GBK?B?z7XNs83L0MU=?=", "gbk", []byte("\xcd\xcb\xd0\xc5"))
	f.Add("=?ISO-2022-JP?B?GyRCJWEhPCVrGyhC?= x", "iso-2022-jp", []byte("\x1b$B%a!<%k\x1b(B"))
	f.Add("=?x-unknown?Q?a?= =?utf-8?Q?b?=", "koi8-r", []byte("\xf0\xc9\xd3\xd8\xcd\xcf"))
	f.Fuzz(func(t *testing.T, header, charset string, body []byte) {
		if h := decodeHeader(header); utf8.ValidString(header) && !utf8.ValidString(h) {
			t.Fatalf("decodeHeader(%q) = %q, not UTF-8", header, h)
		}
		if out := decodeCharset(charset, body); !utf8.Valid(out) {
			t.Fatalf("decodeCharset(%q, %q) = %q, not UTF-8", charset, body, out)
		}
	})
}
