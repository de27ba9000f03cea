// Package dmarc implements DMARC policy discovery and evaluation: RFC 7489,
// and RFC 9989 (DMARCbis), which obsoletes it.
//
// DMARC ties the domain a reader sees, the RFC5322.From domain, to the
// domains SPF and DKIM authenticate. A message passes DMARC when SPF passed
// for a domain aligned with the From domain, or when any DKIM signature that
// verified has a d= aligned with it (RFC 7489 §3.1, §4.2). "Aligned" is
// relaxed by default (the organizational domains are equal) or strict
// (adkim=s / aspf=s: the domains are equal). When nothing aligned passed, the
// From domain's DMARC record says what the receiver should do: p= at the
// exact domain, sp= for subdomains whose record came from a parent, np= for
// From domains that do not exist (RFC 9989), softened by pct= (RFC 7489
// §6.6.4) or t=y (RFC 9989 §4.7).
//
// The package is split by phase:
//   - parse.go: the record grammar, pure (Parse, Record); lint.go: advice
//     on a parsed record with stable finding IDs (Lint);
//   - orgdomain.go: the organizational domain by the Public Suffix List
//     (OrgDomain); canonical domains are package dns's;
//   - discover.go: DNS discovery by both methods (Discover);
//   - evaluate.go: alignment and the result, pure (Evaluate); authors.go:
//     several author domains (Combine).
//
// Evaluate takes its SPF and DKIM outcomes as the small SPFInput and
// DKIMInput structs, so this package does not depend on the spf and dkim
// packages; the caller copies their results in.
//
// # Two ways to find the record and the organizational domain
//
// RFC 7489 asks _dmarc.<From domain>, and only if that holds no DMARC record,
// _dmarc.<organizational domain>, where the organizational domain is the
// public suffix plus one label. RFC 9989 walks up the DNS tree instead
// (_dmarc.a.b.example.com, _dmarc.b.example.com, …, at most 8 queries) and
// takes the organizational domain from where records are and from their psd=
// tags. Discover runs both and returns both; Evaluate uses the one its
// Options name, and Discovery.Disagree says when a report should show both.
// Receivers rarely say which they use (see internal/receiver). Options
// also choose the dialect's other differences: np= and t= (RFC 9989 only),
// pct= (historic in RFC 9989) and a record without p= (none in RFC 9989, no
// DMARC in RFC 7489 unless rua= is valid).
//
// Both methods' questions are asked by one Discover call, each name once;
// the identifiers' walks run at the same time as the From domain's, and
// Discovery.Queries lists the From domain's walk first and in RFC 9989
// order, so it reads as the protocol does whatever order answers arrive in.
//
// # The Public Suffix List
//
// The list is golang.org/x/net/publicsuffix, both its sections: ICANN and
// PRIVATE, as mailauth, authheaders and OpenDMARC use it. Private-section
// rules (github.io, blogspot.com, appspot.com …) make each customer of a
// hosting suffix its own organization: alice.github.io and bob.github.io
// are different organizational domains and do not align with each other
// (with the ICANN section alone they would share github.io, and a page on
// one could pass DMARC for the other). ICANNSuffix keeps the ICANN-only
// reading for comparison. No receiver documents which sections it uses;
// every receiver profile takes both, as the libraries do.
//
// Why not an embedded, dated copy of public_suffix_list.dat: x/net is
// already a dependency (IDNA), ships the list as a compact generated table
// with its source revision in the package (a dated copy in effect,
// refreshed by updating one module rather than by a generator script of
// our own), and its PublicSuffix says which section a rule is in. The
// tests run the list's own vectors (all 78 pass) and check the table
// against the dated snapshot in ../shared/conformance/psl, listing every
// rule where they differ: x/net v0.57.0 carries the list of 2026-02-06,
// and about 1.4% of the 10,248 rules of the 2026-08-19 snapshot (mostly
// PRIVATE rules added since) differ. Updating golang.org/x/net refreshes
// it; RFC 9989's tree walk needs no list at all.
//
// # Records and authors
//
// Parse ignores unknown tags with a warning (RFC 7489 §6.3), and so tags
// whose name is outside the grammar ("x-vendor=7"): the record keeps its
// p=. A From header field with several addresses has several author
// domains: each is discovered and evaluated on its own and Combine keeps
// the worst (RFC 7489 §6.6.1: the message passes only if every one does;
// among failures, the strictest policy applies).
//
// # What this package does not do
//
// It does not verify SPF or DKIM, send reports, or check external report
// destinations (RFC 7489 §7.1). It does not decide what a receiver does with
// a failing message: that is internal/receiver's job, from Evaluation.Policy,
// Sampling and the receiver's own rules.
package dmarc
