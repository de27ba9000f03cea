package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// The receiver matrix: with several receivers (--receiver all, a comma
// list, auto) a report carries one verdict per receiver (Report.Verdicts).
// Text shows them as one line each under the headline; a batch ends with a
// messages × receivers table (Matrix).

// dispositionMark is the one-character mark of a disposition.
func dispositionMark(d Disposition) string {
	switch d {
	case DispositionReject:
		return "✗"
	case DispositionQuarantine:
		return "⚠"
	case DispositionAccept:
		return "✓"
	}
	return "?"
}

// matrixVerdictLine is VerdictLineIn for the reports this file handles:
// one with several verdicts, and one whose single verdict has
// alternatives.
func matrixVerdictLine(l Lang, r *Report) (string, bool) {
	switch {
	case len(r.Verdicts) > 1:
		return multiVerdictLine(l, r), true
	case len(r.Verdict.Alternatives) > 0:
		c := *r
		c.Verdict.Alternatives = nil
		line := VerdictLineIn(l, &c)
		for _, a := range r.Verdict.Alternatives {
			reply := a.SMTPReply
			if reply == "" {
				reply = T(l, "reply text not documented")
			}
			line += T(l, " — but %s %s: %s", word(l, string(a.Disposition)), Safe(Localize(l, a.When)), Safe(reply))
		}
		return line, true
	}
	return "", false
}

// verdictName is a verdict's receiver name in l.
func verdictName(l Lang, v Verdict) string {
	if l == LangZH {
		if n, ok := zhReceivers[v.Receiver]; ok {
			return n
		}
	}
	return v.DisplayName()
}

// multiVerdictLine is the headline of a report with several verdicts: how
// many receivers would reject, junk or accept it, or give no verdict.
func multiVerdictLine(l Lang, r *Report) string {
	n := len(r.Verdicts)
	var rejects, junks, open, alt []string
	for _, v := range r.Verdicts {
		name := verdictName(l, v)
		switch v.Disposition {
		case DispositionReject:
			rejects = append(rejects, name)
		case DispositionQuarantine:
			junks = append(junks, name)
		case DispositionAccept:
		default:
			open = append(open, name)
		}
		for _, a := range v.Alternatives {
			if a.Disposition == DispositionReject && !containsString(alt, name) {
				alt = append(alt, name)
			}
		}
	}
	who := func(names []string) string {
		switch {
		case len(names) == n:
			return ""
		case len(names) > 4:
			return T(l, " (%s and %d more)", strings.Join(names[:3], ", "), len(names)-3)
		}
		return " (" + strings.Join(names, ", ") + ")"
	}
	count := func(k int) string {
		switch {
		case k == n && n == 2:
			return T(l, "both receivers")
		case k == n:
			return T(l, "all %d receivers", n)
		}
		return T(l, "%d of %d receivers", k, n)
	}
	var rest []string
	if len(junks) > 0 && len(rejects) > 0 {
		rest = append(rest, T(l, "%d would deliver it to spam", len(junks)))
	}
	if len(open) > 0 && len(rejects)+len(junks) > 0 {
		rest = append(rest, T(l, "%d without a verdict", len(open)))
	}
	tail := ""
	if len(rest) > 0 {
		tail = "; " + strings.Join(rest, ", ")
	}
	switch {
	case len(rejects) > 0:
		return T(l, "✗ %s would reject this message%s%s", count(len(rejects)), who(rejects), tail)
	case len(junks) > 0:
		return T(l, "⚠ %s would accept this message but deliver it to spam%s%s", count(len(junks)), who(junks), tail)
	case len(open) > 0:
		return T(l, "? %s: no verdict%s", count(len(open)), who(open))
	}
	line := T(l, "✓ all %d receivers would accept this message as far as authentication goes", n)
	if len(alt) > 0 {
		line += T(l, " — but %d of them (those that do not document it) would reject it if they took the first of its DMARC records", len(alt))
	}
	return line
}

// matrixLines are the verdict lines of a report with several verdicts:
// mark and disposition, receiver, confidence, then the SMTP reply (copied
// whole) or, for a message that is not refused, why.
func matrixLines(l Lang, r *Report) []string {
	idW, nameW := 0, 0
	for _, v := range r.Verdicts {
		idW = max(idW, len(v.Receiver))
		nameW = max(nameW, visibleWidth(verdictName(l, v)))
	}
	var out []string
	for _, v := range r.Verdicts {
		what := Safe(v.SMTPReply)
		switch {
		case v.Disposition == DispositionReject && what == "":
			what = T(l, "(reply text not documented) %s", Safe(Localize(l, v.Summary)))
		case what == "":
			what = Safe(Localize(l, v.Summary))
		}
		if p := v.Probability; p > 0 && p < 1 {
			what = fmt.Sprintf("%.0f%%: %s", p*100, what)
		}
		for _, a := range v.Alternatives {
			what += T(l, " — or %s %s", word(l, string(a.Disposition)), Safe(Localize(l, a.When)))
		}
		name := verdictName(l, v)
		pad := strings.Repeat(" ", nameW-visibleWidth(name))
		out = append(out, fmt.Sprintf("%s %-10s %-*s %s%s  %-6s  %s", dispositionMark(v.Disposition), v.Disposition, idW, v.Receiver, name, pad, word(l, v.Confidence), what))
	}
	return out
}

