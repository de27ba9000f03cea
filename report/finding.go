package report

import "sort"

// Severity of a finding.
type Severity string

// Severities, most severe first.
const (
	SeverityError Severity = "error" // the message will (or may) be rejected or fail authentication
	SeverityWarn  Severity = "warn"  // works today but fragile, or fails at some receivers
	SeverityInfo  Severity = "info"  // context worth knowing
)

func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarn:
		return 1
	}
	return 2
}

// Finding is one thing preflight noticed. ID is stable (see the catalogue);
// Fix is set for every error and says what a person can change.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail,omitempty"`
	Fix      string   `json:"fix,omitempty"`
}

// SortFindings orders findings by severity, keeping the order found within
// a severity.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity.rank() < fs[j].Severity.rank() })
}
