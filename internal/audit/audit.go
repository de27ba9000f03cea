// Package audit is `preflight domain`: a DNS-only audit of a sending
// domain, the checkdmarc way, with preflight's own libraries. For one domain
// it asks, concurrently and through one shared resolver:
//
//   - DMARC by both discoveries (RFC 7489 Public Suffix List, RFC 9989 tree
//     walk), dmarc.Lint, and the RFC 7489 §7.1 authorization of every
//     external rua=/ruf= destination;
//   - SPF by spf.Analyze (worst-case lookups per term, void lookups,
//     networks, warnings), or its absence;
//   - MX (and null MX, RFC 7505), which also tells whether the domain
//     exists at all (NXDOMAIN);
//   - DKIM keys at the selectors asked for (dkim.Verifier.CheckKey);
//   - the presence and basic syntax of BIMI, MTA-STS and TLS-RPT records
//     (the MTA-STS policy file is not fetched);
//
// and then what each receiver profile would do with a message from the
// domain that fails DMARC (receiver.Predict, with its confidence).
//
// The outcome is a report.DomainAudit; rendering is package report's. A
// temporary DNS failure is reported as unknown (temperror), never as "no
// record".
package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/report"
	"preflight/spf"
)

// CommonSelectors are the DKIM selectors --selector common tries: the
// defaults of widely used mail platforms (Google Workspace, Microsoft 365,
// Mailchimp/Mandrill, SendGrid, Amazon SES-style s1/s2, generic names).
// Selectors are free names, so finding none proves nothing.
var CommonSelectors = []string{"default", "google", "selector1", "selector2", "k1", "k2", "s1", "s2", "mail", "dkim", "smtp", "mandrill", "mxvault"}

// Config is what an audit needs.
type Config struct {
	// Resolver answers every question; share one (a dns.Cache) across a
	// batch so common names (an ESP's SPF include, a TLD's _dmarc) are
	// asked once.
	Resolver dns.Resolver
	// Now is the clock (SPF's %{t}, DKIM key checks); nil means time.Now.
	Now func() time.Time
	// Receivers are the profiles asked what they would do with a message
	// that fails DMARC; none means no receiver line.
	Receivers []*receiver.Profile
	// Selectors are DKIM selectors to check; a missing key at one of them
	// is a problem. Common adds CommonSelectors, whose absence is not.
	Selectors []string
	Common    bool
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// ErrNotDomain is the error of an input that is not a domain name.
var ErrNotDomain = errors.New("not a domain name")

// ParseInput turns one argument or line into a domain: an address
// (news@brand.example) counts as its domain; a URL, an IP address or a
// single label does not.
func ParseInput(s string) (dns.Domain, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") {
		return "", errorf("%q is a URL; give the domain alone", s)
	}
	d, err := dns.ParseDomain(s)
	if err != nil {
		return "", errorf("%s", strings.TrimPrefix(err.Error(), dns.ErrInvalidName.Error()+": "))
	}
	if d.Labels() < 2 {
		return "", errorf("%q is not a fully qualified domain name", s)
	}
	return d, nil
}

type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Is(t error) bool {
	return t == ErrNotDomain
}

func errorf(format string, args ...any) error {
	return &inputError{msg: fmt.Sprintf(format, args...)}
}

// Domain audits one input (a domain, or an address whose domain is
// audited). It never fails: an input that is not a domain gives an audit
// with Error set, DNS failures are reported inside.
func Domain(ctx context.Context, cfg Config, input string) *report.DomainAudit {
	a := &report.DomainAudit{Input: input}
	d, err := ParseInput(input)
	if err != nil {
		a.Error = err.Error()
		a.Finish()
		return a
	}
	a.Domain = d.String()
	if u := d.Unicode(); u != a.Domain {
		a.Unicode = u
	}
	ctx, trace := dns.WithTrace(ctx)
	r := &run{cfg: cfg, d: d, a: a}
	r.gather(ctx)
	r.conclude()

	qs := trace.Queries()
	st := dns.Summarize(qs)
	a.DNS = report.DNS{Queries: st.Queries, Lookups: st.Lookups, Failures: st.Failures, ElapsedMS: st.Elapsed.Milliseconds()}
	for _, q := range qs {
		a.DNS.Log = append(a.DNS.Log, report.Query{Name: q.Name, Type: q.Type.String(), Status: q.Status,
			Rcode: q.Rcode, Answers: q.Answers, Source: q.Source, Cached: q.Cached})
	}
	// The parts ran concurrently; the evidence is listed in a stable order.
	sort.SliceStable(a.DNS.Log, func(i, j int) bool {
		x, y := a.DNS.Log[i], a.DNS.Log[j]
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		if x.Type != y.Type {
			return x.Type < y.Type
		}
		return !x.Cached && y.Cached
	})
	a.Finish()
	return a
}

// run is the state of one domain's audit: what the concurrent lookups
// brought back, then the model built from it in a fixed order.
type run struct {
	cfg Config
	d   dns.Domain
	a   *report.DomainAudit

	disc    *dmarc.Discovery
	reports []reportAuth
	spf     *spf.Analysis
	mx      lookup
	addrs   []lookup // A and AAAA, when there is no MX
	keys    []dkim.Result
	common  []bool
	bimi    lookup
	mtasts  lookup
	tlsrpt  lookup

	findings []report.DomainFinding
}

