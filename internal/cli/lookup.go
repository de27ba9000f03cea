package cli

import (
	"context"
	"net/netip"
	"strings"

	"github.com/spf13/pflag"

	"preflight/dns"
	"preflight/report"
)

func lookupCommand() *command {
	return &command{
		name:    "lookup",
		usage:   "lookup [flags] TYPE NAME",
		summary: "dig through preflight's own resolver: see exactly what preflight sees",
		long: `Asks one question through the same DNS layer that check, spf and dkim use, and
says whether the name has records, does not exist (NXDOMAIN), exists without
records of that type (NODATA), or could not be resolved (a temporary failure,
which preflight never treats as "no record"). TYPE is A, AAAA, MX, TXT, PTR or
NS; for PTR, NAME may be an IP address.`,
		examples: []string{
			"preflight lookup --zone testdata/demo/demo.zone TXT _dmarc.brand.example",
			"preflight lookup TXT selector1._domainkey.example.com --resolver 1.1.1.1",
			"preflight lookup PTR 192.0.2.10 --format json",
			"preflight lookup TXT example.com --record run.zone   # then replay with --zone run.zone",
		},
		formats: []string{"text", "json"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			return runLookup
		},
	}
}

func runLookup(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 {
		return usageErrorf("want TYPE NAME, got %d argument(s) (e.g. preflight lookup TXT _dmarc.example.com)", len(args))
	}
	t, err := dns.ParseType(args[0])
	if err != nil {
		if _, err2 := dns.ParseType(args[1]); err2 == nil {
			return usageErrorf("the record type comes first: preflight lookup %s %s", args[1], args[0])
		}
		return usageErrorf("%s", strings.TrimPrefix(err.Error(), "dns: "))
	}
	name := args[1]
	if ip, err := netip.ParseAddr(name); err == nil {
		if t != dns.TypePTR {
			return usageErrorf("%s is an IP address; did you mean: preflight lookup PTR %s", name, name)
		}
		name = dns.ReverseName(ip)
	}
	d, err := dns.ParseDomain(name)
	if err != nil {
		return usageErrorf("%s", strings.TrimPrefix(err.Error(), dns.ErrInvalidName.Error()+": "))
	}
	name = d.String()
	r, err := e.resolver()
	if err != nil {
		return err
	}
	res, lerr := r.Lookup(ctx, name, t)
	if ctx.Err() != nil {
		return nil // interrupted: no answer to print (Run exits 130)
	}
	if lerr != nil {
		if !dns.IsTemporary(lerr) {
			return inputError(lerr)
		}
		e.setCode(ExitIndeterminate)
	}
	return report.WriteLookup(e.stdout, report.NewLookupAnswer(name, t, res, lerr), e.options())
}
