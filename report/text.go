package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextOptions tune the text renderer.
type TextOptions struct {
	Color   bool // ANSI colour (the caller decides: TTY, NO_COLOR, --color)
	Verbose bool // every DNS query, every receiver rule with its provenance
	Quiet   bool // the verdict line only
	Width   int  // wrap long lines at this width (0: 100)
	// Lang is the language of the text ("" is English). Chinese text
	// wraps between ideographs and counts them two columns wide.
	Lang Lang
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
	// rules translates the report's receiver rule texts (see ruleTexts).
	rules map[string]string
}

func (t *textWriter) paint(code, s string) string {
	if !t.o.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

// tr translates a catalogue message into the text's language (T).
func (t *textWriter) tr(key string, args ...any) string { return T(t.o.Lang, key, args...) }

// zh reports whether the text is Chinese.
func (t *textWriter) zh() bool { return t.o.Lang == LangZH }

// line writes one logical line, wrapped at the width with a hanging indent
// that matches the line's leading spaces (plus hang).
func (t *textWriter) line(indent int, hang int, s string) {
	if t.err != nil {
		return
	}
	if t.zh() {
		t.lineCJK(indent, hang, s)
		return
	}
	width := t.width()
	prefix := strings.Repeat(" ", indent)
	cont := strings.Repeat(" ", indent+hang)
	// Split on single spaces so that runs of spaces (label padding) stay;
	// a record or a command is one word (wrapWords).
	words := wrapWords(strings.TrimRight(s, " "))
	var b strings.Builder
	b.WriteString(prefix)
	col := indent
	for i, w := range words {
		wl := displayWidth(w)
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

// VerdictLine is the one-line verdict of a report, as -q prints it.
func VerdictLine(r *Report) string { return VerdictLineIn(LangEN, r) }

// VerdictLineIn is VerdictLine in language l.
func VerdictLineIn(l Lang, r *Report) string {
	name := receiverName(l, r)
	if r.Error != "" {
		return T(l, "! %s: cannot be checked: %s", Safe(pathIn(l, r)), Safe(Prose(r.Error)))
	}
	if line, ok := matrixVerdictLine(l, r); ok {
		return line // matrix.go: several verdicts, or alternatives
	}
	switch r.Verdict.Disposition {
	case DispositionReject:
		reply := Safe(r.Verdict.SMTPReply)
		if reply == "" {
			reply = T(l, "(reply text not documented)") // the profile knows the rejection, not its words
		}
		if p := r.Verdict.Probability; p > 0 && p < 1 {
			return T(l, "✗ %s would reject %.0f%% of such messages: %s", name, p*100, Safe(reply))
		}
		return T(l, "✗ %s would reject this message: %s", name, Safe(reply))
	case DispositionQuarantine:
		return T(l, "⚠ %s would accept this message but deliver it to spam (DMARC quarantine)", name)
	case DispositionDefer:
		return T(l, "? %s: no verdict — a temporary DNS failure; the receiver would defer (4xx) or decide without it", name)
	case DispositionUnknown:
		return T(l, "? %s: no verdict — %s", name, Safe(summaryIn(l, r)))
	}
	if r.DMARC.Result == "pass" {
		return T(l, "✓ %s would accept this message: DMARC passes", name)
	}
	return T(l, "✓ %s would accept this message as far as authentication goes (DMARC %s)", name, orDash(r.DMARC.Result))
}

func pathOr(r *Report) string { return pathIn(LangEN, r) }

// pathIn names what a report checked: its message's path, or the plan.
func pathIn(l Lang, r *Report) string {
	if r.Message.Path == "" {
		return T(l, "plan")
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
// warnings, assumptions and the DNS summary. In Chinese (o.Lang) each
// finding also says what it means and how to fix it in general, with the
// English detail kept as the original (英文原文), and a QQ Mail report that
// fails authentication ends its fixes with QQ's own guidance.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	r = SafeCopy(r) // every string from a message or DNS is untrusted
	t := &textWriter{w: w, o: o, rules: ruleTexts(o.Lang, r)}
	v := VerdictLineIn(o.Lang, r)
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
		t.line(2, 2, t.paint(ansiDim, t.tr("message: %s%s", Safe(t.loc(r.Message.Path)), subjectOf(r))))
	}
	t.line(0, 0, "")

	// From and policy.
	from := Safe(r.Message.From)
	if from == "" {
		from = Safe(r.Message.FromDomain)
	}
	t.block(t.tr("From:"), []string{orDash(from)})
	t.block("DMARC:", t.dmarcLine(r))
	if a := r.DMARC.Alternative; a != nil {
		org := t.tr("organizational domain %s", a.OrgDomain)
		if a.OrgDomainUnknown {
			org = t.tr("organizational domain could not be determined")
		}
		line := t.tr("(%s discovery would find %s at _dmarc.%s, %s)", a.Discovery, t.quoteOrNone(a.Record), a.RecordDomain, org)
		if a.Status == "temperror" {
			line = t.tr("(%s discovery could not be determined: a temporary DNS failure at _dmarc.%s)", a.Discovery, a.RecordDomain)
		}
		t.line(t.gutter(), 2, line)
	}
	t.block("SPF:", t.spfLine(r))
	for _, p := range r.SPF.PerIP {
		if len(r.SPF.PerIP) > 1 {
			t.line(t.gutter(), 2, fmt.Sprintf("%s: %s %s", p.IP, t.result(p.Result), Safe(p.Mechanism)))
		}
	}
	if len(r.DKIM) == 0 {
		none := t.tr("none — the message carries no DKIM signature")
		if r.Message.Path == "" {
			none = t.tr("none — there is no message (plan only); --expect-dkim D:S checks the key the ESP will sign with")
		}
		t.block("DKIM:", []string{none})
	}
	for _, d := range r.DKIM {
		t.block("DKIM:", t.dkimSig(d))
	}
	if r.Verdict.Summary != "" {
		t.block(t.tr("Verdict:"), []string{Safe(summaryIn(o.Lang, r))})
	}

	t.writeFixes(r) // fixes.go
	if t.zh() {
		t.guidance(r)
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
	t.findings(t.tr("Problems:"), ansiRed, "✗", rest, true)
	t.findings(t.tr("Warnings:"), ansiYellow, "!", warns, true)
	if o.Verbose {
		t.findings(t.tr("Notes:"), "", "·", infos, false)
	}

	if len(r.Assumptions) > 0 {
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiBold, t.tr("Assumptions:")))
		for _, a := range r.Assumptions {
			t.line(2, 2, "- "+Safe(t.loc(a)))
		}
	}
	if o.Verbose && len(r.Verdict.Rules) > 0 {
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiBold, t.tr("Receiver rules applied:")))
		for _, ru := range r.Verdict.Rules {
			t.line(2, 4, t.tr("- %s [%s, %s confidence] %s", ru.ID, word(o.Lang, ru.Provenance), word(o.Lang, ru.Confidence), Safe(t.loc(ru.Text))))
		}
	}
	t.line(0, 0, "")
	tail := ""
	if r.Verdict.Confidence != "" {
		tail = t.tr(" · confidence: %s", word(o.Lang, r.Verdict.Confidence))
	}
	t.dnsSummary(r.DNS, tail)
	return t.err
}

