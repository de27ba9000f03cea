package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Renderer writes reports in one output format. Add is called once per
// report, in input order; Close finishes the output (closing elements,
// summary tables) and must be called once after the last Add, even when
// there were no reports. A Renderer does not close the underlying writer.
//
// Formats that need every report before they can write (Markdown's summary
// table, JUnit's counts) buffer in Add and write in Close; JSON and GitHub
// annotations are written as each report arrives.
type Renderer interface {
	Add(r *Report) error
	Close() error
}

// FailFunc decides whether a report counts as failed for CI (the CLI's
// --fail-on), and says why in one line. The JUnit and GitHub renderers
// take one; nil means FailOnReject.
type FailFunc func(r *Report) (failed bool, why string)

// FailOnReject is the default FailFunc: a report fails when the receiver
// would reject the message (or it could not be checked at all).
func FailOnReject(r *Report) (bool, string) {
	if r.Error != "" {
		return true, "cannot be checked: " + Safe(r.Error)
	}
	if r.Verdict.Reject || r.Verdict.Disposition == DispositionReject {
		return true, VerdictLine(r)
	}
	return false, ""
}

// NewJSONRenderer returns a Renderer that writes each report as one JSON
// object on one line (JSON Lines; a single report is an ordinary JSON
// document). The encoding is the Report model's (report/schema.json), with
// two differences from a plain json.Marshal: array fields are [] rather
// than null, and characters that are valid in JSON strings but dangerous
// when the output is read on a terminal (DEL, C1 controls, bidirectional
// overrides, U+2028/9) are written as \u escapes. Both are lossless: a JSON
// parser returns the same strings.
func NewJSONRenderer(w io.Writer) Renderer { return &jsonRenderer{w: w} }

type jsonRenderer struct {
	w    io.Writer
	lang Lang // "" or English: no l10n objects
}

func (j *jsonRenderer) Add(r *Report) error {
	b, err := MarshalJSONLine(WithL10n(r, j.lang))
	if err != nil {
		return err
	}
	_, err = j.w.Write(b)
	return err
}

func (j *jsonRenderer) Close() error { return nil }

// MarshalJSONLine encodes r as NewJSONRenderer does: one line of JSON,
// ending in a newline.
func MarshalJSONLine(r *Report) ([]byte, error) { return marshalJSONLine(withArrays(r)) }

// marshalJSONLine is the one JSON encoding of every command's output: one
// line; <, > and & escaped as encoding/json does by default (harmless,
// safer when the JSON is pasted into HTML); then escapeJSONUnsafe.
func marshalJSONLine(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, fmt.Errorf("report: encoding JSON: %w", err)
	}
	return escapeJSONUnsafe(buf.Bytes()), nil
}

// withArrays returns a copy of r whose array fields are non-nil, so that
// they encode as [] and consumers can take their length without a null
// check.
func withArrays(r *Report) *Report {
	c := *r
	if c.DKIM == nil {
		c.DKIM = []DKIM{}
	}
	if c.Findings == nil {
		c.Findings = []Finding{}
	}
	if c.Fixes == nil {
		c.Fixes = []Fix{}
	}
	if c.Assumptions == nil {
		c.Assumptions = []string{}
	}
	if c.Envelope.IPs == nil {
		c.Envelope.IPs = []string{}
	}
	if c.Envelope.Assumed == nil {
		c.Envelope.Assumed = []string{}
	}
	return &c
}

// escapeJSONUnsafe rewrites runes that encoding/json leaves raw but a
// terminal would act on (every rune Safe escapes, from DEL up; encoding/json
// escapes the C0 controls itself) as \uXXXX escapes. Outside strings JSON is ASCII,
// so any such rune is inside a string, where the escape is equivalent.
func escapeJSONUnsafe(b []byte) []byte {
	clean := true
	for _, r := range string(b) {
		if r >= 0x7f && unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x7f && unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// NewTextRenderer returns a Renderer that writes each report with
// WriteText, with a rule between reports. Each report goes through SafeCopy
// first, so no string of it reaches the terminal with a control character,
// whichever fields WriteText escapes itself. The batch summary and the -q
// batch form are the CLI's.
func NewTextRenderer(w io.Writer, o TextOptions) Renderer { return &textRenderer{w: w, o: o} }

type textRenderer struct {
	w io.Writer
	o TextOptions
	n int
}

func (t *textRenderer) Add(r *Report) error {
	if t.n > 0 && !t.o.Quiet {
		if _, err := fmt.Fprintln(t.w, strings.Repeat("─", 60)); err != nil {
			return err
		}
	}
	t.n++
	return WriteText(t.w, SafeCopy(r), t.o)
}

func (t *textRenderer) Close() error { return nil }
