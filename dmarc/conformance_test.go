package dmarc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"preflight/dns"
)

// The DMARC conformance cases in ../shared/conformance/dmarc, restated from
// mox, mailauth, authheaders, OpenDMARC and Stalwart. Every case runs as a
// subtest; a case that this package answers differently on purpose is
// listed in confDeviations with its reason (and fails if it starts
// passing); a case outside this package's scope is listed in confSkips.

// confDeviations: cases where this package deliberately differs.
var confDeviations = map[string]string{
	"mox/record_parse/invalid/v=DMARC1; sp=reject; p=reject": "p= after another tag is accepted with a warning: RFC 9989 allows any order and real receivers accept it; mox follows RFC 7489's ABNF strictly",
	"mailauth/record_discovery/invalid-pct":                  "mailauth reads pct=invalid as 0 and keeps the record; like mox and OpenDMARC we treat an invalid value as a syntax error (permerror)",
	"mailauth/record_discovery/tag-without-value":            "mailauth ignores a bare word; like mox and authheaders we report a syntax error (permerror)",
	"mailauth/evaluate/multiple-from-addresses":              "RFC 7489 §6.6.1: each author domain is evaluated and the message passes only if every one passes (here both are example.com, which passes), as authheaders does; mailauth gives no result for several From addresses",
	"mailauth/record_discovery/no-org-domain-derivable":      "an IP address is not a usable From domain here (dns.ErrInvalidName, no query); mailauth asks _dmarc.192.0.2.1",
	"mailauth/dmarcbis/no-p-no-rua-no-processing":            "RFC 9989 §4.7 reads a record without p= as p=none (as checkdmarc 5.16 and Mnexa-AI/e2a#608 read it); mailauth's pending test expects no DMARC processing",
	"opendmarc/record_parse/5":                               "p=n is not a policy in RFC 7489's grammar (OpenDMARC accepts the abbreviation); without rua= the record gives no policy",
	"opendmarc/alignment/5":                                  "'.mac.com.' has an empty label: not a valid domain here (OpenDMARC strips leading dots)",
	"opendmarc/alignment/6":                                  "'....mac.com....' has empty labels: not a valid domain here (OpenDMARC strips dots)",
	"opendmarc/record_parse/12":                              "rf=bob: RFC 7489's grammar allows any keyword in rf= (mox accepts 'rf=afrf:other'); OpenDMARC accepts only afrf. We warn instead",
	"stalwart/record_parse/5":                                "Stalwart turns 'mailto:user%20@example.com' into 'user@example.com'; we keep URIs as written",
}

// confSkips: cases outside this package (with the reason).
var confSkips = map[string]string{
	"mox/external_report_authorization":                   "external report authorisation (RFC 7489 §7.1) is reporting, not evaluation: not implemented",
	"stalwart/external_report_authorization":              "external report authorisation (RFC 7489 §7.1) is reporting, not evaluation: not implemented",
	"authheaders/from_domain_extraction":                  "From-header parsing is message intake (internal/check), not package dmarc",
	"opendmarc/from_header_domain":                        "From-header parsing is message intake (internal/check), not package dmarc",
	"authheaders/cases/from-without-address-is-permerror": "a From without an address is a message-intake finding (internal/check), not package dmarc",
}

type confTally struct {
	mu                           sync.Mutex
	run, pass, deviated, skipped int
	lines                        []string
}

func (c *confTally) add(kind, line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch kind {
	case "pass":
		c.run++
		c.pass++
	case "deviation":
		c.run++
		c.deviated++
		c.lines = append(c.lines, "deviation: "+line)
	case "skip":
		c.skipped++
		c.lines = append(c.lines, "skipped: "+line)
	case "fail":
		c.run++
	}
}

// confCase runs check for one case: problems it returns fail the case,
// unless the case is a listed deviation.
func confCase(t *testing.T, tally *confTally, key string, check func() []string) {
	t.Helper()
	t.Run(key, func(t *testing.T) {
		if reason, ok := confSkips[key]; ok {
			tally.add("skip", key+": "+reason)
			t.Skip(reason)
		}
		problems := check()
		reason, deviates := confDeviations[key]
		switch {
		case deviates && len(problems) == 0:
			tally.add("fail", key)
			t.Errorf("listed as a deviation (%s) but now agrees: remove it from confDeviations", reason)
		case deviates:
			tally.add("deviation", fmt.Sprintf("%s: %s (%s)", key, reason, strings.Join(problems, "; ")))
		case len(problems) > 0:
			tally.add("fail", key)
			for _, p := range problems {
				t.Error(p)
			}
		default:
			tally.add("pass", key)
		}
	})
}

