package report

import (
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ---- CSV ----

// domainCSV writes a header row, then one row per domain (RFC 4180: CRLF
// line ends, fields with commas, quotes or line breaks quoted by
// encoding/csv). Every cell goes through csvCell.
type domainCSV struct {
	w      *csv.Writer
	o      DomainOptions
	header bool
}

func newDomainCSV(w io.Writer, o DomainOptions) *domainCSV {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &domainCSV{w: cw, o: o}
}

// DomainCSVHeader is the header row of `preflight domain --format csv` for
// the given receivers: one "<receiver>_if_dmarc_fails" column each.
func DomainCSVHeader(receivers []string) []string {
	h := []string{"domain", "input", "status", "summary", "exists",
		"dmarc", "dmarc_policy", "dmarc_policy_tag", "dmarc_record_domain", "dmarc_record", "dmarc_rfc9989_differs", "dmarc_reports_unauthorized",
		"spf", "spf_lookups", "spf_void_lookups", "spf_all", "spf_record",
		"mx", "mx_hosts", "dkim", "bimi", "mta_sts", "tls_rpt"}
	for _, r := range receivers {
		h = append(h, r+"_if_dmarc_fails")
	}
	return append(h, "errors", "warnings", "findings", "error")
}

func (c *domainCSV) writeHeader() {
	if !c.header {
		c.header = true
		h := DomainCSVHeader(c.o.Receivers)
		for i := range h {
			h[i] = csvCell(h[i])
		}
		c.w.Write(h)
	}
}

func (c *domainCSV) Add(a *DomainAudit) error {
	c.writeHeader()
	var unauth, dkims, ids []string
	for _, r := range a.DMARC.Reports {
		if r.Authorization == "unauthorized" {
			unauth = append(unauth, r.URI)
		}
	}
	tried := false
	for _, k := range a.DKIM {
		tried = true
		if k.Status != "none" {
			dkims = append(dkims, k.Selector+"="+k.Status)
		}
	}
	if tried && len(dkims) == 0 {
		dkims = []string{"none"}
	}
	errs, warns := 0, 0
	for _, f := range a.Findings {
		ids = append(ids, f.ID)
		switch f.Severity {
		case SeverityError:
			errs++
		case SeverityWarn:
			warns++
		}
	}
	differs := ""
	if a.DMARC.Status != "" {
		differs = strconv.FormatBool(!a.DMARC.Agree)
	}
	num := func(n int, set bool) string {
		if !set {
			return ""
		}
		return strconv.Itoa(n)
	}
	spfSet := a.SPF.Status == "found"
	row := []string{a.Domain, a.Input, a.Status, a.Summary, a.Exists,
		a.DMARC.Status, a.DMARC.Policy, a.DMARC.PolicyTag, a.DMARC.RecordDomain, a.DMARC.Record, differs, strings.Join(unauth, " "),
		a.SPF.Status, num(a.SPF.Lookups, spfSet), num(max(a.SPF.VoidLookups4, a.SPF.VoidLookups6), spfSet), a.SPF.All, a.SPF.Record,
		a.MX.Status, strings.Join(a.MX.Hosts, " "), strings.Join(dkims, " "), a.BIMI.Status, a.MTASTS.Status, a.TLSRPT.Status}
	for _, name := range c.o.Receivers {
		cell := ""
		for _, r := range a.Receivers {
			if r.Receiver == name {
				cell = string(r.Disposition)
			}
		}
		row = append(row, cell)
	}
	row = append(row, strconv.Itoa(errs), strconv.Itoa(warns), strings.Join(ids, " "), a.Error)
	for i := range row {
		row[i] = csvCell(row[i])
	}
	c.w.Write(row)
	c.w.Flush()
	return c.w.Error()
}

func (c *domainCSV) Close() error {
	c.writeHeader()
	c.w.Flush()
	return c.w.Error()
}

// csvCell makes an untrusted string safe for a CSV cell opened in a
// spreadsheet: control characters shown as escapes (Safe), and a cell that
// starts with = + - @ (or a tab or CR, which some spreadsheets skip before
// one) prefixed with a single quote, so that it is read as text, never as
// a formula (OWASP "CSV injection"). Quoting is encoding/csv's.
func csvCell(s string) string {
	s = Safe(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ---- Markdown ----

// domainMarkdown writes a table with one row per domain, then a section
// per domain with its records, the receivers' outcomes and the findings,
// all through mdText, mdCell and mdCode. It writes on Close.
type domainMarkdown struct {
	w      io.Writer
	o      DomainOptions
	audits []*DomainAudit
}

func (m *domainMarkdown) Add(a *DomainAudit) error {
	m.audits = append(m.audits, a)
	return nil
}

func (m *domainMarkdown) Close() error {
	var b strings.Builder
	b.WriteString("# preflight domain audit\n\n")
	if len(m.audits) == 0 {
		b.WriteString("No domains audited.\n")
		_, err := io.WriteString(m.w, b.String())
		return err
	}
	head := []string{"", "Domain", "DMARC", "SPF", "MX", "DKIM", "BIMI", "MTA-STS", "TLS-RPT"}
	for _, id := range m.o.Receivers {
		name := id
		for _, a := range m.audits {
			for _, r := range a.Receivers {
				if r.Receiver == id {
					name = r.DisplayName()
				}
			}
		}
		head = append(head, mdCell(name+" if DMARC fails"))
	}
	fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for i, a := range m.audits {
		mark, _, _ := strings.Cut(DomainVerdictLine(a), " ")
		cells := []string{mark, fmt.Sprintf("[%s](#d%d)", mdText(DomainName(a)), i+1)}
		if a.Error != "" {
			cells = append(cells, mdCell("not audited: "+a.Error))
			for len(cells) < len(head) {
				cells = append(cells, "")
			}
		} else {
			cells = append(cells, mdCell(strings.TrimPrefix(dmarcPhrase(a), "DMARC ")), mdCell(strings.TrimPrefix(spfPhrase(a.SPF), "SPF ")),
				mdCell(strings.TrimPrefix(mxPhrase(a.MX), "MX ")),
				mdCell(dkimCellDomain(a)), mdCell(orDash(a.BIMI.Status)), mdCell(orDash(a.MTASTS.Status)), mdCell(orDash(a.TLSRPT.Status)))
			for _, name := range m.o.Receivers {
				cell := ""
				for _, r := range a.Receivers {
					if r.Receiver == name {
						cell = string(r.Disposition)
					}
				}
				cells = append(cells, mdCell(orDash(cell)))
			}
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
	for i, a := range m.audits {
		m.section(&b, i+1, a)
	}
	_, err := io.WriteString(m.w, b.String())
	return err
}

func dkimCellDomain(a *DomainAudit) string {
	var parts []string
	for _, k := range a.DKIM {
		if k.Status != "none" {
			parts = append(parts, k.Selector+" "+k.Status)
		}
	}
	if len(parts) == 0 && len(a.DKIM) > 0 {
		return "no key found"
	}
	return orDash(strings.Join(parts, ", "))
}

func (m *domainMarkdown) section(b *strings.Builder, n int, a *DomainAudit) {
	mark, _, _ := strings.Cut(DomainVerdictLine(a), " ")
	fmt.Fprintf(b, "<a id=\"d%d\"></a>\n\n## %s %s\n\n", n, mark, mdCode(DomainName(a), false))
	fmt.Fprintf(b, "**Verdict:** %s\n\n", mdText(a.Summary))
	if a.Error != "" {
		return
	}
	var facts []string
	add := func(label, value string) { facts = append(facts, fmt.Sprintf("- **%s:** %s", mdText(label), value)) }
	d := a.DMARC
	switch {
	case d.Record != "":
		add("DMARC", mdCode(d.Record, false)+" at "+mdCode("_dmarc."+d.RecordDomain, false)+" — "+mdText(dmarcPhrase(a)))
	default:
		add("DMARC", mdText(dmarcPhrase(a)))
	}
	if alt := d.Alternative; alt != nil {
		add("DMARC, RFC 9989 discovery", mdCode(orDash(alt.Record), false)+" at "+mdCode("_dmarc."+alt.RecordDomain, false))
	}
	for _, r := range d.Reports {
		add("DMARC "+r.Tag, mdCode(r.URI, false)+" — "+mdText(r.Authorization))
	}
	if a.Exists != "nxdomain" {
		if a.SPF.Record != "" {
			add("SPF", mdCode(a.SPF.Record, false)+" — "+mdText(fmt.Sprintf("%d of 10 DNS lookups; unlisted hosts get %s", a.SPF.Lookups, allWords(a.SPF.All))))
		} else {
			add("SPF", mdText(spfPhrase(a.SPF)))
		}
		var hosts []string
		for _, h := range a.MX.Hosts {
			hosts = append(hosts, mdCode(h, false))
		}
		add("MX", strings.TrimSpace(mdText(mxPhrase(a.MX))+" "+strings.Join(hosts, ", ")))
		add("DKIM", mdText(dkimCellDomain(a)))
		for _, x := range []struct {
			label string
			r     DomainTXT
		}{{"BIMI", a.BIMI}, {"MTA-STS", a.MTASTS}, {"TLS-RPT", a.TLSRPT}} {
			v := mdText(orDash(x.r.Status)) + " at " + mdCode(x.r.Name, false)
			for _, rec := range x.r.Records {
				v += " " + mdCode(rec, false)
			}
			if x.r.Problem != "" {
				v += " — " + mdText(x.r.Problem)
			}
			add(x.label, v)
		}
	}
	for _, r := range a.Receivers {
		add(r.DisplayName()+", if a message fails DMARC", mdText(ReceiverOutcome(a, r)+" (confidence: "+r.Confidence+")"))
	}
	b.WriteString(strings.Join(facts, "\n") + "\n\n")
	if len(a.Findings) > 0 {
		b.WriteString("### Findings\n\n")
		for _, f := range a.Findings {
			fmt.Fprintf(b, "- **%s** %s %s\n", mdText(string(f.Severity)), mdCode(f.ID, false), mdText(f.Title))
			if f.Detail != "" {
				fmt.Fprintf(b, "  %s\n", mdText(f.Detail))
			}
			if f.Fix != "" {
				fmt.Fprintf(b, "  **Fix:** %s\n", mdText(f.Fix))
			}
			for _, rec := range f.Records {
				fmt.Fprintf(b, "  %s\n", mdCode(rec, false))
			}
		}
		b.WriteString("\n")
	}
}

// ---- JUnit ----

// domainJUnit writes one <testcase> per domain: a <failure> when the audit
// reaches --fail-on, an <error> when it could not be done or is
// incomplete (exit 2 or 3), the findings in the body or <system-out>.
// Strings go through xmlText (Safe, then only XML 1.0 characters).
type domainJUnit struct {
	w    io.Writer
	o    DomainOptions
	s    junitSuite
	ms   int64
	init bool
}

func (j *domainJUnit) Add(a *DomainAudit) error {
	if !j.init {
		j.init, j.s.Name = true, "preflight domain"
	}
	c := junitCase{Name: xmlText(DomainName(a)), Classname: "preflight.domain", Time: seconds(a.DNS.ElapsedMS)}
	j.ms += a.DNS.ElapsedMS
	j.s.Tests++
	body := domainJUnitBody(a)
	switch {
	case a.Status == DomainError:
		j.s.Errors++
		c.Error = &junitProblem{Message: xmlText(a.Summary), Type: "not-audited", Body: body}
	case DomainFails(a, j.o.FailOn):
		j.s.Failures++
		c.Failure = &junitProblem{Message: xmlText(a.Summary), Type: a.Status, Body: body}
	case a.Status == DomainTempError:
		j.s.Errors++
		c.Error = &junitProblem{Message: xmlText(a.Summary), Type: "temperror", Body: body}
	default:
		c.SystemOut = body
	}
	j.s.Cases = append(j.s.Cases, c)
	return nil
}

func domainJUnitBody(a *DomainAudit) string {
	var b strings.Builder
	b.WriteString(DomainVerdictLine(a) + "\n")
	for _, r := range a.Receivers {
		fmt.Fprintf(&b, "%s, if a message fails DMARC: %s (confidence: %s)\n", Safe(r.DisplayName()), Safe(ReceiverOutcome(a, r)), r.Confidence)
	}
	if len(a.Findings) > 0 {
		b.WriteString("\nFindings:\n")
		for _, f := range a.Findings {
			fmt.Fprintf(&b, "- [%s] %s: %s\n", f.Severity, Safe(f.ID), Safe(f.Title))
			if f.Detail != "" {
				fmt.Fprintf(&b, "    %s\n", Safe(f.Detail))
			}
			if f.Fix != "" {
				fmt.Fprintf(&b, "    Fix: %s\n", Safe(f.Fix))
			}
			for _, rec := range f.Records {
				fmt.Fprintf(&b, "      %s\n", Safe(rec))
			}
		}
	}
	return xmlText(b.String())
}

func (j *domainJUnit) Close() error {
	if !j.init {
		j.s.Name = "preflight domain"
	}
	j.s.Time = seconds(j.ms)
	doc := junitSuites{Name: j.s.Name, Tests: j.s.Tests, Failures: j.s.Failures, Errors: j.s.Errors, Time: j.s.Time, Suites: []junitSuite{j.s}}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("report: encoding JUnit XML: %w", err)
	}
	_, err = fmt.Fprintf(j.w, "%s%s\n", xml.Header, out)
	return err
}

// ---- GitHub ----

// domainGitHub writes GitHub Actions annotations through ghCommand: an
// ::error for each audit that fails the build (it reaches --fail-on, or
// could not be done, or is incomplete), then one per finding at the level
// that matches the exit code: what fails the build is an ::error, other
// warnings are ::warning, notes ::notice.
type domainGitHub struct {
	w io.Writer
	o DomainOptions
}

func (g *domainGitHub) Add(a *DomainAudit) error {
	var b strings.Builder
	name := DomainName(a)
	if DomainFails(a, g.o.FailOn) || a.Status == DomainError || a.Status == DomainTempError {
		ghCommand(&b, "error", "", "preflight domain: "+name, Safe(a.Summary))
	}
	for _, f := range a.Findings {
		cmd := "notice"
		switch {
		case f.Severity == SeverityError:
			cmd = "error"
		case f.Severity == SeverityWarn && g.o.FailOn == "warn":
			cmd = "error"
		case f.Severity == SeverityWarn:
			cmd = "warning"
		}
		var msg []string
		if f.Detail != "" {
			msg = append(msg, Safe(f.Detail))
		}
		if f.Fix != "" {
			msg = append(msg, "Fix: "+Safe(f.Fix))
		}
		for _, rec := range f.Records {
			msg = append(msg, Safe(rec))
		}
		if len(msg) == 0 {
			msg = append(msg, Safe(f.Title))
		}
		ghCommand(&b, cmd, "", fmt.Sprintf("%s: %s [%s]", name, Safe(f.Title), Safe(f.ID)), strings.Join(msg, "\n"))
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *domainGitHub) Close() error { return nil }
