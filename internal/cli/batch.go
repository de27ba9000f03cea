package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"preflight/internal/check"
	"preflight/internal/receiver"
	"preflight/report"
)

// summary counts the outcomes of a batch for its closing lines.
type summary struct {
	total, rejected, quarantined, accepted, unknown, errors int
	causes                                                  map[string]int
}

func newSummary() *summary { return &summary{causes: map[string]int{}} }

func (s *summary) add(res *check.Result) {
	s.total++
	r := res.Report
	if res.Err != nil {
		s.errors++
		s.causes["not checked: "+firstLine(r.Error)]++
		return
	}
	switch res.Verdict.Disposition {
	case receiver.DispositionReject:
		s.rejected++
		s.causes[replyHead(r.Verdict.SMTPReply)]++
	case receiver.DispositionQuarantine:
		s.quarantined++
		s.causes["quarantined: DMARC fails under "+r.DMARC.PolicyTag+"=quarantine"]++
	case receiver.DispositionAccept:
		s.accepted++
	default:
		s.unknown++
		s.causes["no verdict: "+r.Verdict.Summary]++
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

func (s *summary) write(w io.Writer, quiet bool) {
	if !quiet {
		fmt.Fprintln(w, strings.Repeat("═", 60))
	}
	fmt.Fprintf(w, "Checked %d message(s): %d would be rejected, %d quarantined, %d accepted", s.total, s.rejected, s.quarantined, s.accepted)
	if s.unknown > 0 {
		fmt.Fprintf(w, ", %d without a verdict", s.unknown)
	}
	if s.errors > 0 {
		fmt.Fprintf(w, ", %d not checked", s.errors)
	}
	fmt.Fprintln(w, ".")
	keys := make([]string, 0, len(s.causes))
	for k := range s.causes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s.causes[keys[i]] != s.causes[keys[j]] {
			return s.causes[keys[i]] > s.causes[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(w, "  %5d  %s\n", s.causes[k], report.Safe(k))
	}
}

// progress draws "checking 120/1000" on stderr when stderr is a terminal
// and the batch is long enough to need it; otherwise it does nothing.
type progress struct {
	w     io.Writer
	total int
	mu    sync.Mutex
	n     int
	shown bool
	start time.Time
	off   bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start: time.Now(), off: total < 2 || !isTerminal(w)}
}

func (p *progress) step() {
	if p.off {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if time.Since(p.start) < 500*time.Millisecond {
		return // short runs need no bar
	}
	const width = 30
	filled := width * p.n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d checked", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), p.n, p.total)
	p.shown = true
}

// clear removes the bar before a report is written to the same terminal.
func (p *progress) clear() {
	if p.off {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

func (p *progress) done() { p.clear() }
