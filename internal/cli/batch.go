package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws "checking 120/1000" on stderr when stderr is a terminal
// and the batch is long enough to need it; otherwise it does nothing.
type progress struct {
	w     io.Writer
	total int    // 0: not known in advance (a mailbox read as it streams)
	what  string // "checked", "read"
	mu    sync.Mutex
	n     int
	shown bool
	start time.Time
	off   bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, what: "checked", start: time.Now(), off: total < 2 || !isTerminal(w)}
}

// newCountProgress is a progress line for a run whose length is not known
// in advance: "1200 read".
func newCountProgress(w io.Writer, what string) *progress {
	return &progress{w: w, what: what, start: time.Now(), off: !isTerminal(w)}
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
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r%d %s", p.n, p.what)
		p.shown = true
		return
	}
	const width = 30
	filled := width * p.n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), p.n, p.total, p.what)
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
