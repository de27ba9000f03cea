// Package check is preflight's pipeline: from a message (or only a plan) and
// an envelope to a report.Report with the receiver's predicted answer.
//
// SPF (per sending IP), DKIM (verification, sign-simulation, expected
// signing) and DMARC discovery start concurrently over one resolver;
// dmarc.Evaluate and the receiver's prediction are pure over their results.
// Several messages share the resolver's cache (see Batch).
package check

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"preflight/dkim"
	"preflight/dmarc"
	"preflight/dns"
	"preflight/report"
	"preflight/spf"
)

// Config is what does not change between messages.
type Config struct {
	Resolver dns.Resolver
	Now      func() time.Time
	Receiver *Profile
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Plan is what the sender intends: everything given on the command line. A
// zero field means "take it from the message, or say it is unknown".
type Plan struct {
	From        string // RFC5322.From address or domain (overrides the header)
	MailFrom    string // RFC5321.MailFrom address or domain; "<>" is the null sender
	MailFromSet bool
	IPs         []netip.Addr
	HELO        string
	// Sign-simulation: sign as the ESP will, then verify against DNS.
	SignKey      crypto.Signer
	SignDomain   string
	SignSelector string
	SignFindings []report.Finding // e.g. key file permissions
	// ExpectDKIM: the ESP will add these signatures.
	ExpectDKIM []DomainSelector
	// HeadersOnly says the message is a header section without its body
	// (a bounce that returned text/rfc822-headers): DKIM body hashes cannot
	// be checked, so each signature's key is checked and the signature
	// assumed to verify, and the report says so.
	HeadersOnly bool
}

// DomainSelector names a DKIM key: d= and s=.
type DomainSelector struct{ Domain, Selector string }

// ParseDomainSelector parses "D:S" as given to --expect-dkim.
func ParseDomainSelector(s string) (DomainSelector, error) {
	d, sel, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(d) == "" || strings.TrimSpace(sel) == "" {
		return DomainSelector{}, fmt.Errorf("%q is not DOMAIN:SELECTOR (e.g. brand.example:s1)", s)
	}
	nd, err := NormalizeDomain(d)
	if err != nil {
		return DomainSelector{}, err
	}
	return DomainSelector{nd, strings.ToLower(strings.TrimSpace(sel))}, nil
}

// Check evaluates one message (msg may be nil: the plan alone) and returns
// its report. It does not fail: problems become findings, and a message
// that cannot be evaluated at all has Report.Error set.
func Check(ctx context.Context, cfg Config, msg *Message, plan Plan) *report.Report {
	ctx, trace := dns.WithTrace(ctx)
	c := &run{cfg: cfg, msg: msg, plan: plan, rep: &report.Report{
		Schema: report.Schema, DKIM: []report.DKIM{}, Findings: []report.Finding{}, Fixes: []report.Fix{},
		Assumptions: []string{}, Envelope: report.Envelope{IPs: []string{}, Assumed: []string{}},
	}}
	c.intake()
	if c.rep.Error == "" {
		c.evaluate(ctx)
	}
	qs := trace.Queries()
	st := dns.Summarize(qs)
	c.rep.DNS = report.DNS{Queries: st.Queries, Lookups: st.Lookups, Failures: st.Failures,
		ElapsedMS: st.Elapsed.Milliseconds()}
	for _, q := range qs {
		c.rep.DNS.Log = append(c.rep.DNS.Log, report.Query{Name: q.Name, Type: q.Type.String(), Status: q.Status,
			Rcode: q.Rcode, Answers: q.Answers, Source: q.Source, Cached: q.Cached})
	}
	// Lookups run concurrently; the evidence is listed in a stable order.
	sort.SliceStable(c.rep.DNS.Log, func(i, j int) bool {
		a, b := c.rep.DNS.Log[i], c.rep.DNS.Log[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Type < b.Type
	})
	report.SortFindings(c.rep.Findings)
	return c.rep
}

// run is the state of one Check.
type run struct {
	cfg  Config
	msg  *Message
	plan Plan
	rep  *report.Report

	author   Author
	mailFrom string // address, "" for null or unknown
	mfDomain string // canonical MAIL FROM domain ("" unknown)
	mfKnown  bool   // MAIL FROM given or found (null counts as known)
	spfID    string // the SPF identity domain (MAIL FROM domain, or HELO for null)
	ips      []netip.Addr
	helo     string

	spfResults []spf.Result
	spfAnalyze *spf.Analysis
	dkimRep    *dkim.Report
	dkimSim    *dkim.Result  // --dkim-key sign-simulation
	dkimExpect []dkim.Result // --expect-dkim
	dkimErr    error
	disc       *dmarc.Discovery
	discErr    error
}

func (c *run) find(f report.Finding) { c.rep.Findings = append(c.rep.Findings, f) }

func (c *run) assume(s string) { c.rep.Assumptions = append(c.rep.Assumptions, s) }

// intake works out From, MAIL FROM, IPs and HELO from the plan and message.
func (c *run) intake() {
	r := c.rep
	if c.msg != nil {
		r.Message.Path = c.msg.Path
		if s := c.msg.Get("Subject"); len(s) > 0 {
			r.Message.Subject = decodeHeader(s[0])
		}
		if id := c.msg.Get("Message-ID"); len(id) > 0 {
			r.Message.MessageID = id[0]
		}
	}
	switch {
	case c.plan.From != "":
		c.author = ParseAuthor(c.plan.From)
		if c.msg != nil {
			c.assume(fmt.Sprintf("From taken from --from (%s), not from the message's header", c.plan.From))
		}
	case c.msg != nil:
		c.author = FromAuthor(c.msg)
	}
	r.Message.From, r.Message.FromDomain = c.author.Address, c.author.Domain
	if c.author.Lenient != "" {
		c.find(finding("message.from-lenient", c.author.Lenient, "Write the From header as RFC 5322 requires, e.g. From: Brand News <news@brand.example>."))
	}
	if c.author.Problem != "" {
		c.find(finding("message.from-invalid", c.author.Problem, "Give the message exactly one From header field with exactly one address, e.g. From: Brand News <news@brand.example>."))
		r.Error = ""
	}

	// MAIL FROM.
	switch {
	case c.plan.MailFromSet:
		c.setMailFrom(c.plan.MailFrom, "flag")
	case c.msg != nil:
		if rp, ok := ReturnPath(c.msg); ok {
			c.setMailFrom(rp, "return-path")
		}
	}
	if !c.mfKnown {
		r.Envelope.MailFromSource = "none"
		c.find(finding("envelope.mail-from-unknown",
			"The message has no Return-Path header and no --mail-from was given, so the RFC5321.MailFrom domain that SPF checks is unknown. Most ESPs use a bounce domain of their own unless told otherwise.",
			"Pass --mail-from with the bounce address your ESP uses (e.g. --mail-from bounce@esp.example), or save the sample with its Return-Path header."))
	}

	// Sending IPs.
	switch {
	case len(c.plan.IPs) > 0:
		c.ips, r.Envelope.IPSource = c.plan.IPs, "flag"
	case c.msg != nil:
		if ip, _, ok := ReceivedIP(c.msg); ok {
			c.ips, r.Envelope.IPSource = []netip.Addr{ip}, "received"
			c.assume(fmt.Sprintf("Sending IP %s taken from the first external Received hop", ip))
		}
	}
	if len(c.ips) == 0 {
		r.Envelope.IPSource = "none"
	}
	for _, ip := range c.ips {
		r.Envelope.IPs = append(r.Envelope.IPs, ip.String())
	}
	c.helo = strings.ToLower(strings.TrimSuffix(c.plan.HELO, "."))
	r.Envelope.HELO = c.helo

	// The SPF identity DMARC uses: MAIL FROM domain, or HELO for null.
	switch {
	case c.mfDomain != "":
		c.spfID = c.mfDomain
	case c.mfKnown && c.helo != "":
		c.spfID = c.helo
	case c.mfKnown:
		c.find(finding("envelope.null-sender-no-helo",
			"MAIL FROM is null (<>), so SPF checks the HELO name, but no --helo was given: SPF cannot be evaluated.",
			"Pass --helo with the name the sending server greets with."))
	case c.helo != "":
		c.spfID = c.helo
		r.Envelope.Assumed = append(r.Envelope.Assumed, "helo-as-spf-identity")
		c.assume(fmt.Sprintf("MAIL FROM unknown: SPF evaluated on the HELO name %s, as for a null sender", c.helo))
	}
}

func (c *run) setMailFrom(v, source string) {
	r := c.rep
	v = strings.TrimSpace(v)
	r.Envelope.MailFromSource = source
	c.mfKnown = true
	if v == "<>" || v == "" {
		r.Envelope.MailFrom = "<>"
		return
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "<"), ">")
	at := strings.LastIndexByte(v, '@')
	dom := v
	if at >= 0 {
		dom = v[at+1:]
	}
	d, err := NormalizeDomain(dom)
	if err != nil {
		c.find(finding("envelope.mail-from-invalid", fmt.Sprintf("MAIL FROM %q: %v", v, err),
			"Use a bounce address at a domain you control, e.g. bounce@bounce.brand.example."))
		c.mfKnown = false
		return
	}
	c.mfDomain = d
	if at >= 0 {
		c.mailFrom = v[:at+1] + d
	} else {
		c.mailFrom = "postmaster@" + d
		r.Envelope.Assumed = append(r.Envelope.Assumed, "mail-from-local-part")
	}
	r.Envelope.MailFrom, r.Envelope.MailFromDomain = c.mailFrom, d
}

// evaluate runs SPF, DKIM and DMARC discovery concurrently, then the pure
// evaluation and prediction.
func (c *run) evaluate(ctx context.Context) {
	var wg sync.WaitGroup
	now := c.cfg.now()
	clock := func() time.Time { return now }
	spfCfg := spf.Config{Resolver: c.cfg.Resolver, Now: clock}

	if c.spfID != "" {
		if len(c.ips) == 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.spfAnalyze = spf.Analyze(ctx, spfCfg, spf.Request{Domain: dns.Domain(c.spfID), MailFrom: c.mailFrom, HELO: c.helo})
			}()
		} else {
			c.spfResults = make([]spf.Result, len(c.ips))
			for i, ip := range c.ips {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := spf.Request{IP: ip, MailFrom: c.mailFrom, HELO: c.helo}
					if c.mailFrom == "" {
						req.Domain = dns.Domain(c.spfID)
					}
					c.spfResults[i] = spf.Check(ctx, spfCfg, req)
				}()
			}
		}
	}

	v := &dkim.Verifier{Resolver: c.cfg.Resolver, Now: clock}
	var ids []string
	if c.spfID != "" {
		ids = append(ids, c.spfID)
	}
	if c.msg != nil {
		ids = append(ids, signatureDomains(v, c.msg)...)
		verify := v.Verify
		if c.plan.HeadersOnly {
			// The header signature covers bh=, so all but the body hash
			// is verified for real.
			verify = v.VerifyHeaders
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc, err := c.msg.Open()
			if err != nil {
				c.dkimErr = err
				return
			}
			defer rc.Close()
			c.dkimRep, c.dkimErr = verify(ctx, rc)
		}()
	}
	if c.plan.SignKey != nil {
		ids = append(ids, c.plan.SignDomain)
	}
	for _, e := range c.plan.ExpectDKIM {
		ids = append(ids, e.Domain)
	}
	sims := make([]dkim.Result, len(c.plan.ExpectDKIM))
	for i, e := range c.plan.ExpectDKIM {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sims[i] = v.Expect(ctx, dns.Domain(e.Domain), e.Selector)
		}()
	}
	var sim dkim.Result
	var simErr error
	if c.plan.SignKey != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var src io.ReadSeeker
			if c.msg != nil {
				rs, err := c.msg.OpenSeeker()
				if err != nil {
					simErr = err
					return
				}
				defer rs.Close()
				src = rs
			} else {
				src = strings.NewReader(planMessage(c.author))
			}
			sim, simErr = v.SimulateSigning(ctx, src, dkim.SignOptions{Domain: dns.Domain(c.plan.SignDomain), Selector: c.plan.SignSelector, Signer: c.plan.SignKey})
		}()
	}

	if c.author.Domain != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.disc, c.discErr = dmarc.Discover(ctx, c.cfg.Resolver, dns.Domain(c.author.Domain), dmarc.DiscoverOptions{Identifiers: ids})
		}()
	}
	wg.Wait()

	if c.plan.SignKey != nil {
		if simErr != nil {
			c.find(finding("dkim.sign-simulation-failed", fmt.Sprintf("Signing the sample with --dkim-key failed: %v", simErr),
				"Check that --dkim-key is a PEM RSA (PKCS#1 or PKCS#8) or Ed25519 private key and that --dkim-domain and --dkim-selector are valid names."))
		} else {
			c.dkimSim = &sim
		}
	}
	c.dkimExpect = append(c.dkimExpect, sims...)
	c.rep.Findings = append(c.rep.Findings, c.plan.SignFindings...)
	c.conclude()
}

// signatureDomains returns the d= of the DKIM signatures v evaluates, for
// DMARC discovery to look up their organizational domains early; the
// signatures past v's cap cause no lookup.
func signatureDomains(v *dkim.Verifier, m *Message) []string {
	var out []string
	for _, d := range v.SigningDomains(m.Get("DKIM-Signature")) {
		out = append(out, string(d))
	}
	return out
}

// planMessage is the minimal message sign-simulation signs when there is no
// sample: the From of the plan and a one-line body.
func planMessage(a Author) string {
	from := a.Address
	if from == "" {
		from = "news@" + a.Domain
	}
	return "From: " + from + "\r\nTo: someone@qq.com\r\nSubject: preflight plan\r\nDate: Thu, 15 Jan 2026 12:00:00 +0000\r\nMessage-ID: <plan@preflight>\r\n\r\nplan\r\n"
}

func decodeHeader(v string) string {
	if s, err := decoder.DecodeHeader(v); err == nil {
		return s
	}
	return v
}
