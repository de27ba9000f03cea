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
	"mailauth/record_discovery/tag-without-name":             "mailauth ignores '=value'; we report a syntax error (permerror), as for a bare word",
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
	"mailauth/evaluate/multiple-from-addresses":           "several From addresses are a message-intake finding (internal/check), not package dmarc",
	"authheaders/cases/multiple-from-spoofed-first":       "several From addresses are a message-intake finding (internal/check), not package dmarc",
	"authheaders/cases/multiple-from-spoofed-second":      "several From addresses are a message-intake finding (internal/check), not package dmarc",
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

// --- mox

func confMox(t *testing.T, tally *confTally, doc map[string]any) {
	// Record lookup.
	lk := ymap(doc["lookup"])
	r := newConfDNS(lk["dns"], nil)
	for _, c := range ylist(lk["cases"]) {
		c := ymap(c)
		from := ystr(c["from_domain"])
		confCase(t, tally, "mox/lookup/"+from, func() (p []string) {
			d, err := Discover(context.Background(), r, dns.Domain(from), DiscoverOptions{})
			if err != nil {
				return []string{err.Error()}
			}
			exp := ymap(c["expected"])
			f := d.RFC7489
			expect(&p, "policy domain", f.RecordDomain, exp["policy_domain"])
			wantStatus := map[string]DiscoveryStatus{"": DiscoveryFound, "no-record": DiscoveryNone, "multiple-records": DiscoveryMultiple, "syntax": DiscoveryInvalid, "dns": DiscoveryTempError}[ystr(exp["error"])]
			expect(&p, "status", f.Status, wantStatus)
			if rec := ymap(exp["record"]); rec != nil {
				checkRecord(&p, f.Record, rec)
			}
			return p
		})
	}
	tally.add("skip", "mox/external_report_authorization (8 cases): "+confSkips["mox/external_report_authorization"])

	// Evaluation.
	evs := ymap(doc["evaluate"])
	r = newConfDNS(evs["dns"], nil)
	for _, c := range ylist(evs["cases"]) {
		c := ymap(c)
		confCase(t, tally, "mox/evaluate/"+ystr(c["id"]), func() (p []string) {
			in := ymap(c["input"])
			_, ev, err := confRun(r, ystr(c["from_domain"]), spfFromCase(in), dkimFromCase(in), Options{})
			if err != nil {
				return []string{err.Error()}
			}
			exp := ymap(c["expected"])
			expect(&p, "result", ev.Result, exp["status"])
			expect(&p, "policy domain", ev.Found.RecordDomain, exp["policy_domain"])
			if v, ok := exp["policy"]; ok {
				expect(&p, "policy", ev.Policy, v)
			}
			reject := ev.Result == ResultFail && (ev.Policy == PolicyReject || ev.Policy == PolicyQuarantine)
			expect(&p, "reject", reject, exp["reject"])
			useResult := ev.Found.Status == DiscoveryFound && ev.Percent > 0
			expect(&p, "use_result", useResult, exp["use_result"])
			if v, ok := exp["aligned_spf_pass"]; ok {
				expect(&p, "aligned SPF pass", ev.SPF.Counts, v)
			}
			if v, ok := exp["aligned_dkim_pass"]; ok {
				any := false
				for _, a := range ev.DKIM {
					any = any || a.Counts
				}
				expect(&p, "aligned DKIM pass", any, v)
			}
			if v, ok := exp["record_found"]; ok {
				expect(&p, "record found", ev.Found.Status == DiscoveryFound, v)
			}
			return p
		})
	}

	// Record parsing.
	rp := ymap(doc["record_parse"])
	for _, c := range ylist(rp["invalid"]) {
		c := ymap(c)
		rec := ystr(c["record"])
		confCase(t, tally, "mox/record_parse/invalid/"+rec, func() []string {
			if _, err := Parse(rec); err == nil {
				return []string{fmt.Sprintf("Parse(%q) succeeded, want an error (%v)", rec, c["note"])}
			}
			return nil
		})
	}
	for i, c := range ylist(rp["valid"]) {
		c := ymap(c)
		rec := ystr(c["record"])
		confCase(t, tally, "mox/record_parse/valid/"+strconv.Itoa(i+1), func() (p []string) {
			r, err := Parse(rec)
			if err != nil {
				return []string{fmt.Sprintf("Parse(%q): %v", rec, err)}
			}
			checkRecord(&p, r, ymap(c["expected"]))
			return p
		})
	}
}

