package report

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"preflight/spf"
)

// SPFCheck is `preflight spf DOMAIN IP…` for one IP: check_host()'s result
// with the cost of every term and the trace. Its JSON encoding (one object
// per IP, JSON Lines) is the spf command's contract; field names are API.
type SPFCheck struct {
	Domain          string       `json:"domain"`
	IP              string       `json:"ip"`
	Result          spf.Status   `json:"result"`
	Mechanism       string       `json:"mechanism"`
	MechanismDomain string       `json:"mechanism_domain,omitempty"`
	Explanation     string       `json:"explanation"`
	Lookups         int          `json:"lookups"`
	VoidLookups     int          `json:"void_lookups"`
	Identity        spf.Identity `json:"identity"`
	Sender          string       `json:"sender"`
	Error           string       `json:"error,omitempty"`
	// NXDomain says the domain does not exist (NXDOMAIN): the result is
	// none for want of a domain, not only of a record.
	NXDomain bool          `json:"nxdomain,omitempty"`
	Terms    []SPFTermCost `json:"terms"`
	Trace    []spf.Step    `json:"trace"`
	// Policy is the --policy record evaluated in place of the published
	// one, if any.
	Policy string `json:"policy,omitempty"`
}

// SPFTermCost is one evaluated term of an SPFCheck and the DNS lookups it
// cost (its whole include tree included).
type SPFTermCost struct {
	Depth       int        `json:"depth"`
	Domain      string     `json:"domain"`
	Term        string     `json:"term"`
	Lookups     int        `json:"lookups"`
	VoidLookups int        `json:"void_lookups"`
	Matched     bool       `json:"matched"`
	Result      spf.Status `json:"result,omitempty"`
}

// NewSPFCheck is the model of one check_host() result; policy is the
// --policy record, "" for the published one.
func NewSPFCheck(res spf.Result, policy string) SPFCheck {
	c := SPFCheck{
		Domain: string(res.Domain), IP: res.IP.String(), Result: res.Status,
		Mechanism: res.Mechanism, MechanismDomain: res.MechanismDomain,
		Explanation: res.Explanation, Lookups: res.Lookups, VoidLookups: res.VoidLookups,
		Identity: res.Identity, Sender: res.Sender, Trace: res.Trace, Policy: policy,
		Terms: []SPFTermCost{}, NXDomain: res.NXDomain(),
	}
	if c.Trace == nil {
		c.Trace = []spf.Step{}
	}
	if res.Err != nil {
		c.Error = res.Err.Error()
	}
	for _, t := range res.Terms {
		c.Terms = append(c.Terms, SPFTermCost{Depth: t.Depth, Domain: t.Domain, Term: t.Term,
			Lookups: t.Lookups, VoidLookups: t.VoidLookups, Matched: t.Matched, Result: t.Result})
	}
	return c
}

// SPFAnalysis is `preflight spf DOMAIN` without an IP: the policy's
// worst-case lookup cost, void lookups per address family, the networks it
// authorises and the warnings. Its JSON encoding is the spf command's
// contract; field names are API.
type SPFAnalysis struct {
	Domain        string        `json:"domain"`
	Record        string        `json:"record"`
	Result        spf.Status    `json:"result,omitempty"` // set only when the policy could not be analysed
	Error         string        `json:"error,omitempty"`
	NXDomain      bool          `json:"nxdomain,omitempty"` // the domain does not exist
	Lookups       int           `json:"lookups"`
	VoidLookups   int           `json:"void_lookups"`
	VoidLookups4  int           `json:"void_lookups_ipv4"`
	VoidLookups6  int           `json:"void_lookups_ipv6"`
	Networks      []string      `json:"networks"`
	Unflattenable []string      `json:"unflattenable"`
	Terms         []SPFTreeTerm `json:"terms"`
	Warnings      []spf.Warning `json:"warnings"`
}

// SPFTreeTerm is one term of an SPFAnalysis, includes and redirect
// expanded as Children.
type SPFTreeTerm struct {
	Term          string        `json:"term"`
	Domain        string        `json:"domain"`
	Lookups       int           `json:"lookups"`
	VoidIPv4      bool          `json:"void_ipv4,omitempty"`
	VoidIPv6      bool          `json:"void_ipv6,omitempty"`
	Networks      []string      `json:"networks,omitempty"`
	Unflattenable string        `json:"unflattenable,omitempty"`
	Target        string        `json:"target,omitempty"`
	Record        string        `json:"record,omitempty"`
	Problem       string        `json:"problem,omitempty"`
	Children      []SPFTreeTerm `json:"children,omitempty"`
}

