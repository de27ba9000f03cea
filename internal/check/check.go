// Package check is preflight's pipeline: from a message (or only a plan) and
// an envelope to the receiver's predicted answer.
//
// SPF (per sending IP), DKIM (verification, sign-simulation, expected
// signing) and DMARC discovery start concurrently over one resolver;
// dmarc.Evaluate and the receiver's prediction are pure over their results.
// DMARC is evaluated once per view, in conclude: the plain evaluation, and
// the receiver's own only when its profile does not count some DKIM pass;
// receiver.Predict takes the receiver's view as it is. The pipeline keeps
// its typed results in a Result and converts them to a report.Report once,
// at the end (toReport). Several messages share the resolver's cache (see
// Batch). Recheck re-runs the pipeline on what a bounce carries.
package check

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"net/netip"
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

// Config is what does not change between messages.
type Config struct {
	Resolver dns.Resolver
	Now      func() time.Time
	// Receiver is the receiver whose answer Result.Verdict predicts (QQ
	// when nil and Receivers is empty).
	Receiver *Profile
	// Receivers, when set, are every receiver to predict for, the primary
	// first: each gets a verdict (Result.Receivers); SPF, DKIM and DMARC
	// discovery still run once. Receiver is then ignored.
	Receivers []*Profile
	// AutoReceivers chooses the receivers per message from its To and Cc
	// recipients' mailbox domains (the registry's); the configured
	// receivers are the fallback when none is known.
	AutoReceivers bool
	// Bulk applies the receivers' bulk-sender requirements (--bulk): SPF
	// and DKIM both pass, a DMARC record, alignment, unsubscribe headers,
	// forward-confirmed reverse DNS of the sending IPs.
	Bulk bool
	// VerifyArgs are the arguments a fix's verify command repeats (the DNS
	// flags, --now, --from, --ip, --helo, --expect-dkim, --receiver,
	// --bulk: everything but --mail-from and the message), as the caller
	// wants them written. Empty: the command names the fix's own flags only.
	VerifyArgs []string

	// proving marks the re-check of a fix: it proposes no fixes itself.
	proving bool
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
	// Assumptions the caller made in building the plan (e.g. a bounce
	// re-check taking the sending IP from the receiver's reply), listed
	// after the check's own.
	Assumptions []string
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

// Check evaluates one message (msg may be nil: the plan alone). It does not
// fail: problems become findings. The typed Result carries its
// report.Report, made once when the check ends.
func Check(ctx context.Context, cfg Config, msg *Message, plan Plan) *Result {
	ctx, trace := dns.WithTrace(ctx)
	c := &run{cfg: cfg, msg: msg, plan: plan, res: &Result{}}
	c.intake()
	c.chooseReceivers()
	c.evaluate(ctx)
	c.unrecordedFinding()
	c.res.Assumptions = append(c.res.Assumptions, plan.Assumptions...)
	c.res.DNS = trace.Queries()
	c.res.Report = toReport(c.res)
	return c.res
}

// run is the state of one Check: its inputs, the raw results of the
// concurrent lookups, and the typed Result being built.
type run struct {
	cfg  Config
	msg  *Message
	plan Plan
	res  *Result

	spfResults []spf.Result
	spfAnalyze *spf.Analysis
	dkimRep    *dkim.Report
	dkimSim    *dkim.Result  // --dkim-key sign-simulation
	dkimExpect []dkim.Result // --expect-dkim
	dkimErr    error
	disc       *dmarc.Discovery
	discErr    error
	// others are the discoveries of the From field's other author domains
	// (Author.Others, RFC 7489 §6.6.1), in order; otherErrs their errors.
	others    []*dmarc.Discovery
	otherErrs []error

	// Facts the receivers' rules outside DMARC look at.
	domains         receiver.Domains
	bulk            *receiver.BulkFacts
	fcrdns, fcrNote string // --bulk: forward-confirmed reverse DNS of the sending IPs
	// dmarcMissing says what DMARC lacks when it fails: the detail of the
	// dmarc.no-aligned-pass finding, written once the fixes are proven.
	dmarcMissing string
	unrecorded   []string // questions a replayed recording never saw
}

func (c *run) find(f report.Finding) { c.res.Findings = append(c.res.Findings, f) }

func (c *run) assume(s string) { c.res.Assumptions = append(c.res.Assumptions, s) }

// intake works out From, MAIL FROM, IPs and HELO from the plan and message.
func (c *run) intake() {
	r, env := c.res, &c.res.Envelope
	if c.msg != nil {
		r.Path = c.msg.Path
		if s := c.msg.Get("Subject"); len(s) > 0 {
			r.Subject = decodeHeader(s[0])
		}
		if id := c.msg.Get("Message-ID"); len(id) > 0 {
			r.MessageID = id[0]
		}
	}
	switch {
	case c.plan.From != "":
		r.Author = ParseAuthor(c.plan.From)
		if c.msg != nil {
			c.assume(fmt.Sprintf("From taken from --from (%s), not from the message's header", c.plan.From))
		}
	case c.msg != nil:
		r.Author = FromAuthor(c.msg)
	}
	if r.Author.Lenient != "" {
		c.find(finding("message.from-lenient", r.Author.Lenient, "Write the From header as RFC 5322 requires, e.g. From: Brand News <news@brand.example>."))
	}
	if r.Author.Problem != "" {
		c.find(finding("message.from-invalid", r.Author.Problem, "Give the message exactly one From header field with exactly one address, e.g. From: Brand News <news@brand.example>."))
	}
	if a := r.Author; a.Count > 1 {
		domains := strings.Join(append([]string{a.Domain}, a.Others...), ", ")
		c.find(finding("message.from-multiple", fmt.Sprintf("From holds %d addresses (author domains: %s). RFC 7489 §6.6.1: DMARC is evaluated for every author domain and the message passes only if every one passes; some receivers (Gmail) refuse such mail outright.", a.Count, domains),
			"Send with one address in From; put the others in Sender or Reply-To."))
	}

	// MAIL FROM.
	switch {
	case c.plan.MailFromSet:
		c.setMailFrom(c.plan.MailFrom, SourceFlag)
	case c.msg != nil:
		if rp, ok := ReturnPath(c.msg); ok {
			c.setMailFrom(rp, SourceReturnPath)
		}
	}
	if !env.MailFromKnown {
		env.MailFromSource = SourceNone
		c.find(finding("envelope.mail-from-unknown",
			"The message has no Return-Path header and no --mail-from was given, so the RFC5321.MailFrom domain that SPF checks is unknown. Most ESPs use a bounce domain of their own unless told otherwise.",
			"Pass --mail-from with the bounce address your ESP uses (e.g. --mail-from bounce@esp.example), or save the sample with its Return-Path header."))
	}

	// Sending IPs.
	switch {
	case len(c.plan.IPs) > 0:
		env.IPs, env.IPSource = c.plan.IPs, SourceFlag
	case c.msg != nil:
		if ip, _, ok := ReceivedIP(c.msg); ok {
			env.IPs, env.IPSource = []netip.Addr{ip}, SourceReceived
			c.assume(fmt.Sprintf("Sending IP %s taken from the first external Received hop", ip))
		}
	}
	if len(env.IPs) == 0 {
		env.IPSource = SourceNone
	}
	env.HELO = strings.ToLower(strings.TrimSuffix(c.plan.HELO, "."))

	// The SPF identity DMARC uses: MAIL FROM domain, or HELO for null.
	switch {
	case env.MailFromDomain != "":
		r.SPF.Domain = env.MailFromDomain
	case env.MailFromKnown && env.HELO != "":
		r.SPF.Domain = env.HELO
	case env.MailFromKnown:
		c.find(finding("envelope.null-sender-no-helo",
			"MAIL FROM is null (<>), so SPF checks the HELO name, but no --helo was given: SPF cannot be evaluated.",
			"Pass --helo with the name the sending server greets with."))
	case env.HELO != "":
		r.SPF.Domain = env.HELO
		env.Assumed = append(env.Assumed, "helo-as-spf-identity")
		c.assume(fmt.Sprintf("MAIL FROM unknown: SPF evaluated on the HELO name %s, as for a null sender", env.HELO))
	}
	r.SPF.HELO = r.SPF.Domain != "" && env.MailFrom == ""
}

func (c *run) setMailFrom(v string, source Source) {
	env := &c.res.Envelope
	v = strings.TrimSpace(v)
	env.MailFromSource = source
	env.MailFromKnown = true
	if v == "<>" || v == "" {
		env.Null = true
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
		env.MailFromKnown = false
		return
	}
	env.MailFromDomain = d
	if at >= 0 {
		env.MailFrom = v[:at+1] + d
	} else {
		env.MailFrom = "postmaster@" + d
		env.Assumed = append(env.Assumed, "mail-from-local-part")
	}
}

// evaluate runs SPF, DKIM and DMARC discovery concurrently, then the pure
// evaluation and prediction.
func (c *run) evaluate(ctx context.Context) {
	var wg sync.WaitGroup
	now := c.cfg.now()
	clock := func() time.Time { return now }
	spfCfg := spf.Config{Resolver: c.cfg.Resolver, Now: clock}

	env, spfID, author := &c.res.Envelope, c.res.SPF.Domain, c.res.Author
	if spfID != "" {
		if len(env.IPs) == 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.spfAnalyze = spf.Analyze(ctx, spfCfg, spf.Request{Domain: dns.Domain(spfID), MailFrom: env.MailFrom, HELO: env.HELO})
			}()
		} else {
			c.spfResults = make([]spf.Result, len(env.IPs))
			for i, ip := range env.IPs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := spf.Request{IP: ip, MailFrom: env.MailFrom, HELO: env.HELO}
					if env.MailFrom == "" {
						req.Domain = dns.Domain(spfID)
					}
					c.spfResults[i] = spf.Check(ctx, spfCfg, req)
				}()
			}
		}
	}

	v := &dkim.Verifier{Resolver: c.cfg.Resolver, Now: clock}
	var ids []string
	if spfID != "" {
		ids = append(ids, spfID)
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
				src = strings.NewReader(planMessage(author))
			}
			sim, simErr = v.SimulateSigning(ctx, src, dkim.SignOptions{Domain: dns.Domain(c.plan.SignDomain), Selector: c.plan.SignSelector, Signer: c.plan.SignKey})
		}()
	}

	if author.Domain != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.disc, c.discErr = dmarc.Discover(ctx, c.cfg.Resolver, dns.Domain(author.Domain), dmarc.DiscoverOptions{Identifiers: ids})
		}()
		c.others = make([]*dmarc.Discovery, len(author.Others))
		c.otherErrs = make([]error, len(author.Others))
		for i, d := range author.Others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.others[i], c.otherErrs[i] = dmarc.Discover(ctx, c.cfg.Resolver, dns.Domain(d), dmarc.DiscoverOptions{Identifiers: ids})
			}()
		}
	}
	if c.cfg.Bulk && len(env.IPs) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.fcrdns, c.fcrNote = fcrdns(ctx, c.cfg.Resolver, env.IPs)
		}()
	}
	wg.Wait()
	c.checkDomains(ctx)

	if c.plan.SignKey != nil {
		if simErr != nil {
			c.find(finding("dkim.sign-simulation-failed", fmt.Sprintf("Signing the sample with --dkim-key failed: %v", simErr),
				"Check that --dkim-key is a PEM RSA (PKCS#1 or PKCS#8) or Ed25519 private key and that --dkim-domain and --dkim-selector are valid names."))
		} else {
			c.dkimSim = &sim
		}
	}
	c.dkimExpect = append(c.dkimExpect, sims...)
	c.res.Findings = append(c.res.Findings, c.plan.SignFindings...)
	c.conclude(ctx)
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
