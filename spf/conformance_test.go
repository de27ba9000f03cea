package spf

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"preflight/dns"
)

// The open-spf suites and friends, read from the shared conformance data
// (never copied into the repository). See ../../shared/conformance/spf/README.md.
const conformanceDir = "../../shared/conformance/spf"

// suiteZone is a map-based resolver built from a scenario's zonedata,
// following the pyspf driver's conventions: SPF-type records are served
// as TXT when a name has no TXT entry, "TIMEOUT" makes queries time out,
// names not listed are NXDOMAIN.
type suiteZone struct {
	names    map[string]map[string][]any // name → type → values
	timeouts map[string]bool             // every query for the name times out
}

func newSuiteZone(zd map[string]any) (*suiteZone, error) {
	z := &suiteZone{names: map[string]map[string][]any{}, timeouts: map[string]bool{}}
	for name, v := range zd {
		n := strings.ToLower(strings.TrimSuffix(name, "."))
		types := map[string][]any{}
		z.names[n] = types
		list, _ := v.([]any)
		for _, item := range list {
			switch it := item.(type) {
			case string:
				if it != "TIMEOUT" {
					return nil, fmt.Errorf("%s: unknown entry %q", name, it)
				}
				z.timeouts[n] = true
			case map[string]any:
				for typ, val := range it {
					if (typ == "TIMEOUT" || typ == "SERVFAIL") && val == "true" {
						// blitiri's extension: the name fails as a whole.
						z.timeouts[n] = true
						continue
					}
					if _, ok := types[typ]; !ok {
						types[typ] = nil
					}
					if val == "NONE" {
						continue
					}
					types[typ] = append(types[typ], val)
				}
			default:
				return nil, fmt.Errorf("%s: unexpected entry %T", name, item)
			}
		}
	}
	return z, nil
}

func (z *suiteZone) Lookup(ctx context.Context, name string, t dns.Type) (dns.Result, error) {
	n := strings.ToLower(strings.TrimSuffix(name, "."))
	res := dns.Result{Name: n, Type: t, Source: "suite"}
	temp := func(why string) (dns.Result, error) {
		return dns.Result{}, &dns.Error{Name: n, Type: t, Rcode: -1, Err: dns.Temporary(errors.New(why))}
	}
	for hops := 0; ; hops++ {
		if hops > 8 {
			return temp("CNAME loop")
		}
		if err := ctx.Err(); err != nil {
			return temp(err.Error())
		}
		types, ok := z.names[n]
		if !ok {
			res.Status, res.Rcode = dns.StatusNXDomain, dns.RcodeNXDomain
			return res, nil
		}
		if c, ok := types["CNAME"]; ok && len(c) > 0 && t != dns.TypeCNAME {
			res.CNAMEs = append(res.CNAMEs, n)
			n = strings.ToLower(strings.TrimSuffix(c[0].(string), "."))
			continue
		}
		key := t.String()
		vals, has := types[key]
		if t == dns.TypeTXT && !has {
			vals = types["SPF"]
		}
		for _, v := range vals {
			if v == "TIMEOUT" {
				return temp("timeout")
			}
		}
		for _, v := range vals {
			rec := dns.Record{Name: n, Type: t, TTL: 300}
			switch t {
			case dns.TypeA, dns.TypeAAAA:
				ip, err := netip.ParseAddr(v.(string))
				if err != nil {
					return dns.Result{}, fmt.Errorf("suite zone %s: %v", n, err)
				}
				rec.IP, rec.Data = ip, ip.String()
			case dns.TypeMX:
				pair := v.([]any)
				rec.Target = strings.ToLower(strings.TrimSuffix(pair[1].(string), "."))
				rec.Data = fmt.Sprint(pair[0], " ", pair[1])
			case dns.TypePTR:
				rec.Target = strings.TrimSuffix(v.(string), ".")
				rec.Data = rec.Target
			case dns.TypeTXT:
				switch s := v.(type) {
				case string:
					rec.Data = s
				case []any:
					var b strings.Builder
					for _, p := range s {
						b.WriteString(p.(string))
					}
					rec.Data = b.String()
				}
			}
			res.Records = append(res.Records, rec)
		}
		if len(res.Records) > 0 {
			res.Status = dns.StatusAnswer
		} else if z.timeouts[n] {
			// pyspf's driver: a bare TIMEOUT entry makes every query that
			// finds no records of its type time out.
			return temp("timeout")
		} else {
			res.Status = dns.StatusNoData
		}
		return res, nil
	}
}

type suiteCase struct {
	scenario, name string
	helo, host     string
	mailfrom       string
	results        []string
	explanation    string
	zone           *suiteZone
}

