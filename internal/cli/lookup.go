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

// lookupJSON is the JSON contract of lookup.
type lookupJSON struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Status        string   `json:"status"` // answer, nxdomain, nodata, temperror
	Rcode         string   `json:"rcode"`
	Answers       []string `json:"answers"`
	Authenticated bool     `json:"authenticated"`
	Source        string   `json:"source"`
	TTL           uint32   `json:"ttl"`
	CNAMEs        []string `json:"cnames,omitempty"`
	Error         string   `json:"error,omitempty"`
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
	out := lookupJSON{Name: name, Type: t.String(), Answers: []string{}}
	if lerr != nil {
		out.Status, out.Error = "temperror", lerr.Error()
		var re *dns.Error
		if asResolverError(lerr, &re) && re.Rcode > 0 {
			out.Rcode, out.Source = dns.RcodeString(re.Rcode), re.Server
		}
		if !dns.IsTemporary(lerr) {
			return inputError(lerr)
		}
		e.setCode(ExitIndeterminate)
	} else {
		out.Status, out.Rcode = res.Status.String(), dns.RcodeString(res.Rcode)
		out.Authenticated, out.Source, out.TTL, out.CNAMEs = res.Authenticated, res.Source, res.TTL, res.CNAMEs
		for _, rec := range res.Records {
			out.Answers = append(out.Answers, rec.Data)
		}
	}
	if e.format == "json" {
		return e.writeJSON(out)
	}
	printLookup(e, out)
	return nil
}

func printLookup(e *env, o lookupJSON) {
	w := e.stdout
	switch o.Status {
	case "answer":
		fmt.Fprintf(w, "%s %s: %d record(s)", o.Name, o.Type, len(o.Answers))
	case "nxdomain":
		fmt.Fprintf(w, "%s %s: NXDOMAIN — the name does not exist", o.Name, o.Type)
	case "nodata":
		fmt.Fprintf(w, "%s %s: NODATA — the name exists but has no %s record", o.Name, o.Type, o.Type)
	case "temperror":
		fmt.Fprintf(w, "%s %s: temporary DNS failure — the answer is unknown, not empty", o.Name, o.Type)
	}
	fmt.Fprintln(w)
	if o.Status == "temperror" {
		fmt.Fprintf(w, "  %s\n", report.Safe(o.Error))
		fmt.Fprintln(w, "  Retry later or ask another server with --resolver; preflight never reads a failure as \"no record\".")
		return
	}
	for _, c := range o.CNAMEs {
		fmt.Fprintf(w, "  via CNAME %s\n", c)
	}
	for _, a := range o.Answers {
		if o.Type == "TXT" {
			fmt.Fprintf(w, "  %q\n", a)
		} else {
			fmt.Fprintf(w, "  %s\n", report.Safe(a))
		}
	}
	if !e.quiet {
		auth := ""
		if o.Authenticated {
			auth = ", DNSSEC-validated (AD)"
		}
		fmt.Fprintf(w, "  (%s, rcode %s, ttl %d%s)\n", o.Source, o.Rcode, o.TTL, auth)
	}
	if e.verbose {
		printQueries(e)
	}
}

// networked reports whether any query went to a DNS server.
func networked(qs []dns.Query) bool {
	for _, q := range qs {
		if strings.HasPrefix(q.Source, "udp ") || strings.HasPrefix(q.Source, "tcp ") {
			return true
		}
	}
	return false
}

// printQueries lists the run's DNS queries (for -v).
func printQueries(e *env) {
	qs := e.dnsQueries()
	st := dns.Summarize(qs)
	fmt.Fprintf(e.stdout, "DNS: %d lookup(s), %d upstream", st.Lookups, st.Queries)
	if networked(qs) {
		// Zone answers take microseconds; a time would only add noise.
		fmt.Fprintf(e.stdout, ", %s", st.Elapsed.Round(time.Millisecond/10))
	}
	fmt.Fprintln(e.stdout)
	for _, q := range qs {
		cached := ""
		if q.Cached {
			cached = " (cached)"
		}
		fmt.Fprintf(e.stdout, "  %s %s → %s %s [%s] %s%s\n", q.Name, q.Type, q.Status, q.Rcode,
			report.Safe(strings.Join(q.Answers, " | ")), q.Source, cached)
	}
}
