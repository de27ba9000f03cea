package spf

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// This file is the pure grammar of RFC 7208 §4.5, §4.6, §5, §6 and §7.1
// (ABNF in §12): it turns the text of a TXT record into a Record and back.
// It does no DNS and no evaluation, so a record can be linted offline.

// ErrSyntax is matched (errors.Is) by every *SyntaxError. A syntax error
// anywhere in a record makes check_host() return permerror (RFC 7208 §4.6).
var ErrSyntax = errors.New("spf: syntax error")

// SyntaxError says where a record or macro string is malformed.
type SyntaxError struct {
	Pos  int    // byte offset in the record (0-based)
	Term string // the offending term, when known
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.Term != "" {
		return fmt.Sprintf("spf: syntax error at offset %d in term %q: %s", e.Pos, e.Term, e.Msg)
	}
	return fmt.Sprintf("spf: syntax error at offset %d: %s", e.Pos, e.Msg)
}

// Unwrap lets errors.Is(err, ErrSyntax) match.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Qualifier is the prefix of a directive (RFC 7208 §4.6.2); it decides
// the result when the mechanism matches.
type Qualifier byte

// The four qualifiers; "+" is the default.
const (
	QualifierPass     Qualifier = '+'
	QualifierFail     Qualifier = '-'
	QualifierSoftFail Qualifier = '~'
	QualifierNeutral  Qualifier = '?'
)

// Result returns the check_host() result a matching directive with this
// qualifier produces (RFC 7208 §4.6.2).
func (q Qualifier) Result() Status {
	switch q {
	case QualifierFail:
		return StatusFail
	case QualifierSoftFail:
		return StatusSoftFail
	case QualifierNeutral:
		return StatusNeutral
	}
	return StatusPass
}

// Mechanism names a mechanism of RFC 7208 §5.
type Mechanism string

// The mechanisms of RFC 7208 §5.
const (
	MechAll     Mechanism = "all"     // §5.1
	MechInclude Mechanism = "include" // §5.2
	MechA       Mechanism = "a"       // §5.3
	MechMX      Mechanism = "mx"      // §5.4
	MechPTR     Mechanism = "ptr"     // §5.5
	MechIP4     Mechanism = "ip4"     // §5.6
	MechIP6     Mechanism = "ip6"     // §5.6
	MechExists  Mechanism = "exists"  // §5.7
)

// CountsLookup reports whether the mechanism counts against the limit of
// 10 DNS-querying terms (RFC 7208 §4.6.4). The redirect modifier counts too.
func (m Mechanism) CountsLookup() bool {
	switch m {
	case MechInclude, MechA, MechMX, MechPTR, MechExists:
		return true
	}
	return false
}

// Term is one mechanism (directive) or modifier of a record.
type Term struct {
	// Pos is the byte offset of the term in the record text.
	Pos int

	// Modifier is the modifier name, lower case ("redirect", "exp", or an
	// unknown one); empty for a mechanism.
	Modifier string
	// Value is the modifier's macro string.
	Value *MacroString

	// Mechanism directives only:
	Qualifier Qualifier
	// Explicit reports whether the qualifier was written out.
	Explicit  bool
	Mechanism Mechanism
	// Domain is the domain-spec of include, a, mx, ptr and exists, nil
	// when absent (a, mx, ptr then use the current domain).
	Domain *MacroString
	// Prefix4 and Prefix6 are the CIDR lengths of a and mx (dual-cidr,
	// §5.3) or of ip4/ip6; -1 when absent (meaning /32 and /128).
	Prefix4, Prefix6 int
	// Net is the network of ip4 and ip6.
	Net netip.Prefix
}

// IsModifier reports whether t is a modifier rather than a directive.
func (t Term) IsModifier() bool { return t.Modifier != "" }

// CountsLookup reports whether evaluating t counts against the 10-lookup
// limit of RFC 7208 §4.6.4 (include a mx ptr exists redirect).
func (t Term) CountsLookup() bool {
	if t.IsModifier() {
		return t.Modifier == "redirect"
	}
	return t.Mechanism.CountsLookup()
}

