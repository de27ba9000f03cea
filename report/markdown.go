package report

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownOptions tune the Markdown renderer.
type MarkdownOptions struct {
	// Title is the top heading; "" gives "preflight report".
	Title string
	// NoDNS leaves out the DNS evidence tables (the query log).
	NoDNS bool
}

// NewMarkdownRenderer returns a Renderer that writes GitHub-flavoured
// Markdown for a support ticket or an issue: a verdict table with one row
// per message (file, From domain, verdict, DMARC, SPF, DKIM), then for each
// message its findings with their fixes, the fixes with the DNS records to
// publish, the assumptions, and the DNS evidence. It buffers the reports
// and writes everything on Close.
//
// Every string from a message or from DNS is escaped for its place: plain
// text has Markdown and HTML punctuation backslash-escaped or written as
// entities, code spans get a backtick fence longer than any backtick run
// inside, table cells have | escaped, and control characters and
// bidirectional overrides are shown as \x1b-style escapes (Safe), so a
// crafted Subject or TXT record can neither break the layout nor inject
// HTML, links or a terminal escape.
func NewMarkdownRenderer(w io.Writer, o MarkdownOptions) Renderer {
	return &markdownRenderer{w: w, o: o}
}

type markdownRenderer struct {
	w    io.Writer
	o    MarkdownOptions
	reps []*Report
}

func (m *markdownRenderer) Add(r *Report) error {
	m.reps = append(m.reps, r)
	return nil
}

func (m *markdownRenderer) Close() error {
	var b strings.Builder
	title := m.o.Title
	if title == "" {
		title = "preflight report"
	}
	fmt.Fprintf(&b, "# %s\n\n", mdText(title))
	if len(m.reps) == 0 {
		b.WriteString("No messages checked.\n")
		_, err := io.WriteString(m.w, b.String())
		return err
	}
	m.summary(&b)
	for i, r := range m.reps {
		m.message(&b, i+1, r)
	}
	_, err := io.WriteString(m.w, b.String())
	return err
}

