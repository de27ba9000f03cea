package report

import (
	"fmt"
	"io"
	"strings"

	"preflight/dkim"
)

// DKIMCheck is what `preflight dkim` found: every signature of a message
// (verified, or made with --key and verified), or one published key.
type DKIMCheck struct {
	// Path is the message ("-" for stdin); "" for a key check.
	Path string
	// KeyCheck is set when a published key was checked on its own
	// (--domain and --selector without a message).
	KeyCheck bool
	// Lines has one entry per signature (a "none" entry for an unsigned
	// message), or the key's.
	Lines []DKIMLine
	// Findings are about the message as a whole (LF line endings, From
	// counted twice, …).
	Findings []Finding
}

// DKIMLine is one signature's result (or a key's) with the message it came
// from: one line of `preflight dkim --format json` (JSON Lines), in the
// shape of an element of check's "dkim" array plus "message". Its JSON
// encoding is the dkim command's contract; field names are API.
type DKIMLine struct {
	Message string `json:"message,omitempty"`
	dkim.Result
	// FromDomain is the message's From domain, which the text output
	// compares d= with; not part of the JSON (the result's "aligned" is).
	FromDomain string `json:"-"`
}

// WriteDKIM writes c in o.Format: json (one DKIMLine per line, the
// message's findings on the first) or text (per signature the result and
// why, the alignment with From and the findings with their fixes; with
// Quiet the result lines only; with Verbose i=, h=, the key record,
// go-msgauth's own verdict and the query log).
func WriteDKIM(w io.Writer, c DKIMCheck, o Options) error {
	f, err := o.format("dkim", FormatText, FormatJSON)
	if err != nil {
		return err
	}
	if f == FormatJSON {
		for i, l := range c.Lines {
			if i == 0 {
				l.Findings = append(append([]Finding{}, l.Findings...), c.Findings...)
			}
			if err := writeJSONLine(w, l); err != nil {
				return err
			}
		}
		return nil
	}
	c = safeValue(c)
	t := &textWriter{w: w, o: o.TextOptions}
	if c.Path != "" && !o.Quiet {
		n := 0
		for _, l := range c.Lines {
			if l.Domain != "" || l.Result.Result != dkim.StatusNone {
				n++
			}
		}
		t.printf("DKIM %s: %d signature(s)\n\n", c.Path, n)
	}
	for i, l := range c.Lines {
		t.dkimLine(l, c.KeyCheck)
		if i < len(c.Lines)-1 && !o.Quiet {
			t.printf("\n")
		}
	}
	if len(c.Findings) > 0 && !o.Quiet {
		t.printf("\nMessage:\n")
		t.dkimFindings(c.Findings, "")
	}
	if o.Verbose {
		t.printf("\n")
		t.queryLog(o.Queries)
	}
	return t.err
}

// dkimLine writes one signature; l has been through Safe.
func (t *textWriter) dkimLine(l DKIMLine, keyCheck bool) {
	res := l.Result
	label := string(res.Result)
	if res.Assumed {
		label += " (assumed)"
	}
	switch {
	case keyCheck:
		t.printf("%-9s key %s", label, res.KeyRecord)
	case res.Domain == "" && res.Selector == "" && res.Result == dkim.StatusNone:
		t.printf("%-9s no DKIM-Signature", label)
	default:
		t.printf("%-9s d=%s s=%s", label, res.Domain, res.Selector)
	}
	var facts []string
	if res.Algorithm != "" {
		facts = append(facts, res.Algorithm)
	}
	if res.KeyBits > 0 {
		facts = append(facts, fmt.Sprintf("%d-bit key", res.KeyBits))
	}
	if res.Canonicalization != "" {
		facts = append(facts, res.Canonicalization)
	}
	if res.Simulated {
		facts = append(facts, "simulated")
	}
	if res.HeadersOnly {
		facts = append(facts, "headers only")
	}
	if len(facts) > 0 {
		t.printf("  (%s)", strings.Join(facts, ", "))
	}
	t.printf("\n")
	if t.o.Quiet {
		return
	}
	t.printf("  %s\n", Prose(res.Reason))
	for i, l := range t.publicRecord(res.KeyRecord, res.PublicRecord) {
		if i == 1 {
			t.verbatim(4, l) // the zone line: copied whole
		} else {
			t.printf("  %s\n", l)
		}
	}
	if res.Aligned != nil {
		how := "is not aligned with"
		if *res.Aligned {
			how = "is aligned with"
		}
		t.printf("  d=%s %s the From domain %s (relaxed: organizational domains compared)\n", res.Domain, how, l.FromDomain)
	}
	if t.o.Verbose {
		if res.Identifier != "" {
			t.printf("  i=%s\n", res.Identifier)
		}
		if len(res.Headers) > 0 {
			t.printf("  signed headers: %s\n", strings.Join(res.Headers, ":"))
		}
		if res.KeyText != "" {
			t.printf("  key record: %s\n", quoted(res.KeyText))
		}
		if res.Library != "" {
			t.printf("  go-msgauth: %s\n", res.Library)
		}
	}
	t.dkimFindings(res.Findings, res.Reason)
}

// publicRecord is the record to publish at name, when there is one: a
// lead-in, the zone line (TXTLine; never wrapped: it is one atom), and
// when the record had to be split, a line that says so.
func (t *textWriter) publicRecord(name, text string) []string {
	if text == "" {
		return nil
	}
	line, n := TXTLine(name, Safe(text))
	out := []string{t.tr("publish this record (it matches the private key):"), line}
	if n > 1 {
		out = append(out, t.tr("(split into %d quoted strings of at most 255 bytes: one TXT string holds no more; receivers join them without spaces)", n))
	}
	return out
}

// dkimFindings writes findings under a signature (or the message) with
// their fixes; an error the reason above already states shows its fix only.
func (t *textWriter) dkimFindings(fs []Finding, reason string) {
	for _, f := range fs {
		f.Detail, f.Fix = Prose(f.Detail), Prose(f.Fix)
		if f.Severity == SeverityError && f.Detail == Prose(reason) {
			t.printf("  fix: %s\n", f.Fix)
			continue
		}
		t.printf("  %s: %s\n", f.Severity, f.Title)
		if (t.o.Verbose || f.Fix == "") && f.Detail != "" {
			t.printf("    %s\n", f.Detail)
		}
		if f.Fix != "" {
			t.printf("    fix: %s\n", f.Fix)
		}
	}
}
