package cli

import (
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"preflight/dns"
	"preflight/report"
)

// env is what a running command sees: its streams, the common flags, the DNS
// stack and the exit code it has set.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cmd            string

	dns     dnsOptions
	nowFlag string
	now     time.Time
	format  string
	formats []string
	verbose bool
	quiet   bool
	color   string

	stack *dnsStack
	code  int // exit code when the command returns nil
}

func (e *env) init() error {
	if e.formats != nil && !slices.Contains(e.formats, e.format) {
		return usageErrorf("unknown --format %q (use %s)", e.format, strings.Join(e.formats, ", "))
	}
	switch e.color {
	case "auto", "always", "never":
	default:
		return usageErrorf("unknown --color %q (use auto, always or never)", e.color)
	}
	e.now = time.Now()
	if e.nowFlag != "" {
		t, err := time.Parse(time.RFC3339, e.nowFlag)
		if err != nil {
			return usageErrorf("--now %q is not an RFC 3339 time such as 2026-01-15T12:00:00Z", e.nowFlag)
		}
		e.now = t
	}
	return nil
}

// setCode raises the exit code to code (the worst outcome wins).
func (e *env) setCode(code int) {
	if code == ExitIndeterminate && e.code == ExitFail || code == ExitFail && e.code == ExitIndeterminate {
		e.code = ExitFail // a definite rejection outranks "could not tell"
		return
	}
	e.code = max(e.code, code)
}

// colorOn reports whether text output may use ANSI colour.
func (e *env) colorOn() bool {
	switch e.color {
	case "always":
		return true
	case "never":
		return false
	}
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	return isTerminal(e.stdout) && os.Getenv("TERM") != "dumb"
}

// resolver returns the process-wide DNS stack, building it on first use.
func (e *env) resolver() (dns.Resolver, error) {
	if e.stack == nil {
		s, err := e.dns.build()
		if err != nil {
			return nil, err
		}
		e.stack = s
	}
	return e.stack.cache, nil
}

// finish writes the --record file, if any, and warns when it is incomplete.
func (e *env) finish() error {
	if e.stack == nil {
		return nil
	}
	return e.stack.finish(e.stderr, e.now)
}

// dnsQueries returns the query log of the run so far.
func (e *env) dnsQueries() []dns.Query {
	if e.stack == nil {
		return nil
	}
	return e.stack.cache.Log()
}

// options are the output options the common flags chose, for the report
// package's renderers.
func (e *env) options() report.Options {
	return report.Options{
		Format:      e.format,
		TextOptions: report.TextOptions{Color: e.colorOn(), Verbose: e.verbose, Quiet: e.quiet, Width: termWidth(e.stdout)},
		Queries:     e.dnsQueries(),
	}
}
