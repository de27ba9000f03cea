package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Summary counts the outcomes of a batch of reports for its closing lines:
// how many would be rejected, quarantined, accepted, had no verdict or
// could not be checked, and how many share each cause.
type Summary struct {
	Total, Rejected, Quarantined, Accepted, Unknown, Errors int
	// Primary names the receiver counted when the reports carry several
	// verdicts (the first of --receiver); "" when they carry one.
	Primary string
	// NotChecked counts the inputs an interrupted batch skipped (they are
	// not in Total).
	NotChecked int
	// Causes counts the reports per cause ("rejected: 550 DMARC check
	// failed", "quarantined: …", "no verdict: …", "not checked: …").
	Causes map[string]int
}

// NewSummary returns an empty Summary.
func NewSummary() *Summary { return &Summary{Causes: map[string]int{}} }

// Add counts r.
func (s *Summary) Add(r *Report) {
	s.Total++
	if len(r.Verdicts) > 1 {
		s.Primary = r.Verdict.DisplayName()
	}
	if r.Error != "" {
		s.Errors++
		s.Causes["not checked: "+firstLine(r.Error)]++
		return
	}
	switch r.Verdict.Disposition {
	case DispositionReject:
		s.Rejected++
		if r.Verdict.SMTPReply == "" {
			s.Causes["rejected: "+r.Verdict.Summary]++ // no reply text is known
		} else {
			s.Causes[replyHead(r.Verdict.SMTPReply)]++
		}
	case DispositionQuarantine:
		s.Quarantined++
		s.Causes["quarantined: DMARC fails under "+r.DMARC.PolicyTag+"=quarantine"]++
	case DispositionAccept:
		s.Accepted++
	default:
		s.Unknown++
		s.Causes["no verdict: "+r.Verdict.Summary]++
	}
}

// replyHead is the SMTP reply without its help URL: "550 DMARC check failed".
func replyHead(reply string) string {
	if i := strings.Index(reply, ". "); i > 0 {
		reply = reply[:i]
	}
	if i := strings.Index(reply, " ["); i > 0 {
		reply = reply[:i]
	}
	return "rejected: " + strings.TrimSuffix(reply, ".")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

// WriteText writes the closing lines of a text batch: a rule (unless
// quiet), the tally, then each cause with its count, most frequent first.
func (s *Summary) WriteText(w io.Writer, quiet bool) error { return s.WriteTextLang(w, quiet, LangEN) }

// WriteTextLang is WriteText in language l.
func (s *Summary) WriteTextLang(w io.Writer, quiet bool, l Lang) error {
	var b strings.Builder
	if !quiet {
		b.WriteString(strings.Repeat("═", 60) + "\n")
	}
	b.WriteString(T(l, "Checked %d message(s): %d would be rejected, %d quarantined, %d accepted", s.Total, s.Rejected, s.Quarantined, s.Accepted))
	if s.Primary != "" {
		b.WriteString(T(l, " at %s (the first receiver; the table below shows every receiver)", Safe(s.Primary)))
	}
	if s.Unknown > 0 {
		b.WriteString(T(l, ", %d without a verdict", s.Unknown))
	}
	if s.Errors > 0 {
		b.WriteString(T(l, ", %d not checked", s.Errors))
	}
	b.WriteString(T(l, ".") + "\n")
	if s.NotChecked > 0 {
		b.WriteString(T(l, "Interrupted: %d message(s) not checked.", s.NotChecked) + "\n")
	}
	keys := make([]string, 0, len(s.Causes))
	for k := range s.Causes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s.Causes[keys[i]] != s.Causes[keys[j]] {
			return s.Causes[keys[i]] > s.Causes[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "  %5d  %s\n", s.Causes[k], Safe(causeIn(l, k)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// causeIn is a cause of the tally in l (the causes are counted under their
// English text).
func causeIn(l Lang, k string) string {
	if l != LangZH {
		return k
	}
	if rest, ok := strings.CutPrefix(k, "rejected: "); ok {
		return T(l, "rejected: %s", rest)
	}
	if rest, ok := strings.CutPrefix(k, "quarantined: DMARC fails under "); ok {
		return T(l, "quarantined: DMARC fails under %s", rest)
	}
	if rest, ok := strings.CutPrefix(k, "no verdict: "); ok {
		return T(l, "no verdict: %s", Localize(l, rest))
	}
	if rest, ok := strings.CutPrefix(k, "not checked: "); ok {
		return T(l, "not checked: %s", rest)
	}
	return k
}