// --- mailauth

func confMailauth(t *testing.T, tally *confTally, doc map[string]any) {
	evalCase := func(section string, c map[string]any, opts Options) {
		confCase(t, tally, "mailauth/"+section+"/"+ystr(c["id"]), func() (p []string) {
			in := ymap(c["input"])
			from := ystr(in["from"])
			r := newConfDNS(c["dns"], nil)
			d, ev, err := confRun(r, from, spfFromCase(in), dkimFromCase(in), opts)
			if err != nil {
				return []string{err.Error()}
			}
			exp := ymap(c["expected"])
			for k, v := range exp {
				switch k {
				case "result":
					expect(&p, "result", ev.Result, v)
				case "policy":
					if v == nil {
						expect(&p, "policy", ev.Policy, "")
					} else {
						expect(&p, "policy", ev.Policy, v)
					}
				case "policy_domain":
					expect(&p, "policy domain", ev.Found.RecordDomain, v)
				case "record":
					checkRecord(&p, ev.Found.Record, ymap(v))
				case "dkim_alignment_mode":
					expect(&p, "adkim", modeWord(ev.Found.Record.ADKIM), v)
				case "spf_alignment_mode":
					expect(&p, "aspf", modeWord(ev.Found.Record.ASPF), v)
				case "aligned_spf_domain":
					p = append(p, alignedDomain(ev, "spf", v)...)
				case "aligned_dkim_domain":
					p = append(p, alignedDomain(ev, "dkim", v)...)
				case "header_from":
					expect(&p, "From domain", ev.From, v)
				case "record_contains":
					if !strings.Contains(ev.Found.RecordText, ystr(v)) || !strings.Contains(ev.Found.Record.String(), ystr(v)) {
						p = append(p, fmt.Sprintf("record %q does not keep %q", ev.Found.Record, v))
					}
				case "dmarc_queries_in_order":
					var got []string
					for _, q := range d.Queries {
						if q.Type == "TXT" {
							got = append(got, q.Name)
						}
					}
					var want []string
					for _, q := range ylist(v) {
						want = append(want, ystr(q))
					}
					expect(&p, "queries", got, want)
				default:
					p = append(p, "harness: unknown expectation "+k)
				}
			}
			return p
		})
	}
	for _, c := range ylist(ymap(doc["evaluate"])["cases"]) {
		evalCase("evaluate", ymap(c), Options{})
	}
	for _, c := range ylist(ymap(doc["dmarcbis"])["cases"]) {
		evalCase("dmarcbis", ymap(c), RFC9989)
	}
	for _, c := range ylist(ymap(doc["record_discovery"])["cases"]) {
		c := ymap(c)
		confCase(t, tally, "mailauth/record_discovery/"+ystr(c["id"]), func() (p []string) {
			r := newConfDNS(c["dns"], nil)
			domains := ylist(c["domains"])
			if domains == nil {
				domains = []any{c["domain"]}
			}
			var queried []string
			exp := ymap(c["expected"])
			for _, dom := range domains {
				d, err := Discover(context.Background(), r, dns.Domain(ystr(dom)), DiscoverOptions{})
				if err != nil {
					p = append(p, err.Error())
					continue
				}
				f := d.RFC7489
				queried = append(queried, f.Queried...)
				for k, v := range exp {
					switch k {
					case "record":
						if v == nil {
							if f.Status == DiscoveryFound {
								p = append(p, fmt.Sprintf("found %q, want no record", f.RecordText))
							}
							continue
						}
						if f.Status != DiscoveryFound {
							p = append(p, fmt.Sprintf("status %s (%v), want a record", f.Status, f.Err))
							continue
						}
						checkRecord(&p, f.Record, ymap(v))
					case "org_record":
						expect(&p, "record from the organizational domain", !f.AtFrom, v)
					case "error":
						expect(&p, "status", f.Status, v)
					case "queries":
					default:
						p = append(p, "harness: unknown expectation "+k)
					}
				}
			}
			if q, ok := exp["queries"]; ok {
				var want []string
				for _, x := range ylist(q) {
					want = append(want, ystr(x))
				}
				expect(&p, "queries", queried, want)
			}
			if ystr(c["id"]) == "org-equals-domain" {
				expect(&p, "queries", len(queried), 1)
			}
			return p
		})
	}
}

