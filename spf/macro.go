package spf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// MacroString is a parsed macro-string (RFC 7208 §7.1): literal text with
// %{...} expansions, "%%", "%_" and "%-".
type MacroString struct {
	raw   string
	parts []macroPart
}

type macroPart struct {
	lit     string // literal text, when letter == 0
	letter  byte   // lower-case macro letter, 0 for a literal
	upper   bool   // URL-escape the expansion (RFC 7208 §7.3)
	digits  int    // keep this many right-hand parts; 0 = all
	reverse bool
	delims  string // split on these; "" means "."
}

// ParseMacroString parses s as a macro-string. With explain set it parses
// an explain-string instead (RFC 7208 §6.2, §7.1): spaces are allowed and
// so are the c, r and t macro letters, which are errors elsewhere (§7.2).
// Errors are *SyntaxError with Pos relative to s.
func ParseMacroString(s string, explain bool) (*MacroString, error) {
	ms := &MacroString{raw: s}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			ms.parts = append(ms.parts, macroPart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			if c < 0x21 || c > 0x7e {
				if !(explain && c == ' ') {
					return nil, &SyntaxError{Pos: i, Msg: fmt.Sprintf("character 0x%02x is not allowed in a macro string", c)}
				}
			}
			lit.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return nil, &SyntaxError{Pos: i, Msg: "lone '%' at the end of a macro string (write %% for a percent sign)"}
		}
		switch s[i+1] {
		case '%':
			lit.WriteByte('%')
			i++
			continue
		case '_':
			lit.WriteByte(' ')
			i++
			continue
		case '-':
			lit.WriteString("%20")
			i++
			continue
		case '{':
		default:
			return nil, &SyntaxError{Pos: i, Msg: fmt.Sprintf("'%%' must be followed by '{', '%%', '_' or '-', not %q", s[i+1])}
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, &SyntaxError{Pos: i, Msg: "unterminated macro (missing '}')"}
		}
		p, err := parseMacroExpand(s[i+2:i+end], explain)
		if err != nil {
			return nil, &SyntaxError{Pos: i, Msg: err.Error()}
		}
		flush()
		ms.parts = append(ms.parts, p)
		i += end
	}
	flush()
	return ms, nil
}

// parseMacroExpand parses the inside of %{...}: a letter, transformers
// (*DIGIT ["r"]) and delimiters (RFC 7208 §7.1).
func parseMacroExpand(s string, explain bool) (macroPart, error) {
	if s == "" {
		return macroPart{}, fmt.Errorf("empty macro %%{}")
	}
	p := macroPart{letter: s[0] | 0x20, upper: s[0] >= 'A' && s[0] <= 'Z'}
	switch p.letter {
	case 's', 'l', 'o', 'd', 'i', 'p', 'h', 'v':
	case 'c', 'r', 't':
		if !explain {
			return macroPart{}, fmt.Errorf("macro letter %q is allowed only in explanations (RFC 7208 §7.2)", s[0])
		}
	default:
		return macroPart{}, fmt.Errorf("unknown macro letter %q", s[0])
	}
	rest := s[1:]
	n := 0
	for n < len(rest) && isDigit(rest[n]) {
		n++
	}
	if n > 0 {
		d := rest[:n]
		v, err := strconv.Atoi(d)
		if err != nil || v > 128 {
			v = 128 // more parts than any name has: keep them all
		}
		if strings.Trim(d, "0") == "" {
			return macroPart{}, fmt.Errorf("macro transformer digit must be nonzero (RFC 7208 §7.3)")
		}
		p.digits = v
		rest = rest[n:]
	}
	if rest != "" && (rest[0] == 'r' || rest[0] == 'R') {
		p.reverse = true
		rest = rest[1:]
	}
	for i := 0; i < len(rest); i++ {
		if !strings.ContainsRune(".-+,/_=", rune(rest[i])) {
			return macroPart{}, fmt.Errorf("invalid macro delimiter %q", rest[i])
		}
	}
	p.delims = rest
	return p, nil
}

// String returns the macro string as written.
func (m *MacroString) String() string {
	if m == nil {
		return ""
	}
	return m.raw
}

