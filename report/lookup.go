package report

import (
	"errors"
	"io"

	"preflight/dns"
)

// LookupAnswer is the outcome of `preflight lookup`: one DNS question asked
// through preflight's own resolver. Its JSON encoding is the lookup
// command's contract; field names are API.
type LookupAnswer struct {
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

// NewLookupAnswer builds the answer to name/t from what a dns.Resolver
// returned: res when err is nil, else a temperror carrying err (with the
// rcode and server when err is a *dns.Error that has them). It does not
// decide whether err was temporary; the caller does (dns.IsTemporary).
func NewLookupAnswer(name string, t dns.Type, res dns.Result, err error) LookupAnswer {
	a := LookupAnswer{Name: name, Type: t.String(), Answers: []string{}}
	if err != nil {
		a.Status, a.Error = "temperror", err.Error()
		var re *dns.Error
		if errors.As(err, &re) && re.Rcode > 0 {
			a.Rcode, a.Source = dns.RcodeString(re.Rcode), re.Server
		}
		return a
	}
	a.Status, a.Rcode = res.Status.String(), dns.RcodeString(res.Rcode)
	a.Authenticated, a.Source, a.TTL, a.CNAMEs = res.Authenticated, res.Source, res.TTL, res.CNAMEs
	for _, rec := range res.Records {
		a.Answers = append(a.Answers, rec.Data)
	}
	return a
}

// WriteLookupShort writes a as dig +short does: only the data, one record
// per line (the alias chain first, then the records; TXT data quoted),
// nothing for NXDOMAIN or NODATA, and a ";;" comment for a temporary
// failure. Every string is shown through Safe.
func WriteLookupShort(w io.Writer, a LookupAnswer) error {
	a = safeValue(a)
	t := &textWriter{w: w}
	if a.Status == "temperror" {
		t.printf(";; %s\n", t.tr("temporary DNS failure: %s", Prose(a.Error)))
		return t.err
	}
	for _, c := range a.CNAMEs {
		t.printf("%s.\n", c)
	}
	for _, ans := range a.Answers {
		if a.Type == "TXT" {
			ans = quoted(ans)
		}
		t.printf("%s\n", ans)
	}
	return t.err
}

// WriteLookup writes a in o.Format: json (one line) or text (dig-like: the
// outcome in words, the answers, where they came from; with Verbose the
// query log; with Quiet no source line). Every string is untrusted (DNS
// data): text shows it through Safe, TXT data quoted as check shows records.
func WriteLookup(w io.Writer, a LookupAnswer, o Options) error {
	f, err := o.format("lookup", FormatText, FormatJSON)
	if err != nil {
		return err
	}
	if f == FormatJSON {
		return writeJSONLine(w, a)
	}
	t := &textWriter{w: w, o: o.TextOptions}
	a = safeValue(a)
	switch a.Status {
	case "answer":
		t.printf("%s %s: %d record(s)", a.Name, a.Type, len(a.Answers))
	case "nxdomain":
		t.printf("%s %s: NXDOMAIN — the name does not exist", a.Name, a.Type)
	case "nodata":
		t.printf("%s %s: NODATA — the name exists but has no %s record", a.Name, a.Type, a.Type)
	case "temperror":
		t.printf("%s %s: temporary DNS failure — the answer is unknown, not empty", a.Name, a.Type)
	}
	t.printf("\n")
	if a.Status == "temperror" {
		t.printf("  %s\n", Prose(a.Error))
		t.printf("  Retry later or ask another server with --resolver; preflight never reads a failure as \"no record\".\n")
		return t.err
	}
	for _, c := range a.CNAMEs {
		t.printf("  via CNAME %s\n", c)
	}
	for _, ans := range a.Answers {
		if a.Type == "TXT" {
			t.printf("  %s\n", quoted(ans))
		} else {
			t.printf("  %s\n", ans)
		}
	}
	if !o.Quiet {
		auth := ""
		if a.Authenticated {
			auth = ", DNSSEC-validated (AD)"
		}
		t.printf("  (%s, rcode %s, ttl %d%s)\n", a.Source, a.Rcode, a.TTL, auth)
	}
	if o.Verbose {
		t.queryLog(o.Queries)
	}
	return t.err
}
