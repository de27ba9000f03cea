package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"preflight/dns"
	"preflight/internal/audit"
	"preflight/internal/receiver"
	"preflight/report"
)

type domainOptions struct {
	selectors []string
	receiver  string
	failOn    string
	jobs      int
}

func domainCommand() *command {
	o := &domainOptions{}
	return &command{
		name:    "domain",
		usage:   "domain [flags] DOMAIN|FILE|-...",
		summary: "audit a sending domain's DNS: DMARC, SPF, MX, DKIM keys, BIMI, MTA-STS, TLS-RPT",
		long: `A DNS-only audit per domain, no message needed: DMARC by both discoveries
(RFC 7489 Public Suffix List and RFC 9989 tree walk, and whether they
disagree), its lint, and whether every external rua=/ruf= destination has
authorised the reports (RFC 7489 §7.1); SPF's worst-case lookups per term,
void lookups, authorised networks and warnings (+all, ?all, ...), or its
absence; MX and null MX (RFC 7505), and whether the domain exists at all
(NXDOMAIN); DKIM keys at the selectors given with --selector; the presence
and syntax of BIMI, MTA-STS and TLS-RPT records (the MTA-STS policy file is
not fetched); and, per --receiver, what that receiver would do with a
message from the domain that fails DMARC, with the rule's confidence.

Arguments are domains (an address counts as its domain), files of domains
(an argument naming an existing file; one domain per line, # comments) or
- for stdin. Domains are audited --jobs at a
time over one shared DNS cache; output stays in input order.

Formats: text (a verdict line per domain, then its block), json (one
object per domain, JSON Lines, "kind":"domain"), csv (a header row, one row
per domain), markdown, junit, github.

Exit codes: 0 every domain audited without a problem at --fail-on; 1 some
domain has an error-level finding (with --fail-on warn, a warning too); 2
usage error, or an input that is not a domain; 3 a temporary DNS failure
left part of some audit unknown (and nothing reached --fail-on).`,
		examples: []string{
			"preflight domain --zone testdata/demo/demo.zone brand.example esp.example nosuch.example",
			"preflight domain example.com --selector google --selector selector1",
			"preflight domain example.com --selector common --receiver all",
			"preflight domain domains.txt --format csv > audit.csv",
			"cut -d, -f1 customers.csv | preflight domain - --format json",
		},
		formats: []string{"text", "json", "csv", "markdown", "junit", "github"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			fs.StringArrayVar(&o.selectors, "selector", nil, "DKIM selector to check (repeatable, or comma-separated); 'common' tries a built-in list of widely used ones")
			fs.StringVar(&o.receiver, "receiver", "qq", "receiver profile(s) to ask what they do with a message that fails DMARC: "+strings.Join(receiver.Names(), ", ")+", a comma list, all, or none")
			fs.StringVar(&o.failOn, "fail-on", "fail", "exit 1 when a domain has: fail (an error-level finding), warn (any warning)")
			fs.IntVar(&o.jobs, "jobs", 16, "domains audited at once; DNS-bound, so more than the cores (output stays in input order)")
			return func(ctx context.Context, e *env, args []string) error { return runDomain(ctx, e, o, args) }
		},
	}
}

func runDomain(ctx context.Context, e *env, o *domainOptions, args []string) error {
	if o.failOn != "fail" && o.failOn != "warn" {
		return usageErrorf("unknown --fail-on %q (use fail or warn)", o.failOn)
	}
	if o.jobs < 1 {
		return usageErrorf("--jobs must be at least 1")
	}
	profiles, err := domainReceivers(o.receiver)
	if err != nil {
		return err
	}
	cfg := audit.Config{Now: func() time.Time { return e.now }, Receivers: profiles}
	for _, s := range o.selectors {
		for _, sel := range strings.Split(s, ",") {
			switch sel = strings.TrimSpace(sel); {
			case strings.EqualFold(sel, "common"):
				cfg.Common = true
			case sel != "":
				// A selector is one or more DNS labels (RFC 6376 §3.1).
				if _, err := dns.ParseDomain(sel); err != nil || strings.ContainsAny(sel, "@") {
					return usageErrorf("--selector %q is not a DKIM selector (one or more DNS labels, e.g. s1 or google)", sel)
				}
				cfg.Selectors = append(cfg.Selectors, sel)
			}
		}
	}
	inputs, err := domainInputs(e, args)
	if err != nil {
		return err
	}
	if cfg.Resolver, err = e.resolver(); err != nil {
		return err
	}
	var names []string
	for _, p := range profiles {
		names = append(names, p.Name)
	}
	rd, err := report.NewDomainRenderer(e.stdout, report.DomainOptions{Options: e.options(), FailOn: o.failOn, Receivers: names})
	if err != nil {
		return err
	}
	var notDomain, failed, temp bool
	prog := newProgress(e.stderr, len(inputs))
	err = audit.Batch(ctx, cfg, inputs, o.jobs, func(i int, a *report.DomainAudit) error {
		prog.step()
		prog.clear()
		switch {
		case a.Status == report.DomainError:
			notDomain = true
			if len(inputs) == 1 {
				// One input that is not a domain: a usage error, said
				// once on stderr (and in the structured formats).
				fmt.Fprintf(e.stderr, "preflight domain: %s\n", report.Safe(a.Error))
				if e.format == "text" {
					return nil
				}
			}
		case report.DomainFails(a, o.failOn):
			failed = true
		case a.Status == report.DomainTempError:
			temp = true
		}
		return rd.Add(a)
	})
	prog.done()
	if cerr := rd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil // Run reports the interruption
		}
		return err
	}
	switch {
	case notDomain:
		e.setCode(ExitUsage)
	case failed:
		e.setCode(ExitFail)
	case temp:
		e.setCode(ExitIndeterminate)
	}
	return nil
}

