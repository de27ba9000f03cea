package report

import (
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"preflight/dns"
)

// Output formats, as --format spells them. Not every command has every
// format: each Write function says which it takes.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
	FormatJUnit    = "junit"
	FormatGitHub   = "github"
	FormatHTML     = "html"
)

// Options tune the renderers of the single-purpose commands (lookup, spf,
// dkim, bounce): the format, and for text the options check's text renderer
// takes. The command line decides them (--format, -v, -q, --color, the
// terminal's width); the renderers only obey.
type Options struct {
	// Format is one of the Format constants; "" means text.
	Format string
	TextOptions
	// Queries is the run's DNS query log, which verbose text output lists
	// at the end (nil: nothing to list).
	Queries []dns.Query
	// JSONLang, when set and not English, adds the texts in that language
	// beside the language-neutral JSON (l10n objects; see
	// NewJSONRendererLang). Text output takes its language from
	// TextOptions.Lang.
	JSONLang Lang
}

// format returns o.Format ("" as text), or an error naming what cmd takes.
func (o Options) format(cmd string, formats ...string) (string, error) {
	f := o.Format
	if f == "" {
		f = FormatText
	}
	if !slices.Contains(formats, f) {
		return "", fmt.Errorf("report: %s output has no format %q (use %s)", cmd, f, strings.Join(formats, ", "))
	}
	return f, nil
}

// writeJSONLine writes v as MarshalJSONLine writes a report: one line, with
// every rune a terminal would act on written as a \u escape. Every JSON
// output of every command goes through here.
func writeJSONLine(w io.Writer, v any) error {
	b, err := marshalJSONLine(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// safeValue returns a deep copy of v with every string passed through Safe
// (SafeCopy for any of the package's models). Structs with unexported
// fields (time.Time) and interfaces (an error) are copied as they are: a
// renderer shows an error through its string field, never through Err.
func safeValue[T any](v T) T {
	c := reflect.New(reflect.TypeFor[T]()).Elem()
	safeCopy(c, reflect.ValueOf(v))
	return c.Interface().(T)
}

// printf writes formatted text as it is, without wrapping: for the
// columned output of lookup, spf and dkim. Arguments are the caller's to
// escape.
func (t *textWriter) printf(format string, args ...any) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, format, args...)
}

// row writes one line without trailing spaces (column padding at the end
// of a line is noise in a diff and in a terminal's copy).
func (t *textWriter) row(format string, args ...any) {
	t.printf("%s\n", strings.TrimRight(fmt.Sprintf(format, args...), " "))
}

// queryLog lists the run's DNS queries, for -v: a summary line, then one
// line per query with its answers.
func (t *textWriter) queryLog(qs []dns.Query) {
	st := dns.Summarize(qs)
	t.printf("DNS: %d lookup(s), %d upstream", st.Lookups, st.Queries)
	if networked(qs) {
		// Zone answers take microseconds; a time would only add noise.
		t.printf(", %s", st.Elapsed.Round(time.Millisecond/10))
	}
	t.printf("\n")
	for _, q := range qs {
		cached := ""
		if q.Cached {
			cached = " (cached)"
		}
		t.printf("  %s %s → %s %s [%s] %s%s\n", Safe(q.Name), q.Type, Safe(q.Status), Safe(q.Rcode),
			Safe(strings.Join(q.Answers, " | ")), Safe(q.Source), cached)
	}
}

// networked reports whether any query went to a DNS server.
func networked(qs []dns.Query) bool {
	for _, q := range qs {
		if strings.HasPrefix(q.Source, "udp ") || strings.HasPrefix(q.Source, "tcp ") {
			return true
		}
	}
	return false
}

// quoted is how text output shows a record (TXT data, a DMARC or DKIM key
// record): Go-quoted after Safe, so its extent and its spaces are visible.
func quoted(s string) string { return fmt.Sprintf("%q", Safe(s)) }
