package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// FormatCSV is --format csv: one row per domain (domain audits only).
const FormatCSV = "csv"

// DomainKind is DomainAudit.Kind: it tells a domain audit from a message
// report in a stream of preflight/v1 JSON objects.
const DomainKind = "domain"

// The statuses of a DomainAudit, most severe first as the exit code ranks
// them: error (the input is not a domain: exit 2), fail (an error-level
// finding: exit 1), temperror (a temporary DNS failure left part of the
// audit unknown: exit 3), warn, ok.
const (
	DomainError     = "error"
	DomainFail      = "fail"
	DomainTempError = "temperror"
	DomainWarn      = "warn"
	DomainOK        = "ok"
)

// DomainAudit is the outcome of `preflight domain` for one domain: what its
// DNS says about mail from it, without a message. Its JSON encoding (one
// object per domain, JSON Lines) is the domain command's contract; field
// names are API: add, never rename. Every string may come from DNS and is
// untrusted; the renderers escape all of them.
type DomainAudit struct {
	Schema string `json:"schema"` // Schema ("preflight/v1")
	Kind   string `json:"kind"`   // DomainKind ("domain")
	// Input is the line or argument as given; Domain its canonical form
	// (A-labels), "" when Input is not a domain; Unicode the U-label form
	// when it differs.
	Input   string `json:"input"`
	Domain  string `json:"domain"`
	Unicode string `json:"unicode,omitempty"`
	// Status is one of the Domain… constants; Summary the verdict line
	// without its mark (Finish sets both).
	Status  string `json:"status"`
	Summary string `json:"summary"`
	// Exists is "yes", "nxdomain" or "unknown" (a temporary failure); ""
	// when the domain was not audited.
	Exists string      `json:"exists"`
	DMARC  DomainDMARC `json:"dmarc"`
	SPF    DomainSPF   `json:"spf"`
	MX     DomainMX    `json:"mx"`
	// DKIM has one entry per selector tried (none without --selector).
	DKIM   []DomainDKIM `json:"dkim"`
	BIMI   DomainTXT    `json:"bimi"`
	MTASTS DomainTXT    `json:"mta_sts"`
	TLSRPT DomainTXT    `json:"tls_rpt"`
	// Receivers says, per receiver profile, what it would do with a
	// message from the domain that fails DMARC.
	// Receivers says what each receiver would do with a message from the
	// domain that fails DMARC: a Verdict as check gives one.
	Receivers []Verdict `json:"receivers"`
	// Findings are ordered by severity (error, warn, info), then as found.
	Findings []DomainFinding `json:"findings"`
	DNS      DNS             `json:"dns"`
	// Error says why the input was not audited (not a domain name).
	Error string `json:"error,omitempty"`
}

// DomainDMARC is the domain's DMARC policy as RFC 7489 discovery finds it
// (QQ Mail's method), with RFC 9989's view beside it when they disagree.
type DomainDMARC struct {
	// Status is the discovery outcome: found, none, multiple, no-policy,
	// invalid or temperror ("" when not looked up).
	Status       string `json:"status"`
	Discovery    string `json:"discovery"` // rfc7489
	RecordDomain string `json:"record_domain"`
	Record       string `json:"record"`
	// Records are the records found when there are several (Status
	// multiple).
	Records   []string `json:"records,omitempty"`
	OrgDomain string   `json:"org_domain"`
	// Policy is what applies to mail from this domain that fails DMARC
	// (none quarantine reject; "" without a usable record), and PolicyTag
	// the tag that says so (p, sp or np).
	Policy    string `json:"policy"`
	PolicyTag string `json:"policy_tag,omitempty"`
	// P, SP and NP are the record's tags as published ("" when absent).
	P       string `json:"p,omitempty"`
	SP      string `json:"sp,omitempty"`
	NP      string `json:"np,omitempty"`
	Pct     int    `json:"pct,omitempty"`
	ADKIM   string `json:"adkim,omitempty"`
	ASPF    string `json:"aspf,omitempty"`
	Testing bool   `json:"testing,omitempty"`
	// Reports lists the rua= and ruf= addresses with their RFC 7489 §7.1
	// authorization.
	Reports []DomainReportURI `json:"reports"`
	// Agree says whether RFC 7489 and RFC 9989 discovery found the same
	// record and organizational domain; Alternative is RFC 9989's view
	// when they do not.
	Agree       bool       `json:"discoveries_agree"`
	Alternative *DMARCView `json:"alternative,omitempty"`
	Error       string     `json:"error,omitempty"`
}

