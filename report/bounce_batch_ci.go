package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// The CI formats of a bounce run: JUnit XML, where a mailbox's
// authentication failures fail the build and everything else is recorded,
// and GitHub Actions annotations. Both end with the triage summary. Every
// string goes through Safe (and xmlText, ghCommand) as check's CI output
// does.

type bounceJUnitSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Suites   []bounceJUnitSet `xml:"testsuite"`
}

type bounceJUnitSet struct {
	Name      string            `xml:"name,attr"`
	Tests     int               `xml:"tests,attr"`
	Failures  int               `xml:"failures,attr"`
	Errors    int               `xml:"errors,attr"`
	Skipped   int               `xml:"skipped,attr"`
	Cases     []bounceJUnitCase `xml:"testcase"`
	SystemOut string            `xml:"system-out,omitempty"`
}

type bounceJUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// bounceJUnit holds the test cases until Close, which knows the counts
// the document's first element carries.
type bounceJUnit struct {
	w     io.Writer
	suite bounceJUnitSet
}

func newBounceJUnit(w io.Writer) *bounceJUnit {
	return &bounceJUnit{w: w, suite: bounceJUnitSet{Name: "preflight bounce"}}
}

func (j *bounceJUnit) Add(it BounceItem) error {
	src := xmlText(Safe(it.Source))
	add := func(c bounceJUnitCase) {
		j.suite.Tests++
		j.suite.Cases = append(j.suite.Cases, c)
	}
	switch {
	case it.Bounce != nil:
		for i, d := range it.Bounce.Diagnoses {
			c := bounceJUnitCase{Name: xmlText(Safe(orDefault(d.Recipient, fmt.Sprintf("recipient #%d", i+1)))), Classname: src}
			body := xmlText(diagnosisBody(d))
			if d.Category == "authentication" && !d.Delayed {
				j.suite.Failures++
				c.Failure = &junitProblem{Message: xmlText(Safe(diagnosisTitle(d))), Type: "authentication", Body: body}
			} else {
				c.SystemOut = body
			}
			add(c)
		}
	case it.Notice != nil:
		j.suite.Skipped++
		add(bounceJUnitCase{Name: src, Classname: src, Skipped: &junitSkipped{Message: xmlText(noticeShort(LangEN, it.Notice) + ", not a bounce")}})
	case it.Unreadable:
		j.suite.Errors++
		add(bounceJUnitCase{Name: src, Classname: src, Error: &junitProblem{Message: xmlText(Safe(it.Problem)), Type: UnreadableKind}})
	default:
		j.suite.Skipped++
		add(bounceJUnitCase{Name: src, Classname: src, Skipped: &junitSkipped{Message: xmlText("not a bounce: " + Safe(it.Problem))}})
	}
	return nil
}

func (j *bounceJUnit) Close(s *BounceTriage) error {
	var sum strings.Builder
	t := &textWriter{w: &sum, o: TextOptions{Width: 100}}
	t.triage(s)
	j.suite.SystemOut = xmlText(sum.String())
	doc := bounceJUnitSuites{Name: j.suite.Name, Tests: j.suite.Tests, Failures: j.suite.Failures, Errors: j.suite.Errors,
		Skipped: j.suite.Skipped, Suites: []bounceJUnitSet{j.suite}}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("report: encoding JUnit XML: %w", err)
	}
	_, err = fmt.Fprintf(j.w, "%s%s\n", xml.Header, out)
	return err
}

// diagnosisTitle is a diagnosis in a few words: "QQ Mail: 550 DMARC check
// failed".
func diagnosisTitle(d BounceDiagnosis) string {
	return fmt.Sprintf("%s: %s", orDefault(d.ReceiverName, "unknown receiver"), strings.TrimSpace(d.Code+" "+orDefault(d.Reason, ReasonUnrecognised)))
}