// lookup is one DNS answer or failure.
type lookup struct {
	name string
	res  dns.Result
	err  error
}

func (r *run) ask(ctx context.Context, name string, t dns.Type) lookup {
	res, err := r.cfg.Resolver.Lookup(ctx, name, t)
	return lookup{name: name, res: res, err: err}
}

// gather asks everything at once: the parts are independent, except the
// report authorizations, which need the DMARC record, and the address
// fallback, which needs the MX answer.
func (r *run) gather(ctx context.Context) {
	var wg sync.WaitGroup
	goDo := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	res := r.cfg.Resolver
	d := r.d.String()
	goDo(func() {
		disc, err := dmarc.Discover(ctx, res, r.d, dmarc.DiscoverOptions{})
		if err == nil {
			r.disc = disc
			r.reports = authorizeReports(ctx, res, disc)
		}
	})
	goDo(func() {
		r.spf = spf.Analyze(ctx, spf.Config{Resolver: res, Now: r.cfg.now}, spf.Request{Domain: r.d})
	})
	goDo(func() {
		r.mx = r.ask(ctx, d, dns.TypeMX)
		if r.mx.err == nil && r.mx.res.Status == dns.StatusNoData {
			r.addrs = []lookup{r.ask(ctx, d, dns.TypeA), r.ask(ctx, d, dns.TypeAAAA)}
		}
	})
	goDo(func() { r.bimi = r.ask(ctx, "default._bimi."+d, dns.TypeTXT) })
	goDo(func() { r.mtasts = r.ask(ctx, "_mta-sts."+d, dns.TypeTXT) })
	goDo(func() { r.tlsrpt = r.ask(ctx, "_smtp._tls."+d, dns.TypeTXT) })

	sels, common := r.selectors()
	r.keys, r.common = make([]dkim.Result, len(sels)), common
	v := &dkim.Verifier{Resolver: res, Now: r.cfg.now}
	for i, s := range sels {
		goDo(func() { r.keys[i] = v.CheckKey(ctx, r.d, s, nil) })
	}
	wg.Wait()
}

// selectors returns the selectors to check, the explicit ones first, and
// which of them come only from the common list.
func (r *run) selectors() ([]string, []bool) {
	var sels []string
	var common []bool
	seen := map[string]bool{}
	for _, s := range r.cfg.Selectors {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !seen[s] {
			seen[s] = true
			sels, common = append(sels, s), append(common, false)
		}
	}
	if r.cfg.Common {
		for _, s := range CommonSelectors {
			if !seen[s] {
				seen[s] = true
				sels, common = append(sels, s), append(common, true)
			}
		}
	}
	return sels, common
}

// conclude builds the model and the findings in a fixed order: existence
// and MX, DMARC, SPF, DKIM, BIMI, MTA-STS, TLS-RPT, the receivers.
func (r *run) conclude() {
	r.concludeMX()
	r.concludeDMARC()
	r.concludeSPF()
	r.concludeDKIM()
	r.concludeTXT()
	r.concludeReceivers()
	r.a.Findings = r.findings
}

// finding adds a catalogued finding; records are the zone lines its fix
// publishes.
func (r *run) finding(id, detail, fix string, records ...string) {
	r.findings = append(r.findings, report.DomainFinding{Finding: report.NewFinding(id, detail, fix), Records: records})
}

// adopt adds findings a library emitted (dmarc.Lint, the SPF analyzer,
// the DKIM key check).
func (r *run) adopt(fs ...report.Finding) {
	for _, f := range fs {
		r.findings = append(r.findings, report.DomainFinding{Finding: f})
	}
}

func (r *run) nxdomain() bool { return r.a.Exists == "nxdomain" }

// concludeReceivers asks each profile what it does with a message from the
// domain that passes neither SPF nor DKIM in alignment: DMARC fails
// wherever a policy applies. No SPF outcome is given, so QQ's separate SPF
// rejection path does not enter the answer.
func (r *run) concludeReceivers() {
	if r.disc == nil {
		return
	}
	for _, p := range r.cfg.Receivers {
		ev := dmarc.Evaluate(dmarc.Input{Discovery: r.disc, Options: p.DMARC})
		v := receiver.Predict(p, receiver.Input{DMARC: ev})
		dr := report.Verdict{Receiver: p.Name, ReceiverName: p.DisplayName(), Disposition: v.Disposition, Reject: v.Reject,
			SMTPReply: v.SMTPReply, Confidence: v.Confidence.Coarse(), Summary: v.Summary}
		if v.Probability > 0 && v.Probability < 1 {
			dr.Probability = v.Probability
		}
		for _, ru := range v.Rules {
			dr.Rules = append(dr.Rules, report.Rule{ID: ru.ID, Text: ru.Text, Provenance: string(ru.Provenance),
				Confidence: string(ru.Confidence), Source: ru.Source})
		}
		r.a.Receivers = append(r.a.Receivers, dr)
	}
}