// DomainReportURI is one rua= or ruf= address of the DMARC record.
type DomainReportURI struct {
	Tag string `json:"tag"` // rua or ruf
	URI string `json:"uri"`
	// Destination is the host of a mailto: address.
	Destination string `json:"destination,omitempty"`
	// Authorization is internal (same organizational domain: no
	// authorization needed), authorized, unauthorized, unknown (a
	// temporary failure) or unchecked (not a mailto: address).
	Authorization string `json:"authorization"`
	// Query is the TXT name asked: <domain>._report._dmarc.<destination>.
	Query string `json:"query,omitempty"`
}

// DomainSPF is the static analysis of the domain's SPF policy.
type DomainSPF struct {
	// Status is found, none, permerror or temperror ("" when not looked up).
	Status       string `json:"status"`
	Record       string `json:"record"`
	Lookups      int    `json:"lookups"`
	VoidLookups4 int    `json:"void_lookups_ipv4"`
	VoidLookups6 int    `json:"void_lookups_ipv6"`
	// All is what hosts no term lists get: fail (-all), softfail (~all),
	// neutral (?all), pass (+all), redirect (the redirect= target decides)
	// or "" (no all term: neutral).
	All           string        `json:"all"`
	Networks      []string      `json:"networks"`
	Unflattenable []string      `json:"unflattenable"`
	Terms         []SPFTreeTerm `json:"terms"`
	Error         string        `json:"error,omitempty"`
}

