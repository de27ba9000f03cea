package report

import (
	"fmt"
	"io"
	"strings"
)

// TextOptions tune the text renderer.
type TextOptions struct {
	Color   bool // ANSI colour (the caller decides: TTY, NO_COLOR, --color)
	Verbose bool // every DNS query, every receiver rule with its provenance
	Quiet   bool // the verdict line only
	Width   int  // wrap long lines at this width (0: 100)
}

const (
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

type textWriter struct {
	w   io.Writer
	o   TextOptions
	err error
}

func (t *textWriter) paint(code, s string) string {
	if !t.o.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

// line writes one logical line, wrapped at the width with a hanging indent
// that matches the line's leading spaces (plus hang).
func (t *textWriter) line(indent int, hang int, s string) {
	if t.err != nil {
		return
	}
	width := t.width()
	prefix := strings.Repeat(" ", indent)
	cont := strings.Repeat(" ", indent+hang)
	// Split on single spaces so that runs of spaces (label padding) stay.
	words := strings.Split(strings.TrimRight(s, " "), " ")
	var b strings.Builder
	b.WriteString(prefix)
	col := indent
	for i, w := range words {
		wl := visibleLen(w)
		switch {
		case i == 0:
		case w != "" && col+1+wl > width && col > len(cont):
			b.WriteString("\n" + cont)
			col = len(cont)
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += wl
	}
	b.WriteByte('\n')
	_, t.err = io.WriteString(t.w, b.String())
}

// width is the width lines wrap at.
func (t *textWriter) width() int {
	if t.o.Width <= 0 {
		return 100
	}
	return t.o.Width
}

// visibleLen is the display width of s without ANSI sequences (runes, not
// bytes; wide CJK characters count as one — good enough for wrapping).
func visibleLen(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case r == 0x1b:
			esc = true
		case esc && r == 'm':
			esc = false
		case !esc:
			n++
		}
	}
	return n
}

// VerdictLine is the one-line verdict of a report, as -q prints it.
func VerdictLine(r *Report) string {
	name := r.Verdict.DisplayName()
	if r.Error != "" {
		return fmt.Sprintf("! %s: cannot be checked: %s", Safe(pathOr(r)), Safe(r.Error))
	}
	if line, ok := matrixVerdictLine(r); ok {
		return line // matrix.go: several verdicts, or alternatives
	}
	switch r.Verdict.Disposition {
	case DispositionReject:
		reply := r.Verdict.SMTPReply
		if p := r.Verdict.Probability; p > 0 && p < 1 {
			return fmt.Sprintf("✗ %s would reject %.0f%% of such messages: %s", name, p*100, Safe(reply))
		}
		return fmt.Sprintf("✗ %s would reject this message: %s", name, Safe(reply))
	case DispositionQuarantine:
		return fmt.Sprintf("⚠ %s would accept this message but deliver it to spam (DMARC quarantine)", name)
	case DispositionDefer:
		return fmt.Sprintf("? %s: no verdict — a temporary DNS failure; the receiver would defer (4xx) or decide without it", name)
	case DispositionUnknown:
		return fmt.Sprintf("? %s: no verdict — %s", name, Safe(r.Verdict.Summary))
	}
	if r.DMARC.Result == "pass" {
		return fmt.Sprintf("✓ %s would accept this message: DMARC passes", name)
	}
	return fmt.Sprintf("✓ %s would accept this message as far as authentication goes (DMARC %s)", name, orDash(r.DMARC.Result))
}

func pathOr(r *Report) string {
	if r.Message.Path == "" {
		return "plan"
	}
	return r.Message.Path
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// WriteText writes the human explanation of one report: the verdict, the
// From domain and its policy, SPF, each DKIM signature, the fixes, then
// warnings, assumptions and the DNS summary.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	r = SafeCopy(r) // every string from a message or DNS is untrusted
	t := &textWriter{w: w, o: o}
	v := VerdictLine(r)
	color := ansiGreen
	switch {
	case strings.HasPrefix(v, "✗"):
		color = ansiRed
	case strings.HasPrefix(v, "⚠"), strings.HasPrefix(v, "?"), strings.HasPrefix(v, "!"):
		color = ansiYellow
	}
	// The verdict line is not wrapped: the SMTP reply is copied whole.
	_, t.err = fmt.Fprintln(w, t.paint(ansiBold+color, v))
	if len(r.Verdicts) > 1 && r.Error == "" {
		t.writeMatrixText(r) // matrix.go
	}
	if o.Quiet || r.Error != "" {
		return t.err
	}
	if r.Message.Path != "" {
		t.line(2, 2, t.paint(ansiDim, "message: "+Safe(r.Message.Path)+subjectOf(r)))
	}
	t.line(0, 0, "")

	// From and policy.
	from := Safe(r.Message.From)
	if from == "" {
		from = Safe(r.Message.FromDomain)
	}
	t.line(0, 9, fmt.Sprintf("From:    %s", orDash(from)))
	t.block("DMARC:", dmarcLine(r))
	if a := r.DMARC.Alternative; a != nil {
		org := "organizational domain " + a.OrgDomain
		if a.OrgDomainUnknown {
			org = "organizational domain could not be determined"
		}
		line := fmt.Sprintf("(%s discovery would find %s at _dmarc.%s, %s)", a.Discovery, quoteOrNone(a.Record), a.RecordDomain, org)
		if a.Status == "temperror" {
			line = fmt.Sprintf("(%s discovery could not be determined: a temporary DNS failure at _dmarc.%s)", a.Discovery, a.RecordDomain)
		}
		t.line(9, 2, line)
	}
	t.block("SPF:", spfLine(r))
	for _, p := range r.SPF.PerIP {
		if len(r.SPF.PerIP) > 1 {
			t.line(9, 2, fmt.Sprintf("%s: %s %s", p.IP, p.Result, Safe(p.Mechanism)))
		}
	}
	if len(r.DKIM) == 0 {
		t.line(0, 9, "DKIM:    none — the message carries no DKIM signature")
	}
	for _, d := range r.DKIM {
		t.block("DKIM:", dkimLine(d))
	}
	if r.Verdict.Summary != "" {
		t.line(0, 9, "Verdict: "+Safe(r.Verdict.Summary))
	}

	if len(r.Fixes) > 0 {
		t.line(0, 0, "")
		head := "Fix — any one of these is enough:"
		if len(r.Fixes) == 1 {
			head = "Fix:"
		}
		t.line(0, 0, t.paint(ansiBold, head))
		for i, f := range r.Fixes {
			t.line(2, 3, fmt.Sprintf("%d. %s", i+1, Safe(capitalize(f.Title))))
			for _, s := range f.Steps {
				t.line(5, 2, Safe(s))
			}
			for _, rec := range f.Records {
				t.line(7, 2, t.paint(ansiDim, Safe(rec)))
			}
		}
	}

	var errs, warns, infos []Finding
	for _, f := range r.Findings {
		if f.Detail == r.Verdict.Summary {
			continue // the verdict above already says it
		}
		switch f.Severity {
		case SeverityError:
			errs = append(errs, f)
		case SeverityWarn:
			warns = append(warns, f)
		default:
			infos = append(infos, f)
		}
	}
	// The DMARC failure itself is told by the fixes above.
	var rest []Finding
	for _, f := range errs {
		if f.ID != "dmarc.no-aligned-pass" || len(r.Fixes) == 0 {
			rest = append(rest, f)
		}
	}
	t.findings("Problems:", ansiRed, "✗", rest, true)
	t.findings("Warnings:", ansiYellow, "!", warns, true)
	if o.Verbose {
		t.findings("Notes:", "", "·", infos, false)
	}

	if len(r.Assumptions) > 0 {
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiBold, "Assumptions:"))
		for _, a := range r.Assumptions {
			t.line(2, 2, "- "+Safe(a))
		}
	}
	if o.Verbose && len(r.Verdict.Rules) > 0 {
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiBold, "Receiver rules applied:"))
		for _, ru := range r.Verdict.Rules {
			t.line(2, 4, fmt.Sprintf("- %s [%s, %s confidence] %s", ru.ID, ru.Provenance, ru.Confidence, Safe(ru.Text)))
		}
	}
	t.line(0, 0, "")
	dns := fmt.Sprintf("DNS: %d queries", r.DNS.Queries)
	if r.DNS.Lookups != r.DNS.Queries {
		dns += fmt.Sprintf(" (%d lookups, the rest from cache)", r.DNS.Lookups)
	}
	dns += fmt.Sprintf(", %d ms", r.DNS.ElapsedMS)
	if r.DNS.Failures > 0 {
		dns += fmt.Sprintf(", %d temporary failure(s)", r.DNS.Failures)
	}
	if r.Verdict.Confidence != "" {
		dns += fmt.Sprintf(" · confidence: %s", r.Verdict.Confidence)
	}
	t.line(0, 0, t.paint(ansiDim, dns))
	if o.Verbose {
		for _, q := range r.DNS.Log {
			cached := ""
			if q.Cached {
				cached = " (cached)"
			}
			t.line(2, 4, t.paint(ansiDim, fmt.Sprintf("%s %s → %s %s %s%s", q.Name, q.Type, q.Status, Safe(strings.Join(q.Answers, " | ")), q.Source, cached)))
		}
	}
	return t.err
}

