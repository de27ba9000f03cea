package report

import (
	"io"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// This file holds what the text output does differently in Chinese:
// wrapping between ideographs, the fuller finding blocks, the verdict
// summary written from the model, and the parts English keeps as it was.

// runeWidth is the number of terminal columns r takes: two for East Asian
// wide and full-width characters (ideographs, full-width punctuation), none
// for combining marks, one otherwise.
func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	if unicode.Is(unicode.Mn, r) {
		return 0
	}
	return 1
}

// displayWidth is the width of s on a terminal, ANSI colour sequences
// excluded.
func displayWidth(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case r == 0x1b:
			esc = true
		case esc && r == 'm':
			esc = false
		case !esc:
			n += runeWidth(r)
		}
	}
	return n
}

// padRight pads s with spaces to n columns (display width, so that a
// Chinese label lines up like an English one).
func padRight(s string, n int) string {
	if w := displayWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// Punctuation that must not start a line, and that must not end one
// (the common core of the Chinese line-breaking rules, 避头尾).
const (
	noLineStart = "，。、；：！？）］》」』】〕”’…·%)]}.,;:!?"
	noLineEnd   = "（［《「『【〔“‘([{"
)

// wide reports whether r is an ideograph or full-width character, between
// which Chinese text may break.
func wide(r rune) bool { return runeWidth(r) == 2 }

// cjkToken is a unit of Chinese line breaking: a wide character, a run of
// other non-space characters (a word, a domain, a record: never broken), or
// a run of spaces.
type cjkToken struct {
	text  string
	width int
	space bool
	wide  bool
}

func cjkTokens(s string) []cjkToken {
	// A record or a command (atomRanges) is one token, never broken.
	var out []cjkToken
	last := 0
	for _, a := range atomRanges(s) {
		out = append(out, cjkRun(s[last:a[0]])...)
		out = append(out, cjkToken{text: s[a[0]:a[1]], width: displayWidth(s[a[0]:a[1]])})
		last = a[1]
	}
	return append(out, cjkRun(s[last:])...)
}

// cjkRun tokenizes text that holds no atom.
func cjkRun(s string) []cjkToken {
	var out []cjkToken
	var cur strings.Builder
	curW, esc := 0, false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cjkToken{text: cur.String(), width: curW})
			cur.Reset()
			curW = 0
		}
	}
	for _, r := range s {
		switch {
		case r == 0x1b || esc:
			// An ANSI sequence sticks to the word it colours.
			esc = r != 'm'
			cur.WriteRune(r)
		case r == ' ':
			flush()
			if n := len(out); n > 0 && out[n-1].space {
				out[n-1].text += " "
				out[n-1].width++
			} else {
				out = append(out, cjkToken{text: " ", width: 1, space: true})
			}
		case wide(r):
			flush()
			out = append(out, cjkToken{text: string(r), width: 2, wide: true})
		default:
			cur.WriteRune(r)
			curW += runeWidth(r)
		}
	}
	flush()
	return out
}

// lineCJK is line for Chinese: it breaks at spaces and between wide
// characters, never before closing or after opening punctuation, and counts
// wide characters two columns.
func (t *textWriter) lineCJK(indent, hang int, s string) {
	width := t.width()
	cont := strings.Repeat(" ", indent+hang)
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", indent))
	col := indent
	toks := cjkTokens(strings.TrimRight(s, " "))
	var prev *cjkToken
	pending := ""
	for i := range toks {
		tok := &toks[i]
		if tok.space {
			pending = tok.text
			continue
		}
		first, _ := firstRune(tok.text)
		canBreak := prev != nil && tok.width > 0 &&
			(pending != "" || (tok.wide || prev.wide) && !strings.ContainsRune(noLineStart, first) && !endsWithAny(prev.text, noLineEnd))
		if canBreak && col+len(pending)+tok.width > width && col > len(cont) {
			b.WriteString("\n" + cont)
			col = len(cont)
			pending = ""
		}
		b.WriteString(pending)
		col += len(pending)
		pending = ""
		b.WriteString(tok.text)
		col += tok.width
		prev = tok
	}
	b.WriteByte('\n')
	_, t.err = io.WriteString(t.w, b.String())
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		if r != 0x1b {
			return r, true
		}
		break
	}
	return 0, false
}

func endsWithAny(s, set string) bool {
	s = ansiSeq.ReplaceAllString(s, "")
	for _, r := range set {
		if strings.HasSuffix(s, string(r)) {
			return true
		}
	}
	return false
}

var ansiSeq = regexp.MustCompile("\x1b\\[[0-9;]*m")

// loc translates a sentence another package wrote (Localize), knowing
// the report's receiver rules.
func (t *textWriter) loc(s string) string {
	out, _ := localize(t.o.Lang, Prose(s), t.rules, 3)
	return out
}