// String prints the term in canonical form: lower-case names, the
// qualifier only when it was written, CIDR lengths only when given.
func (t Term) String() string {
	if t.IsModifier() {
		return t.Modifier + "=" + t.Value.String()
	}
	var b strings.Builder
	if t.Explicit {
		b.WriteByte(byte(t.Qualifier))
	}
	b.WriteString(string(t.Mechanism))
	switch t.Mechanism {
	case MechIP4, MechIP6:
		b.WriteByte(':')
		b.WriteString(t.Net.Addr().String())
		if t.Mechanism == MechIP4 && t.Prefix4 >= 0 {
			fmt.Fprintf(&b, "/%d", t.Prefix4)
		}
		if t.Mechanism == MechIP6 && t.Prefix6 >= 0 {
			fmt.Fprintf(&b, "/%d", t.Prefix6)
		}
		return b.String()
	}
	if t.Domain != nil {
		b.WriteByte(':')
		b.WriteString(t.Domain.String())
	}
	if t.Prefix4 >= 0 {
		fmt.Fprintf(&b, "/%d", t.Prefix4)
	}
	if t.Prefix6 >= 0 {
		fmt.Fprintf(&b, "//%d", t.Prefix6)
	}
	return b.String()
}

// Record is a parsed SPF record (RFC 7208 §4.5): its terms in order.
type Record struct {
	Terms []Term
}

// Directives returns the mechanisms in evaluation order.
func (r *Record) Directives() []Term {
	var out []Term
	for _, t := range r.Terms {
		if !t.IsModifier() {
			out = append(out, t)
		}
	}
	return out
}

// Redirect returns the redirect modifier, if any (RFC 7208 §6.1).
func (r *Record) Redirect() (Term, bool) { return r.modifier("redirect") }

// Exp returns the exp modifier, if any (RFC 7208 §6.2).
func (r *Record) Exp() (Term, bool) { return r.modifier("exp") }

// HasAll reports whether the record has an "all" mechanism, in which case
// any redirect is ignored (RFC 7208 §6.1).
func (r *Record) HasAll() bool {
	for _, t := range r.Terms {
		if t.Mechanism == MechAll {
			return true
		}
	}
	return false
}

func (r *Record) modifier(name string) (Term, bool) {
	for _, t := range r.Terms {
		if t.Modifier == name {
			return t, true
		}
	}
	return Term{}, false
}

// String prints the record back in canonical form ("v=spf1" and the terms
// separated by single spaces). Parse(r.String()) gives the same terms.
func (r *Record) String() string {
	var b strings.Builder
	b.WriteString("v=spf1")
	for _, t := range r.Terms {
		b.WriteByte(' ')
		b.WriteString(t.String())
	}
	return b.String()
}

// IsSPF reports whether txt is an SPF version 1 record: it begins with
// "v=spf1" (case-insensitively) followed by a space or the end (RFC 7208
// §4.5). Other TXT records are none of SPF's business.
func IsSPF(txt string) bool {
	if len(txt) < 6 || !strings.EqualFold(txt[:6], "v=spf1") {
		return false
	}
	return len(txt) == 6 || txt[6] == ' '
}

