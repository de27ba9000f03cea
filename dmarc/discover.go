package dmarc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"preflight/dns"
)

// Method is a way to find the DMARC record and the organizational domain.
type Method string

// The discovery methods.
const (
	// MethodPSL is RFC 7489 §6.6.3: _dmarc at the From domain, then at its
	// organizational domain by the Public Suffix List (§3.2).
	MethodPSL Method = "rfc7489"
	// MethodTreeWalk is RFC 9989 §4.10: walk _dmarc names up the DNS tree,
	// at most 8 queries; the organizational domain comes from psd= tags and
	// where records are.
	MethodTreeWalk Method = "rfc9989"
)

// DiscoveryStatus says what policy discovery found.
type DiscoveryStatus string

// The discovery statuses.
const (
	// DiscoveryFound: one usable DMARC record.
	DiscoveryFound DiscoveryStatus = "found"
	// DiscoveryNone: no DMARC record: DMARC does not apply.
	DiscoveryNone DiscoveryStatus = "none"
	// DiscoveryMultiple: several DMARC records at one name: no policy
	// (RFC 7489 §6.6.3 step 5, RFC 9989 §4.10).
	DiscoveryMultiple DiscoveryStatus = "multiple"
	// DiscoveryNoPolicy: a record without valid p= and without rua=: no DMARC
	// processing (RFC 7489 §6.6.3 step 6.2).
	DiscoveryNoPolicy DiscoveryStatus = "no-policy"
	// DiscoveryInvalid: a v=DMARC1 record with a syntax error: permerror.
	DiscoveryInvalid DiscoveryStatus = "invalid"
	// DiscoveryTempError: a temporary DNS failure: temperror.
	DiscoveryTempError DiscoveryStatus = "temperror"
)

// Errors of discovery, carried in Found.Err.
var (
	ErrMultipleRecords = errors.New("dmarc: more than one DMARC record: no policy applies")
	ErrNoRecord        = errors.New("dmarc: no DMARC record")
	ErrTemporary       = errors.New("dmarc: temporary DNS failure")
)

// Found is the outcome of one discovery method.
type Found struct {
	Method Method
	Status DiscoveryStatus
	// Record and RecordText are the record used (Status found, or no-policy).
	Record     *Record
	RecordText string
	// RecordDomain is where the record (or the problem) was found; for
	// Status none it is the From domain.
	RecordDomain dns.Domain
	// AtFrom is true when RecordDomain is the From domain itself (p= applies)
	// rather than a parent (sp= or np= apply).
	AtFrom bool
	// OrgDomain is the From domain's organizational domain by this method.
	OrgDomain dns.Domain
	// OrgErr is set when a temporary DNS failure left the RFC 9989
	// organizational domain unknown (OrgDomain is then the From domain).
	OrgErr error
	// Several holds the text of every DMARC record at RecordDomain, in the
	// order of the DNS answer, when there are several (Status multiple).
	Several []string
	// Err says why Status is not found; nil when it is.
	Err error
	// Queried lists the _dmarc names this method asked, in order.
	Queried []string
}

// Finds says in words what this method found, as in `finds "v=DMARC1;
// p=none" at _dmarc.example.com (organizational domain example.com)`; when
// a temporary DNS failure stopped it, that its outcome could not be
// determined — never "no record".
func (f *Found) Finds() string {
	if f.Status == DiscoveryTempError {
		return fmt.Sprintf("could not be determined: a temporary DNS failure at _dmarc.%s left its record and organizational domain unknown", f.RecordDomain)
	}
	rec := "no record"
	if f.RecordText != "" {
		rec = strconv.Quote(f.RecordText)
	}
	org := "organizational domain " + string(f.OrgDomain)
	if f.OrgErr != nil {
		org = "organizational domain could not be determined"
	}
	return fmt.Sprintf("finds %s at _dmarc.%s (%s)", rec, f.RecordDomain, org)
}

// Existence says whether a domain exists in DNS (RFC 8020 NXDOMAIN test).
type Existence string