// ruleTexts maps the English texts of r's receiver rules to their
// translations in l, by rule ID. A rule whose text carries the signature
// it judged ("… (d=x s=y: 512-bit RSA key)") is keyed by its text without
// that part, which the zh catalogue translates as a pattern.
func ruleTexts(l Lang, r *Report) map[string]string {
	if l != LangZH || r == nil {
		return nil
	}
	m := map[string]string{}
	for _, ru := range r.Verdict.Rules {
		z, ok := zhReceiverRules[ru.ID]
		if !ok {
			continue
		}
		text := ru.Text
		if i := strings.LastIndex(text, " (d="); i > 0 && strings.HasSuffix(text, ")") {
			text = text[:i]
		}
		m[text] = z
	}
	return m
}

// notes localizes a DMARC explanation: the evaluation's notes joined by
// "; ", each of which may itself contain "; ". The longest run of parts
// that the catalogue knows is translated as one.
func (t *textWriter) notes(s string) string {
	s = Prose(s) // an error quoted in a note reads as prose
	if !t.zh() || s == "" {
		return s
	}
	return localizeJoined(t.o.Lang, s, "; ", "；", t.rules)
}

// localizeJoined translates s, made of sentences joined by sep, joining the
// translations with zsep.
func localizeJoined(l Lang, s, sep, zsep string, extra map[string]string) string {
	if z, ok := localize(l, s, extra, 3); ok {
		return z
	}
	parts := strings.Split(s, sep)
	var out []string
	for i := 0; i < len(parts); {
		done := false
		for j := len(parts); j > i+1; j-- {
			if z, ok := localize(l, strings.Join(parts[i:j], sep), extra, 3); ok {
				out = append(out, z)
				i, done = j, true
				break
			}
		}
		if !done {
			z, _ := localize(l, parts[i], extra, 3)
			out = append(out, z)
			i++
		}
	}
	return strings.Join(out, zsep)
}

// dkimReason is the line explaining a signature's result: the verifier's
// English reason, or in Chinese its translation, else the meaning of its
// cause followed by the English original.
func (t *textWriter) dkimReason(d DKIM) []string {
	d.Reason = Prose(d.Reason)
	if !t.zh() {
		return []string{Safe(d.Reason)}
	}
	if z, ok := localize(t.o.Lang, d.Reason, t.rules, 3); ok {
		return []string{Safe(z)}
	}
	var out []string
	if _, ok := Catalogue["dkim."+d.Cause]; ok && d.Cause != "" {
		out = append(out, t.tr("cause: %s", Explain(t.o.Lang, "dkim."+d.Cause).Title))
	}
	if d.Reason != "" {
		out = append(out, t.tr("English original: %s", Safe(d.Reason)))
	}
	return out
}

// findingZH writes one finding in Chinese: its title and ID, what it
// means, the fix in general, the records and commands of the message's own
// fix verbatim, and the English detail and fix as the original.
func (t *textWriter) findingZH(f Finding, color, mark string, fix bool) {
	l := t.o.Lang
	x := Explain(l, f.ID)
	if _, ok := zhFindings[f.ID]; !ok {
		x.Title = Localize(l, f.Title)
	}
	t.line(2, 2, t.paint(color, mark)+" "+Safe(x.Title)+t.paint(ansiDim, " ["+f.ID+"]"))
	if x.Meaning != "" {
		t.line(4, 6, t.tr("Meaning: %s", x.Meaning))
	}
	if fix && (x.Fix != "" || f.Fix != "") {
		if x.Fix != "" {
			t.line(4, 6, t.tr("How to fix: %s", x.Fix))
		}
		for _, a := range actionsIn(f.Fix) {
			t.line(6, 2, t.paint(ansiDim, Safe(a)))
		}
	}
	if f.Detail != "" || fix && f.Fix != "" {
		t.line(4, 4, t.paint(ansiDim, t.tr("English original:")))
		if f.Detail != "" {
			t.line(6, 0, t.paint(ansiDim, Safe(f.Detail)))
		}
		if fix && f.Fix != "" {
			t.line(6, 5, t.paint(ansiDim, "Fix: "+Safe(f.Fix)))
		}
	}
}

var (
	// A zone-file line in a fix: NAME. TXT "…" (or CNAME, MX).
	recordInFix = regexp.MustCompile(`[A-Za-z0-9_*][A-Za-z0-9_.*-]*\.\s+(?:IN\s+)?(?:TXT|CNAME|MX)\s+(?:"[^"]*"(?:\s+"[^"]*")*|[A-Za-z0-9_.-]+\.?)`)
	// A preflight command line in a fix.
	commandInFix = regexp.MustCompile(`preflight [a-z]+(?: [^\s]+)*`)
)

// actionsIn returns the DNS records and preflight commands a fix written
// in English names, verbatim, for output in another language.
func actionsIn(fix string) []string {
	var out []string
	for _, m := range recordInFix.FindAllString(fix, -1) {
		out = append(out, strings.TrimSpace(m))
	}
	for _, m := range commandInFix.FindAllString(fix, -1) {
		out = append(out, commandPrefix(m))
	}
	return out
}

