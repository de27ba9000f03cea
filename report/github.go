package report

import (
	"fmt"
	"io"
	"strings"
)

// NewGitHubRenderer returns a Renderer that writes GitHub Actions workflow
// commands, so that a pull request changing a template shows each problem
// on the file (NewGitHubRendererCI with failOn alone).
func NewGitHubRenderer(w io.Writer, failOn FailFunc) Renderer {
	return NewGitHubRendererCI(w, CIOptions{FailOn: failOn})
}

// NewGitHubRendererCI returns the GitHub Actions renderer whose levels
// agree with the exit code (CIOptions): an ::error with the verdict for
// every report that fails the build (it reaches --fail-on, has no verdict
// for a temporary DNS failure, or could not be checked), then one
// annotation per finding with the file, a title (the finding's title and
// ID) and a message (detail and fix): ::error for the problems that fail
// the build, ::warning for the problems of a report that passes (and the
// warnings of one that fails, unless --fail-on warn), ::notice for notes.
// A plan (no message) has no file property.
//
// Data and properties are escaped as the Actions runner expects (% → %25,
// CR → %0D, LF → %0A; in properties also : → %3A and , → %2C), after Safe
// has shown control characters as escapes, so every command is one line
// and untrusted text can neither start a command of its own (::error::,
// ::add-mask::, ::stop-commands::) nor end the properties early.
func NewGitHubRendererCI(w io.Writer, o CIOptions) Renderer {
	return &githubRenderer{w: w, o: o}
}

type githubRenderer struct {
	w io.Writer
	o CIOptions
}

func (g *githubRenderer) Add(r *Report) error {
	var b strings.Builder
	file := ""
	if r.Message.Path != "" && r.Message.Path != "-" {
		file = r.Message.Path
	}
	if r.Error != "" {
		ghCommand(&b, "error", file, "preflight: cannot be checked", Safe(Prose(r.Error)))
		_, err := io.WriteString(g.w, b.String())
		return err
	}
	kind, why := g.o.outcome(r)
	if kind != "" {
		ghCommand(&b, "error", file, "preflight: "+r.Verdict.DisplayName()+" verdict", Safe(why))
	}
	for _, f := range r.Findings {
		cmd := g.o.annotation(kind, f.Severity)
		var msg []string
		if f.Detail != "" {
			msg = append(msg, Safe(f.Detail))
		}
		if f.Fix != "" {
			msg = append(msg, "Fix: "+Safe(f.Fix))
		}
		if len(msg) == 0 {
			msg = append(msg, Safe(f.Title))
		}
		ghCommand(&b, cmd, file, fmt.Sprintf("%s [%s]", Safe(f.Title), f.ID), strings.Join(msg, "\n"))
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *githubRenderer) Close() error { return nil }

// ghCommand writes one workflow command line: ::cmd file=F,title=T::message.
// message may hold line breaks of the renderer's own (they are escaped as
// %0A and shown as breaks in the annotation).
//
// Every part goes through Safe here, whatever the caller did: an untrusted
// line break, ESC or invalid byte cannot reach the runner.
func ghCommand(b *strings.Builder, cmd, file, title, message string) {
	lines := strings.Split(message, "\n")
	for i, l := range lines {
		lines[i] = Safe(l)
	}
	message, title = strings.Join(lines, "\n"), Safe(title)
	b.WriteString("::" + cmd)
	var props []string
	if file != "" {
		props = append(props, "file="+ghProperty(Safe(file)))
	}
	if title != "" {
		props = append(props, "title="+ghProperty(title))
	}
	if len(props) > 0 {
		b.WriteString(" " + strings.Join(props, ","))
	}
	b.WriteString("::" + ghData(message) + "\n")
}

// ghData escapes a command's data as the runner unescapes it
// (actions/toolkit escapeData).
func ghData(s string) string { return ghDataEscaper.Replace(s) }

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghProperty escapes a command property value (actions/toolkit
// escapeProperty): data escaping plus : and , which delimit properties.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
