package report

import (
	"fmt"
	"sort"
	"strings"
)

// The fixes of a report, as text and Markdown. Each fix was proven by
// applying it and re-checking the message (Fix.Sufficient, Fix.After):
// "any one of these is enough" lists only the fixes proven enough for
// every receiver; the others follow, with what each receiver would still
// answer, and each fix ends with the command that verifies it.

// fixGroups splits fixes into those enough for every receiver, enough for
// some, and not enough (or not proven), keeping their numbers.
func fixGroups(fs []Fix) (enough, some, rest []int) {
	for i, f := range fs {
		switch {
		case f.Enough():
			enough = append(enough, i)
		case f.EnoughFor() != "":
			some = append(some, i)
		default:
			rest = append(rest, i)
		}
	}
	return
}

// receiverLabel is the display name of receiver id in r.
func receiverLabel(l Lang, r *Report, id string) string {
	for _, v := range append([]Verdict{r.Verdict}, r.Verdicts...) {
		if v.Receiver == id {
			return verdictName(l, v)
		}
	}
	return id
}

// proofLines say what the proof found for one fix.
func proofLines(l Lang, r *Report, f Fix) []string {
	if f.Unproven != "" {
		return []string{T(l, "Not proven: %s.", Safe(Localize(l, f.Unproven)))}
	}
	ids := make([]string, 0, len(f.After))
	for id := range f.After {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var ok, still []string
	for _, id := range ids {
		name := receiverLabel(l, r, id)
		a := f.After[id]
		switch suff, decided := f.Sufficient[id]; {
		case suff:
			ok = append(ok, name)
		case !decided:
			still = append(still, T(l, "%s could not be re-checked (a temporary DNS failure)", name))
		case a.Disposition == DispositionAccept:
			still = append(still, T(l, "%s would accept it, but DMARC would still give %s", name, a.DMARC))
		case a.SMTPReply != "":
			still = append(still, T(l, "%s would still answer %s", name, Safe(a.SMTPReply)))
		default:
			still = append(still, T(l, "%s would still %s it", name, word(l, string(a.Disposition))))
		}
	}
	var out []string
	switch {
	case len(ok) > 3 && len(ok) == len(ids):
		out = append(out, T(l, "Proven: with this change every receiver checked (%d) would accept the message (re-checked with the change applied).", len(ok)))
	case len(ok) > 0:
		out = append(out, T(l, "Proven: with this change %s would accept the message (re-checked with the change applied).", strings.Join(ok, ", ")))
	}
	if len(still) > 0 {
		out = append(out, T(l, "Proven not enough: %s", strings.Join(still, "; ")))
	}
	return out
}

// writeFixes writes the fixes section of the text output.
func (t *textWriter) writeFixes(r *Report) {
	if len(r.Fixes) == 0 {
		return
	}
	enough, some, rest := fixGroups(r.Fixes)
	group := func(head string, idx []int) {
		if len(idx) == 0 {
			return
		}
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiBold, head))
		for _, i := range idx {
			t.writeFix(r, i)
		}
	}
	head := t.tr("Fix — any one of these is enough:")
	if len(enough) == 1 {
		head = t.tr("Fix:")
	}
	group(head, enough)
	group(t.tr("Enough for some receivers only:"), some)
	restHead := t.tr("Not enough alone:")
	if len(enough)+len(some) == 0 {
		restHead = t.tr("Changes proposed — none is proven enough alone:")
	}
	group(restHead, rest)
}

func (t *textWriter) writeFix(r *Report, i int) {
	f := r.Fixes[i]
	title := Safe(capitalize(f.Title))
	if t.zh() {
		title = Safe(t.loc(f.Title))
	}
	t.line(2, 3, fmt.Sprintf("%d. %s", i+1, title))
	for _, s := range f.Steps {
		t.line(5, 2, Safe(t.loc(s)))
	}
	for _, rec := range f.Records {
		t.line(7, 2, t.paint(ansiDim, Safe(rec)))
	}
	if f.MailFrom != "" {
		t.line(5, 2, t.tr("MAIL FROM (Return-Path): %s", Safe(f.MailFrom)))
	}
	for _, p := range proofLines(t.o.Lang, r, f) {
		t.line(5, 2, p)
	}
	if f.Verify != "" {
		// Not wrapped: the command is copied whole.
		t.printf("     %s %s\n", t.tr("Verify:"), Safe(f.Verify))
		if file := overlayFile(f.Verify); file != "" {
			key := ""
			if strings.Contains(strings.Join(f.Records, " "), "<public key from your ESP>") {
				key = t.tr(", the ESP's public key in place of the placeholder")
			}
			t.line(7, 2, t.paint(ansiDim, t.tr("(save the records above as %s%s; once they are published, run it without that --overlay)", file, key)))
		}
	}
}

// writeFixesMarkdown writes the fixes section of a Markdown report.
func writeFixesMarkdown(b *strings.Builder, r *Report) {
	if len(r.Fixes) == 0 {
		return
	}
	enough, some, rest := fixGroups(r.Fixes)
	group := func(head string, idx []int) {
		if len(idx) == 0 {
			return
		}
		fmt.Fprintf(b, "### %s\n\n", head)
		for _, i := range idx {
			f := r.Fixes[i]
			fmt.Fprintf(b, "%d. **%s** (via %s)\n", i+1, mdText(capitalize(f.Title)), mdText(f.Via))
			for _, s := range f.Steps {
				fmt.Fprintf(b, "   - %s\n", mdText(s))
			}
			if len(f.Records) > 0 {
				b.WriteString("   - Publish:\n")
				for _, rec := range f.Records {
					fmt.Fprintf(b, "     - %s\n", mdCode(rec, false))
				}
			}
			if f.MailFrom != "" {
				fmt.Fprintf(b, "   - MAIL FROM: %s\n", mdCode(f.MailFrom, false))
			}
			for _, p := range proofLines(LangEN, r, f) {
				fmt.Fprintf(b, "   - %s\n", mdText(p))
			}
			if f.Verify != "" {
				fmt.Fprintf(b, "   - Verify: %s\n", mdCode(f.Verify, false))
			}
		}
		b.WriteString("\n")
	}
	head := "Fixes — any one of these is enough"
	if len(enough) == 1 {
		head = "Fix"
	}
	group(head, enough)
	group("Enough for some receivers only", some)
	if len(enough)+len(some) == 0 {
		group("Changes proposed — none is proven enough alone", rest)
	} else {
		group("Not enough alone", rest)
	}
}

// overlayFile is the fix's own --overlay file in its verify command: the
// last one it names.
func overlayFile(verify string) string {
	f := strings.Fields(verify)
	file := ""
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "--overlay" && strings.HasPrefix(f[i+1], "fix-") {
			file = f[i+1]
		}
	}
	return file
}
