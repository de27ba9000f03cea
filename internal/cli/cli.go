// Package cli is preflight's command line: the subcommands, their flags, the
// exit codes and the output plumbing. Run is the whole program; main.go only
// builds a context and exits with Run's code, so tests run the CLI
// in-process (see the golden transcripts in testdata/golden).
//
// Exit codes are API (DESIGN.md): 0 nothing at or above --fail-on; 1 the
// predicted outcome reaches --fail-on; 2 usage or input error (one line on
// stderr); 3 indeterminate (a temporary DNS failure prevented a verdict);
// 130 interrupted (SIGINT; 143 for SIGTERM), after printing what finished.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"preflight/report"
)

// Exit codes.
const (
	ExitOK            = 0
	ExitFail          = 1
	ExitUsage         = 2
	ExitIndeterminate = 3
	// ExitInterrupted is 128+SIGINT: the run was interrupted (its context
	// was cancelled) after printing what had finished. main turns it into
	// 143 (128+SIGTERM) when SIGTERM was the cause.
	ExitInterrupted = 130
)

// command is one subcommand.
type command struct {
	name     string
	usage    string // after "preflight ": "lookup [flags] TYPE NAME"
	summary  string // one line for the command list
	long     string // a paragraph for --help
	examples []string
	// formats lists the accepted --format values, the first being the
	// default; nil means the command has no --format flag.
	formats []string
	// dns adds the common DNS flags (--resolver, --zone, --overlay,
	// --record, --timeout) and --now.
	dns bool
	// setup defines the command's own flags on fs and returns the function
	// that runs once the flags are parsed, with the positional arguments.
	setup func(fs *pflag.FlagSet) func(ctx context.Context, e *env, args []string) error
}

// commands returns the subcommands in the order --help lists them. Each is
// defined in its own file.
func commands() []*command {
	return []*command{
		checkCommand(),
		bounceCommand(),
		dkimCommand(),
		domainCommand(),
		lookupCommand(),
		spfCommand(),
		receiversCommand(),
		serveCommand(),
		versionCommand(),
	}
}

// Run runs preflight with args (without the program name) and returns the
// exit code. It never panics on bad input and never calls os.Exit.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		topUsage(stderr, cmds)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if name == "help" && len(args) > 1 {
			if c := find(cmds, args[1]); c != nil {
				fs, _ := flagSet(c, &env{})
				commandUsage(stdout, c, fs)
				return ExitOK
			}
		}
		topUsage(stdout, cmds)
		return ExitOK
	case "--version", "-V":
		name = "version"
	}
	c := find(cmds, name)
	if c == nil {
		fmt.Fprintf(stderr, "preflight: unknown command %q (run 'preflight --help' for the list)\n", name) // %q escapes control characters
		return ExitUsage
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, cmd: c.name}
	fs, run := flagSet(c, e)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			commandUsage(stdout, c, fs)
			return ExitOK
		}
		// pflag quotes the flag as typed: through Safe like every error.
		fmt.Fprintf(stderr, "preflight %s: %s (see 'preflight %s --help')\n", c.name, report.Safe(err.Error()), c.name)
		return ExitUsage
	}
	e.langSet = fs.Changed("lang")
	if err := e.init(); err != nil {
		return e.fail(err)
	}
	// One deadline for the whole run (--deadline), except where it is per
	// message (check: check.Config.Deadline) or per domain (domain), and
	// serve, whose requests have their own.
	runCtx := ctx
	if c.dns && c.name != "check" && c.name != "domain" && c.name != "serve" {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, e.dns.deadline)
		defer cancel()
	}
	err := run(runCtx, e, fs.Args())
	if ferr := e.finish(); err == nil && ferr != nil {
		err = ferr
	}
	if ctx.Err() != nil {
		// Interrupted: what finished is printed; a "context canceled" is
		// not a usage error.
		msg := "interrupted"
		if e.interrupted != "" {
			msg = e.interrupted
		}
		fmt.Fprintf(stderr, "preflight %s: %s\n", c.name, msg)
		return ExitInterrupted
	}
	if err != nil {
		return e.fail(err)
	}
	if c.name != "check" && c.name != "domain" {
		e.timeoutNote(runCtx)
	}
	return e.code
}