// step writes a step of a fix: prose wrapped at indent, and a command it
// ends in ("…, then check it with: preflight dkim …") on a line of its
// own, whole, to be copied.
func (t *textWriter) step(indent int, s string) {
	prose, cmd, ok := splitCommand(s)
	t.line(indent, 2, prose)
	if ok {
		t.verbatim(indent+2, cmd)
	}
}

// dnsSummary writes the closing DNS line of a report or an audit (one
// wording for every command), then with -v every query.
func (t *textWriter) dnsSummary(d DNS, tail string) {
	dns := t.tr("DNS: %d queries", d.Queries)
	if d.Queries == 1 {
		dns = t.tr("DNS: 1 query")
	}
	switch {
	case d.Lookups > d.Queries && d.Queries == 0:
		dns += t.tr(" (%d lookups, all from cache)", d.Lookups)
	case d.Lookups > d.Queries:
		dns += t.tr(" (%d lookups, the rest from cache)", d.Lookups)
	}
	dns += t.tr(", %d ms", d.ElapsedMS)
	if d.Failures > 0 {
		dns += t.tr(", %d temporary failure(s)", d.Failures)
	}
	t.line(0, 0, t.paint(ansiDim, dns+tail))
	if t.o.Verbose {
		for _, q := range d.Log {
			cached := ""
			if q.Cached {
				cached = t.tr(" (cached)")
			}
			// The answers are records: copied whole, never wrapped.
			t.verbatim(2, t.paint(ansiDim, fmt.Sprintf("%s %s → %s %s %s%s", Safe(q.Name), q.Type, Safe(q.Status), Safe(strings.Join(q.Answers, " | ")), Safe(q.Source), cached)))
		}
	}
}

// gutter is the width of the label column of the report's facts (From:,
// DMARC:, …): 9 columns, 10 in Chinese, whose labels end in a full-width
// colon.
func (t *textWriter) gutter() int {
	if t.zh() {
		return 10
	}
	return 9
}