// The existence outcomes.
const (
	ExistenceUnchecked Existence = ""          // not needed, not asked
	Exists             Existence = "exists"    // an answer or NODATA
	NotExists          Existence = "nxdomain"  // NXDOMAIN
	ExistenceUnknown   Existence = "temperror" // a temporary failure
)

// OrgLookup is an RFC 9989 organizational domain found by a tree walk.
type OrgLookup struct {
	Org dns.Domain
	Err error // temporary DNS failure: Org is unknown
}

// Query is one DNS question discovery asked and its outcome.
type Query struct {
	Name   string
	Type   string // "TXT", "A"
	Status string // "answer", "nxdomain", "nodata", "temperror", "error"
	TXT    []string
	Error  string `json:",omitempty"`
}

// Discovery is everything DMARC discovery learnt about a From domain, by
// both methods. Evaluate uses the method its Options choose; a report shows
// both when Disagree is true.
type Discovery struct {
	From    dns.Domain
	RFC7489 Found
	RFC9989 Found
	// FromExists is checked only when a record was found above the From
	// domain and _dmarc.<from> was NXDOMAIN, for np= (RFC 9989 §4.7).
	FromExists    Existence
	FromExistsErr error
	// OrgDomains holds the RFC 9989 organizational domains of the From
	// domain and of every identifier given in DiscoverOptions that fit in
	// its budget.
	OrgDomains map[dns.Domain]OrgLookup
	// NotLookedUp lists the identifiers whose walks did not fit in
	// DiscoverOptions.MaxIdentifierNames: Evaluate falls back to the Public
	// Suffix List for them, and says so.
	NotLookedUp []dns.Domain
	// Queries is every DNS question asked, each once: the From domain's
	// walk first, then each identifier's, each in the order it asked
	// (the walks run at once; this order does not depend on timing).
	Queries []Query
}

// Method returns the Found of method m.
func (d *Discovery) Method(m Method) *Found {
	if m == MethodTreeWalk {
		return &d.RFC9989
	}
	return &d.RFC7489
}

// Disagree reports whether the two methods found different records, at
// different names, or different organizational domains for the From domain.
func (d *Discovery) Disagree() bool {
	a, b := d.RFC7489, d.RFC9989
	return a.Status != b.Status || a.RecordDomain != b.RecordDomain ||
		a.RecordText != b.RecordText || a.OrgDomain != b.OrgDomain
}

// DiscoverOptions tune Discover.
type DiscoverOptions struct {
	// Identifiers are the domains that may be compared with the From domain
	// for alignment: the SPF domain (MAIL FROM or HELO) and every DKIM d=.
	// They are known before SPF and DKIM finish, so discovery can run beside
	// them. Their RFC 9989 organizational domains are looked up (tree walk);
	// RFC 7489 needs no DNS for them. Give only identifiers that will be
	// evaluated (the SPF domain, the d= of the signatures a dkim.Verifier
	// evaluates: see its SigningDomains), most important first.
	Identifiers []string
	// MaxIdentifierNames bounds the DNS work the identifiers may cause,
	// whatever a message's header holds: their walks together may ask at
	// most this many _dmarc names beyond the From domain's own walk
	// (default DefaultMaxIdentifierNames). Identifiers are admitted in
	// order, each with the whole worst case of its walk or not at all (a
	// walk cut short would give a wrong organizational domain); those that
	// do not fit are listed in Discovery.NotLookedUp.
	MaxIdentifierNames int
}

// DefaultMaxIdentifierNames is the default of
// DiscoverOptions.MaxIdentifierNames: room for the walks of two identifiers
// of 8 labels or more, or of many short ones sharing their parents. With the
// From domain's walk (at most 8 names) and the existence check, one
// discovery asks at most 25 questions.
const DefaultMaxIdentifierNames = 16