// HasMacros reports whether m contains any %{...} expansion, that is,
// whether its value depends on the message or the connection. Such a
// domain-spec cannot be resolved (flattened) without them.
func (m *MacroString) HasMacros() bool {
	for _, p := range m.parts {
		if p.letter != 0 {
			return true
		}
	}
	return false
}

// usesLetter reports whether m expands the macro letter l.
func (m *MacroString) usesLetter(l byte) bool {
	for _, p := range m.parts {
		if p.letter == l {
			return true
		}
	}
	return false
}

// onlyLetters reports whether every macro of m uses one of letters.
func (m *MacroString) onlyLetters(letters string) bool {
	for _, p := range m.parts {
		if p.letter != 0 && strings.IndexByte(letters, p.letter) < 0 {
			return false
		}
	}
	return true
}

// macroEnv holds the values the macro letters expand to (RFC 7208 §7.2).
type macroEnv struct {
	sender       string // s
	local        string // l
	senderDomain string // o
	domain       string // d
	ip           netip.Addr
	helo         string // h
	receiver     string // r
	now          time.Time
	ptr          func() string // p: the validated domain name, or "unknown"
}

// expand returns the expansion of m in env (RFC 7208 §7.3, §7.4).
func (m *MacroString) expand(env *macroEnv) string {
	var b strings.Builder
	for _, p := range m.parts {
		if p.letter == 0 {
			b.WriteString(p.lit)
			continue
		}
		var v string
		switch p.letter {
		case 's':
			v = env.sender
		case 'l':
			v = env.local
		case 'o':
			v = env.senderDomain
		case 'd':
			v = env.domain
		case 'i':
			v = dottedIP(env.ip)
		case 'p':
			v = "unknown"
			if env.ptr != nil {
				v = env.ptr()
			}
		case 'v':
			v = "in-addr"
			if env.ip.Is6() {
				v = "ip6"
			}
		case 'h':
			v = env.helo
		case 'c':
			v = env.ip.String()
		case 'r':
			v = env.receiver
			if v == "" {
				v = "unknown"
			}
		case 't':
			v = strconv.FormatInt(env.now.Unix(), 10)
		}
		v = transform(v, p)
		if p.upper {
			v = urlEscape(v)
		}
		b.WriteString(v)
	}
	return b.String()
}

// dottedIP is the %{i} form: dotted quad for IPv4, dot-separated nibbles
// for IPv6 (RFC 7208 §7.3). The nibbles are upper case, as pyspf writes
// them and the open-spf suite expects in explanations (v-macro-ip6); the
// RFC's §7.4 example happens to use lower case. DNS names compare without
// case, so only explanation text can tell.
func dottedIP(ip netip.Addr) string {
	if ip.Is4() {
		return ip.String()
	}
	const hex = "0123456789ABCDEF"
	a := ip.As16()
	var b strings.Builder
	for i, x := range a {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteByte(hex[x>>4])
		b.WriteByte('.')
		b.WriteByte(hex[x&0xf])
	}
	return b.String()
}

func transform(v string, p macroPart) string {
	if p.digits == 0 && !p.reverse && (p.delims == "" || p.delims == ".") {
		return v
	}
	delims := p.delims
	if delims == "" {
		delims = "."
	}
	parts := splitAny(v, delims)
	if p.reverse {
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
	}
	if p.digits > 0 && p.digits < len(parts) {
		parts = parts[len(parts)-p.digits:]
	}
	return strings.Join(parts, ".")
}

func splitAny(s, delims string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(delims, s[i]) >= 0 {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// urlEscape escapes every octet outside RFC 3986 "unreserved".
func urlEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// queryName turns an expanded domain-spec into a name to ask: a trailing
// dot removed and, when it is over 253 octets, labels removed from the
// left until it fits (RFC 7208 §7.3). It reports false when the result is
// not a valid multi-label name.
func queryName(s string) (string, bool) {
	s = strings.TrimSuffix(s, ".")
	for len(s) > 253 {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return "", false
		}
		s = s[i+1:]
	}
	return s, validDomain(s)
}

// validDomain reports whether s is a multi-label domain name with labels
// of 1 to 63 octets, as check_host() requires of <domain> (RFC 7208 §4.3).
func validDomain(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
	}
	return true
}
