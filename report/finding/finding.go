// Package finding is preflight's one vocabulary of advice: a Finding has a
// stable ID from the Catalogue, a Severity (error, warn, info), a title, and
// per message a detail and, for errors, a fix a person can act on.
//
// It is a leaf package so that the protocol libraries (spf, dkim, dmarc)
// emit findings under their catalogue IDs without importing the renderers,
// and package report (which renders them) aliases the types. IDs are stable:
// tools match on them; they are added, never renamed. FINDINGS.md at the
// repository root documents every one, and tests keep the two in step.
package finding

import "sort"

// Severity of a finding.
type Severity string

// Severities, most severe first.
const (
	SeverityError Severity = "error" // the message will (or may) be rejected or fail authentication
	SeverityWarn  Severity = "warn"  // works today but fragile, or fails at some receivers
	SeverityInfo  Severity = "info"  // context worth knowing
)

// Rank orders severities: 0 for error, 1 for warn, 2 for the rest.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarn:
		return 1
	}
	return 2
}

// Finding is one thing preflight noticed. ID is stable (see Catalogue);
// Fix is set for every error and says what a person can change.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail,omitempty"`
	Fix      string   `json:"fix,omitempty"`
	// L10n holds the finding's texts in another language, beside the
	// language-neutral fields, when output was asked for in it (nil
	// otherwise). Set by renderers, never by the code that finds.
	L10n *L10n `json:"l10n,omitempty"`
}

// L10n is an object's texts in one language other than English, set
// beside its language-neutral fields (IDs, codes, result words and the
// English texts stay as they are). Which fields are set depends on the
// object: a finding has Title, Meaning and Fix; a fix Title and Steps; a
// verdict Line and Summary; a bounce diagnosis Meaning, Action and Note.
type L10n struct {
	Lang    string   `json:"lang"` // "zh"
	Title   string   `json:"title,omitempty"`
	Meaning string   `json:"meaning,omitempty"`
	Fix     string   `json:"fix,omitempty"`
	Line    string   `json:"line,omitempty"`
	Summary string   `json:"summary,omitempty"`
	Steps   []string `json:"steps,omitempty"`
	Action  string   `json:"action,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// Sort orders findings by severity, keeping the order found within a
// severity.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity.Rank() < fs[j].Severity.Rank() })
}
