package report

import "strings"

// errPrefixes are the package prefixes of preflight's error texts
// ("dmarc: no DMARC record …"): right in a log line, noise in a sentence.
var errPrefixes = []string{"dmarc: ", "spf: ", "dkim: ", "dns: ", "check: ", "bounce: ", "report: ", "receiver: ", "audit: "}

// ErrorText is err as prose: its text without the package prefixes that
// Go errors carry ("dmarc: no DMARC record at _dmarc.x (NXDOMAIN)" reads
// "no DMARC record at _dmarc.x (NXDOMAIN)"), including those of the errors
// it wraps. "" for nil. Every renderer shows errors through it (or Prose,
// for an error already stored as text); JSON keeps the error as it was.
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	return Prose(err.Error())
}

// Prose strips the package prefixes from an error text (see ErrorText):
// at its start and wherever a wrapped error's text begins (after ": " or an
// opening parenthesis), never inside a sentence ("not a bounce: …").
func Prose(s string) string {
	if !strings.Contains(s, ": ") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i == 0 || s[i-1] == '(' || strings.HasSuffix(s[:i], ": ") {
			if p := prefixAt(s[i:]); p > 0 {
				i += p
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func prefixAt(s string) int {
	for _, p := range errPrefixes {
		if strings.HasPrefix(s, p) {
			return len(p)
		}
	}
	return 0
}

// maxTXTString is the most octets one character-string of a TXT record
// holds (RFC 1035 §3.3: a length octet).
const maxTXTString = 255

// TXTLine writes a TXT record as a zone-file line to publish:
// `name. TXT "…"`, the text split into quoted strings of at most 255
// octets where it is longer (RFC 7208 §3.3, RFC 6376 §3.6.2.2: receivers
// join them without separator). strings is how many there are.
func TXTLine(name, text string) (line string, nstrings int) {
	var parts []string
	for len(text) > maxTXTString {
		parts = append(parts, text[:maxTXTString])
		text = text[maxTXTString:]
	}
	parts = append(parts, text)
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(name, ".") + ". TXT")
	for _, p := range parts {
		b.WriteString(` "`)
		for i := 0; i < len(p); i++ {
			if c := p[i]; c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(p[i])
		}
		b.WriteByte('"')
	}
	return b.String(), len(parts)
}