func loadSuite(t *testing.T, file string) []suiteCase {
	t.Helper()
	path := filepath.Join(conformanceDir, file)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("conformance data %s not present (it lives outside the repository in ../shared/conformance); skipping", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	docs, err := yamlDocs(string(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var cases []suiteCase
	for _, d := range docs {
		doc := d.(map[string]any)
		zd, _ := doc["zonedata"].(map[string]any)
		zone, err := newSuiteZone(zd)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		scen, _ := doc["description"].(string)
		tests, _ := doc["tests"].(map[string]any)
		for name, tv := range tests {
			tc := tv.(map[string]any)
			c := suiteCase{scenario: scen, name: name, zone: zone}
			c.helo, _ = tc["helo"].(string)
			c.host, _ = tc["host"].(string)
			c.mailfrom, _ = tc["mailfrom"].(string)
			c.explanation, _ = tc["explanation"].(string)
			switch r := tc["result"].(type) {
			case string:
				c.results = []string{r}
			case []any:
				for _, x := range r {
					c.results = append(c.results, x.(string))
				}
			}
			cases = append(cases, c)
		}
	}
	sort.Slice(cases, func(i, j int) bool {
		if cases[i].scenario != cases[j].scenario {
			return cases[i].scenario < cases[j].scenario
		}
		return cases[i].name < cases[j].name
	})
	return cases
}

// runSuite runs every case of a suite as its own subtest. deviations maps
// "scenario/name" to the reason we knowingly differ; such a case is
// reported, not failed. It returns a summary line.
func runSuite(t *testing.T, file string, deviations map[string]string) {
	cases := loadSuite(t, file)
	var mu sync.Mutex
	run, passed := 0, 0
	var deviated []string
	used := map[string]bool{}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			key := c.scenario + "/" + c.name
			t.Run(key, func(t *testing.T) {
				t.Parallel()
				ip, err := netip.ParseAddr(c.host)
				if err != nil {
					t.Fatalf("bad host %q: %v", c.host, err)
				}
				cfg := Config{
					Resolver:           c.zone,
					DefaultExplanation: "DEFAULT",
					ReceiverDomain:     "localhost",
					Now:                func() time.Time { return time.Unix(1700000000, 0) },
				}
				res := Check(context.Background(), cfg, Request{IP: ip, MailFrom: c.mailfrom, HELO: c.helo})
				problem := ""
				ok := false
				for _, want := range c.results {
					if string(res.Status) == want {
						ok = true
					}
				}
				if !ok {
					problem = fmt.Sprintf("result %s (err %v), want %v", res.Status, res.Err, c.results)
				} else if c.explanation != "" && res.Status == StatusFail && res.Explanation != c.explanation {
					problem = fmt.Sprintf("explanation %q, want %q", res.Explanation, c.explanation)
				}
				if (res.Status == StatusTempError || res.Status == StatusPermError) && res.Err == nil {
					problem += "; temperror/permerror without Err"
				}
				mu.Lock()
				defer mu.Unlock()
				run++
				if problem == "" {
					passed++
					return
				}
				if reason, ok := deviations[key]; ok {
					used[key] = true
					deviated = append(deviated, fmt.Sprintf("%s: %s — deviation: %s", key, problem, reason))
					t.Skipf("known deviation: %s (%s)", reason, problem)
					return
				}
				t.Errorf("%s\ntrace:\n%s", problem, traceString(res.Trace))
			})
		}
	})
	sort.Strings(deviated)
	t.Logf("%s: %d cases run, %d passed, %d known deviations", file, run, passed, len(deviated))
	for _, d := range deviated {
		t.Logf("  %s", d)
	}
	for k := range deviations {
		if !used[k] {
			t.Errorf("deviation %q is listed but the case passes or does not exist: remove it", k)
		}
	}
}

func traceString(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "  %s[%d] %s %s %s %s %s %s (l=%d v=%d)\n", strings.Repeat("  ", s.Depth), s.Depth, s.Domain, s.Action, s.Term, s.Query, s.Answer, s.Detail+string(s.Result), s.Lookups, s.VoidLookups)
	}
	return b.String()
}

// TestRFC7208Suite runs the open-spf RFC 7208 test suite; it must pass in
// full.
func TestRFC7208Suite(t *testing.T) {
	runSuite(t, "rfc7208-tests.yml", rfc7208Deviations)
}

// rfc7208Deviations are the RFC 7208 suite cases we believe are wrong:
// none.
var rfc7208Deviations = map[string]string{}

// rfc4408Deviations are the RFC 4408 cases whose expectations RFC 7208
// changed; we implement RFC 7208.
var rfc4408Deviations = map[string]string{}

// TestRFC4408Suite runs the older RFC 4408 suite, less the cases that
// contradict RFC 7208.
func TestRFC4408Suite(t *testing.T) {
	runSuite(t, "rfc4408-tests.yml", rfc4408Deviations)
}

// blitiriDeviations: these blitiri cases use single-label domains ("d00",
// "mx10", "include:d11"). RFC 7208 §4.3 makes check_host() return "none"
// for a <domain> that is not multi-label, and the domain-spec ABNF (§12,
// domain-end = "." toplabel) makes "include:d11" a syntax error.
var blitiriDeviations = func() map[string]string {
	const why = "uses single-label domain names, which RFC 7208 §4.3 (none) and §12 domain-end (permerror) reject"
	m := map[string]string{}
	for _, k := range []string{
		"NXDOMAIN tests/redirect-not-found", "NXDOMAIN tests/one-mx-not-found",
		"NXDOMAIN tests/include-not-found", "NXDOMAIN tests/all-mx-not-found",
		"MX resolution limits/mx-resolution-11-terms", "MX resolution limits/mx-resolution-10-terms",
		"Resolution limits/resolution-with-10-lookups",
	} {
		m[k] = why
	}
	return m
}()

// TestBlitiriSuite runs the extra cases of blitiri.com.ar/go/spf.
func TestBlitiriSuite(t *testing.T) {
	runSuite(t, "blitirispf-tests.yml", blitiriDeviations)
}

// TestPyspfSuite runs pyspf's own regression cases.
func TestPyspfSuite(t *testing.T) {
	runSuite(t, "pyspf-test.yml", map[string]string{
		"/default-modifier":       `"default=-" is a pre-RFC SPF draft modifier that pyspf honours in its lax mode; RFC 7208 §6 makes unknown modifiers ignored, so the record has no mechanisms and the result is neutral (§4.7)`,
		"/default-modifier-harsh": `"ambiguous" is a pyspf-only result (its strict=2 mode); RFC 7208 ignores the unknown "default" modifier and gives neutral`,
	})
}
