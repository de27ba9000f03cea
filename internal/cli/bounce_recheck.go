package cli

import (
	"fmt"
	"io"
	"strings"

	"preflight/internal/check"
	"preflight/report"
)

// The re-check itself is check.Recheck; what stays here is its rendering
// under a diagnosis, in text and Markdown.

// writeRecheckText prints a re-check under a diagnosis.
func writeRecheckText(e *env, rc *check.RecheckResult) {
	w := e.stdout
	width := termWidth(w)
	field(w, width, "re-check", report.Safe(rc.Note))
	if rc.Check == nil {
		return
	}
	var b strings.Builder
	report.WriteText(&b, rc.Check.Report, report.TextOptions{Color: e.colorOn(), Verbose: e.verbose, Width: width - 4})
	fmt.Fprintln(w)
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		fmt.Fprintln(w, "    "+line)
	}
}

// writeRecheckMarkdown adds the re-check to a bounce's Markdown.
func writeRecheckMarkdown(w io.Writer, rc *check.RecheckResult) error {
	fmt.Fprintf(w, "\n**Re-check now.** %s\n", mdText(rc.Note))
	if rc.Check == nil {
		return nil
	}
	fmt.Fprintln(w)
	rd := report.NewMarkdownRenderer(w, report.MarkdownOptions{Title: "Re-check of the returned message"})
	if err := rd.Add(rc.Check.Report); err != nil {
		return err
	}
	return rd.Close()
}
