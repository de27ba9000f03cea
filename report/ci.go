package report

// CIOptions tell the CI renderers (JUnit, GitHub annotations) how each
// report counts, so that they agree with the exit code: what makes the
// run exit 1 (a report at --fail-on) is a JUnit <failure> and a GitHub
// ::error; what makes it exit 3 (no verdict for a temporary DNS failure)
// is a JUnit <error> and an ::error; a report that could not be checked at
// all (exit 2) is an <error> and an ::error; everything else is reported
// without failing: problems as ::warning, notes as ::notice, in JUnit
// <system-out>.
type CIOptions struct {
	// FailOn says whether a report reaches --fail-on, and why (nil:
	// FailOnReject).
	FailOn FailFunc
	// Indeterminate says whether a report has no verdict for a temporary
	// DNS failure, and why (nil: never).
	Indeterminate FailFunc
	// WarnFails is --fail-on warn: a warning fails the build too, so the
	// warnings of a failing report are ::error as well.
	WarnFails bool
}

func (o CIOptions) failOn() FailFunc {
	if o.FailOn == nil {
		return FailOnReject
	}
	return o.FailOn
}

// ciOutcome is how a report counts: "" (it passes), "failure" or "error".
func (o CIOptions) outcome(r *Report) (kind, why string) {
	if r.Error != "" {
		return "error", "cannot be checked: " + Safe(Prose(r.Error))
	}
	if failed, why := o.failOn()(r); failed {
		if why == "" {
			why = VerdictLine(r)
		}
		return "failure", why
	}
	if o.Indeterminate != nil {
		if ind, why := o.Indeterminate(r); ind {
			if why == "" {
				why = VerdictLine(r)
			}
			return "error", why
		}
	}
	return "", ""
}

// annotation is the GitHub command for a finding of severity s in a
// report whose outcome is kind: ::error only for what fails the build.
func (o CIOptions) annotation(kind string, s Severity) string {
	switch {
	case s == SeverityInfo:
		return "notice"
	case kind == "":
		return "warning" // the report passes: its problems fail nothing
	case s == SeverityError, s == SeverityWarn && o.WarnFails:
		return "error"
	}
	return "warning"
}
