// Package dns is preflight's DNS ground floor: the one place that speaks DNS.
//
// Every check preflight makes (SPF, DKIM key lookup, DMARC discovery) asks its
// questions through the small Resolver interface defined here. The interface is
// closer to DNS than net.Resolver on purpose: an answer says whether the name
// does not exist (NXDOMAIN), exists without records of the asked type (NODATA),
// or has records, together with the rcode, the AD bit, the TTL and which server
// or zone answered. A temporary failure (SERVFAIL, REFUSED, a timeout, a TCP
// failure after truncation, a reply that does not match its question or
// contradicts itself, a question a replayed recording never saw) is returned
// as an error that matches ErrTemporary and is never turned into "no record":
// RFC 7208 §2.6.6, RFC 6376 §6.1.2 and RFC 7489 §6.6.3 all make temperror a
// result of its own.
//
// Implementations:
//   - Net asks DNS servers over UDP/TCP (github.com/miekg/dns) and believes
//     only replies that match the question it sent;
//   - Zone answers only from RFC 1035 zone files (offline, deterministic);
//     a file written by Recorder replays only what was recorded, and any
//     other question is ErrNotRecorded, never NXDOMAIN;
//   - Overlay lets a Zone replace a live resolver's RRsets for the names and
//     types the zone defines (check planned DNS changes before publishing);
//   - Cache adds one process-wide cache, single-flight for identical
//     concurrent questions and a query log on top of any Resolver;
//   - Recorder remembers every answer seen and writes them as a zone file that
//     Zone replays with identical answers, negative ones included.
//
// Domain is the one canonical domain form every package compares, and
// ParseDomain its one parser (IDNA with one profile).
//
// Only this package imports github.com/miekg/dns (tests aside). It imports
// nothing else of preflight: spf, dkim, dmarc and programs in other modules
// build on it.
package dns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Type is a DNS RR type. The values are the IANA numbers.
type Type uint16

// The RR types preflight asks for: those the checks need, and the others
// a mail person asks `preflight lookup` for (SOA, CAA for certificates,
// TLSA for DANE on MX hosts).
const (
	TypeA     Type = 1
	TypeNS    Type = 2
	TypeCNAME Type = 5
	TypeSOA   Type = 6
	TypePTR   Type = 12
	TypeMX    Type = 15
	TypeTXT   Type = 16
	TypeAAAA  Type = 28
	TypeTLSA  Type = 52
	TypeCAA   Type = 257
)

var typeNames = map[Type]string{
	TypeA: "A", TypeNS: "NS", TypeCNAME: "CNAME", TypeSOA: "SOA",
	TypePTR: "PTR", TypeMX: "MX", TypeTXT: "TXT", TypeAAAA: "AAAA",
	TypeTLSA: "TLSA", TypeCAA: "CAA",
}

// lookupTypes lists the types ParseType accepts, in the order its error
// names them.
var lookupTypes = []Type{TypeA, TypeAAAA, TypeMX, TypeTXT, TypePTR, TypeNS, TypeCNAME, TypeSOA, TypeCAA, TypeTLSA}

// String returns the mnemonic of t ("TXT"), or "TYPEnnn" for others.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", uint16(t))
}

// ParseType parses a mnemonic such as "txt" or "AAAA". Only the types that
// Lookup supports are accepted (lookupTypes).
func ParseType(s string) (Type, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	names := make([]string, len(lookupTypes))
	for i, t := range lookupTypes {
		if typeNames[t] == u {
			return t, nil
		}
		names[i] = typeNames[t]
	}
	return 0, fmt.Errorf("dns: unsupported record type %q (use %s)", s, strings.Join(names, ", "))
}

// Status says what kind of answer a lookup got.
type Status uint8

const (
	// StatusAnswer: the name exists and has records of the asked type.
	StatusAnswer Status = iota
	// StatusNXDomain: the name does not exist (rcode NXDOMAIN).
	StatusNXDomain
	// StatusNoData: the name exists but has no records of the asked type
	// (rcode NOERROR with an empty answer).
	StatusNoData
)

