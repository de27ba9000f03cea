package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// NewJUnitRenderer returns a Renderer that writes a JUnit XML report
// (NewJUnitRendererCI with failOn alone).
func NewJUnitRenderer(w io.Writer, suiteName string, failOn FailFunc) Renderer {
	return NewJUnitRendererCI(w, suiteName, CIOptions{FailOn: failOn})
}

// NewJUnitRendererCI returns a Renderer that writes a JUnit XML report, the
// format CI dashboards (Jenkins, GitLab, GitHub test reporters, Azure)
// load: a <testsuites> element holding one <testsuite> for the run, with one
// <testcase> per report (named by the message path, or "plan"). As the
// exit code (CIOptions): a report at --fail-on gets a <failure> whose
// message is the reason and whose body lists the findings and fixes; a
// report with no verdict for a temporary DNS failure gets an <error> of
// type temperror with the same body; a report that could not be checked
// (Error set) gets an <error> of type not-checked; the others carry their
// findings in <system-out>. Counts (tests, failures, errors) are written
// on Close, which writes the whole document.
//
// Every string is XML-escaped by encoding/xml, after Safe has shown
// control characters as visible escapes; characters that XML 1.0 does not
// allow at all (even as references) cannot reach the output.
func NewJUnitRendererCI(w io.Writer, suiteName string, o CIOptions) Renderer {
	if suiteName == "" {
		suiteName = "preflight"
	}
	return &junitRenderer{w: w, o: o, suite: junitSuite{Name: xmlText(suiteName)}}
}

type junitRenderer struct {
	w     io.Writer
	o     CIOptions
	suite junitSuite
	ms    int64
}

// JUnit XML, in the shape common to the Jenkins/Ant schema and the
// dashboards that read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

func (j *junitRenderer) Add(r *Report) error {
	c := junitCase{
		Name:      xmlText(Safe(pathOr(r))),
		Classname: j.suite.Name,
		Time:      seconds(r.DNS.ElapsedMS),
	}
	if r.Verdict.Receiver != "" {
		c.Classname += "." + xmlText(Safe(r.Verdict.Receiver))
	}
	j.ms += r.DNS.ElapsedMS
	j.suite.Tests++
	body := junitBody(r)
	switch kind, why := j.o.outcome(r); {
	case r.Error != "":
		j.suite.Errors++
		c.Error = &junitProblem{Message: xmlText(Safe(Prose(r.Error))), Type: "not-checked", Body: xmlText("cannot be checked: " + Safe(Prose(r.Error)) + "\n")}
	case kind == "failure":
		j.suite.Failures++
		c.Failure = &junitProblem{Message: xmlText(Safe(why)), Type: orDefault(string(r.Verdict.Disposition), "fail"), Body: body}
	case kind == "error":
		j.suite.Errors++
		c.Error = &junitProblem{Message: xmlText(Safe(why)), Type: "temperror", Body: body}
	default:
		c.SystemOut = body
	}
	j.suite.Cases = append(j.suite.Cases, c)
	return nil
}

func (j *junitRenderer) Close() error {
	j.suite.Time = seconds(j.ms)
	doc := junitSuites{Name: j.suite.Name, Tests: j.suite.Tests, Failures: j.suite.Failures,
		Errors: j.suite.Errors, Time: j.suite.Time, Suites: []junitSuite{j.suite}}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("report: encoding JUnit XML: %w", err)
	}
	_, err = fmt.Fprintf(j.w, "%s%s\n", xml.Header, out)
	return err
}

// junitBody is the plain-text explanation inside a test case: the verdict,
// the findings with their fixes, the fixes with their records.
func junitBody(r *Report) string {
	var b strings.Builder
	b.WriteString(VerdictLine(r) + "\n")
	if len(r.Findings) > 0 {
		b.WriteString("\nFindings:\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "- [%s] %s: %s\n", f.Severity, f.ID, Safe(f.Title))
			if f.Detail != "" {
				fmt.Fprintf(&b, "    %s\n", Safe(f.Detail))
			}
			if f.Fix != "" {
				fmt.Fprintf(&b, "    Fix: %s\n", Safe(f.Fix))
			}
		}
	}
	// The fixes as the text groups them: only those proven enough for
	// every receiver are "any one is enough".
	enough, some, rest := fixGroups(r.Fixes)
	for _, g := range []struct {
		head string
		idx  []int
	}{{"Fixes (any one is enough):", enough}, {"Fixes enough for some receivers only:", some}, {"Changes not enough alone:", rest}} {
		if len(g.idx) == 0 {
			continue
		}
		b.WriteString("\n" + g.head + "\n")
		for _, i := range g.idx {
			f := r.Fixes[i]
			fmt.Fprintf(&b, "%d. %s\n", i+1, Safe(capitalize(f.Title)))
			for _, s := range f.Steps {
				fmt.Fprintf(&b, "   %s\n", Safe(s))
			}
			for _, rec := range f.Records {
				fmt.Fprintf(&b, "   %s\n", Safe(rec))
			}
			if f.Verify != "" {
				fmt.Fprintf(&b, "   Verify: %s\n", Safe(f.Verify))
			}
		}
	}
	if len(r.Assumptions) > 0 {
		b.WriteString("\nAssumptions:\n")
		for _, a := range r.Assumptions {
			fmt.Fprintf(&b, "- %s\n", Safe(a))
		}
	}
	return xmlText(b.String())
}

// xmlText makes s fit for XML 1.0 character data after Safe: Safe already
// shows C0/C1 controls as escapes; this also drops what it keeps but XML
// forbids (U+FFFE, U+FFFF, surrogates cannot occur in valid UTF-8). Line
// breaks written by the renderer itself (not from s's untrusted parts,
// which Safe escaped) are kept.
func xmlText(s string) string {
	var b strings.Builder
	for _, part := range strings.SplitAfter(s, "\n") {
		line := strings.TrimSuffix(part, "\n")
		line = Safe(line)
		for _, r := range line {
			if xmlChar(r) {
				b.WriteRune(r)
			}
		}
		if strings.HasSuffix(part, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// xmlChar reports whether r is a Char of XML 1.0 §2.2.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= utf8.MaxRune
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