// Discover finds the DMARC record for the From domain by RFC 7489 and by RFC
// 9989, the organizational domains, and, when np= could apply, whether the
// From domain exists. All DNS goes through r; each distinct question is asked
// once. DNS failures are reported in the result (temperror), not as an error;
// the error is non-nil only when from is not a usable domain
// (dns.ErrInvalidName).
func Discover(ctx context.Context, r dns.Resolver, from dns.Domain, opts DiscoverOptions) (*Discovery, error) {
	fd, err := dns.ParseDomain(string(from))
	if err != nil {
		return nil, err
	}
	m := &walkMemo{ctx: ctx, r: r, memo: map[string]*txtAnswer{}}
	d := &Discovery{From: fd, OrgDomains: map[dns.Domain]OrgLookup{}}

	// Every walk starts at once: the From domain's (RFC 9989 tree walk,
	// its organizational domain, RFC 7489's questions — a subset of the
	// walk's — and the existence check) and each identifier's. Names they
	// share are asked once (walkMemo). Each walk keeps the order of its
	// own questions, and Queries lists them walk after walk, the From
	// domain's first, so that it reads as the protocol does (RFC 9989
	// §4.10's sequence) whatever order the answers came in.
	budget := opts.MaxIdentifierNames
	if budget <= 0 {
		budget = DefaultMaxIdentifierNames
	}
	known := map[dns.Domain]bool{}
	for _, n := range walkNames(fd) {
		known[n] = true
	}
	d.OrgDomains[fd] = OrgLookup{} // claimed: an identifier equal to From is walked with it
	var ids []dns.Domain
	for _, id := range opts.Identifiers {
		idd, err := dns.ParseDomain(id)
		if err != nil {
			continue // Evaluate reports unusable identifiers itself
		}
		if _, seen := d.OrgDomains[idd]; seen || slices.Contains(d.NotLookedUp, idd) {
			continue
		}
		var need []dns.Domain
		for _, n := range walkNames(idd) {
			if !known[n] {
				need = append(need, n)
			}
		}
		if len(need) > budget {
			d.NotLookedUp = append(d.NotLookedUp, idd)
			continue
		}
		budget -= len(need)
		for _, n := range need {
			known[n] = true
		}
		d.OrgDomains[idd] = OrgLookup{} // claimed
		ids = append(ids, idd)
	}

	var wg sync.WaitGroup
	fromWalk := &walker{m: m}
	wg.Add(1)
	go func() {
		defer wg.Done()
		w := fromWalk
		d.RFC9989 = w.discoverTreeWalk(fd)
		org, orgErr := w.orgDomain(fd)
		d.RFC9989.OrgDomain, d.RFC9989.OrgErr = org, orgErr
		d.RFC7489 = w.discoverPSL(fd)
		if needExistence(d.RFC7489) || needExistence(d.RFC9989) {
			d.FromExists, d.FromExistsErr = w.exists(fd)
		}
	}()
	idWalks := make([]*walker, len(ids))
	idOrgs := make([]OrgLookup, len(ids))
	for i, idd := range ids {
		idWalks[i] = &walker{m: m}
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, e := idWalks[i].orgDomain(idd)
			idOrgs[i] = OrgLookup{Org: o, Err: e}
		}()
	}
	wg.Wait()
	d.OrgDomains[fd] = OrgLookup{Org: d.RFC9989.OrgDomain, Err: d.RFC9989.OrgErr}
	for i, idd := range ids {
		d.OrgDomains[idd] = idOrgs[i]
	}
	d.Queries = m.inOrder(append([]*walker{fromWalk}, idWalks...))
	return d, nil
}

func needExistence(f Found) bool {
	return f.Record != nil && !f.AtFrom
}

// walkMemo asks and memoises the questions of one discovery. It is safe
// for concurrent use: a question asked while the same one is in flight
// waits for its answer.
type walkMemo struct {
	ctx  context.Context
	r    dns.Resolver
	mu   sync.Mutex
	memo map[string]*txtAnswer
}

type txtAnswer struct {
	done chan struct{}
	res  dns.Result
	err  error
	q    Query
}

// walker is one walk of a discovery: its questions go through the shared
// memo, and it remembers which it asked, in order. A walker is used by one
// goroutine.
type walker struct {
	m     *walkMemo
	asked []string // memo keys, in the order this walk needed them
}