// NewSPFAnalysis is the model of a static analysis.
func NewSPFAnalysis(an *spf.Analysis) SPFAnalysis {
	a := SPFAnalysis{
		Domain: an.Domain, Record: an.Record, Result: an.Status, NXDomain: an.NXDomain,
		Lookups: an.Lookups, VoidLookups: an.MaxVoidLookups(),
		VoidLookups4: an.VoidLookups4, VoidLookups6: an.VoidLookups6,
		Networks: []string{}, Unflattenable: []string{}, Terms: spfTree(an.Terms), Warnings: []spf.Warning{},
	}
	if an.Err != nil {
		a.Error = an.Err.Error()
	}
	for _, p := range an.Networks {
		a.Networks = append(a.Networks, p.String())
	}
	a.Unflattenable = append(a.Unflattenable, an.Unflattenable...)
	a.Warnings = append(a.Warnings, an.Warnings...)
	return a
}

func spfTree(ts []spf.TermAnalysis) []SPFTreeTerm {
	out := []SPFTreeTerm{}
	for _, t := range ts {
		j := SPFTreeTerm{Term: t.Term, Domain: t.Domain, Lookups: t.Lookups, VoidIPv4: t.Void4, VoidIPv6: t.Void6,
			Unflattenable: t.Unflattenable, Target: t.Target, Record: t.Record, Problem: t.Problem}
		for _, p := range t.Networks {
			j.Networks = append(j.Networks, p.String())
		}
		if len(t.Children) > 0 {
			j.Children = spfTree(t.Children)
		}
		out = append(out, j)
	}
	return out
}

// WriteSPF writes the results of check_host() for one or more IPs in
// o.Format: json (one SPFCheck per line) or text (per IP the result, the
// decisive term, the records and the cost of every term; then a count per
// result and a note when IPv4 and IPv6 senders fare differently; with
// Verbose the query log).
func WriteSPF(w io.Writer, cs []SPFCheck, o Options) error {
	f, err := o.format("spf", FormatText, FormatJSON)
	if err != nil {
		return err
	}
	if f == FormatJSON {
		for _, c := range cs {
			if err := writeJSONLine(w, c); err != nil {
				return err
			}
		}
		return nil
	}
	t := &textWriter{w: w, o: o.TextOptions}
	for _, c := range cs {
		t.spfCheck(safeValue(c))
	}
	if len(cs) > 1 {
		counts := map[spf.Status]int{}
		for _, c := range cs {
			counts[c.Result]++
		}
		var parts []string
		for _, st := range []spf.Status{spf.StatusPass, spf.StatusFail, spf.StatusSoftFail, spf.StatusNeutral, spf.StatusNone, spf.StatusTempError, spf.StatusPermError} {
			if counts[st] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
			}
		}
		t.printf("%d IPs: %s\n", len(cs), strings.Join(parts, ", "))
	}
	if note := familyNote(cs); note != "" {
		t.printf("%s\n", note)
	}
	if o.Verbose {
		t.queryLog(o.Queries)
	}
	return t.err
}

