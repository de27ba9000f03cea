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
	// langFlag is --lang as given, langSet whether it was; lang is the
	// language chosen (chooseLang).
	langFlag string
	langSet  bool
	lang     report.Lang

	stack *dnsStack
	code  int // exit code when the command returns nil
	// interrupted says what an interrupted command left undone ("3 of 10
	// message(s) not checked"), for the closing line on stderr.
	interrupted string
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
	lang, err := chooseLang(e.langFlag, e.langSet, isTerminal(e.stdout), os.Getenv)
	if err != nil {
		return err
	}
	e.lang = lang
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

// chooseLang picks the output language: --lang when given; else Chinese
// when stdout is a terminal and the locale (LC_ALL, else LC_MESSAGES, else
// LANG) is Chinese; else English. A pipe or a file gets English whatever
// the locale, so scripts and CI see the same output everywhere. terminal
// and getenv are injected for tests.
func chooseLang(flag string, set, terminal bool, getenv func(string) string) (report.Lang, error) {
	if set {
		l, ok := report.ParseLang(flag)
		if !ok {
			return report.LangEN, usageErrorf("unknown --lang %q (use en or zh)", flag)
		}
		return l, nil
	}
	if terminal {
		return report.LangFromLocale(getenv), nil
	}
	return report.LangEN, nil
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
		TextOptions: e.textOptions(),
		Queries:     e.dnsQueries(),
		// JSON carries localized texts only when asked for by name: its
		// shape must not depend on the terminal's locale.
		JSONLang: e.jsonLang(),
	}
}

// textOptions are the text renderer's options the common flags chose.
func (e *env) textOptions() report.TextOptions {
	return report.TextOptions{Color: e.colorOn(), Verbose: e.verbose, Quiet: e.quiet, Width: termWidth(e.stdout), Lang: e.lang}
}

// jsonLang is the language whose texts JSON output adds beside its IDs:
// only one given with --lang, and never English (the IDs' own language).
func (e *env) jsonLang() report.Lang {
	if e.langSet && e.lang != report.LangEN {
		return e.lang
	}
	return ""
}
