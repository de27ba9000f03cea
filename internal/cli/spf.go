package cli

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"preflight/dns"
	"preflight/report"
	"preflight/spf"
)

type spfOptions struct {
	ips    []string
	sender string
	helo   string
	policy string
}

func spfCommand() *command {
	o := &spfOptions{}
	return &command{
		name:    "spf",
		usage:   "spf [flags] DOMAIN [IP...]",
		summary: "explain an SPF policy: evaluation per IP, or lookup budget and authorised networks",
		long: `With IPs (as arguments or --ip), runs check_host() of RFC 7208 for each one
separately and shows the include tree with the DNS lookups each term cost and
where the IP matched. Without an IP, analyses the policy: the worst-case
lookup cost of every term against the limit of 10, void lookups for IPv4 and
IPv6 senders, the networks it authorises (terms with macros, exists or ptr
cannot be listed and are marked) and warnings.

--policy 'v=spf1 …' evaluates a record in place of the one DOMAIN publishes
(what-if; includes still use DNS). For compatibility, --record is read the
same way when its value starts with "v=spf1"; otherwise --record is the
common flag that writes the DNS answers seen to a zone file.

JSON (--format json): one object per IP (JSON Lines), or one analysis object
when no IP is given. Exit 0 when evaluated, whatever the result; 2 for bad
input; 3 when an IP's result (or the analysis) is temperror.`,
		examples: []string{
			"preflight spf --zone testdata/demo/demo.zone brand.example 192.0.2.10 2001:db8:e5::1",
			"preflight spf brand.example --format json",
			"preflight spf brand.example 192.0.2.10 --policy 'v=spf1 include:esp.example -all'",
			"preflight spf esp.example --ip 192.0.2.10 --sender bounce@esp.example --helo mta1.esp.example",
		},
		formats: []string{"text", "json"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			fs.StringArrayVar(&o.ips, "ip", nil, "sending IP to evaluate (repeatable; same as extra arguments)")
			fs.StringVar(&o.sender, "sender", "", "MAIL FROM address (its local part feeds macros); '<>' is the null sender; default postmaster@DOMAIN")
			fs.StringVar(&o.sender, "mail-from", "", "alias of --sender")
			fs.StringVar(&o.helo, "helo", "", "HELO/EHLO name (the %{h} macro; the identity of a null sender)")
			fs.StringVar(&o.policy, "policy", "", "evaluate this record ('v=spf1 …') in place of the published one (what-if)")
			return func(ctx context.Context, e *env, args []string) error { return runSPF(ctx, e, o, args) }
		},
	}
}

// maxPolicy bounds --policy: no TXT record holds more (RFC 1035 §3.3: the
// RDATA length is 16 bits).
const maxPolicy = 65535

func runSPF(ctx context.Context, e *env, o *spfOptions, args []string) error {
	if len(args) == 0 {
		return usageErrorf("want DOMAIN [IP...] (e.g. preflight spf brand.example 192.0.2.10)")
	}
	// --record 'v=spf1 …' is the spelling of --policy; a file
	// name never starts with "v=spf1".
	if spf.IsSPF(e.dns.record) {
		if o.policy != "" {
			return usageErrorf("give the what-if record once (--policy or --record 'v=spf1 …')")
		}
		o.policy, e.dns.record = e.dns.record, ""
	}
	if _, err := netip.ParseAddr(args[0]); err == nil {
		return usageErrorf("%s is an IP address; the domain comes first: preflight spf DOMAIN %s", args[0], args[0])
	}
	domain, err := asciiDomain(args[0])
	if err != nil {
		return err
	}
	var ips []netip.Addr
	for _, s := range append(append([]string{}, args[1:]...), o.ips...) {
		ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
		if err != nil || ip.Zone() != "" {
			return usageErrorf("%q is not an IP address", s)
		}
		ips = append(ips, ip)
	}
	if o.policy != "" {
		if len(o.policy) > maxPolicy {
			return usageErrorf("--policy is %d bytes, longer than a DNS TXT record can be (%d bytes)", len(o.policy), maxPolicy)
		}
		if _, err := spf.Parse(o.policy); err != nil {
			return inputError(fmt.Errorf("--policy: %w", err))
		}
	}
	if err := plainArg("--sender", o.sender); err != nil {
		return err
	}
	if err := heloArg("--helo", strings.TrimSuffix(o.helo, ".")); err != nil {
		return err
	}
	sender := o.sender
	if sender == "" {
		sender = "postmaster@" + domain
	}
	if sender != "<>" && strings.Count(sender, "@") == 0 {
		sender = "postmaster@" + sender
	}
	helo := strings.TrimSuffix(o.helo, ".")
	if sender == "<>" && helo == "" {
		return usageErrorf("a null sender ('<>') is checked as postmaster@HELO: give --helo")
	}
	r, err := e.resolver()
	if err != nil {
		return err
	}
	cfg := spf.Config{Resolver: r, Now: func() time.Time { return e.now }}
	req := spf.Request{Domain: dns.Domain(domain), MailFrom: sender, HELO: helo, Record: o.policy}

	if len(ips) == 0 {
		an := spf.Analyze(ctx, cfg, req)
		if ctx.Err() != nil {
			return nil // cut short: nothing finished to print
		}
		if an.Status == spf.StatusTempError {
			e.setCode(ExitIndeterminate)
		}
		for _, w := range an.Warnings {
			if w.ID == "spf.temperror" {
				// Part of the tree could not be read: the counts
				// and networks are incomplete.
				e.setCode(ExitIndeterminate)
			}
		}
		return report.WriteSPFAnalysis(e.stdout, report.NewSPFAnalysis(an), e.options())
	}

	checks := make([]report.SPFCheck, 0, len(ips))
	for _, ip := range ips {
		req.IP = ip
		res := spf.Check(ctx, cfg, req)
		if ctx.Err() != nil {
			// Interrupted: this evaluation may have been cut short;
			// print the ones that finished.
			e.interrupted = fmt.Sprintf("interrupted: %d of %d IP(s) not evaluated", len(ips)-len(checks), len(ips))
			break
		}
		if res.Status == spf.StatusTempError {
			e.setCode(ExitIndeterminate)
		}
		checks = append(checks, report.NewSPFCheck(res, o.policy))
	}
	if len(checks) == 0 {
		return nil
	}
	return report.WriteSPF(e.stdout, checks, e.options())
}

// asciiDomain validates a DOMAIN argument (IDNA to A-labels).
func asciiDomain(s string) (string, error) {
	d, err := domainArg("", s)
	return d.String(), err
}