// DomainMX is the domain's MX set.
type DomainMX struct {
	// Status is found, null (RFC 7505), none (NODATA), nxdomain or
	// temperror ("" when not looked up).
	Status string   `json:"status"`
	Hosts  []string `json:"hosts"` // "10 mx.example." as published
	// Addresses are the domain's own A/AAAA records, looked up when it
	// has no MX (the RFC 5321 §5.1 fallback).
	Addresses []string `json:"addresses,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// DomainDKIM is the key check of one DKIM selector.
type DomainDKIM struct {
	Selector string `json:"selector"`
	Name     string `json:"name"` // SELECTOR._domainkey.DOMAIN
	// Status is ok (a usable key), none (no key), invalid (a key
	// receivers cannot use) or temperror.
	Status    string `json:"status"`
	Result    string `json:"result"` // the key check's DKIM result: pass, permerror, temperror
	Cause     string `json:"cause"`
	Algorithm string `json:"algorithm,omitempty"`
	KeyBits   int    `json:"key_bits,omitempty"`
	Testing   bool   `json:"testing,omitempty"`
	Reason    string `json:"reason"`
	// Common marks a selector tried from the built-in list (--selector
	// common): its absence is no problem.
	Common bool `json:"common,omitempty"`
}

// DomainTXT is a TXT policy record at a fixed name (BIMI, MTA-STS,
// TLS-RPT): its presence and basic syntax.
type DomainTXT struct {
	Name string `json:"name"`
	// Status is found, none, invalid or temperror ("" when not looked up).
	Status string `json:"status"`
	// Records are the TXT records of the kind (those that start with its
	// version tag).
	Records []string `json:"records"`
	Problem string   `json:"problem,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// DomainFinding is a catalogued finding of an audit with the DNS records
// its fix publishes, in zone-file form, one per element: renderers print
// each on a line of its own, whole, so it can be copied.
type DomainFinding struct {
	Finding
	Records []string `json:"records,omitempty"`
}

// DisplayName is the name to write the receiver by: ReceiverName, else
// the receiver's ID.

// tempFindings are the IDs that say a temporary DNS failure left
// something unknown: they make a domain's status temperror, not fail.
var tempFindings = map[string]bool{
	"domain.temperror": true, "dmarc.temperror": true, "spf.temperror": true, "dkim.key-temporary": true,
}

// Finish orders the findings, sets Schema, Kind, Status and Summary, and
// turns nil lists into empty ones (so JSON has [] rather than null). The
// audit calls it once it has filled everything else.
func (a *DomainAudit) Finish() {
	a.Schema, a.Kind = Schema, DomainKind
	sort.SliceStable(a.Findings, func(i, j int) bool {
		return a.Findings[i].Severity.Rank() < a.Findings[j].Severity.Rank()
	})
	errs, warns, temp := 0, 0, false
	for _, f := range a.Findings {
		switch {
		case tempFindings[f.ID]:
			temp = true
		case f.Severity == SeverityError:
			errs++
		case f.Severity == SeverityWarn:
			warns++
		}
	}
	switch {
	case a.Error != "":
		a.Status = DomainError
	case errs > 0:
		a.Status = DomainFail
	case temp:
		a.Status = DomainTempError
	case warns > 0:
		a.Status = DomainWarn
	default:
		a.Status = DomainOK
	}
	a.Summary = domainSummary(a, errs, warns, temp)
	fillDomainArrays(a)
}

func fillDomainArrays(a *DomainAudit) {
	if a.DKIM == nil {
		a.DKIM = []DomainDKIM{}
	}
	if a.Receivers == nil {
		a.Receivers = []Verdict{}
	}
	if a.Findings == nil {
		a.Findings = []DomainFinding{}
	}
	if a.DMARC.Reports == nil {
		a.DMARC.Reports = []DomainReportURI{}
	}
	if a.SPF.Networks == nil {
		a.SPF.Networks = []string{}
	}
	if a.SPF.Unflattenable == nil {
		a.SPF.Unflattenable = []string{}
	}
	if a.SPF.Terms == nil {
		a.SPF.Terms = []SPFTreeTerm{}
	}
	if a.MX.Hosts == nil {
		a.MX.Hosts = []string{}
	}
	for _, t := range []*DomainTXT{&a.BIMI, &a.MTASTS, &a.TLSRPT} {
		if t.Records == nil {
			t.Records = []string{}
		}
	}
}

// domainSummary is the verdict line's text: the DMARC policy, the SPF cost
// and the MX state, then how many problems and warnings.
func domainSummary(a *DomainAudit, errs, warns int, temp bool) string {
	if a.Error != "" {
		return "not audited: " + a.Error
	}
	var parts []string
	if a.Exists == "nxdomain" {
		parts = append(parts, "does not exist (NXDOMAIN)")
	}
	parts = append(parts, dmarcPhrase(a))
	if a.Exists != "nxdomain" {
		parts = append(parts, spfPhrase(a.SPF), mxPhrase(a.MX))
	}
	s := strings.Join(parts, ", ")
	var tail []string
	if errs > 0 {
		tail = append(tail, count(errs, "problem"))
	}
	if warns > 0 {
		tail = append(tail, count(warns, "warning"))
	}
	if temp {
		tail = append(tail, "incomplete: a temporary DNS failure")
	}
	if len(tail) > 0 {
		s += " — " + strings.Join(tail, ", ")
	}
	return s
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func dmarcPhrase(a *DomainAudit) string {
	d := a.DMARC
	switch d.Status {
	case "found":
		s := fmt.Sprintf("DMARC %s=%s", orDefault(d.PolicyTag, "p"), orDefault(d.Policy, "none"))
		if d.Pct > 0 && d.Pct < 100 && d.Policy != "none" {
			s += fmt.Sprintf(" pct=%d", d.Pct)
		}
		if d.RecordDomain != "" && d.RecordDomain != a.Domain {
			s += " (from " + d.RecordDomain + ")"
		}
		return s
	case "none":
		return "no DMARC record"
	case "multiple":
		return "several DMARC records (no policy applies)"
	case "no-policy":
		return "DMARC record without a valid p="
	case "invalid":
		return "invalid DMARC record"
	case "temperror":
		return "DMARC unknown (DNS failure)"
	}
	return "DMARC not checked"
}

func spfPhrase(s DomainSPF) string {
	switch s.Status {
	case "found":
		return fmt.Sprintf("SPF %d/10 lookups", s.Lookups)
	case "none":
		return "no SPF record"
	case "permerror":
		return "SPF broken (permerror)"
	case "temperror":
		return "SPF unknown (DNS failure)"
	}
	return "SPF not checked"
}

func mxPhrase(m DomainMX) string {
	switch m.Status {
	case "found":
		return "MX ok"
	case "null":
		return "null MX (receives no mail)"
	case "none":
		return "no MX"
	case "nxdomain":
		return "no MX (NXDOMAIN)"
	case "temperror":
		return "MX unknown (DNS failure)"
	}
	return "MX not checked"
}

// DomainName is how a domain is shown: its A-label form, with the Unicode
// form beside it for an IDN; the input as given when it is not a domain.
func DomainName(a *DomainAudit) string {
	switch {
	case a.Domain == "":
		return Safe(a.Input)
	case a.Unicode != "" && a.Unicode != a.Domain:
		return Safe(a.Domain) + " (" + Safe(a.Unicode) + ")"
	}
	return Safe(a.Domain)
}

// DomainVerdictLine is the one-line verdict of an audit, as -q prints it:
// a mark (✓ ok, ⚠ warnings, ✗ problems, ? incomplete, ! not audited), the
// domain and the summary.
func DomainVerdictLine(a *DomainAudit) string {
	mark := "✓"
	switch a.Status {
	case DomainError:
		mark = "!"
	case DomainFail:
		mark = "✗"
	case DomainTempError:
		mark = "?"
	case DomainWarn:
		mark = "⚠"
	}
	return mark + " " + DomainName(a) + ": " + Safe(a.Summary)
}

// DomainFails reports whether a counts as failed under --fail-on: "fail"
// (the default: an error-level finding) or "warn" (any warning too). An
// audit that could not be done (error) or is incomplete (temperror) is not
// a failure here: the exit code says those (2, 3).
func DomainFails(a *DomainAudit, failOn string) bool {
	return a.Status == DomainFail || failOn == "warn" && a.Status == DomainWarn
}

// DomainOptions tune the domain renderers.
type DomainOptions struct {
	// Format is text (default), json, csv, markdown, junit or github;
	// TextOptions apply to text.
	Options
	// FailOn is --fail-on ("fail" or "warn"): JUnit failures and GitHub
	// annotation levels follow it.
	FailOn string
	// Receivers are the receiver profile IDs of the run, in order: the
	// CSV columns and the Markdown table's (headed by the display names
	// the audits carry).
	Receivers []string
}

// DomainRenderer writes audits in one format: Add once per domain in input
// order, Close once at the end (summaries, JUnit's document, CSV's header
// when there was no domain).
type DomainRenderer interface {
	Add(a *DomainAudit) error
	Close() error
}

// NewDomainRenderer returns the renderer of o.Format. JSON, CSV, text and
// GitHub write each audit as it arrives; Markdown and JUnit write on Close.
func NewDomainRenderer(w io.Writer, o DomainOptions) (DomainRenderer, error) {
	f, err := o.format("domain", FormatText, FormatJSON, FormatCSV, FormatMarkdown, FormatJUnit, FormatGitHub)
	if err != nil {
		return nil, err
	}
	switch f {
	case FormatJSON:
		return &domainJSON{w: w}, nil
	case FormatCSV:
		return newDomainCSV(w, o), nil
	case FormatMarkdown:
		return &domainMarkdown{w: w, o: o}, nil
	case FormatJUnit:
		return &domainJUnit{w: w, o: o}, nil
	case FormatGitHub:
		return &domainGitHub{w: w, o: o}, nil
	}
	return &domainText{t: &textWriter{w: w, o: o.TextOptions}}, nil
}

type domainJSON struct{ w io.Writer }

func (j *domainJSON) Add(a *DomainAudit) error {
	c := *a
	fillDomainArrays(&c)
	return writeJSONLine(j.w, c)
}

func (j *domainJSON) Close() error { return nil }
