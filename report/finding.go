package report

import "preflight/report/finding"

// Finding, Severity and Entry are those of package finding (the one
// vocabulary the spf, dkim and dmarc libraries emit too); they are aliased
// here so that the report model reads as one.
type (
	Finding  = finding.Finding
	Severity = finding.Severity
	Entry    = finding.Entry
	L10n     = finding.L10n
)

// Severities, most severe first.
const (
	SeverityError = finding.SeverityError
	SeverityWarn  = finding.SeverityWarn
	SeverityInfo  = finding.SeverityInfo
)

// Catalogue is finding.Catalogue: every ID preflight can emit.
var Catalogue = finding.Catalogue

// NewFinding builds a catalogued finding (finding.New).
func NewFinding(id, detail, fix string) Finding { return finding.New(id, detail, fix) }

// SortFindings orders findings by severity, keeping the order found within
// a severity.
func SortFindings(fs []Finding) { finding.Sort(fs) }
