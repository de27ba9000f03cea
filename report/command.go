package report

import (
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"

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
	FormatAuthRes  = "authres"
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

// queryLog writes the run's DNS summary for -v, in the words every
// command uses (dnsSummary), then one line per query with its answers.
func (t *textWriter) queryLog(qs []dns.Query) {
	t.dnsSummary(NewDNS(qs), "")
}

// NewDNS summarises a query log as a report's "dns" object: the queries
// sent upstream, the lookups (cache hits included), the temporary
// failures, the time from the first question to the last answer, and
// every query in a stable order (by name and type, the upstream answer
// before the cached ones): lookups run concurrently, so the order they
// finished in is noise.
func NewDNS(qs []dns.Query) DNS {
	st := dns.Summarize(qs)
	d := DNS{Queries: st.Queries, Lookups: st.Lookups, Failures: st.Failures, ElapsedMS: st.Elapsed.Milliseconds()}
	for _, q := range qs {
		d.Log = append(d.Log, Query{Name: q.Name, Type: q.Type.String(), Status: q.Status,
			Rcode: q.Rcode, Answers: q.Answers, Source: q.Source, Cached: q.Cached})
	}
	sort.SliceStable(d.Log, func(i, j int) bool {
		a, b := d.Log[i], d.Log[j]
		switch {
		case a.Name != b.Name:
			return a.Name < b.Name
		case a.Type != b.Type:
			return a.Type < b.Type
		}
		return !a.Cached && b.Cached
	})
	return d
}

// quoted is how text output shows a record (TXT data, a DMARC or DKIM key
// record): Go-quoted after Safe, so its extent and its spaces are visible.
func quoted(s string) string { return fmt.Sprintf("%q", Safe(s)) }