// --- authheaders

func confAuthheaders(t *testing.T, tally *confTally, doc map[string]any) {
	dns := ymap(doc["dns"])
	r := newConfDNS(map[string]any{"txt": dns["txt"]}, dns["exists"])
	for _, c := range ylist(doc["cases"]) {
		c := ymap(c)
		confCase(t, tally, "authheaders/cases/"+ystr(c["id"]), func() (p []string) {
			from := ystr(c["from"])
			if i := strings.LastIndexByte(from, '<'); i >= 0 {
				from = strings.TrimSuffix(from[i+1:], ">")
			}
			exp := ymap(c["expected"])
			in := ymap(c["input"])
			var dkim []DKIMInput
			switch v := in["dkim"].(type) {
			case string:
				if v == "computed" { // the signature verified: take its result from the expectation
					f := strings.Fields(ystr(exp["dkim"]))
					dkim = []DKIMInput{{Result: f[0], Domain: strings.TrimPrefix(f[1], "header.d=")}}
				}
			case []any:
				dkim = dkimFromCase(in)
			}
			opts := Options{}
			if strings.Contains(ystr(c["test"]), "dmarcbis=True") {
				opts = RFC9989
			}
			_, ev, err := confRun(r, from, SPFInput{}, dkim, opts)
			if err != nil {
				return []string{err.Error()}
			}
			expect(&p, "result", ev.Result, exp["result"])
			if v, ok := exp["header_from"]; ok {
				expect(&p, "From domain", ev.From, v)
			}
			if v, ok := exp["policy"]; ok && ev.Result != ResultPermError && ev.Result != ResultNone {
				expect(&p, "policy", ev.Policy, v)
			}
			return p
		})
	}
	tally.add("skip", "authheaders/from_domain_extraction (4 cases): "+confSkips["authheaders/from_domain_extraction"])
}

// --- OpenDMARC

func confOpenDMARC(t *testing.T, tally *confTally, doc map[string]any) {
	for _, c := range ylist(ymap(doc["record_parse"])["cases"]) {
		c := ymap(c)
		confCase(t, tally, "opendmarc/record_parse/"+ystr(c["num"]), func() []string {
			_, err := Parse(ystr(c["record"]))
			if ok := ystr(c["expected"]) == "ok"; ok != (err == nil) {
				return []string{fmt.Sprintf("Parse(%q) error = %v, want %s", ystr(c["record"]), err, ystr(c["expected"]))}
			}
			return nil
		})
	}
	for _, c := range ylist(ymap(doc["alignment"])["cases"]) {
		c := ymap(c)
		confCase(t, tally, "opendmarc/alignment/"+ystr(c["num"]), func() (p []string) {
			mode := AlignRelaxed
			if ystr(c["mode"]) == "strict" {
				mode = AlignStrict
			}
			from, err1 := dns.ParseDomain(ystr(c["from_domain"]))
			id, err2 := dns.ParseDomain(ystr(c["auth_domain"]))
			got := err1 == nil && err2 == nil && Aligned(from, id, mode)
			expect(&p, "aligned", got, c["aligned"])
			return p
		})
	}
	for _, c := range ylist(ymap(doc["organizational_domain"])["cases"]) {
		c := ymap(c)
		confCase(t, tally, "opendmarc/organizational_domain/"+ystr(c["num"]), func() (p []string) {
			d, err := dns.ParseDomain(ystr(c["domain"]))
			if err != nil {
				return []string{err.Error()}
			}
			org, _ := OrgDomain(d)
			expect(&p, "organizational domain", org, c["expected"])
			return p
		})
	}
	tally.add("skip", "opendmarc/from_header_domain (13 cases): "+confSkips["opendmarc/from_header_domain"])
}