// inOrder returns the queries of the walks, walk after walk, each question
// once: a deterministic log whatever order the answers arrived in.
func (m *walkMemo) inOrder(walks []*walker) []Query {
	var out []Query
	seen := map[string]bool{}
	for _, w := range walks {
		for _, k := range w.asked {
			if !seen[k] {
				seen[k] = true
				out = append(out, m.memo[k].q)
			}
		}
	}
	return out
}

func (w *walker) lookup(name string, t dns.Type) (dns.Result, error) {
	key := t.String() + " " + name
	w.asked = append(w.asked, key)
	m := w.m
	m.mu.Lock()
	if a, ok := m.memo[key]; ok {
		m.mu.Unlock()
		<-a.done
		return a.res, a.err
	}
	a := &txtAnswer{done: make(chan struct{})}
	m.memo[key] = a
	m.mu.Unlock()

	res, err := m.r.Lookup(m.ctx, name, t)
	q := Query{Name: name, Type: t.String()}
	switch {
	case err != nil && dns.IsTemporary(err):
		q.Status, q.Error = "temperror", err.Error()
	case err != nil:
		q.Status, q.Error = "error", err.Error()
	default:
		q.Status = res.Status.String()
		if t == dns.TypeTXT {
			q.TXT = res.TXT()
		}
	}
	a.res, a.err, a.q = res, err, q
	close(a.done)
	return res, err
}

// atName is what one _dmarc.<d> question yields.
type atName struct {
	status DiscoveryStatus
	record *Record
	text   string
	err    error
	// nx is true when _dmarc.<d> was NXDOMAIN (d itself may not exist).
	nx bool
	// several are the records' texts when there are several.
	several []string
}

func (w *walker) at(d dns.Domain) atName {
	name := "_dmarc." + string(d)
	res, err := w.lookup(name, dns.TypeTXT)
	if err != nil {
		if dns.IsTemporary(err) {
			return atName{status: DiscoveryTempError, err: fmt.Errorf("%w: %w", ErrTemporary, err)}
		}
		// A name too long to ask cannot hold a record.
		return atName{status: DiscoveryNone, err: fmt.Errorf("%w at %s: %v", ErrNoRecord, name, err)}
	}
	if res.Status == dns.StatusNXDomain {
		return atName{status: DiscoveryNone, err: fmt.Errorf("%w at %s (NXDOMAIN)", ErrNoRecord, name), nx: true}
	}
	type cand struct {
		text string
		rec  *Record
		err  error
	}
	var cands []cand
	for _, txt := range res.TXT() {
		rec, err := Parse(txt)
		if errors.Is(err, ErrNotDMARC) {
			continue // RFC 7489 §6.6.3 step 2: not a DMARC record, ignored
		}
		cands = append(cands, cand{txt, rec, err})
	}
	switch {
	case len(cands) == 0:
		return atName{status: DiscoveryNone, err: fmt.Errorf("%w at %s", ErrNoRecord, name)}
	case len(cands) > 1:
		texts := make([]string, len(cands))
		for i, c := range cands {
			texts[i] = c.text
		}
		return atName{status: DiscoveryMultiple, several: texts, err: fmt.Errorf("%w: %d records at %s", ErrMultipleRecords, len(cands), name)}
	}
	c := cands[0]
	switch {
	case c.err == nil:
		return atName{status: DiscoveryFound, record: c.rec, text: c.text}
	case errors.Is(c.err, ErrNoPolicy):
		return atName{status: DiscoveryNoPolicy, record: c.rec, text: c.text, err: c.err}
	default:
		return atName{status: DiscoveryInvalid, text: c.text, err: c.err}
	}
}

func (f *Found) take(a atName, at dns.Domain, from dns.Domain) {
	f.Status, f.Record, f.RecordText, f.Err, f.Several = a.status, a.record, a.text, a.err, a.several
	f.RecordDomain, f.AtFrom = at, at == from
}

