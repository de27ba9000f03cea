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
// All DNS goes through a resolver.Resolver from preflight/internal/resolver,
// which tells NXDOMAIN, NODATA and temporary failures apart, as RFC 7208
// §2.6.6, §4.3 and §4.6.4 need.
package spf

import (
	"errors"
	"time"

	"preflight/internal/resolver"
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
// cause (a *resolver.Error, a *SyntaxError) with %w where there is one.
var (
	ErrDNS              = errors.New("spf: temporary DNS failure")
	ErrMultipleRecords  = errors.New("spf: more than one SPF record")
	ErrTooManyLookups   = errors.New("spf: too many DNS lookups (over 10)")
	ErrTooManyVoid      = errors.New("spf: too many void DNS lookups (over 2)")
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
	Resolver resolver.Resolver
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
	// then asked when the evaluation reaches it, one after another.
	NoPrefetch bool
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