// domainReceivers parses --receiver: a name, a comma list, all or none.
func domainReceivers(s string) ([]*receiver.Profile, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "all":
		return receiver.Profiles(), nil
	case "none", "":
		return nil, nil
	}
	var out []*receiver.Profile
	seen := map[string]bool{}
	for _, name := range strings.Split(s, ",") {
		p, err := receiver.Lookup(strings.TrimSpace(name))
		if err != nil {
			return nil, usageErrorf("unknown --receiver %q (use %s, a comma list, all or none)", strings.TrimSpace(name), strings.Join(receiver.Names(), ", "))
		}
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// domainInputs expands the arguments: "-" reads domains from stdin, an
// argument naming an existing regular file reads domains from it (one per
// line, # comments, blank lines skipped), anything else is a domain.
func domainInputs(e *env, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, usageErrorf("give DOMAIN... , a file of domains, or - to read them from stdin (e.g. preflight domain brand.example)")
	}
	var out []string
	stdinUsed := false
	for _, arg := range args {
		switch {
		case arg == "-":
			if stdinUsed {
				return nil, usageErrorf("- (stdin) given twice")
			}
			stdinUsed = true
			if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
				fmt.Fprintln(e.stderr, "preflight domain: reading domains from the terminal, one per line; end with Ctrl-D")
			}
			list, err := readDomainList(e.stdin, "stdin")
			if err != nil {
				return nil, err
			}
			out = append(out, list...)
		case isRegularFile(arg):
			f, err := os.Open(arg)
			if err != nil {
				return nil, inputError(err)
			}
			list, err := readDomainList(f, arg)
			f.Close()
			if err != nil {
				return nil, err
			}
			out = append(out, list...)
		default:
			out = append(out, arg)
		}
	}
	if len(out) == 0 {
		return nil, usageErrorf("no domains given: the list is empty (one domain per line; # starts a comment)")
	}
	return out, nil
}

func isRegularFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// maxDomainLine bounds one line of a domain list: a domain is at most 253
// octets; a longer line is kept (and reported as not a domain) up to this.
const maxDomainLine = 64 << 10

// maxDomainList bounds a list of domains (a file or stdin): 64 MiB is some
// two million domains, more than one run can audit.
const maxDomainList = 64 << 20

// readDomainList reads one domain per line; "#" starts a comment; blank
// lines and a UTF-8 byte order mark are skipped. A file with NUL bytes is
// refused as not text.
func readDomainList(r io.Reader, name string) ([]string, error) {
	lr := &io.LimitedReader{R: r, N: maxDomainList + 1} // stdin or a FIFO may never end
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 4096), maxDomainLine)
	var out []string
	for first := true; sc.Scan(); first = false {
		line := sc.Bytes()
		if first {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return nil, inputError(fmt.Errorf("%s is not a text list of domains (it holds NUL bytes)", name))
		}
		s := string(line)
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, inputError(fmt.Errorf("%s: a line is longer than %d bytes: not a list of domains", name, maxDomainLine))
		}
		return nil, inputError(fmt.Errorf("reading %s: %w", name, err))
	}
	if lr.N <= 0 {
		return nil, inputError(fmt.Errorf("%s: the list is larger than %d MiB, the limit of a list of domains", name, maxDomainList>>20))
	}
	return out, nil
}