func (m *markdownRenderer) summary(b *strings.Builder) {
	receivers := map[string]string{} // ID → display name
	for _, r := range m.reps {
		if r.Verdict.Receiver != "" {
			receivers[r.Verdict.Receiver] = r.Verdict.DisplayName()
		}
	}
	if len(receivers) == 1 {
		for _, name := range receivers {
			fmt.Fprintf(b, "Receiver: %s.\n\n", mdText(name))
		}
	}
	b.WriteString("| # | File | From domain | Verdict | DMARC | SPF | DKIM |\n")
	b.WriteString("|---:|---|---|---|---|---|---|\n")
	for i, r := range m.reps {
		cells := []string{
			fmt.Sprintf("[%d](#m%d)", i+1, i+1),
			mdCode(pathOr(r), true),
			mdCode(r.Message.FromDomain, true),
			mdCell(shortVerdict(r)),
			mdCell(dmarcCell(r)),
			mdCell(spfCell(r)),
			mdCell(dkimCell(r)),
		}
		if r.Error != "" {
			cells[3] = mdCell("not checked")
			cells[4], cells[5], cells[6] = "", "", ""
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

func (m *markdownRenderer) message(b *strings.Builder, n int, r *Report) {
	// An explicit anchor: headings' generated IDs depend on the renderer,
	// and the text is untrusted.
	fmt.Fprintf(b, "<a id=\"m%d\"></a>\n\n## %d. %s\n\n", n, n, mdCode(pathOr(r), false))
	fmt.Fprintf(b, "**Verdict:** %s\n\n", mdText(VerdictLine(r)))
	if r.Error != "" {
		return
	}
	writeMatrixMarkdown(b, r)
	var facts []string
	add := func(label, value string) {
		if value != "" {
			facts = append(facts, fmt.Sprintf("- %s: %s", label, value))
		}
	}
	add("Subject", mdText(r.Message.Subject))
	add("From", mdCode(r.Message.From, false))
	mf := mdCode(r.Envelope.MailFrom, false)
	if mf != "" && r.Envelope.MailFromSource != "" {
		mf += " (" + mdText(r.Envelope.MailFromSource) + ")"
	}
	add("MAIL FROM", mf)
	var ips []string
	for _, ip := range r.Envelope.IPs {
		ips = append(ips, mdCode(ip, false))
	}
	add("Sending IPs", strings.Join(ips, ", "))
	add("DMARC", mdText(dmarcCell(r)))
	if r.DMARC.Record != "" {
		add("DMARC record", mdCode(r.DMARC.Record, false)+" at "+mdCode("_dmarc."+r.DMARC.RecordDomain, false))
	}
	add("SPF", mdText(spfCell(r)))
	if r.SPF.Alignment != "" {
		add("SPF alignment", mdText(r.SPF.Alignment))
	}
	for _, d := range r.DKIM {
		add("DKIM", mdText(dkimOne(d)))
		if d.Alignment != "" {
			add("DKIM alignment", mdText(d.Alignment))
		}
	}
	if r.Verdict.Summary != "" {
		add("Why", mdText(r.Verdict.Summary))
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, "\n") + "\n\n")
	}

	if len(r.Findings) > 0 {
		b.WriteString("### Findings\n\n")
		for _, f := range r.Findings {
			fmt.Fprintf(b, "- **%s** %s %s\n", mdText(string(f.Severity)), mdCode(f.ID, false), mdText(f.Title))
			if f.Detail != "" {
				fmt.Fprintf(b, "  %s\n", mdText(f.Detail))
			}
			if f.Fix != "" {
				fmt.Fprintf(b, "  **Fix:** %s\n", mdText(f.Fix))
			}
		}
		b.WriteString("\n")
	}

	writeFixesMarkdown(b, r) // fixes.go

	if len(r.Assumptions) > 0 {
		b.WriteString("### Assumptions\n\n")
		for _, a := range r.Assumptions {
			fmt.Fprintf(b, "- %s\n", mdText(a))
		}
		b.WriteString("\n")
	}

	if m.o.NoDNS {
		return
	}
	b.WriteString("### DNS evidence\n\n")
	fmt.Fprintf(b, "%d lookups", r.DNS.Lookups)
	if r.DNS.Queries != r.DNS.Lookups {
		fmt.Fprintf(b, " (%d sent to DNS, the rest answered from cache)", r.DNS.Queries)
	}
	fmt.Fprintf(b, ", %d ms", r.DNS.ElapsedMS)
	if r.DNS.Failures > 0 {
		fmt.Fprintf(b, ", %d temporary failure(s)", r.DNS.Failures)
	}
	b.WriteString(".\n\n")
	if len(r.DNS.Log) == 0 {
		return
	}
	b.WriteString("| Name | Type | Status | Answers | Source |\n|---|---|---|---|---|\n")
	for _, q := range r.DNS.Log {
		var ans []string
		for _, a := range q.Answers {
			ans = append(ans, mdCode(a, true))
		}
		status := q.Status
		if q.Rcode != "" && !strings.EqualFold(q.Rcode, q.Status) {
			status += " (" + q.Rcode + ")"
		}
		src := q.Source
		if q.Cached {
			src = strings.TrimSpace(src + " (cached)")
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdCode(q.Name, true), mdCell(q.Type), mdCell(status), strings.Join(ans, "<br>"), mdCell(src))
	}
	b.WriteString("\n")
}

// shortVerdict is the verdict cell: the disposition and, for a
// rejection, the SMTP reply's code.
func shortVerdict(r *Report) string {
	v := r.Verdict
	switch v.Disposition {
	case DispositionReject:
		s := "✗ reject"
		if p := v.Probability; p > 0 && p < 1 {
			s += fmt.Sprintf(" (%.0f%%)", p*100)
		}
		if code, _, ok := strings.Cut(v.SMTPReply, " "); ok {
			s += " " + code
		}
		return s
	case DispositionQuarantine:
		return "⚠ spam folder"
	case DispositionDefer:
		return "? defer (DNS)"
	case DispositionUnknown:
		return "? unknown"
	case DispositionAccept:
		return "✓ accept"
	}
	return orDash(string(v.Disposition))
}

func dmarcCell(r *Report) string {
	d := r.DMARC
	switch {
	case d.Record != "":
		return fmt.Sprintf("%s (%s=%s)", orDash(d.Result), orDash(d.PolicyTag), orDash(d.Policy))
	case d.Error != "":
		return orDash(d.Result) + ": " + d.Error
	}
	return orDash(d.Result) + " (no record)"
}

func spfCell(r *Report) string {
	s := r.SPF
	if s.Result == "" {
		return "not evaluated"
	}
	out := s.Result + " for " + orDash(s.Domain)
	switch {
	case s.Assumed:
		out += " (assumed)"
	}
	if s.Aligned {
		return out + ", aligned"
	}
	return out + ", not aligned"
}

func dkimOne(d DKIM) string {
	s := fmt.Sprintf("%s d=%s s=%s", orDash(d.Result), d.Domain, d.Selector)
	switch {
	case d.Assumed:
		s += " (assumed)"
	case d.Simulated:
		s += " (simulated)"
	}
	if d.Aligned {
		s += ", aligned"
	} else {
		s += ", not aligned"
	}
	if d.Result == "pass" && !d.Counted {
		s += ", not counted"
	}
	return s
}

func dkimCell(r *Report) string {
	if len(r.DKIM) == 0 {
		return "none"
	}
	var parts []string
	for _, d := range r.DKIM {
		parts = append(parts, dkimOne(d))
	}
	return strings.Join(parts, "; ")
}

// mdText escapes untrusted text for Markdown inline content: control
// characters via Safe, then every character that CommonMark or GitHub
// treat as markup. < > & become entities (no raw HTML, no entity
// smuggling); other punctuation is backslash-escaped; tabs become spaces
// (a tab can start an indented code block).
func mdText(s string) string {
	// Leading blanks could make an indented code block of a line.
	s = strings.TrimLeft(Safe(s), " \t")
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\t':
			b.WriteByte(' ')
		case '\\', '`', '*', '_', '[', ']', '|', '~', '$':
			// Emphasis, code, links and images (no '[' → no link), table
			// cells, strikethrough, GitHub's $math$.
			b.WriteByte('\\')
			b.WriteRune(r)
		case '#', '+', '-', '=':
			// Markup only at the start (a heading, a list item, a setext
			// underline): escaped there only, to keep the text readable.
			if i == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	// A leading "1." or "1)" would start an ordered list.
	if n := leadingDigits(out); n > 0 && n < len(out) && (out[n] == '.' || out[n] == ')') {
		out = out[:n] + "\\" + out[n:]
	}
	return out
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// mdCell is mdText for a table cell (the same escaping: | is already
// escaped, newlines cannot occur after Safe).
func mdCell(s string) string { return mdText(s) }

// mdCode writes s as a code span: Safe, tabs as spaces, a backtick fence
// longer than the longest backtick run inside, padding when s starts or
// ends with a backtick. In a table cell, | is escaped as \| (GFM reads the
// table's pipes before code spans, and unescapes \| inside them). An empty
// s gives "".
func mdCode(s string, inTable bool) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(Safe(s), "\t", " ")
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdURL writes an http(s) URL as an autolink (<https://…>, clickable) when
// it is made only of characters that CommonMark and GFM read literally
// there (printable ASCII without space, <, >, backslash, backtick, quotes
// or |); any other string is written as mdCode writes it. Either way the
// reader sees exactly the URL the bounce gave.
func mdURL(s string, inTable bool) string {
	plain := !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune("<>\\`|\"'", r)
	})
	if plain && (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) {
		return "<" + s + ">"
	}
	return mdCode(s, inTable)
}