// diagnosisBody is what a CI system shows of a diagnosis: the reply, what it
// means, what to do, the re-check and its fixes (plain text, Safe).
func diagnosisBody(d BounceDiagnosis) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", Safe(diagnosisTitle(d)))
	fmt.Fprintf(&b, "Reply: %s\nCategory: %s\n", Safe(d.Reply), Safe(d.Category))
	if d.Delayed {
		b.WriteString("Delayed: the sending server is still retrying\n")
	}
	fmt.Fprintf(&b, "Meaning: %s\nWhat to do: %s\n", Safe(d.Meaning), Safe(d.Action))
	if rc := d.Recheck; rc != nil {
		fmt.Fprintf(&b, "Re-check: %s\n", Safe(rc.Note))
		if rc.Report != nil && rc.Ref == "" && len(rc.Report.Fixes) > 0 {
			b.WriteString("Fixes (any one is enough):\n")
			for i, f := range rc.Report.Fixes {
				fmt.Fprintf(&b, "%d. %s\n", i+1, Safe(capitalize(f.Title)))
				for _, r := range f.Records {
					fmt.Fprintf(&b, "   %s\n", Safe(r))
				}
			}
		}
		if rc.Ref != "" {
			fmt.Fprintf(&b, "(same re-check as %s %s)\n", Safe(rc.RefSource), Safe(rc.Ref))
		}
	}
	return b.String()
}

// bounceGitHub writes workflow commands: one per failure as it comes, the
// summary at the end.
type bounceGitHub struct{ w io.Writer }

func (g *bounceGitHub) Add(it BounceItem) error {
	var b strings.Builder
	// The file the annotation belongs to: the message's, or the mbox's
	// for its Nth message ("bounces.mbox#3"); none for stdin.
	file := it.Source
	if i := strings.LastIndexByte(file, '#'); i > 0 && strings.Trim(file[i+1:], "0123456789") == "" {
		file = file[:i]
	}
	if file == "stdin" {
		file = ""
	}
	switch {
	case it.Bounce != nil:
		for _, d := range it.Bounce.Diagnoses {
			cmd := "warning"
			switch {
			case d.Delayed:
				cmd = "notice"
			case d.Category == "authentication":
				cmd = "error"
			}
			title := fmt.Sprintf("preflight bounce: %s", diagnosisTitle(d))
			ghCommand(&b, cmd, file, title, fmt.Sprintf("%s: %s\n%s", orDefault(it.Source, "-"), orDefault(d.Recipient, "-"), diagnosisBody(d)))
		}
	case it.Unreadable:
		ghCommand(&b, "error", file, "preflight bounce: cannot be read", it.Source+": "+it.Problem)
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *bounceGitHub) Close(s *BounceTriage) error {
	var b, sum strings.Builder
	for _, a := range s.Authentication {
		all := ""
		if a.All {
			all = "all "
		}
		title := fmt.Sprintf("preflight bounce triage: %d × %s at %s", a.Count, a.Reason, orDefault(a.ReceiverName, "unknown receiver"))
		var m strings.Builder
		fmt.Fprintf(&m, "%sFrom %s via %s (first seen: %s %s)", all, orDefault(a.FromDomain, "unknown (no message returned)"), orDefault(a.MailFromDomain, "unknown"), a.Source, a.Recipient)
		for i, f := range a.Fixes {
			if i == 0 {
				m.WriteString("\nFix — any one of these is enough:")
			}
			fmt.Fprintf(&m, "\n%d. %s", i+1, capitalize(f.Title))
			for _, r := range f.Records {
				fmt.Fprintf(&m, "\n   %s", r)
			}
		}
		if len(a.Fixes) == 0 && a.Action != "" {
			fmt.Fprintf(&m, "\nWhat to do: %s", a.Action)
		}
		ghCommand(&b, "error", "", title, m.String())
	}
	t := &textWriter{w: &sum, o: TextOptions{Width: 100}}
	t.triage(s)
	ghCommand(&b, "notice", "", "preflight bounce triage", strings.TrimRight(sum.String(), "\n"))
	_, err := io.WriteString(g.w, b.String())
	return err
}
