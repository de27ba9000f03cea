package cli

import (
	"context"
	"fmt"
	"io"
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

// spfJSON is the JSON contract of spf with an IP (one object per IP).
type spfJSON struct {
	Domain          string        `json:"domain"`
	IP              string        `json:"ip"`
	Result          spf.Status    `json:"result"`
	Mechanism       string        `json:"mechanism"`
	MechanismDomain string        `json:"mechanism_domain,omitempty"`
	Explanation     string        `json:"explanation"`
	Lookups         int           `json:"lookups"`
	VoidLookups     int           `json:"void_lookups"`
	Identity        spf.Identity  `json:"identity"`
	Sender          string        `json:"sender"`
	Error           string        `json:"error,omitempty"`
	Terms           []spfTermJSON `json:"terms"`
	Trace           []spf.Step    `json:"trace"`
	Policy          string        `json:"policy,omitempty"`
}

type spfTermJSON struct {
	Depth       int        `json:"depth"`
	Domain      string     `json:"domain"`
	Term        string     `json:"term"`
	Lookups     int        `json:"lookups"`
	VoidLookups int        `json:"void_lookups"`
	Matched     bool       `json:"matched"`
	Result      spf.Status `json:"result,omitempty"`
}

// spfAnalysisJSON is the JSON contract of spf without an IP.
type spfAnalysisJSON struct {
	Domain        string            `json:"domain"`
	Record        string            `json:"record"`
	Result        spf.Status        `json:"result,omitempty"` // set only when the policy could not be analysed
	Error         string            `json:"error,omitempty"`
	Lookups       int               `json:"lookups"`
	VoidLookups   int               `json:"void_lookups"`
	VoidLookups4  int               `json:"void_lookups_ipv4"`
	VoidLookups6  int               `json:"void_lookups_ipv6"`
	Networks      []string          `json:"networks"`
	Unflattenable []string          `json:"unflattenable"`
	Terms         []spfTreeTermJSON `json:"terms"`
	Warnings      []spf.Warning     `json:"warnings"`
}

type spfTreeTermJSON struct {
	Term          string            `json:"term"`
	Domain        string            `json:"domain"`
	Lookups       int               `json:"lookups"`
	VoidIPv4      bool              `json:"void_ipv4,omitempty"`
	VoidIPv6      bool              `json:"void_ipv6,omitempty"`
	Networks      []string          `json:"networks,omitempty"`
	Unflattenable string            `json:"unflattenable,omitempty"`
	Target        string            `json:"target,omitempty"`
	Record        string            `json:"record,omitempty"`
	Problem       string            `json:"problem,omitempty"`
	Children      []spfTreeTermJSON `json:"children,omitempty"`
}

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
		if _, err := spf.Parse(o.policy); err != nil {
			return inputError(fmt.Errorf("--policy: %w", err))
		}
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
		if e.format == "json" {
			return e.writeJSON(analysisJSON(an))
		}
		printAnalysis(e, an)
		return nil
	}

	results := make([]spf.Result, len(ips))
	for i, ip := range ips {
		req.IP = ip
		results[i] = spf.Check(ctx, cfg, req)
		if results[i].Status == spf.StatusTempError {
			e.setCode(ExitIndeterminate)
		}
	}
	for _, res := range results {
		if e.format == "json" {
			if err := e.writeJSON(resultJSON(res, o.policy)); err != nil {
				return err
			}
			continue
		}
		printResult(e, res, o.policy)
	}
	if e.format != "json" {
		if len(results) > 1 {
			counts := map[spf.Status]int{}
			for _, r := range results {
				counts[r.Status]++
			}
			var parts []string
			for _, st := range []spf.Status{spf.StatusPass, spf.StatusFail, spf.StatusSoftFail, spf.StatusNeutral, spf.StatusNone, spf.StatusTempError, spf.StatusPermError} {
				if counts[st] > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
				}
			}
			fmt.Fprintf(e.stdout, "%d IPs: %s\n", len(results), strings.Join(parts, ", "))
		}
		if note := familyNote(results); note != "" {
			fmt.Fprintln(e.stdout, note)
		}
		if e.verbose {
			printQueries(e)
		}
	}
	return nil
}

// asciiDomain validates a DOMAIN argument (IDNA to A-labels).
func asciiDomain(s string) (string, error) {
	d, err := dns.ParseDomain(s)
	if err != nil {
		return "", usageErrorf("%s", strings.TrimPrefix(err.Error(), dns.ErrInvalidName.Error()+": "))
	}
	if d.Labels() < 2 {
		return "", usageErrorf("%q is not a fully qualified domain name", s)
	}
	return d.String(), nil
}

