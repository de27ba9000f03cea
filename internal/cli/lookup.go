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
which preflight never treats as "no record"). TYPE is A, AAAA, MX, TXT, PTR,
NS, CNAME, SOA, CAA or TLSA; for PTR, NAME may be an IP address. Asking for
CNAME returns the alias itself, not followed (how a delegated DKIM selector is
checked); other types follow aliases and show the chain.

As with dig, NAME TYPE works as well as TYPE NAME, @SERVER names the server
(like --resolver), and +short prints only the data, one per line.`,
		examples: []string{
			"preflight lookup --zone testdata/demo/demo.zone TXT _dmarc.brand.example",
			"preflight lookup TXT selector1._domainkey.example.com --resolver 1.1.1.1",
			"preflight lookup s1._domainkey.brand.example CNAME @8.8.8.8 +short",
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
	var short bool
	var rest []string
	for _, a := range args {
		switch {
		case a == "+short":
			short = true
		case strings.HasPrefix(a, "+"):
			return usageErrorf("%q: of dig's +options, preflight lookup knows +short only", a)
		case strings.HasPrefix(a, "@") && len(a) > 1:
			e.dns.servers = append(e.dns.servers, a) // dig's @SERVER
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) != 2 {
		return usageErrorf("want TYPE NAME, got %d argument(s) (e.g. preflight lookup TXT _dmarc.example.com)", len(rest))
	}
	t, err := dns.ParseType(rest[0])
	name := rest[1]
	if err != nil {
		// NAME TYPE, as dig takes it: unambiguous when only the second
		// is a type.
		t2, err2 := dns.ParseType(rest[1])
		if err2 != nil {
			return usageErrorf("%s", report.Prose(err.Error()))
		}
		t, name = t2, rest[0]
	}
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
	if interrupted(ctx) {
		return nil // interrupted: no answer to print (Run exits 130)
	}
	if lerr != nil {
		if !dns.IsTemporary(lerr) {
			return inputError(lerr)
		}
		e.setCode(ExitIndeterminate)
	}
	a := report.NewLookupAnswer(name, t, res, lerr)
	if short && e.format == "text" {
		return report.WriteLookupShort(e.stdout, a)
	}
	return report.WriteLookup(e.stdout, a, e.options())
}