// commandPrefix keeps the words of a command up to the first that reads
// as English prose ("preflight spf brand.example to see …" → "preflight
// spf brand.example").
func commandPrefix(s string) string {
	words := strings.Fields(s)
	keep := words[:2]
	for i := 2; i < len(words); i++ {
		w := strings.TrimRight(words[i], ").,;")
		prevFlag := strings.HasPrefix(words[i-1], "-")
		if !(strings.HasPrefix(w, "-") || prevFlag || strings.ContainsAny(w, ".:_@/") || w == strings.ToUpper(w) && w != "") {
			break
		}
		keep = append(keep, w)
		if w != words[i] {
			break // the command ended with the sentence
		}
	}
	return strings.Join(keep, " ")
}

// receiverName is how l names the report's receiver.
func receiverName(l Lang, r *Report) string {
	if l == LangZH {
		if n, ok := zhReceivers[r.Verdict.Receiver]; ok {
			return n
		}
	}
	return r.Verdict.DisplayName()
}

// word translates one of the model's words (a confidence, a provenance, a
// disposition, a result) for display; English keeps it as it is.
func word(l Lang, s string) string {
	if l == LangZH {
		if z, ok := zhWords[s]; ok {
			return z
		}
	}
	return s
}

// summaryIn is the verdict's summary in l. The receiver writes it in
// English; in Chinese it is written again from the model (the paths, the
// DMARC outcome, the policy that applied), falling back to the English when
// the model holds a case this does not know.
func summaryIn(l Lang, r *Report) string {
	v := r.Verdict
	if l != LangZH || v.Summary == "" {
		return v.Summary
	}
	if z, ok := Localized(l, v.Summary); ok {
		return z
	}
	name := receiverName(l, r)
	from := orDash(r.Message.FromDomain)
	d := r.DMARC
	chosen := Path{Name: "dmarc", Disposition: v.Disposition, Probability: 1}
	for _, p := range v.Paths {
		if p.Disposition == v.Disposition {
			chosen = p
			break
		}
	}
	if chosen.Name == "spf" {
		return T(l, "%s would reject on SPF alone: SPF fails for the MAIL FROM domain (DMARC %s)", name, d.Result)
	}
	switch d.Result {
	case "pass":
		return T(l, "DMARC passes for %s: %s applies no DMARC action", from, name)
	case "none":
		why := T(l, "no DMARC record")
		for _, f := range r.Findings {
			switch f.ID {
			case "dmarc.multiple-records":
				why = T(l, "several DMARC records: no policy")
			case "dmarc.no-policy":
				why = T(l, "the record has no usable p=")
			}
		}
		return T(l, "DMARC does not apply to %s (%s): no DMARC action", from, why)
	case "permerror":
		return T(l, "the DMARC record of %s is broken, so no DMARC policy applies", from)
	case "temperror":
		return T(l, "a temporary DNS failure leaves the DMARC result unknown")
	case "fail":
	default:
		return v.Summary
	}
	s := T(l, "DMARC fails for %s and %s=%s applies", from, d.PolicyTag, d.Policy)
	if d.Testing {
		s = T(l, "DMARC fails for %s and %s= applies (t=y: treated as %s)", from, d.PolicyTag, d.Policy)
	}
	switch chosen.Disposition {
	case "reject":
		s += T(l, ": %s would reject it", name)
	case "quarantine":
		s += T(l, ": %s would accept it, then junk it", name)
	case "accept":
		s += T(l, ": no DMARC action at %s", name)
	default:
		s += T(l, ": %s's action is %s", name, word(l, string(chosen.Disposition)))
	}
	if chosen.Probability > 0 && chosen.Probability < 1 {
		s += T(l, " (probability %.0f%%, pct=%d)", chosen.Probability*100, d.Pct)
	}
	return s
}

// guidance writes the receiver's guidance (GuidanceFor) after the fixes,
// each item with its provenance and confidence; with -v its source too.
func (t *textWriter) guidance(r *Report) {
	g := GuidanceFor(t.o.Lang, r)
	if g == nil {
		return
	}
	t.line(0, 0, "")
	t.line(0, 0, t.paint(ansiBold, g.Title+t.tr(":")))
	for _, it := range g.Items {
		grade := t.tr(" [%s, confidence %s]", word(t.o.Lang, it.Provenance), word(t.o.Lang, it.Confidence))
		if t.o.Verbose && it.Source != "" {
			grade = t.tr(" [%s, confidence %s; source: %s]", word(t.o.Lang, it.Provenance), word(t.o.Lang, it.Confidence), it.Source)
		}
		t.line(2, 2, "- "+it.Text+t.paint(ansiDim, grade))
	}
}