func resultJSON(res spf.Result, policy string) spfJSON {
	out := spfJSON{
		Domain: string(res.Domain), IP: res.IP.String(), Result: res.Status,
		Mechanism: res.Mechanism, MechanismDomain: res.MechanismDomain,
		Explanation: res.Explanation, Lookups: res.Lookups, VoidLookups: res.VoidLookups,
		Identity: res.Identity, Sender: res.Sender, Trace: res.Trace, Policy: policy,
		Terms: []spfTermJSON{},
	}
	if out.Trace == nil {
		out.Trace = []spf.Step{}
	}
	if res.Err != nil {
		out.Error = res.Err.Error()
	}
	for _, t := range res.Terms {
		out.Terms = append(out.Terms, spfTermJSON{Depth: t.Depth, Domain: t.Domain, Term: t.Term,
			Lookups: t.Lookups, VoidLookups: t.VoidLookups, Matched: t.Matched, Result: t.Result})
	}
	return out
}

func analysisJSON(an *spf.Analysis) spfAnalysisJSON {
	out := spfAnalysisJSON{
		Domain: an.Domain, Record: an.Record, Result: an.Status,
		Lookups: an.Lookups, VoidLookups: an.MaxVoidLookups(),
		VoidLookups4: an.VoidLookups4, VoidLookups6: an.VoidLookups6,
		Networks: []string{}, Unflattenable: []string{}, Terms: treeJSON(an.Terms), Warnings: []spf.Warning{},
	}
	if an.Err != nil {
		out.Error = an.Err.Error()
	}
	for _, p := range an.Networks {
		out.Networks = append(out.Networks, p.String())
	}
	out.Unflattenable = append(out.Unflattenable, an.Unflattenable...)
	out.Warnings = append(out.Warnings, an.Warnings...)
	return out
}

func treeJSON(ts []spf.TermAnalysis) []spfTreeTermJSON {
	out := []spfTreeTermJSON{}
	for _, t := range ts {
		j := spfTreeTermJSON{Term: t.Term, Domain: t.Domain, Lookups: t.Lookups, VoidIPv4: t.Void4, VoidIPv6: t.Void6,
			Unflattenable: t.Unflattenable, Target: t.Target, Record: t.Record, Problem: t.Problem}
		for _, p := range t.Networks {
			j.Networks = append(j.Networks, p.String())
		}
		if len(t.Children) > 0 {
			j.Children = treeJSON(t.Children)
		}
		out = append(out, j)
	}
	return out
}

// recordOf finds the record text the trace saw for domain at depth.
func recordOf(steps []spf.Step, domain string, depth int) string {
	for _, s := range steps {
		if s.Action == "record" && s.Depth == depth && s.Domain == domain {
			return s.Detail
		}
	}
	return ""
}

func printResult(e *env, res spf.Result, policy string) {
	w := e.stdout
	fmt.Fprintf(w, "%s from %s: %s", res.Domain, res.IP, strings.ToUpper(string(res.Status)))
	switch {
	case res.Mechanism != "" && res.MechanismDomain != "" && res.MechanismDomain != string(res.Domain):
		fmt.Fprintf(w, " (%s in %s)", report.Safe(res.Mechanism), res.MechanismDomain)
	case res.Mechanism != "":
		fmt.Fprintf(w, " (%s)", report.Safe(res.Mechanism))
	case res.Status == spf.StatusNeutral:
		fmt.Fprint(w, " (no term matched: the default result)")
	}
	fmt.Fprintln(w)
	if e.quiet {
		return
	}
	fmt.Fprintf(w, "  sender %s (%s identity); DNS lookups %d of 10, void lookups %d of 2\n",
		report.Safe(res.Sender), res.Identity, res.Lookups, res.VoidLookups)
	if res.Err != nil {
		fmt.Fprintf(w, "  why: %s\n", report.Safe(res.Err.Error()))
	}
	if res.Explanation != "" {
		fmt.Fprintf(w, "  explanation: %s\n", report.Safe(res.Explanation))
	}
	if rec := recordOf(res.Trace, string(res.Domain), 0); rec != "" {
		fmt.Fprintf(w, "  %s: %s\n", res.Domain, report.Safe(rec))
	} else if res.Status == spf.StatusNone {
		fmt.Fprintf(w, "  %s publishes no SPF record\n", res.Domain)
	}
	prevDepth := 0
	for _, t := range res.Terms {
		ind := strings.Repeat("    ", t.Depth+1)
		if t.Depth > prevDepth {
			if rec := recordOf(res.Trace, t.Domain, t.Depth); rec != "" {
				fmt.Fprintf(w, "%s%s: %s\n", ind, t.Domain, report.Safe(rec))
			}
		}
		prevDepth = t.Depth
		cost := ""
		if t.Lookups > 0 {
			cost = fmt.Sprintf("[%d lookup%s]", t.Lookups, plural(t.Lookups))
			if t.VoidLookups > 0 {
				cost = fmt.Sprintf("[%d lookup%s, %d void]", t.Lookups, plural(t.Lookups), t.VoidLookups)
			}
		}
		outcome := "no match"
		switch {
		case t.Matched:
			outcome = "MATCH → " + string(t.Result)
		case t.Result != "":
			outcome = string(t.Result)
		}
		line(w, "%s%-*s %-22s %s", ind, max(1, 36-len(ind)), report.Safe(t.Term), cost, outcome)
	}
	if policy != "" {
		fmt.Fprintln(w, "  (evaluated the --policy record in place of the published one)")
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// familyNote says when IPv4 and IPv6 senders get different outcomes: all
// the IPv4 addresses given share one result and all the IPv6 ones another.
func familyNote(results []spf.Result) string {
	var r4, r6 spf.Status
	mixed := false
	for _, r := range results {
		p := &r6
		if r.IP.Is4() {
			p = &r4
		}
		if *p != "" && *p != r.Status {
			mixed = true
		}
		*p = r.Status
	}
	if mixed || r4 == "" || r6 == "" || r4 == r6 {
		return ""
	}
	return fmt.Sprintf("Note: IPv4 senders get %s but IPv6 senders get %s. Check that every ip4 range has an ip6 counterpart and that a/mx hosts have AAAA records.", r4, r6)
}

// line writes one line without trailing spaces.
func line(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf(format, args...), " "))
}