// --- Stalwart (DMARCbis)

func confStalwart(t *testing.T, tally *confTally, doc map[string]any) {
	run := func(section string, c map[string]any) {
		confCase(t, tally, "stalwart/"+section+"/"+ystr(c["id"]), func() (p []string) {
			r := newConfDNS(c["dns"], nil)
			in := ymap(c["input"])
			_, ev, err := confRun(r, ystr(c["from"]), spfFromCase(in), dkimFromCase(in), RFC9989)
			if err != nil {
				return []string{err.Error()}
			}
			mech := func(a Alignment) string {
				switch {
				case a.Counts:
					return "pass"
				case a.Pass:
					return "fail"
				}
				return "none"
			}
			for k, v := range ymap(c["expected"]) {
				switch k {
				case "policy":
					expect(&p, "policy", ev.Policy, v)
				case "record":
					expect(&p, "record", ev.Found.Record, (*Record)(nil))
				case "spf_alignment":
					expect(&p, "SPF alignment", mech(ev.SPF), v)
				case "dkim_alignment":
					got := "none"
					for _, a := range ev.DKIM {
						if m := mech(a); m == "pass" || got == "none" {
							got = m
						}
					}
					expect(&p, "DKIM alignment", got, v)
				default:
					p = append(p, "harness: unknown expectation "+k)
				}
			}
			return p
		})
	}
	for _, c := range ylist(ymap(doc["alignment"])["cases"]) {
		run("alignment", ymap(c))
	}
	for _, c := range ylist(ymap(doc["policy_discovery"])["cases"]) {
		run("policy_discovery", ymap(c))
	}
	tally.add("skip", "stalwart/external_report_authorization (1 case): "+confSkips["stalwart/external_report_authorization"])
	for i, c := range ylist(ymap(doc["record_parse"])["cases"]) {
		c := ymap(c)
		confCase(t, tally, "stalwart/record_parse/"+strconv.Itoa(i+1), func() (p []string) {
			rec, err := Parse(ystr(c["record"]))
			if err != nil {
				return []string{err.Error()}
			}
			sp := rec.SubdomainPolicy
			if sp == "" {
				sp = rec.Policy
			}
			np := rec.NonexistentPolicy
			if np == "" {
				np = sp
			}
			mult := map[string]uint64{"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
			for k, v := range ymap(c["expected"]) {
				switch k {
				case "p":
					expect(&p, k, rec.Policy, v)
				case "sp":
					expect(&p, k, sp, v)
				case "np":
					expect(&p, k, np, v)
				case "adkim":
					expect(&p, k, string(rec.ADKIM), v)
				case "aspf":
					expect(&p, k, string(rec.ASPF), v)
				case "fo":
					got := append([]string(nil), rec.FailureOptions...)
					sort.Strings(got)
					expect(&p, k, got, v)
				case "psd":
					got := string(rec.PSD)
					if got == "" {
						got = "default"
					}
					expect(&p, k, got, v)
				case "t":
					expect(&p, k, rec.Testing, v)
				case "rua", "ruf":
					us := rec.AggregateReports
					if k == "ruf" {
						us = rec.FailureReports
					}
					var got, want []string
					for _, u := range us {
						size := uint64(0)
						if u.HasSize {
							size = u.MaxSize * mult[u.Unit]
						}
						got = append(got, fmt.Sprintf("%s %d", strings.TrimPrefix(u.URI, "mailto:"), size))
					}
					for _, e := range ylist(v) {
						m := ymap(e)
						want = append(want, ystr(m["addr"])+" "+ystr(m["max_bytes"]))
					}
					expect(&p, k, got, want)
				default:
					p = append(p, "harness: unknown expectation "+k)
				}
			}
			return p
		})
	}
}