// discoverPSL is RFC 7489 §6.6.3 steps 1 to 5.
func (w *walker) discoverPSL(from dns.Domain) Found {
	f := Found{Method: MethodPSL}
	org, _ := OrgDomain(from)
	f.OrgDomain = org
	f.Queried = append(f.Queried, "_dmarc."+string(from))
	a := w.at(from)
	if a.status != DiscoveryNone || org == from {
		f.take(a, from, from)
		return f
	}
	// Step 3: only when the set at the From domain is empty.
	f.Queried = append(f.Queried, "_dmarc."+string(org))
	b := w.at(org)
	if b.status == DiscoveryNone {
		f.take(b, from, from)
		f.Err = fmt.Errorf("%w at _dmarc.%s or _dmarc.%s", ErrNoRecord, from, org)
		return f
	}
	f.take(b, org, from)
	return f
}

// walkNames is the RFC 9989 §4.10 query sequence for d: d itself; then, if
// d has 8 or more labels, its last 7 labels; then one label less each time,
// down to the top-level domain. At most 8 names.
func walkNames(d dns.Domain) []dns.Domain {
	names := []dns.Domain{d}
	cur := d
	if n := d.Labels(); n >= 8 {
		for cur.Labels() > 7 {
			cur = cur.Parent()
		}
	} else {
		cur = cur.Parent()
	}
	for cur != "" {
		names = append(names, cur)
		cur = cur.Parent()
	}
	return names
}

// discoverTreeWalk is RFC 9989 §4.10 policy discovery: the first name on the
// walk that holds DMARC records ends it.
func (w *walker) discoverTreeWalk(from dns.Domain) Found {
	f := Found{Method: MethodTreeWalk}
	for _, d := range walkNames(from) {
		f.Queried = append(f.Queried, "_dmarc."+string(d))
		a := w.at(d)
		if a.status == DiscoveryNone {
			continue
		}
		f.take(a, d, from)
		return f
	}
	f.Status, f.RecordDomain, f.AtFrom = DiscoveryNone, from, true
	f.Err = fmt.Errorf("%w on the DNS tree walk from _dmarc.%s", ErrNoRecord, from)
	return f
}

// orgDomain is RFC 9989 §4.10.2: walk up from d; a record with psd=n marks
// its own domain as the organizational domain; psd=y (other than at d)
// marks the name one label below it; otherwise the shortest name with a
// valid DMARC record is it; with no record at all, d is its own.
func (w *walker) orgDomain(d dns.Domain) (dns.Domain, error) {
	names := walkNames(d)
	var shortest dns.Domain
	for _, n := range names {
		a := w.at(n)
		if a.status == DiscoveryTempError {
			return d, fmt.Errorf("RFC 9989 organizational domain of %s unknown: %w", d, a.err)
		}
		if a.record == nil { // none, multiple or invalid: not a valid record
			continue
		}
		switch a.record.PSD {
		case PSDNo:
			return n, nil
		case PSDYes:
			if n != d {
				return suffixWithLabels(d, n.Labels()+1), nil
			}
		}
		shortest = n
	}
	if shortest == "" {
		return d, nil
	}
	return shortest, nil
}

// suffixWithLabels returns the suffix of full with the given number of labels.
func suffixWithLabels(full dns.Domain, labels int) dns.Domain {
	cur := full
	for cur.Labels() > labels {
		cur = cur.Parent()
	}
	return cur
}

// exists tests whether from exists (RFC 8020): _dmarc.<from> answering
// NODATA or with records already proves it; otherwise ask for A records.
func (w *walker) exists(from dns.Domain) (Existence, error) {
	if a := w.at(from); !a.nx && a.status != DiscoveryTempError {
		return Exists, nil
	}
	res, err := w.lookup(string(from), dns.TypeA)
	switch {
	case err != nil && dns.IsTemporary(err):
		return ExistenceUnknown, fmt.Errorf("%w: existence of %s: %w", ErrTemporary, from, err)
	case err != nil:
		return NotExists, nil
	case res.Status == dns.StatusNXDomain && len(res.CNAMEs) == 0:
		return NotExists, nil
	}
	return Exists, nil
}