// spfCheck writes one IP's result; c has been through Safe.
func (t *textWriter) spfCheck(c SPFCheck) {
	t.printf("%s from %s: %s", c.Domain, c.IP, strings.ToUpper(string(c.Result)))
	switch {
	case c.Mechanism != "" && c.MechanismDomain != "" && c.MechanismDomain != c.Domain:
		t.printf(" (%s in %s)", c.Mechanism, c.MechanismDomain)
	case c.Mechanism != "":
		t.printf(" (%s)", c.Mechanism)
	case c.Result == spf.StatusNeutral:
		t.printf(" (no term matched: the default result)")
	}
	t.printf("\n")
	if t.o.Quiet {
		return
	}
	t.printf("  sender %s (%s identity); DNS lookups %d of 10, void lookups %d of 2\n",
		c.Sender, c.Identity, c.Lookups, c.VoidLookups)
	if c.Error != "" {
		t.printf("  why: %s\n", Prose(c.Error))
	}
	if c.Explanation != "" {
		t.printf("  explanation: %s\n", c.Explanation)
	}
	if rec := recordOf(c.Trace, c.Domain, 0); rec != "" {
		t.printf("  %s: %s\n", c.Domain, rec)
	} else if c.NXDomain {
		t.printf("  %s\n", t.tr("%s does not exist (NXDOMAIN): it has no SPF record, and a receiver refuses mail from a domain that does not exist", c.Domain))
	} else if c.Result == spf.StatusNone {
		t.printf("  %s publishes no SPF record\n", c.Domain)
	}
	prevDepth := 0
	for _, tc := range c.Terms {
		ind := strings.Repeat("    ", tc.Depth+1)
		if tc.Depth > prevDepth {
			if rec := recordOf(c.Trace, tc.Domain, tc.Depth); rec != "" {
				t.printf("%s%s: %s\n", ind, tc.Domain, rec)
			}
		}
		prevDepth = tc.Depth
		cost := ""
		if tc.Lookups > 0 {
			cost = fmt.Sprintf("[%d lookup%s]", tc.Lookups, plural(tc.Lookups))
			if tc.VoidLookups > 0 {
				cost = fmt.Sprintf("[%d lookup%s, %d void]", tc.Lookups, plural(tc.Lookups), tc.VoidLookups)
			}
		}
		outcome := "no match"
		switch {
		case tc.Matched:
			outcome = "MATCH → " + string(tc.Result)
		case tc.Result != "":
			outcome = string(tc.Result)
		}
		t.row("%s%-*s %-22s %s", ind, max(1, 36-len(ind)), tc.Term, cost, outcome)
	}
	if c.Policy != "" {
		t.printf("  (evaluated the --policy record in place of the published one)\n")
	}
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

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// familyNote says when IPv4 and IPv6 senders get different outcomes: all
// the IPv4 addresses given share one result and all the IPv6 ones another.
func familyNote(cs []SPFCheck) string {
	var r4, r6 spf.Status
	mixed := false
	for _, c := range cs {
		ip, err := netip.ParseAddr(c.IP)
		if err != nil {
			continue
		}
		p := &r6
		if ip.Is4() {
			p = &r4
		}
		if *p != "" && *p != c.Result {
			mixed = true
		}
		*p = c.Result
	}
	if mixed || r4 == "" || r6 == "" || r4 == r6 {
		return ""
	}
	return fmt.Sprintf("Note: IPv4 senders get %s but IPv6 senders get %s. Check that every ip4 range has an ip6 counterpart and that a/mx hosts have AAAA records.", Safe(string(r4)), Safe(string(r6)))
}

// WriteSPFAnalysis writes a static analysis in o.Format: json (one line)
// or text (the record, its worst-case cost, the include tree, the networks
// it authorises and the warnings; with Quiet the cost and warnings only,
// with Verbose the query log).
func WriteSPFAnalysis(w io.Writer, a SPFAnalysis, o Options) error {
	f, err := o.format("spf", FormatText, FormatJSON)
	if err != nil {
		return err
	}
	if f == FormatJSON {
		return writeJSONLine(w, a)
	}
	a = safeValue(a)
	t := &textWriter{w: w, o: o.TextOptions}
	if a.Result != "" {
		t.printf("%s: %s — %s\n", a.Domain, a.Result, Prose(a.Error))
		t.spfWarnings(a.Warnings)
		return t.err
	}
	t.printf("%s: %s\n", a.Domain, a.Record)
	t.printf("  DNS lookups, worst case: %d of 10; void lookups: %d for IPv4 senders, %d for IPv6 senders (limit 2)\n",
		a.Lookups, a.VoidLookups4, a.VoidLookups6)
	if !o.Quiet {
		t.spfTree(a.Terms, 1)
		t.printf("Authorised networks (%d):\n", len(a.Networks))
		for _, p := range a.Networks {
			t.printf("  %s\n", p)
		}
		if len(a.Networks) == 0 {
			t.printf("  (none listed)\n")
		}
		if len(a.Unflattenable) > 0 {
			t.printf("Not listable (decided per message):\n")
			for _, u := range a.Unflattenable {
				t.printf("  %s\n", u)
			}
		}
	}
	t.spfWarnings(a.Warnings)
	if o.Verbose {
		t.queryLog(o.Queries)
	}
	return t.err
}

func (t *textWriter) spfTree(ts []SPFTreeTerm, depth int) {
	for _, tt := range ts {
		ind := strings.Repeat("    ", depth)
		cost := ""
		if tt.Lookups > 0 {
			cost = fmt.Sprintf("costs %d", tt.Lookups)
		}
		var notes []string
		if tt.Unflattenable != "" {
			notes = append(notes, "not listable")
		}
		switch {
		case tt.VoidIPv4 && tt.VoidIPv6:
			notes = append(notes, "void")
		case tt.VoidIPv4:
			notes = append(notes, "void for IPv4")
		case tt.VoidIPv6:
			notes = append(notes, "void for IPv6")
		}
		if tt.Problem != "" {
			notes = append(notes, tt.Problem)
		}
		t.row("%s%-*s %-9s %s", ind, max(1, 36-len(ind)), tt.Term, cost, strings.Join(notes, "; "))
		if tt.Record != "" && len(tt.Children) > 0 {
			t.printf("%s    %s: %s\n", ind, tt.Target, tt.Record)
			t.spfTree(tt.Children, depth+1)
		}
	}
}

func (t *textWriter) spfWarnings(ws []spf.Warning) {
	if len(ws) == 0 {
		return
	}
	t.printf("Warnings:\n")
	for _, x := range ws {
		t.printf("  [%s] %s\n", strings.TrimPrefix(x.ID, "spf."), x.Detail)
	}
}
