package dmarc

import (
	"context"
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"testing"

	"preflight/dns"
)

// The per-suite runners of TestConformance (conformance_test.go): each
// reads one third-party suite's cases and checks them against Evaluate.

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
			froms := []string{ystr(in["from"])}
			if l := ylist(in["from"]); len(l) > 0 {
				froms = nil
				for _, f := range l {
					froms = append(froms, ystr(f))
				}
			}
			r := newConfDNS(c["dns"], nil)
			d, ev, err := confRunAuthors(r, froms, spfFromCase(in), dkimFromCase(in), opts)
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
			addrs, err := mail.ParseAddressList(ystr(c["from"]))
			if err != nil {
				return []string{"harness: From " + err.Error()}
			}
			var froms []string
			for _, a := range addrs {
				froms = append(froms, a.Address)
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
			_, ev, err := confRunAuthors(r, froms, SPFInput{}, dkim, opts)
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

// confRunAuthors evaluates each author domain of a From header with one
// or several addresses and combines the evaluations (RFC 7489 §6.6.1,
// Combine); the discovery returned is the first domain's.
func confRunAuthors(r dns.Resolver, froms []string, spf SPFInput, dkim []DKIMInput, opts Options) (*Discovery, Evaluation, error) {
	var first *Discovery
	var evs []Evaluation
	for _, from := range froms {
		at := strings.LastIndexByte(from, '@')
		d, ev, err := confRun(r, from[at+1:], spf, dkim, opts)
		if err != nil {
			return nil, Evaluation{}, err
		}
		if first == nil {
			first = d
		}
		evs = append(evs, ev)
	}
	return first, Combine(evs), nil
}
