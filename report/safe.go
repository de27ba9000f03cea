package report

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Safe makes an untrusted string (a header value, a TXT record, a bounce
// line) harmless on a terminal: control characters (C0, DEL, C1, which
// include ESC and so every terminal escape sequence), Unicode bidirectional
// overrides, the Unicode line separators, the non-characters U+FFFE and
// U+FFFF and invalid UTF-8 are shown as Go-style escapes (\x1b, \u202e)
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
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators: line breaks to some viewers
	case r == 0xfffe, r == 0xffff:
		return true // non-characters, not allowed in XML
	}
	return false
}

// SafeCopy returns a deep copy of r with every string passed through Safe.
// A renderer for a terminal can use it as a second line of defence: after
// it, no field of the report, trusted or not, holds a control character.
// r is not modified.
func SafeCopy(r *Report) *Report {
	if r == nil {
		return nil
	}
	out := safeValue(*r)
	return &out
}

func safeCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(Safe(src.String()))
	case reflect.Struct:
		if !exportedOnly(src.Type()) {
			// A value type of another package (time.Time, netip.Addr):
			// not text, copied as it is.
			dst.Set(src)
			return
		}
		for i := 0; i < src.NumField(); i++ {
			safeCopy(dst.Field(i), src.Field(i))
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			safeCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		safeCopy(p.Elem(), src.Elem())
		dst.Set(p)
	default:
		dst.Set(src)
	}
}

// exportedOnly reports whether every field of the struct type t is
// exported.
func exportedOnly(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			return false
		}
	}
	return true
}
