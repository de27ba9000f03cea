package dmarc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Parse errors. Errors returned by Parse wrap exactly one of them.
var (
	// ErrNotDMARC: the text does not start with "v=DMARC1" (RFC 7489 §6.6.3
	// step 2, RFC 9989 §4.10). Such TXT records at _dmarc names are ignored
	// during discovery, never reported as errors.
	ErrNotDMARC = errors.New("dmarc: not a DMARC record")
	// ErrSyntax: the record starts with v=DMARC1 but does not follow the
	// tag-list grammar or a tag has an invalid value. Discovery turns it into
	// a permerror.
	ErrSyntax = errors.New("dmarc: record syntax error")
	// ErrNoPolicy: the record has no valid p= (or an invalid sp=) and no
	// valid rua= to fall back on, so RFC 7489 §6.6.3 step 6.2 says no DMARC
	// processing applies: the result is "none", not an error the sender
	// sees at the receiver.
	ErrNoPolicy = errors.New("dmarc: record has no valid p= and no rua= to fall back on: DMARC does not apply")
)

// SyntaxError describes what is wrong with a record. It matches ErrSyntax.
type SyntaxError struct {
	Tag string // the tag at fault, lower case; "" for the record as a whole
	Msg string
}

func (e *SyntaxError) Error() string {
	if e.Tag == "" {
		return "dmarc: record syntax error: " + e.Msg
	}
	return fmt.Sprintf("dmarc: record syntax error: %s=: %s", e.Tag, e.Msg)
}

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Policy is a requested handling of mail that fails DMARC (RFC 7489 §6.3
// "p=").
type Policy string

// The policies. The empty Policy means "not given".
const (
	PolicyNone       Policy = "none"
	PolicyQuarantine Policy = "quarantine"
	PolicyReject     Policy = "reject"
)

// AlignMode is an identifier alignment mode (RFC 7489 §3.1).
type AlignMode string

// The alignment modes.
const (
	// AlignRelaxed: the organizational domains must be equal (the default).
	AlignRelaxed AlignMode = "r"
	// AlignStrict: the domains must be equal.
	AlignStrict AlignMode = "s"
)

// String returns "relaxed" or "strict".
func (m AlignMode) String() string {
	if m == AlignStrict {
		return "strict"
	}
	return "relaxed"
}

// PSD is the RFC 9989 psd= tag: whether the record's domain is a public
// suffix domain.
type PSD string

// The psd= values. PSDAbsent means the tag was not given (same as "u").
const (
	PSDAbsent  PSD = ""
	PSDYes     PSD = "y"
	PSDNo      PSD = "n"
	PSDUnknown PSD = "u"
)

// URI is one reporting address of rua= or ruf= (RFC 7489 §6.2), with its
// optional size limit ("!10m").
type URI struct {
	URI     string // as written; case preserved
	MaxSize uint64 // 0: no limit given
	Unit    string // "", "k", "m", "g" or "t" (lower case)
	HasSize bool   // a "!size" suffix was present (MaxSize may be 0)
}

// String returns the URI in record syntax.
func (u URI) String() string {
	if !u.HasSize {
		return u.URI
	}
	return u.URI + "!" + strconv.FormatUint(u.MaxSize, 10) + u.Unit
}

// Record is a parsed DMARC record. Fields hold effective values: tags that
// were not given carry their RFC 7489 §6.3 defaults. Tags lists the known
// tags that were given, in order.
type Record struct {
	Version string // "v=", always "DMARC1"

	Policy            Policy    // "p=". After the §6.6.3 fallback this is PolicyNone.
	SubdomainPolicy   Policy    // "sp="; "" when absent: Policy applies to subdomains
	NonexistentPolicy Policy    // "np=" (RFC 9989); "" when absent: sp, then p applies
	ADKIM             AlignMode // "adkim=", default relaxed
	ASPF              AlignMode // "aspf=", default relaxed
	Percent           int       // "pct=" 0..100, default 100 (historic in RFC 9989)
	FailureOptions    []string  // "fo=", default ["0"]
	ReportFormat      []string  // "rf=", default ["afrf"]
	ReportInterval    uint32    // "ri=", default 86400
	AggregateReports  []URI     // "rua="
	FailureReports    []URI     // "ruf="
	Testing           bool      // "t=y" (RFC 9989 test mode)
	PSD               PSD       // "psd=" (RFC 9989)

	// Tags lists the known tags present (lower case, without "v"), in the
	// order written. String serialises these.
	Tags []string
	// PolicyFallback is true when p= was missing or invalid, or sp= was
	// invalid, and a valid rua= made the record act as "v=DMARC1; p=none"
	// (RFC 7489 §6.6.3 step 6.1).
	PolicyFallback bool
	// Warnings are problems that did not make the record unusable: unknown
	// tags (ignored, RFC 7489 §6.3), the fallback above, tag order.
	Warnings []Warning
}

// Warning is a non-fatal remark about a record.
type Warning struct {
	Tag  string // lower case tag name, or "" for the record
	Text string
}

func (w Warning) String() string {
	if w.Tag == "" {
		return w.Text
	}
	return w.Tag + "=: " + w.Text
}

// knownTags are the tags of RFC 7489 §6.3 and RFC 9989, in the order String
// writes them when a record is built by hand.
var knownTags = []string{"p", "sp", "np", "adkim", "aspf", "pct", "fo", "rf", "ri", "rua", "ruf", "t", "psd"}

func isKnownTag(name string) bool {
	for _, t := range knownTags {
		if t == name {
			return true
		}
	}
	return false
}

// Parse parses a DMARC TXT record (RFC 7489 §6.3 and §6.4, with the RFC 9989
// tags np, t and psd). The character-strings of the TXT record must already
// be joined without separator.
//
// Parse follows RFC 7489 where implementations agree and says so where they
// do not:
//   - "v=DMARC1" must come first; its tag name is case-insensitive, its value
//     is not. Otherwise ErrNotDMARC.
//   - tag names and the values of p, sp, np, adkim, aspf, fo, rf, t and psd
//     are case-insensitive; whitespace around "=", ";" and "," is allowed;
//     empty tags (";;") are tolerated with a warning;
//   - unknown tags are ignored with a warning (§6.3), and so are tags whose
//     name is outside the tag-name grammar ("x-vendor=7", "=7"): the record
//     keeps its policy, as in mailauth, authheaders and OpenDMARC;
//   - p= anywhere in the record is accepted (RFC 7489's grammar wants it
//     right after v=; RFC 9989 does not): a warning says so;
//   - a tag without "=", a duplicate tag or an invalid value of a tag other
//     than p/sp is ErrSyntax (as mox, OpenDMARC and authheaders do;
//     §6.3 would allow discarding such values);
//   - a missing or invalid p= or an invalid sp= with a valid rua= gives
//     p=none (§6.6.3 step 6.1, PolicyFallback); without rua= the record is
//     returned with ErrNoPolicy (§6.6.3 step 6.2).
//
// On ErrNoPolicy the returned Record is non-nil (its psd= still matters to
// the RFC 9989 tree walk); on other errors it is nil. Parse does no DNS.
func Parse(txt string) (*Record, error) {
	parts := strings.Split(txt, ";")
	name, value, ok := strings.Cut(parts[0], "=")
	if !ok || !strings.EqualFold(trimWSP(name), "v") || trimWSP(value) != "DMARC1" {
		return nil, ErrNotDMARC
	}
	r := &Record{
		Version:        "DMARC1",
		ADKIM:          AlignRelaxed,
		ASPF:           AlignRelaxed,
		Percent:        100,
		FailureOptions: []string{"0"},
		ReportFormat:   []string{"afrf"},
		ReportInterval: 86400,
	}
	seen := map[string]bool{"v": true}
	var badPolicy []string // p/sp problems that the rua= fallback may cure
	for i, part := range parts[1:] {
		part = trimWSP(part)
		if part == "" {
			if i != len(parts)-2 { // a trailing ";" is allowed by the grammar
				r.warn("", "empty tag (\";;\") ignored; some receivers (mox) reject such records")
			}
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, &SyntaxError{Msg: fmt.Sprintf("%q is not a tag=value pair", part)}
		}
		name, value = strings.ToLower(trimWSP(name)), trimWSP(value)
		if !isTagName(name) {
			// Outside RFC 7489's tag-name grammar ("x-vendor=7", "=7"): an
			// unknown tag like any other, ignored (§6.3), as mailauth,
			// authheaders and OpenDMARC read it — not a broken record
			// whose p=reject would be lost.
			r.warn("", fmt.Sprintf("%q is not a valid tag name (RFC 7489 §6.3 grammar): ignored as an unknown tag", name))
			continue
		}
		if seen[name] {
			return nil, &SyntaxError{Tag: name, Msg: "tag appears more than once"}
		}
		seen[name] = true
		if !isKnownTag(name) {
			r.warn(name, "unknown tag ignored (RFC 7489 §6.3)")
			continue
		}
		if len(r.Tags) == 0 && name != "p" {
			r.warn("p", "p= is not right after v= as RFC 7489's grammar requires (RFC 9989 allows any order; some receivers, e.g. mox, reject the record)")
		}
		r.Tags = append(r.Tags, name)
		if err := r.setTag(name, value, &badPolicy); err != nil {
			return nil, err
		}
	}
	if !seen["p"] {
		badPolicy = append(badPolicy, "p= is missing")
	}
	if len(badPolicy) > 0 {
		if len(r.AggregateReports) == 0 {
			return r, fmt.Errorf("%w (%s)", ErrNoPolicy, strings.Join(badPolicy, "; "))
		}
		// RFC 7489 §6.6.3 step 6.1: act as if "v=DMARC1; p=none" was
		// retrieved; reporting still goes to rua.
		r.Policy, r.SubdomainPolicy, r.NonexistentPolicy = PolicyNone, "", ""
		r.PolicyFallback = true
		tags := []string{"p"}
		for _, t := range r.Tags {
			if t != "p" && t != "sp" && t != "np" {
				tags = append(tags, t)
			}
		}
		r.Tags = tags
		r.warn("p", strings.Join(badPolicy, "; ")+": with a valid rua= the record acts as p=none (RFC 7489 §6.6.3)")
	}
	return r, nil
}

func (r *Record) warn(tag, text string) {
	r.Warnings = append(r.Warnings, Warning{Tag: tag, Text: text})
}

func (r *Record) setTag(name, value string, badPolicy *[]string) error {
	lower := strings.ToLower(value)
	bad := func(format string, args ...any) error {
		return &SyntaxError{Tag: name, Msg: fmt.Sprintf(format, args...)}
	}
	switch name {
	case "p", "sp", "np":
		p, ok := parsePolicy(lower)
		if !ok {
			if name == "np" {
				return bad("%q is not none, quarantine or reject", value)
			}
			*badPolicy = append(*badPolicy, fmt.Sprintf("%s=%s is not none, quarantine or reject", name, value))
			return nil
		}
		switch name {
		case "p":
			r.Policy = p
		case "sp":
			r.SubdomainPolicy = p
		default:
			r.NonexistentPolicy = p
		}
	case "adkim", "aspf":
		if lower != "r" && lower != "s" {
			return bad("%q is not r or s", value)
		}
		if name == "adkim" {
			r.ADKIM = AlignMode(lower)
		} else {
			r.ASPF = AlignMode(lower)
		}
	case "pct":
		n, err := strconv.Atoi(value)
		if err != nil || !allDigits(value) || n > 100 {
			return bad("%q is not a whole number from 0 to 100", value)
		}
		r.Percent = n
	case "ri":
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil || !allDigits(value) {
			return bad("%q is not a number of seconds", value)
		}
		r.ReportInterval = uint32(n)
	case "fo":
		opts, err := splitList(lower, ":", func(s string) bool { return s == "0" || s == "1" || s == "d" || s == "s" })
		if err != nil {
			return bad("%v (values are 0, 1, d and s separated by ':')", err)
		}
		r.FailureOptions = opts
	case "rf":
		formats, err := splitList(lower, ":", isKeyword)
		if err != nil {
			return bad("%v", err)
		}
		r.ReportFormat = formats
		for _, f := range formats {
			if f != "afrf" {
				r.warn(name, fmt.Sprintf("report format %q is not registered (only afrf is); some receivers (OpenDMARC) reject the record", f))
			}
		}
	case "rua", "ruf":
		uris, err := parseURIs(value)
		if err != nil {
			return bad("%v", err)
		}
		if name == "rua" {
			r.AggregateReports = uris
		} else {
			r.FailureReports = uris
		}
	case "t":
		if lower != "y" && lower != "n" {
			return bad("%q is not y or n", value)
		}
		r.Testing = lower == "y"
	case "psd":
		if lower != "y" && lower != "n" && lower != "u" {
			return bad("%q is not y, n or u", value)
		}
		r.PSD = PSD(lower)
	}
	return nil
}

func parsePolicy(s string) (Policy, bool) {
	switch Policy(s) {
	case PolicyNone, PolicyQuarantine, PolicyReject:
		return Policy(s), true
	}
	return "", false
}

// splitList splits a sep-separated list, trimming whitespace; every element
// must satisfy valid.
func splitList(s, sep string, valid func(string) bool) ([]string, error) {
	var out []string
	for _, e := range strings.Split(s, sep) {
		e = trimWSP(e)
		if !valid(e) {
			return nil, fmt.Errorf("%q is not a valid value", e)
		}
		out = append(out, e)
	}
	return out, nil
}

// parseURIs parses a rua/ruf value: comma-separated URIs, each with an
// optional "!" size limit (RFC 7489 §6.4 dmarc-uri).
func parseURIs(s string) ([]URI, error) {
	var out []URI
	for _, e := range strings.Split(s, ",") {
		e = trimWSP(e)
		uri, size, hasSize := strings.Cut(e, "!")
		u := URI{URI: trimWSP(uri), HasSize: hasSize}
		if !isURI(u.URI) {
			return nil, fmt.Errorf("%q is not a URI", u.URI)
		}
		if hasSize {
			// Whitespace inside the size ("10 k") is not in the grammar
			// but harmless; Stalwart accepts it too.
			size = strings.ToLower(strings.Join(strings.Fields(size), ""))
			digits := strings.TrimRight(size, "kmgt")
			if len(size)-len(digits) > 1 || digits == "" || !allDigits(digits) {
				return nil, fmt.Errorf("size %q after '!' is not digits with an optional k, m, g or t", size)
			}
			n, err := strconv.ParseUint(digits, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("size %q is too large", size)
			}
			u.MaxSize, u.Unit = n, size[len(digits):]
		}
		out = append(out, u)
	}
	return out, nil
}

// isURI checks RFC 3986 scheme ":" followed by visible ASCII.
func isURI(s string) bool {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" || rest == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	for i, c := range scheme {
		switch {
		case isAlpha(c):
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// isKeyword: RFC 5321 Keyword (Ldh-str): a letter, then letters, digits
// and hyphens, not ending with a hyphen.
func isKeyword(s string) bool {
	if s == "" || !isAlpha(rune(s[0])) || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range s {
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return true
}

// isTagName: RFC 6376 §3.2 tag-name, ALPHA *ALNUMPUNC.
func isTagName(s string) bool {
	if s == "" || !isAlpha(rune(s[0])) {
		return false
	}
	for _, c := range s {
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '_' {
			return false
		}
	}
	return true
}

func isAlpha(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func trimWSP(s string) string { return strings.Trim(s, " \t\r\n") }

// String serialises the record in canonical form: "v=DMARC1" and then the
// known tags that were given, in their original order, with normalised
// values. Unknown tags are dropped. Parse(r.String()) gives back the same
// effective values.
func (r *Record) String() string {
	var b strings.Builder
	b.WriteString("v=DMARC1")
	for _, t := range r.Tags {
		v := r.tagValue(t)
		if v == "" {
			continue
		}
		b.WriteString("; ")
		b.WriteString(t)
		b.WriteString("=")
		b.WriteString(v)
	}
	return b.String()
}

func (r *Record) tagValue(t string) string {
	switch t {
	case "p":
		return string(r.Policy)
	case "sp":
		return string(r.SubdomainPolicy)
	case "np":
		return string(r.NonexistentPolicy)
	case "adkim":
		return string(r.ADKIM)
	case "aspf":
		return string(r.ASPF)
	case "pct":
		return strconv.Itoa(r.Percent)
	case "fo":
		return strings.Join(r.FailureOptions, ":")
	case "rf":
		return strings.Join(r.ReportFormat, ":")
	case "ri":
		return strconv.FormatUint(uint64(r.ReportInterval), 10)
	case "rua", "ruf":
		uris := r.AggregateReports
		if t == "ruf" {
			uris = r.FailureReports
		}
		s := make([]string, len(uris))
		for i, u := range uris {
			s[i] = u.String()
		}
		return strings.Join(s, ",")
	case "t":
		if r.Testing {
			return "y"
		}
		return "n"
	case "psd":
		return string(r.PSD)
	}
	return ""
}

// Has reports whether tag (lower case) was given in the record.
func (r *Record) Has(tag string) bool {
	for _, t := range r.Tags {
		if t == tag {
			return true
		}
	}
	return false
}