// visibleWidth is the terminal width of s: wide (CJK) characters count
// two.
func visibleWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 || r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6) {
			n++
		}
	}
	return n
}

// writeMatrixText writes the verdict lines after the headline.
func (t *textWriter) writeMatrixText(r *Report) {
	for _, l := range matrixLines(t.o.Lang, r) {
		if t.err != nil {
			return
		}
		color := ansiGreen
		switch {
		case strings.HasPrefix(l, "✗"):
			color = ansiRed
		case strings.HasPrefix(l, "⚠"), strings.HasPrefix(l, "?"):
			color = ansiYellow
		}
		// Not wrapped: the replies are copied whole.
		_, t.err = fmt.Fprintln(t.w, "  "+t.paint(color, l))
	}
}

// Matrix collects a batch's verdicts for a closing messages × receivers
// table; it shows nothing unless some report has several verdicts.
type Matrix struct {
	receivers []string // IDs, in first-seen order
	rows      []matrixRow
	starred   bool // some verdict has an alternative outcome
}

type matrixRow struct {
	name  string
	marks map[string]string
}

// NewMatrix returns an empty Matrix.
func NewMatrix() *Matrix { return &Matrix{} }

// Add records r's verdicts (its single verdict when it has no list).
func (m *Matrix) Add(r *Report) {
	row := matrixRow{name: Safe(filepath.Base(pathOr(r))), marks: map[string]string{}}
	vs := r.Verdicts
	if len(vs) == 0 && r.Error == "" {
		vs = []Verdict{r.Verdict}
	}
	for _, v := range vs {
		id := Safe(v.Receiver)
		if !containsString(m.receivers, id) {
			m.receivers = append(m.receivers, id)
		}
		row.marks[id] = dispositionMark(v.Disposition)
		for _, a := range v.Alternatives {
			if a.Disposition != v.Disposition {
				row.marks[id] += "*"
				m.starred = true
				break
			}
		}
	}
	if r.Error != "" {
		row.marks[""] = "!"
	}
	m.rows = append(m.rows, row)
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// WriteText writes the table: one row per message, one column per
// receiver; nothing when the batch had a single receiver.
func (m *Matrix) WriteText(w io.Writer) error { return m.WriteTextLang(w, LangEN) }

// WriteTextLang is WriteText in language l.
func (m *Matrix) WriteTextLang(w io.Writer, l Lang) error {
	if len(m.receivers) < 2 {
		return nil
	}
	head := T(l, "message")
	nameW := visibleWidth(head)
	for _, r := range m.rows {
		nameW = min(max(nameW, len([]rune(r.name))), 40)
	}
	var b strings.Builder
	b.WriteString(T(l, "Verdicts by receiver (✓ accept, ⚠ spam, ✗ reject, ? no verdict, ! not checked, · not asked):") + "\n")
	if m.starred {
		b.WriteString(T(l, "  (* another outcome is possible: the receiver does not document the case, e.g. several DMARC records)") + "\n")
	}
	fmt.Fprintf(&b, "  %s%s", head, strings.Repeat(" ", nameW-visibleWidth(head)))
	for _, id := range m.receivers {
		fmt.Fprintf(&b, "  %s", id)
	}
	b.WriteString("\n")
	for _, r := range m.rows {
		name := r.name
		if rs := []rune(name); len(rs) > nameW {
			name = string(rs[:nameW-1]) + "…"
		}
		fmt.Fprintf(&b, "  %s%s", name, strings.Repeat(" ", nameW-len([]rune(name))))
		for _, id := range m.receivers {
			mark := r.marks[id]
			switch {
			case r.marks[""] != "":
				mark = "!"
			case mark == "":
				mark = "·"
			}
			fmt.Fprintf(&b, "  %s%s", mark, strings.Repeat(" ", max(0, len(id)-len([]rune(mark)))))
		}
		b.WriteString("\n")
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

// writeMatrixMarkdown writes a report's verdicts as a table.
func writeMatrixMarkdown(b *strings.Builder, r *Report) {
	if len(r.Verdicts) == 0 {
		return
	}
	b.WriteString("| Receiver | Verdict | Confidence | Reply or reason |\n|---|---|---|---|\n")
	for _, v := range r.Verdicts {
		what := mdCode(v.SMTPReply, true)
		if what == "" {
			what = mdCell(v.Summary)
		}
		for _, a := range v.Alternatives {
			what += " — or " + mdCell(string(a.Disposition)+" "+a.When)
		}
		fmt.Fprintf(b, "| %s | %s %s | %s | %s |\n", mdCell(v.DisplayName()), dispositionMark(v.Disposition), mdCell(string(v.Disposition)), mdCell(v.Confidence), what)
	}
	b.WriteString("\n")
}