// String returns "answer", "nxdomain" or "nodata".
func (s Status) String() string {
	switch s {
	case StatusAnswer:
		return "answer"
	case StatusNXDomain:
		return "nxdomain"
	case StatusNoData:
		return "nodata"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Rcodes used in Result.Rcode; the values are the IANA numbers.
const (
	RcodeSuccess  = 0 // NOERROR
	RcodeFormErr  = 1
	RcodeServFail = 2
	RcodeNXDomain = 3
	RcodeNotImp   = 4
	RcodeRefused  = 5
)

// RcodeString returns the mnemonic of a DNS rcode ("NOERROR", "SERVFAIL").
func RcodeString(rcode int) string {
	switch rcode {
	case RcodeSuccess:
		return "NOERROR"
	case RcodeFormErr:
		return "FORMERR"
	case RcodeServFail:
		return "SERVFAIL"
	case RcodeNXDomain:
		return "NXDOMAIN"
	case RcodeNotImp:
		return "NOTIMP"
	case RcodeRefused:
		return "REFUSED"
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

// Record is one resource record of an answer, in parsed form.
type Record struct {
	Name string // owner name, canonical (lower case, no trailing dot)
	Type Type
	TTL  uint32
	// Data is the RDATA in a display form: the joined strings of a TXT
	// record (RFC 7208 §3.3: no separator), an address for A/AAAA,
	// "PREF HOST." for MX, the target name for PTR, NS and CNAME, and the
	// zone-file presentation for SOA ("MNAME. RNAME. SERIAL REFRESH RETRY
	// EXPIRE MINIMUM"), CAA ("0 issue \"ca.example\"") and TLSA ("3 1 1
	// HEX").
	Data string

	IP     netip.Addr // A, AAAA
	Pref   uint16     // MX
	Target string     // MX exchange, PTR, NS and CNAME target: canonical name
}

// Result is the answer to one question.
type Result struct {
	Name   string // the name asked, canonical
	Type   Type
	Status Status
	Rcode  int
	// Authenticated is the AD bit of the response: the (validating)
	// server says the answer was DNSSEC-validated. Zone answers are never
	// authenticated.
	Authenticated bool
	// TTL is the smallest TTL of the answer records, or the negative-caching
	// TTL (RFC 2308) for NXDOMAIN and NODATA when the server gave one.
	TTL uint32
	// Source says who answered: "udp 192.0.2.53:53", "tcp [2001:db8::53]:53",
	// "zone testdata/demo/demo.zone".
	Source string
	// CNAMEs is the alias chain that was followed from Name, in order;
	// Records are those of the final target.
	CNAMEs []string
	// Records holds the answer records of the asked type (empty unless
	// Status is StatusAnswer).
	Records []Record
}

// TXT returns the text of every TXT record, each the concatenation of its
// strings.
func (r Result) TXT() []string { return r.data(TypeTXT) }

// IPs returns the addresses of every A or AAAA record.
func (r Result) IPs() []netip.Addr {
	var ips []netip.Addr
	for _, rec := range r.Records {
		if rec.Type == TypeA || rec.Type == TypeAAAA {
			ips = append(ips, rec.IP)
		}
	}
	return ips
}

// Targets returns the target names of MX, PTR or NS records, in answer order.
func (r Result) Targets() []string {
	var names []string
	for _, rec := range r.Records {
		if rec.Type == TypeMX || rec.Type == TypePTR || rec.Type == TypeNS {
			names = append(names, rec.Target)
		}
	}
	return names
}

func (r Result) data(t Type) []string {
	var out []string
	for _, rec := range r.Records {
		if rec.Type == t {
			out = append(out, rec.Data)
		}
	}
	return out
}

// Exists reports whether the name exists (an answer or NODATA).
func (r Result) Exists() bool { return r.Status != StatusNXDomain }

// Resolver answers DNS questions. Implementations must be safe for
// concurrent use.
//
// Lookup returns a Result with Status set for every definite answer,
// including NXDOMAIN and NODATA, which are not errors. It returns an error
// only when no definite answer could be had: such errors match ErrTemporary
// (SERVFAIL, REFUSED, timeouts, network failures, replies that do not match
// the question, context cancellation, ErrNotRecorded) or ErrInvalidName (a
// name that cannot be asked at all). Use IsTemporary.
type Resolver interface {
	Lookup(ctx context.Context, name string, t Type) (Result, error)
}

// Sentinel errors; errors returned by resolvers wrap one of them.
var (
	// ErrTemporary marks a failure that may go away: the answer is unknown.
	ErrTemporary = errors.New("dns: temporary DNS failure")
	// ErrInvalidName marks a name that is not a valid DNS name (too long,
	// empty label, label over 63 octets).
	ErrInvalidName = errors.New("dns: invalid domain name")
)

// Error describes a failed lookup.
type Error struct {
	Name   string
	Type   Type
	Rcode  int    // the rcode received, or -1 when no response arrived
	Server string // the last server tried, when known
	Err    error  // the cause; wraps ErrTemporary or ErrInvalidName
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lookup %s %s", e.Name, e.Type)
	if e.Server != "" {
		fmt.Fprintf(&b, " via %s", e.Server)
	}
	b.WriteString(": ")
	if e.Rcode > 0 {
		fmt.Fprintf(&b, "%s: ", RcodeString(e.Rcode))
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is a temporary DNS failure: the name may
// or may not have records; the question must not be answered as "none".
func IsTemporary(err error) bool { return errors.Is(err, ErrTemporary) }

// temporary wraps a cause so that it matches ErrTemporary.
type tempErr struct{ cause error }

func (e tempErr) Error() string {
	if e.cause == nil {
		return "temporary DNS failure"
	}
	return e.cause.Error() + " (temporary DNS failure)"
}
func (e tempErr) Is(target error) bool { return target == ErrTemporary }
func (e tempErr) Unwrap() error        { return e.cause }

// Temporary returns an error that matches ErrTemporary and wraps cause.
func Temporary(cause error) error { return tempErr{cause} }

// CanonicalName returns name in the canonical form every package compares:
// lower case, no trailing dot. It does not convert U-labels; callers that
// take user input first use idna (see package dmarc).
func CanonicalName(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}

// CheckName validates name as a DNS name to be asked: at most 253 octets
// without the final dot, labels of 1 to 63 octets. It returns an error
// wrapping ErrInvalidName.
func CheckName(name string) error {
	n := strings.TrimSuffix(name, ".")
	if n == "" {
		return fmt.Errorf("%w: empty name", ErrInvalidName)
	}
	if len(n) > 253 {
		return fmt.Errorf("%w: %d octets is over the 253-octet limit", ErrInvalidName, len(n))
	}
	for _, label := range strings.Split(n, ".") {
		if label == "" {
			return fmt.Errorf("%w: %q has an empty label", ErrInvalidName, name)
		}
		if len(label) > 63 {
			return fmt.Errorf("%w: label of %d octets is over the 63-octet limit", ErrInvalidName, len(label))
		}
	}
	return nil
}

// Clock returns the current time; tests inject a fixed one.
type Clock func() time.Time

// ReverseName returns the PTR owner name of ip: "4.3.2.1.in-addr.arpa" or the
// nibble form under ip6.arpa (RFC 3596 §2.5). IPv4-mapped IPv6 addresses use
// the IPv4 form.
func ReverseName(ip netip.Addr) string {
	ip = ip.Unmap()
	var b strings.Builder
	if ip.Is4() {
		a := ip.As4()
		fmt.Fprintf(&b, "%d.%d.%d.%d.in-addr.arpa", a[3], a[2], a[1], a[0])
		return b.String()
	}
	a := ip.As16()
	const hex = "0123456789abcdef"
	for i := len(a) - 1; i >= 0; i-- {
		b.WriteByte(hex[a[i]&0xf])
		b.WriteByte('.')
		b.WriteByte(hex[a[i]>>4])
		b.WriteByte('.')
	}
	b.WriteString("ip6.arpa")
	return b.String()
}