// Parse parses the text of an SPF record ("v=spf1 ..."). It checks the
// whole record, as check_host() must before evaluating any of it (RFC 7208
// §4.6): characters outside printable ASCII, unknown mechanisms, bad CIDR
// lengths, malformed domain-specs and macros, and duplicate redirect or exp
// modifiers are errors (*SyntaxError, matching ErrSyntax). Unknown
// modifiers are kept (§6). Parse does no DNS.
func Parse(txt string) (*Record, error) {
	if !IsSPF(txt) {
		return nil, &SyntaxError{Pos: 0, Msg: `record does not start with "v=spf1"`}
	}
	for i := 0; i < len(txt); i++ {
		if c := txt[i]; c < 0x20 || c > 0x7e {
			return nil, &SyntaxError{Pos: i, Msg: fmt.Sprintf("character 0x%02x is not printable ASCII (RFC 7208 §3.1, §4.6.1)", c)}
		}
	}
	rec := &Record{}
	seen := map[string]bool{}
	i := 6
	for i < len(txt) {
		if txt[i] == ' ' {
			i++
			continue
		}
		j := strings.IndexByte(txt[i:], ' ')
		if j < 0 {
			j = len(txt)
		} else {
			j += i
		}
		t, err := parseTerm(txt[i:j], i)
		if err != nil {
			return nil, err
		}
		if t.Modifier == "redirect" || t.Modifier == "exp" {
			if seen[t.Modifier] {
				return nil, &SyntaxError{Pos: i, Term: txt[i:j], Msg: fmt.Sprintf("%s appears more than once (RFC 7208 §6)", t.Modifier)}
			}
			seen[t.Modifier] = true
		}
		rec.Terms = append(rec.Terms, t)
		i = j
	}
	return rec, nil
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func parseTerm(s string, pos int) (Term, error) {
	fail := func(format string, args ...any) (Term, error) {
		return Term{}, &SyntaxError{Pos: pos, Term: s, Msg: fmt.Sprintf(format, args...)}
	}
	// A modifier is name "=" macro-string, where name contains no ':' or
	// '/', so '=' comes before either.
	if k := strings.IndexAny(s, "=:/"); k >= 0 && s[k] == '=' {
		name := s[:k]
		if name == "" {
			return fail("modifier has an empty name")
		}
		if !isAlpha(name[0]) {
			return fail("modifier name must start with a letter (RFC 7208 §12)")
		}
		for i := 1; i < len(name); i++ {
			c := name[i]
			if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' {
				return fail("modifier name contains %q", c)
			}
		}
		name = strings.ToLower(name)
		t := Term{Pos: pos, Modifier: name, Prefix4: -1, Prefix6: -1}
		var err error
		switch name {
		case "redirect", "exp":
			t.Value, err = parseDomainSpec(s[k+1:], pos+k+1, false)
		default:
			t.Value, err = ParseMacroString(s[k+1:], false)
			if err != nil {
				var se *SyntaxError
				if errors.As(err, &se) {
					se.Pos += pos + k + 1
				}
			}
		}
		if err != nil {
			if se := (*SyntaxError)(nil); errors.As(err, &se) {
				se.Term = s
			}
			return Term{}, err
		}
		return t, nil
	}

	t := Term{Pos: pos, Qualifier: QualifierPass, Prefix4: -1, Prefix6: -1}
	rest := s
	switch Qualifier(rest[0]) {
	case QualifierPass, QualifierFail, QualifierSoftFail, QualifierNeutral:
		t.Qualifier, t.Explicit = Qualifier(rest[0]), true
		rest = rest[1:]
	}
	off := len(s) - len(rest)
	k := strings.IndexAny(rest, ":/")
	name, arg := rest, ""
	if k >= 0 {
		name, arg = rest[:k], rest[k:]
	}
	t.Mechanism = Mechanism(strings.ToLower(name))
	argPos := pos + off + len(name)
	var err error
	switch t.Mechanism {
	case MechAll:
		if arg != "" {
			return fail("all takes no argument")
		}
	case MechInclude, MechExists:
		if !strings.HasPrefix(arg, ":") {
			return fail("%s needs \":domain\"", t.Mechanism)
		}
		t.Domain, err = parseDomainSpec(arg[1:], argPos+1, false)
	case MechA, MechMX, MechPTR:
		dom := arg
		if t.Mechanism != MechPTR {
			dom, t.Prefix4, t.Prefix6, err = splitDualCIDR(arg)
			if err != nil {
				return fail("%v", err)
			}
		}
		if dom != "" {
			if dom[0] != ':' {
				return fail("unexpected %q after %s", dom, t.Mechanism)
			}
			t.Domain, err = parseDomainSpec(dom[1:], argPos+1, false)
		}
	case MechIP4, MechIP6:
		if !strings.HasPrefix(arg, ":") {
			return fail("%s needs \":address\"", t.Mechanism)
		}
		t.Net, t.Prefix4, t.Prefix6, err = parseIPNet(t.Mechanism, arg[1:])
		if err != nil {
			return fail("%v", err)
		}
	default:
		return fail("unknown mechanism %q (RFC 7208 §5)", name)
	}
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.Term = s
		}
		return Term{}, err
	}
	return t, nil
}