func printAnalysis(e *env, an *spf.Analysis) {
	w := e.stdout
	if an.Status != "" {
		fmt.Fprintf(w, "%s: %s — %s\n", an.Domain, an.Status, report.Safe(errString(an.Err)))
		printWarnings(e, an.Warnings)
		return
	}
	fmt.Fprintf(w, "%s: %s\n", an.Domain, report.Safe(an.Record))
	fmt.Fprintf(w, "  DNS lookups, worst case: %d of 10; void lookups: %d for IPv4 senders, %d for IPv6 senders (limit 2)\n",
		an.Lookups, an.VoidLookups4, an.VoidLookups6)
	if !e.quiet {
		printTree(e, an.Terms, 1)
		fmt.Fprintf(w, "Authorised networks (%d):\n", len(an.Networks))
		for _, p := range an.Networks {
			fmt.Fprintf(w, "  %s\n", p)
		}
		if len(an.Networks) == 0 {
			fmt.Fprintln(w, "  (none listed)")
		}
		if len(an.Unflattenable) > 0 {
			fmt.Fprintln(w, "Not listable (decided per message):")
			for _, u := range an.Unflattenable {
				fmt.Fprintf(w, "  %s\n", report.Safe(u))
			}
		}
	}
	printWarnings(e, an.Warnings)
	if e.verbose {
		printQueries(e)
	}
}

func printTree(e *env, ts []spf.TermAnalysis, depth int) {
	w := e.stdout
	for _, t := range ts {
		ind := strings.Repeat("    ", depth)
		cost := ""
		if t.Lookups > 0 {
			cost = fmt.Sprintf("costs %d", t.Lookups)
		}
		var notes []string
		if t.Unflattenable != "" {
			notes = append(notes, "not listable")
		}
		switch {
		case t.Void4 && t.Void6:
			notes = append(notes, "void")
		case t.Void4:
			notes = append(notes, "void for IPv4")
		case t.Void6:
			notes = append(notes, "void for IPv6")
		}
		if t.Problem != "" {
			notes = append(notes, t.Problem)
		}
		line(w, "%s%-*s %-9s %s", ind, max(1, 36-len(ind)), report.Safe(t.Term), cost, report.Safe(strings.Join(notes, "; ")))
		if t.Record != "" && len(t.Children) > 0 {
			fmt.Fprintf(w, "%s    %s: %s\n", ind, t.Target, report.Safe(t.Record))
			printTree(e, t.Children, depth+1)
		}
	}
}

func printWarnings(e *env, ws []spf.Warning) {
	if len(ws) == 0 {
		return
	}
	fmt.Fprintln(e.stdout, "Warnings:")
	for _, x := range ws {
		fmt.Fprintf(e.stdout, "  [%s] %s\n", strings.TrimPrefix(x.ID, "spf."), report.Safe(x.Detail))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
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