// interrupted reports whether the run was interrupted (SIGINT, SIGTERM):
// its context was cancelled. A --deadline that ran out is not an
// interruption: what was unanswered by then is a temporary failure, and
// the command prints its result.
func interrupted(ctx context.Context) bool { return errors.Is(ctx.Err(), context.Canceled) }

// timeoutNote says which flag to raise when a run ended in a temporary
// failure (exit 3) for want of time: the run's --deadline ran out, or DNS
// questions got no answer within --timeout.
func (e *env) timeoutNote(runCtx context.Context) {
	if e.code != ExitIndeterminate {
		return
	}
	if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
		fmt.Fprintf(e.stderr, "preflight %s: %s\n", e.cmd, report.T(e.lang, report.NoteDeadline, e.dns.deadline))
		return
	}
	n := 0
	for _, q := range e.dnsQueries() {
		if q.Timeout && !q.Cached {
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "preflight %s: %s\n", e.cmd, report.T(e.lang, report.NoteTimeout, n, e.dns.timeout))
	}
}

func find(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

func flagSet(c *command, e *env) (*pflag.FlagSet, func(context.Context, *env, []string) error) {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	if c.dns {
		e.dns.register(fs)
		fs.StringVar(&e.nowFlag, "now", "", "evaluation time, RFC 3339 (e.g. 2026-01-15T12:00:00Z); default: now")
	}
	if len(c.formats) > 0 {
		fs.StringVar(&e.format, "format", c.formats[0], "output format: "+strings.Join(c.formats, ", "))
		e.formats = c.formats
	}
	fs.BoolVarP(&e.verbose, "verbose", "v", false, "show more detail (every DNS query, rule provenance)")
	fs.BoolVarP(&e.quiet, "quiet", "q", false, "print only the verdict lines")
	fs.StringVar(&e.color, "color", "auto", "colour in text output: auto, always, never (auto: on a terminal, unless NO_COLOR is set and not empty)")
	fs.StringVar(&e.langFlag, "lang", "", "language of text and HTML output: en or zh (default: zh on a terminal whose locale is Chinese, else en)")
	run := c.setup(fs)
	return fs, run
}

func topUsage(w io.Writer, cmds []*command) {
	fmt.Fprint(w, `preflight predicts, before a message is sent, whether QQ Mail (or another
receiver) would bounce it with "550 DMARC check failed", and explains which SPF
or DKIM alignment is missing and what to change.

Usage:
  preflight COMMAND [flags] [arguments]

Commands:
`)
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
`)
	var ex []string
	for _, c := range cmds {
		if len(c.examples) > 0 {
			ex = append(ex, c.examples[0])
		}
	}
	for _, x := range ex {
		fmt.Fprintf(w, "  %s\n", x)
	}
	fmt.Fprint(w, `
Exit codes: 0 ok, 1 the receiver would reject (see --fail-on), 2 usage or
input error, 3 indeterminate (temporary DNS failure), 130 interrupted (143 on
SIGTERM), after printing what had finished.
Run 'preflight COMMAND --help' for a command's flags and examples.
`)
}

func commandUsage(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: preflight %s\n\n%s\n", c.usage, c.summary)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.long))
	}
	if len(c.examples) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, x := range c.examples {
			fmt.Fprintf(w, "  %s\n", x)
		}
	}
	fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsagesWrapped(100))
}

// exitError carries an exit code (and optionally a message) out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports bad usage or input: exit code 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// inputError marks err as an input error: exit code 2.
func inputError(err error) error { return &exitError{code: ExitUsage, err: err} }

// fail prints err as one line and returns its exit code.
func (e *env) fail(err error) int {
	code := ExitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	// An error may quote its input (a file name, a DNS answer): one line,
	// shown through Safe like every other output.
	msg := report.Prose(strings.Join(strings.Fields(err.Error()), " "))
	fmt.Fprintf(e.stderr, "preflight %s: %s\n", e.cmd, report.Safe(msg))
	return code
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool { return terminal(w) }

// terminalStream is a stream that says whether it is a terminal: tests
// give Run a stdin that implements it.
type terminalStream interface{ IsTerminal() bool }

// terminal reports whether the stream s (an *os.File, or a
// terminalStream) is a terminal.
func terminal(s any) bool {
	if t, ok := s.(terminalStream); ok {
		return t.IsTerminal()
	}
	f, ok := s.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