func TestConformance(t *testing.T) {
	dir := filepath.Join(conformanceDir, "dmarc")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("DMARC conformance data not available (%v); it lives in ../shared/conformance/dmarc", err)
	}
	load := func(name string) map[string]any {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		v, err := parseYAML(string(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v.(map[string]any)
	}
	runs := []struct {
		name string
		fn   func(*testing.T, *confTally, map[string]any)
	}{
		{"mox", confMox},
		{"mailauth", confMailauth},
		{"authheaders", confAuthheaders},
		{"opendmarc", confOpenDMARC},
		{"stalwart", confStalwart},
	}
	var total confTally
	for _, r := range runs {
		tally := &confTally{}
		t.Run(r.name, func(t *testing.T) { r.fn(t, tally, load(r.name+"-cases.yaml")) })
		sort.Strings(tally.lines)
		for _, l := range tally.lines {
			t.Logf("%s: %s", r.name, l)
		}
		t.Logf("%s: %d cases run, %d passed, %d listed deviations, %d skipped (out of scope)", r.name, tally.run, tally.pass, tally.deviated, tally.skipped)
		total.run += tally.run
		total.pass += tally.pass
		total.deviated += tally.deviated
		total.skipped += tally.skipped
	}
	t.Logf("DMARC conformance: %d cases run, %d passed, %d listed deviations, %d skipped (out of scope)", total.run, total.pass, total.deviated, total.skipped)
	fmt.Printf("DMARC conformance: %d cases run, %d passed, %d listed deviations, %d skipped (out of scope)\n", total.run, total.pass, total.deviated, total.skipped)
}

// --- YAML access helpers

func ymap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func ylist(v any) []any {
	l, _ := v.([]any)
	return l
}

func ystr(v any) string {
	s, _ := v.(string)
	return s
}

// --- a DNS fake built from a case's dns: section

type confDNS struct {
	txt    map[string][]string
	other  map[string]bool
	exists map[string]bool
	fail   map[string]bool
	all    bool
}

// newConfDNS reads dns: {txt: {name: [records]}, fail: [names], other|a:
// {name: [...]}, all_queries: timeout} and authheaders' exists: {name: bool}.
// A TXT record given as a list of strings is joined without separator; an
// empty string (authheaders) means no record at that name.
func newConfDNS(dns, exists any) *confDNS {
	c := &confDNS{txt: map[string][]string{}, other: map[string]bool{}, exists: map[string]bool{}, fail: map[string]bool{}}
	m := ymap(dns)
	for name, recs := range ymap(m["txt"]) {
		var list []string
		switch v := recs.(type) {
		case string:
			if v == "" {
				continue
			}
			list = []string{v}
		case []any:
			list = []string{}
			for _, r := range v {
				switch rv := r.(type) {
				case string:
					list = append(list, rv)
				case []any:
					var parts []string
					for _, p := range rv {
						parts = append(parts, ystr(p))
					}
					list = append(list, strings.Join(parts, ""))
				}
			}
		}
		c.txt[strings.ToLower(name)] = list
	}
	for _, k := range []string{"other", "a"} {
		for name := range ymap(m[k]) {
			c.other[strings.ToLower(name)] = true
		}
	}
	for _, n := range ylist(m["fail"]) {
		c.fail[strings.ToLower(ystr(n))] = true
	}
	c.all = ystr(m["all_queries"]) == "timeout"
	for name, v := range ymap(exists) {
		c.exists[strings.ToLower(name)] = ystr(v) == "true"
	}
	return c
}

func (c *confDNS) nameExists(name string) bool {
	for _, set := range []map[string]bool{c.other} {
		for k := range set {
			if k == name || strings.HasSuffix(k, "."+name) {
				return true
			}
		}
	}
	for k := range c.txt {
		if k == name || strings.HasSuffix(k, "."+name) {
			return true
		}
	}
	return false
}

func (c *confDNS) Lookup(_ context.Context, name string, t dns.Type) (dns.Result, error) {
	name = dns.CanonicalName(name)
	if c.all || (t == dns.TypeTXT && c.fail[name]) {
		return dns.Result{}, &dns.Error{Name: name, Type: t, Rcode: dns.RcodeServFail, Err: dns.Temporary(errors.New("SERVFAIL"))}
	}
	res := dns.Result{Name: name, Type: t, Status: dns.StatusNXDomain, Rcode: dns.RcodeNXDomain}
	if t == dns.TypeTXT {
		if recs, ok := c.txt[name]; ok {
			res.Status, res.Rcode = dns.StatusNoData, dns.RcodeSuccess
			for _, r := range recs {
				res.Status = dns.StatusAnswer
				res.Records = append(res.Records, dns.Record{Name: name, Type: dns.TypeTXT, Data: r})
			}
			return res, nil
		}
	}
	if e, ok := c.exists[name]; ok {
		if e {
			res.Status, res.Rcode = dns.StatusNoData, dns.RcodeSuccess
		}
		return res, nil
	}
	if c.nameExists(name) {
		res.Status, res.Rcode = dns.StatusNoData, dns.RcodeSuccess
	}
	return res, nil
}

// --- shared checks

func confRun(r dns.Resolver, from string, spf SPFInput, dkim []DKIMInput, opts Options) (*Discovery, Evaluation, error) {
	ids := []string{spf.Domain}
	for _, k := range dkim {
		ids = append(ids, k.Domain)
	}
	d, err := Discover(context.Background(), r, dns.Domain(from), DiscoverOptions{Identifiers: ids})
	if err != nil {
		return nil, Evaluation{}, err
	}
	return d, Evaluate(Input{Discovery: d, SPF: spf, DKIM: dkim, Options: opts}), nil
}

func expect(problems *[]string, what string, got, want any) {
	if fmt.Sprint(got) != fmt.Sprint(want) {
		*problems = append(*problems, fmt.Sprintf("%s = %v, want %v", what, got, want))
	}
}

// checkRecord compares a record with the expected tag values of a case.
func checkRecord(p *[]string, rec *Record, exp map[string]any) {
	if rec == nil {
		*p = append(*p, fmt.Sprintf("no record, want %v", exp))
		return
	}
	uris := func(us []URI) string {
		s := make([]string, len(us))
		for i, u := range us {
			s[i] = u.URI
		}
		return strings.Join(s, ",")
	}
	for k, v := range exp {
		var got string
		switch k {
		case "v":
			got = rec.Version
		case "p":
			got = string(rec.Policy)
		case "sp":
			got = string(rec.SubdomainPolicy)
		case "adkim":
			got = string(rec.ADKIM)
		case "aspf":
			got = string(rec.ASPF)
		case "pct":
			got = strconv.Itoa(rec.Percent)
		case "ri":
			got = strconv.FormatUint(uint64(rec.ReportInterval), 10)
		case "fo", "rf":
			l := rec.FailureOptions
			if k == "rf" {
				l = rec.ReportFormat
			}
			if _, isList := v.([]any); isList {
				got = fmt.Sprint(l)
			} else {
				got = strings.Join(l, ":")
			}
		case "rua", "ruf":
			us := rec.AggregateReports
			if k == "ruf" {
				us = rec.FailureReports
			}
			if s, isStr := v.(string); isStr {
				expect(p, k, uris(us), s)
				continue
			}
			var want, have []string
			for _, e := range ylist(v) {
				m := ymap(e)
				w := ystr(m["uri"])
				if m["max_size"] != nil {
					w += "!" + ystr(m["max_size"]) + ystr(m["unit"])
				}
				want = append(want, w)
			}
			for _, u := range us {
				have = append(have, u.String())
			}
			expect(p, k, have, want)
			continue
		default:
			*p = append(*p, "harness: unknown record key "+k)
			continue
		}
		expect(p, k, got, v)
	}
}

// aligned reports whether an aligned pass of the given kind exists whose
// identifier or organizational domain is d (mailauth's aligned_*_domain).
func alignedDomain(ev Evaluation, kind string, d any) []string {
	var p []string
	as := ev.DKIM
	if kind == "spf" {
		as = []Alignment{ev.SPF}
	}
	found := false
	for _, a := range as {
		if a.Counts && (d == nil || string(a.Domain) == ystr(d) || string(a.OrgDomain) == ystr(d)) {
			found = true
		}
	}
	if found != (d != nil) {
		p = append(p, fmt.Sprintf("aligned %s pass = %v, want %v", kind, found, d))
	}
	return p
}

func spfFromCase(in map[string]any) SPFInput {
	if l := ylist(in["spf_pass"]); len(l) > 0 {
		return SPFInput{Result: "pass", Domain: ystr(l[0])}
	}
	spf := ymap(in["spf"])
	return SPFInput{Result: ystr(spf["result"]), Domain: ystr(spf["domain"])}
}

func dkimFromCase(in map[string]any) []DKIMInput {
	var out []DKIMInput
	for _, d := range ylist(in["dkim_pass"]) {
		out = append(out, DKIMInput{Domain: ystr(d), Result: "pass"})
	}
	for _, d := range ylist(in["dkim"]) {
		m := ymap(d)
		out = append(out, DKIMInput{Domain: ystr(m["d"]), Result: ystr(m["result"])})
	}
	return out
}

func modeWord(m AlignMode) string { return m.String() }