// block writes a labelled group of lines: the label in a 9-column gutter.
func (t *textWriter) block(label string, lines []string) {
	for i, l := range lines {
		if i == 0 {
			t.line(0, 9, fmt.Sprintf("%-9s%s", label, l))
		} else {
			t.line(9, 2, l)
		}
	}
}

func (t *textWriter) findings(head, color, mark string, fs []Finding, fix bool) {
	if len(fs) == 0 {
		return
	}
	t.line(0, 0, "")
	t.line(0, 0, t.paint(ansiBold, head))
	for _, f := range fs {
		t.line(2, 2, t.paint(color, mark)+" "+Safe(f.Title)+t.paint(ansiDim, " ["+f.ID+"]"))
		if f.Detail != "" {
			t.line(4, 0, Safe(f.Detail))
		}
		if fix && f.Fix != "" {
			t.line(4, 5, "Fix: "+Safe(f.Fix))
		}
	}
}

func subjectOf(r *Report) string {
	if r.Message.Subject == "" {
		return ""
	}
	return " — " + Safe(r.Message.Subject)
}

func quoteOrNone(s string) string {
	if s == "" {
		return "no record"
	}
	return quoted(s)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func dmarcLine(r *Report) []string {
	d := r.DMARC
	var first string
	switch {
	case d.Record != "":
		first = fmt.Sprintf("%s under %s=%s — record at _dmarc.%s", orDash(d.Result), orDash(d.PolicyTag), orDash(d.Policy), d.RecordDomain)
		if d.OrgDomain != "" {
			first += fmt.Sprintf(", organizational domain %s", d.OrgDomain)
		}
	case d.Error != "":
		first = fmt.Sprintf("%s — %s", orDash(d.Result), Safe(d.Error))
	case d.RecordDomain == "":
		return []string{orDash(d.Result) + " — " + Safe(d.Explanation)}
	default:
		first = orDash(d.Result) + " — no DMARC record"
	}
	lines := []string{first}
	if d.Record != "" {
		lines = append(lines, quoted(d.Record))
	}
	if d.Explanation != "" {
		lines = append(lines, Safe(d.Explanation))
	}
	return lines
}

func spfLine(r *Report) []string {
	s := r.SPF
	if s.Result == "" {
		return []string{"not evaluated — " + Safe(s.Explanation)}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s for %s", s.Result, orDash(s.Domain))
	var paren []string
	switch {
	case s.Assumed:
		paren = append(paren, "assumed: no sending IP given")
	case len(s.PerIP) > 1:
		worst := s.PerIP[0].IP
		for _, p := range s.PerIP {
			if p.Result == s.Result {
				worst = p.IP
				break
			}
		}
		fmt.Fprintf(&b, " from %s", worst)
		paren = append(paren, fmt.Sprintf("the worst of %d sending IPs", len(s.PerIP)))
	case len(r.Envelope.IPs) > 0:
		fmt.Fprintf(&b, " from %s", strings.Join(r.Envelope.IPs, ", "))
	}
	if s.Mechanism != "" {
		paren = append(paren, "matched "+Safe(s.Mechanism))
	}
	paren = append(paren, fmt.Sprintf("%d of 10 DNS lookups", s.Lookups))
	fmt.Fprintf(&b, " (%s)", strings.Join(paren, "; "))
	if s.Error != "" {
		fmt.Fprintf(&b, ": %s", Safe(s.Error))
	}
	lines := []string{b.String()}
	if s.Alignment != "" {
		lines = append(lines, "↳ "+Safe(s.Alignment))
	}
	return lines
}

func dkimLine(d DKIM) []string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s d=%s s=%s", d.Result, Safe(d.Domain), Safe(d.Selector))
	var tags []string
	if d.Algorithm != "" {
		tags = append(tags, d.Algorithm)
	}
	if d.KeyBits > 0 {
		tags = append(tags, fmt.Sprintf("%d bits", d.KeyBits))
	}
	switch {
	case d.HeadersOnly && d.Assumed:
		tags = append(tags, "ASSUMED: body not returned")
	case d.HeadersOnly:
		tags = append(tags, "headers only")
	case d.Assumed:
		tags = append(tags, "ASSUMED: the ESP will sign")
	}
	if d.Simulated {
		tags = append(tags, "simulated with --dkim-key")
	}
	if len(tags) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(tags, ", "))
	}
	lines := []string{b.String()}
	if d.Result != "pass" || d.Assumed || d.Simulated {
		lines = append(lines, Safe(d.Reason))
	}
	if d.Alignment != "" {
		lines = append(lines, "↳ "+Safe(d.Alignment))
	}
	if d.Result == "pass" && !d.Counted && d.Note != "" {
		lines = append(lines, "not counted by the receiver: "+Safe(d.Note))
	}
	return lines
}