// block writes a labelled group of lines: the label in the gutter.
func (t *textWriter) block(label string, lines []string) {
	g := t.gutter()
	if t.zh() && strings.HasSuffix(label, ":") {
		label = strings.TrimSuffix(label, ":") + "："
	}
	for i, l := range lines {
		if i == 0 {
			t.line(0, g, padRight(label, g)+l)
		} else {
			t.line(g, 2, l)
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
		if t.zh() {
			t.findingZH(f, color, mark, fix)
			continue
		}
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

func (t *textWriter) quoteOrNone(s string) string {
	if s == "" {
		return t.tr("no record")
	}
	return quoted(s)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// paren joins the parts of a parenthesis: " (a; b)", or "（a；b）" in
// Chinese.
func (t *textWriter) paren(parts []string) string {
	if t.zh() {
		return "（" + strings.Join(parts, "；") + "）"
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// list joins the items of a list: "a, b", or "a，b" in Chinese.
func (t *textWriter) list(parts []string) string {
	if t.zh() {
		return strings.Join(parts, "，")
	}
	return strings.Join(parts, ", ")
}

// result is an RFC 8601 result word as the text shows it: as is, with its
// Chinese gloss in Chinese ("fail（未通过）").
func (t *textWriter) result(s string) string {
	if t.zh() && s != "" {
		if z, ok := zhResults[s]; ok {
			return s + "（" + z + "）"
		}
	}
	return s
}

func (t *textWriter) dmarcLine(r *Report) []string {
	d := r.DMARC
	var first string
	switch {
	case d.Record != "":
		first = t.tr("%s under %s=%s — record at _dmarc.%s", t.result(orDash(d.Result)), orDash(d.PolicyTag), orDash(d.Policy), d.RecordDomain)
		if d.OrgDomain != "" {
			first += t.tr(", organizational domain %s", d.OrgDomain)
		}
	case d.Error != "":
		first = fmt.Sprintf("%s — %s", t.result(orDash(d.Result)), Safe(t.loc(Prose(d.Error))))
	case d.RecordDomain == "":
		return []string{t.result(orDash(d.Result)) + " — " + Safe(t.notes(d.Explanation))}
	default:
		first = t.tr("%s — no DMARC record", t.result(orDash(d.Result)))
	}
	lines := []string{first}
	if d.Record != "" {
		lines = append(lines, quoted(d.Record))
	}
	if d.Explanation != "" {
		lines = append(lines, Safe(t.notes(d.Explanation)))
	}
	return lines
}

func (t *textWriter) spfLine(r *Report) []string {
	s := r.SPF
	if s.Result == "" {
		return []string{t.tr("not evaluated — %s", Safe(t.loc(s.Explanation)))}
	}
	var b strings.Builder
	b.WriteString(t.tr("%s for %s", t.result(s.Result), orDash(s.Domain)))
	var paren []string
	switch {
	case s.Assumed:
		paren = append(paren, t.tr("assumed: no sending IP given"))
	case len(s.PerIP) > 1:
		worst := s.PerIP[0].IP
		for _, p := range s.PerIP {
			if p.Result == s.Result {
				worst = p.IP
				break
			}
		}
		b.WriteString(t.tr(" from %s", worst))
		paren = append(paren, t.tr("the worst of %d sending IPs", len(s.PerIP)))
	case len(r.Envelope.IPs) > 0:
		b.WriteString(t.tr(" from %s", strings.Join(r.Envelope.IPs, ", ")))
	}
	if s.Mechanism != "" {
		paren = append(paren, t.tr("matched %s", Safe(s.Mechanism)))
	}
	paren = append(paren, t.tr("%d of 10 DNS lookups", s.Lookups))
	b.WriteString(t.paren(paren))
	if s.Error != "" {
		b.WriteString(t.tr(": %s", Safe(t.loc(Prose(s.Error)))))
	}
	lines := []string{b.String()}
	if s.Alignment != "" {
		lines = append(lines, "↳ "+Safe(t.loc(s.Alignment)))
	}
	return lines
}

func (t *textWriter) dkimSig(d DKIM) []string {
	var b strings.Builder
	b.WriteString(t.tr("%s d=%s s=%s", t.result(d.Result), Safe(d.Domain), Safe(d.Selector)))
	var tags []string
	if d.Algorithm != "" {
		tags = append(tags, d.Algorithm)
	}
	if d.KeyBits > 0 {
		tags = append(tags, t.tr("%s bits", strconv.Itoa(d.KeyBits)))
	}
	switch {
	case d.HeadersOnly && d.Assumed:
		tags = append(tags, t.tr("ASSUMED: body not returned"))
	case d.HeadersOnly:
		tags = append(tags, t.tr("headers only"))
	case d.Assumed:
		tags = append(tags, t.tr("ASSUMED: the ESP will sign"))
	}
	if d.Simulated {
		tags = append(tags, t.tr("simulated with --dkim-key"))
	}
	if len(tags) > 0 {
		b.WriteString(t.paren([]string{t.list(tags)}))
	}
	lines := []string{b.String()}
	if d.Result != "pass" || d.Assumed || d.Simulated {
		lines = append(lines, t.dkimReason(d)...)
	}
	lines = append(lines, t.publicRecord(d.Selector+"._domainkey."+d.Domain, d.PublicRecord)...)
	if d.Alignment != "" {
		lines = append(lines, "↳ "+Safe(t.loc(d.Alignment)))
	}
	if d.Result == "pass" && !d.Counted && d.Note != "" {
		lines = append(lines, t.tr("not counted by the receiver: %s", Safe(t.loc(d.Note))))
	}
	return lines
}
