// Package spf evaluates and explains Sender Policy Framework policies
// (RFC 7208).
//
// Check runs check_host() (RFC 7208 §4–§6) for one client IP and returns a
// Result whose Status is an RFC 8601 word, together with the matching term,
// the explanation, the DNS lookup budget used (in total and per term) and a
// structured trace. Analyze explains a policy without an IP: the worst-case
// lookup cost of every term, void lookups, the networks it authorises and
// warnings. Parse is the pure record grammar.
//
// All DNS goes through a dns.Resolver (package preflight/dns),
// which tells NXDOMAIN, NODATA and temporary failures apart, as RFC 7208
// §2.6.6, §4.3 and §4.6.4 need. The questions of the terms ahead are asked
// concurrently (prefetching), but a policy can never make one evaluation
// ask more than its lookup budget allows: prefetching asks only what the
// evaluation itself would, within the limits of §4.6.4.
//
// # Choices where RFC 7208 leaves room
//
// The open-spf RFC 7208 suite passes in full with these choices, which
// follow pyspf (the suite's reference implementation) where it matters:
//   - Void lookups (§4.6.4, limit 2) are the a, mx, ptr and exists queries
//     that return NXDOMAIN or NODATA, plus each MX host whose address
//     query (A or AAAA by the client's family) returns nothing: an mx term
//     whose hosts lack AAAA records costs IPv6 senders one void lookup per
//     host. So does each PTR name without an address when ptr validates
//     names (§5.5).
//   - More than 10 MX names is permerror as soon as the MX answer is seen
//     (§4.6.4); every MX host is resolved before the comparison (§5.4).
//   - The exp= lookup and %{p} are not counted against the limit of 10.
//   - An include or redirect back to a domain being evaluated is reported
//     as a loop (ErrLoop, permerror) instead of running up the count, when
//     evaluation reaches it. (pyspf also rejects "include:" of the
//     record's own domain at parse time, even after a matching term.)
//   - %{i} expands IPv6 nibbles in upper case, as pyspf does and the
//     suite expects; §7.4's example uses lower case. DNS names compare
//     without case, so only explanation text differs.
package spf

import (
	"errors"
	"fmt"
	"time"

	"preflight/dns"
)

// Status is a check_host() result, written with the words of RFC 7208 §2.6
// and RFC 8601 §2.7.2.
type Status string

// The results of RFC 7208 §2.6.
const (
	StatusNone      Status = "none"      // no SPF record, or no checkable domain
	StatusNeutral   Status = "neutral"   // the domain asserts nothing (?all, no match)
	StatusPass      Status = "pass"      // the client is authorised
	StatusFail      Status = "fail"      // the client is not authorised (-all)
	StatusSoftFail  Status = "softfail"  // probably not authorised (~all)
	StatusTempError Status = "temperror" // a transient DNS error; try later
	StatusPermError Status = "permerror" // the policy cannot be interpreted
)

// Errors carried by Result.Err for temperror and permerror; they wrap the
// cause (a *dns.Error, a *SyntaxError) with %w where there is one.
var (
	ErrDNS              = errors.New("spf: temporary DNS failure")
	ErrMultipleRecords  = errors.New("spf: more than one SPF record")
	ErrTooManyLookups   = errors.New("spf: too many DNS lookups")
	ErrTooManyVoid      = errors.New("spf: too many void DNS lookups")
	ErrTooManyMX        = errors.New("spf: more than 10 MX names")
	ErrNoIncludedRecord = errors.New("spf: included or redirected domain has no SPF record")
	ErrLoop             = errors.New("spf: include or redirect loop")
	ErrInvalidTarget    = errors.New("spf: include or redirect target is not a valid domain name")
	ErrInvalidIP        = errors.New("spf: no valid client IP")
	ErrNoResolver       = errors.New("spf: no resolver configured")
	errDepth            = errors.New("spf: evaluation too deep")
)

// Default limits of RFC 7208 §4.6.4.
const (
	DefaultMaxLookups     = 10
	DefaultMaxVoidLookups = 2
	// MaxNames is the limit on MX names per mx term (over it: permerror)
	// and on PTR names per ptr term or %{p} (over it: ignored).
	MaxNames = 10
)

// Config is what does not change between checks: the resolver, the clock
// and a few knobs. The zero value of every field but Resolver is usable.
type Config struct {
	// Resolver answers every DNS question. Required.
	Resolver dns.Resolver
	// Now is the clock for the %{t} macro; nil means time.Now.
	Now func() time.Time
	// ReceiverDomain is the %{r} macro in explanations: the checking
	// host's domain. Empty expands to "unknown" (RFC 7208 §7.3).
	ReceiverDomain string
	// DefaultExplanation is returned on fail when the policy gives no exp
	// (or its exp cannot be used).
	DefaultExplanation string
	// MaxLookups and MaxVoidLookups override the RFC 7208 §4.6.4 limits
	// of 10 and 2 when positive.
	MaxLookups, MaxVoidLookups int
	// NoPrefetch turns concurrent prefetching off: every DNS question is
	// then asked when the evaluation reaches it, one after another. With
	// prefetching on, questions are asked sooner, never more of them: only
	// those a sequential evaluation that matches nothing would ask within
	// its lookup, void and MX limits.
	NoPrefetch bool
	// Timeout bounds one whole evaluation; past it the result is
	// temperror. Zero means DefaultTimeout. RFC 7208 §4.6.4 lets
	// verifiers give up after at least 20 seconds.
	Timeout time.Duration
}

// DefaultTimeout is the time one evaluation may take when Config.Timeout
// is zero (RFC 7208 §4.6.4: "at least 20 seconds").
const DefaultTimeout = 20 * time.Second

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Config) maxLookups() int {
	if c.MaxLookups > 0 {
		return c.MaxLookups
	}
	return DefaultMaxLookups
}

func (c Config) maxVoid() int {
	if c.MaxVoidLookups > 0 {
		return c.MaxVoidLookups
	}
	return DefaultMaxVoidLookups
}

// Budget is the DNS lookup budget of one evaluation (RFC 7208 §4.6.4):
// at most MaxLookups terms that query DNS (include, a, mx, ptr, exists,
// redirect) and at most MaxVoidLookups queries that find nothing.
// Evaluation charges it term by term; Result.Terms says what each cost.
type Budget struct {
	Lookups, MaxLookups         int
	VoidLookups, MaxVoidLookups int
}

// Remaining returns the lookups still allowed.
func (b Budget) Remaining() int { return max(0, b.MaxLookups-b.Lookups) }

// charge spends one lookup; over the limit it returns ErrTooManyLookups.
func (b *Budget) charge() error {
	b.Lookups++
	if b.Lookups > b.MaxLookups {
		return fmt.Errorf("%w: term %d, the limit is %d (RFC 7208 §4.6.4)", ErrTooManyLookups, b.Lookups, b.MaxLookups)
	}
	return nil
}

// chargeVoid spends one void lookup; over the limit it returns
// ErrTooManyVoid.
func (b *Budget) chargeVoid() error {
	b.VoidLookups++
	if b.VoidLookups > b.MaxVoidLookups {
		return fmt.Errorf("%w: void lookup %d, the limit is %d (RFC 7208 §4.6.4)", ErrTooManyVoid, b.VoidLookups, b.MaxVoidLookups)
	}
	return nil
}
