package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Safe makes an untrusted string (a header value, a TXT record, a bounce
// line) harmless on a terminal: control characters (C0, DEL, C1, which
// include ESC and so every terminal escape sequence), Unicode bidirectional
// overrides and invalid UTF-8 are shown as Go-style escapes (\x1b, \u202e)
// instead of being written raw. Ordinary text, including non-ASCII letters,
// is unchanged.
func Safe(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	if r == '\t' {
		return false
	}
	if unicode.IsControl(r) { // C0, DEL, C1
		return true
	}
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidi controls (Trojan Source)
	}
	return false
}