// parseCIDRLen parses the digits of a CIDR length: no leading zero, at
// most max (RFC 7208 §12: ip4-cidr-length, ip6-cidr-length).
func parseCIDRLen(s string, max int) (int, error) {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("bad CIDR length %q", s)
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, fmt.Errorf("bad CIDR length %q", s)
		}
	}
	n, _ := strconv.Atoi(s)
	if n > max {
		return 0, fmt.Errorf("CIDR length /%d is over %d", n, max)
	}
	return n, nil
}

// splitDualCIDR splits a trailing dual-cidr-length ("/24", "//64",
// "/24//64") off the argument of a or mx.
func splitDualCIDR(arg string) (rest string, p4, p6 int, err error) {
	p4, p6 = -1, -1
	rest = arg
	trailingDigits := func(s string) int {
		n := 0
		for n < len(s) && isDigit(s[len(s)-1-n]) {
			n++
		}
		return n
	}
	if n := trailingDigits(rest); strings.HasSuffix(rest[:len(rest)-n], "//") {
		if p6, err = parseCIDRLen(rest[len(rest)-n:], 128); err != nil {
			return "", -1, -1, err
		}
		rest = rest[:len(rest)-n-2]
	}
	if n := trailingDigits(rest); strings.HasSuffix(rest[:len(rest)-n], "/") {
		if p4, err = parseCIDRLen(rest[len(rest)-n:], 32); err != nil {
			return "", -1, -1, err
		}
		rest = rest[:len(rest)-n-1]
	}
	if strings.HasPrefix(rest, "/") {
		return "", -1, -1, fmt.Errorf("bad CIDR length %q", rest)
	}
	return rest, p4, p6, nil
}

func parseIPNet(m Mechanism, s string) (netip.Prefix, int, int, error) {
	addr, plen, hasLen := strings.Cut(s, "/")
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Zone() != "" {
		return netip.Prefix{}, -1, -1, fmt.Errorf("bad %s address %q", m, addr)
	}
	max := 32
	if m == MechIP6 {
		max = 128
		if !ip.Is6() {
			return netip.Prefix{}, -1, -1, fmt.Errorf("ip6 needs an IPv6 address, not %q", addr)
		}
	} else if !ip.Is4() {
		return netip.Prefix{}, -1, -1, fmt.Errorf("ip4 needs a dotted-quad IPv4 address, not %q", addr)
	}
	bits := -1
	if hasLen {
		if bits, err = parseCIDRLen(plen, max); err != nil {
			return netip.Prefix{}, -1, -1, err
		}
	}
	n := bits
	if n < 0 {
		n = max
	}
	pfx := netip.PrefixFrom(ip, n)
	if m == MechIP4 {
		return pfx, bits, -1, nil
	}
	return pfx, -1, bits, nil
}

// parseDomainSpec parses a domain-spec: a macro string whose end is either
// a macro or "." toplabel ["."] (RFC 7208 §7.1, §12). explain selects
// whether the c, r, t macro letters are allowed (only in explanations).
func parseDomainSpec(s string, pos int, explain bool) (*MacroString, error) {
	ms, err := ParseMacroString(s, explain)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.Pos += pos
		}
		return nil, err
	}
	if s == "" {
		return nil, &SyntaxError{Pos: pos, Msg: "empty domain-spec"}
	}
	if n := len(ms.parts); n > 0 && ms.parts[n-1].letter != 0 {
		return ms, nil // domain-end = macro-expand
	}
	// The literal end must be "." toplabel ["."].
	lit := strings.TrimSuffix(s, ".")
	dot := strings.LastIndexByte(lit, '.')
	if dot < 0 {
		return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("domain %q is not a fully qualified name", s)}
	}
	if !isTopLabel(lit[dot+1:]) {
		return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("domain %q ends in an invalid top label %q", s, lit[dot+1:])}
	}
	// The top label must be literal text, not the tail of a macro.
	if strings.ContainsAny(lit[dot:], "%{}") {
		return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("domain %q ends in an invalid top label", s)}
	}
	return ms, nil
}

// isTopLabel implements toplabel = ( *alphanum ALPHA *alphanum ) /
// ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) (RFC 7208 §12).
func isTopLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	alpha, dash := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isAlpha(c):
			alpha = true
		case c == '-':
			dash = true
		case isDigit(c):
		default:
			return false
		}
	}
	return alpha || dash
}
