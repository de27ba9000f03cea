package cli

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"preflight/dkim"
	"preflight/internal/check"
	"preflight/report"
)

type checkOptions struct {
	from         string
	mailFrom     string
	ips          []string
	helo         string
	dkimKey      string
	dkimDomain   string
	dkimSelector string
	expectDKIM   []string
	receiver     string
	bulk         bool
	failOn       string
	jobs         int
}

func checkCommand() *command {
	var o checkOptions
	return &command{
		name:    "check",
		usage:   "check [flags] [MESSAGE...]",
		summary: "predict the receiver's verdict on a message (or a plan) and explain the fix",
		long: `Performs the SPF, DKIM and DMARC checks the receiver would, predicts its SMTP
answer (QQ Mail by default), and when the answer is a rejection names the
missing alignment and the changes that fix it. MESSAGE is an .eml file, a
folder (every .eml inside), or - for stdin. With no MESSAGE, check evaluates
the plan given by --from, --mail-from, --ip and --expect-dkim alone.`,
		examples: []string{
			"preflight check --zone testdata/demo/demo.zone testdata/demo/esp-defaults.eml",
			"preflight check campaign.eml --mail-from bounce@esp.example --ip 192.0.2.10",
			"preflight check --from news@brand.example --mail-from bounce@esp.example --expect-dkim esp.example:s1",
			"preflight check templates/ --format junit --fail-on quarantine > report.xml",
			"preflight check --zone testdata/demo/demo.zone testdata/demo --format html > report.html",
			"preflight check campaign.eml --dkim-key esp.key --dkim-domain brand.example --dkim-selector s1",
		},
		formats: []string{"text", "json", "markdown", "junit", "github", "html"},
		dns:     true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			fs.StringVar(&o.from, "from", "", "RFC5322.From address or domain (default: the message's From header; given, it overrides it)")
			fs.StringVar(&o.mailFrom, "mail-from", "", "RFC5321.MailFrom (Return-Path) address or domain; '<>' for the null sender (default: the Return-Path header)")
			fs.StringVar(&o.mailFrom, "return-path", "", "alias of --mail-from")
			fs.StringArrayVar(&o.ips, "ip", nil, "sending IP (repeatable; default: the first external Received hop)")
			fs.StringVar(&o.helo, "helo", "", "HELO/EHLO name of the sending server")
			fs.StringVar(&o.dkimKey, "dkim-key", "", "private key (PEM RSA or Ed25519) to sign the sample with, as the ESP will")
			fs.StringVar(&o.dkimDomain, "dkim-domain", "", "d= for --dkim-key")
			fs.StringVar(&o.dkimSelector, "dkim-selector", "", "s= for --dkim-key")
			fs.StringArrayVar(&o.expectDKIM, "expect-dkim", nil, "DOMAIN:SELECTOR the ESP will sign with (repeatable): the key is checked, the signature assumed")
			fs.StringVar(&o.receiver, "receiver", "qq", "receiver profile: "+strings.Join(check.ProfileNames(), ", ")+"; all; auto (the providers of the To/Cc recipients, else qq); or a comma list (the first is the primary)")
			fs.BoolVar(&o.bulk, "bulk", false, "apply the receivers' bulk-sender rules (Gmail, Yahoo, Outlook.com, iCloud…): SPF and DKIM both pass, a DMARC record, alignment, List-Unsubscribe and one-click, reverse DNS of the sending IP")
			fs.StringVar(&o.failOn, "fail-on", check.LevelReject.String(), "exit 1 when an outcome reaches: reject, quarantine, fail (DMARC fails, or any error-level problem), warn (any warning)")
			fs.IntVar(&o.jobs, "jobs", 16, "messages checked at once; DNS-bound, so more than the cores (output stays in input order)")
			return func(ctx context.Context, e *env, args []string) error { return runCheck(ctx, e, &o, args) }
		},
	}
}

func runCheck(ctx context.Context, e *env, o *checkOptions, args []string) error {
	failAt, err := check.ParseLevel(o.failOn)
	if err != nil {
		return usageErrorf("%v", err)
	}
	profiles, auto, err := check.ParseReceivers(o.receiver)
	if err != nil {
		return usageErrorf("%v", err)
	}
	plan, err := buildPlan(e, o, args)
	if err != nil {
		return err
	}
	var inputs []check.Input
	if len(args) == 0 {
		inputs = []check.Input{{}}
	} else {
		paths, err := check.ExpandPaths(args)
		if err != nil {
			return inputError(err)
		}
		stdinUsed := false
		for _, p := range paths {
			if p == "-" {
				if stdinUsed {
					return usageErrorf("- (stdin) given twice")
				}
				stdinUsed = true
			}
			inputs = append(inputs, check.Input{Path: p, Stdin: e.stdin})
		}
	}
	r, err := e.resolver()
	if err != nil {
		return err
	}
	cfg := check.Config{Resolver: r, Now: func() time.Time { return e.now }, Receiver: profiles[0], Receivers: profiles, AutoReceivers: auto, Bulk: o.bulk,
		VerifyArgs: verifyArgs(e, o)}
	// The JUnit and GitHub renderers ask, per report and while adding it,
	// whether it fails; the answer comes from the typed result the report
	// was made from, kept only until the report is added.
	results := map[*report.Report]*check.Result{}
	failOn := func(rep *report.Report) (bool, string) {
		res := results[rep]
		switch {
		case rep.Error != "":
			return true, "cannot be checked: " + report.Safe(rep.Error)
		case res != nil && res.Reaches(failAt):
			return true, "reaches --fail-on " + o.failOn + ": " + report.VerdictLine(rep)
		}
		return false, ""
	}
	var rd report.Renderer
	switch e.format {
	case "json":
		rd = report.NewJSONRendererLang(e.stdout, e.jsonLang())
	case "markdown":
		rd = report.NewMarkdownRenderer(e.stdout, report.MarkdownOptions{NoDNS: len(inputs) > 20})
	case "junit":
		rd = report.NewJUnitRenderer(e.stdout, "preflight", failOn)
	case "github":
		rd = report.NewGitHubRenderer(e.stdout, failOn)
	case "html":
		rd = report.NewHTMLRenderer(e.stdout, report.HTMLOptions{Lang: e.lang})
	}
	failed, indeterminate, inputErrors := false, false, 0
	sum, matrix := report.NewSummary(), report.NewMatrix()
	prog := newProgress(e.stderr, len(inputs))
	defer prog.done()
	err = check.Batch(ctx, cfg, inputs, plan, o.jobs, func(i int, res *check.Result) error {
		rep := res.Report
		prog.step()
		sum.Add(res.Report)
		matrix.Add(res.Report)
		switch {
		case res.Err != nil:
			inputErrors++
		case res.Reaches(failAt):
			failed = true
		case res.Indeterminate():
			indeterminate = true
		}
		prog.clear()
		if rd != nil {
			if rep.Error != "" && len(inputs) == 1 {
				fmt.Fprintf(e.stderr, "preflight check: %s\n", report.Safe(strings.TrimPrefix(rep.Error, "check: ")))
			}
			results[rep] = res
			defer delete(results, rep)
			return rd.Add(rep)
		}
		return writeReport(e, rep, i, len(inputs))
	})
	prog.done()
	var intr *check.Interrupted
	if errors.As(err, &intr) {
		// What finished was emitted; close the output around it and say
		// how much was not checked.
		e.interrupted = intr.Error()
		sum.NotChecked = intr.NotChecked
	} else if err != nil {
		return err
	}
	if rd != nil {
		if err := rd.Close(); err != nil {
			return err
		}
	}
	if len(inputs) > 1 && e.format == "text" {
		sum.WriteTextLang(e.stdout, e.quiet, e.lang)
		matrix.WriteTextLang(e.stdout, e.lang)
	}
	if intr != nil {
		return nil // Run reports the interruption (exit 130)
	}
	// The worst outcome decides: a file that is not a message (2), then a
	// predicted outcome at --fail-on (1), then no verdict for DNS (3).
	switch {
	case inputErrors > 0:
		e.setCode(ExitUsage)
	case failed:
		e.setCode(ExitFail)
	case indeterminate:
		e.setCode(ExitIndeterminate)
	}
	return nil
}

func writeReport(e *env, rep *report.Report, i, n int) error {
	if rep.Error != "" && n == 1 {
		fmt.Fprintf(e.stderr, "preflight check: %s\n", report.Safe(strings.TrimPrefix(rep.Error, "check: ")))
		return nil
	}
	if e.quiet && n > 1 {
		_, err := fmt.Fprintf(e.stdout, "%s: %s\n", report.Safe(orPlan(rep.Message.Path)), report.VerdictLineIn(e.lang, rep))
		return err
	}
	if i > 0 && !e.quiet {
		fmt.Fprintln(e.stdout, strings.Repeat("─", 60))
	}
	return report.WriteText(e.stdout, rep, e.textOptions())
}

func buildPlan(e *env, o *checkOptions, args []string) (check.Plan, error) {
	var p check.Plan
	if len(args) == 0 && o.from == "" {
		return p, usageErrorf("give a MESSAGE, or --from (with --mail-from, --ip, --expect-dkim) to check a plan")
	}
	for _, f := range []struct{ name, value string }{{"--from", o.from}, {"--mail-from", o.mailFrom}} {
		if err := plainArg(f.name, f.value); err != nil {
			return p, err
		}
	}
	if err := heloArg("--helo", strings.TrimSuffix(o.helo, ".")); err != nil {
		return p, err
	}
	if o.from != "" {
		if a := check.ParseAuthor(o.from); a.Problem != "" {
			return p, usageErrorf("--from: %s", a.Problem)
		}
		p.From = o.from
	}
	if o.mailFrom != "" {
		p.MailFrom, p.MailFromSet = o.mailFrom, true
	}
	for _, s := range o.ips {
		ip, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return p, usageErrorf("--ip %q is not an IP address", s)
		}
		p.IPs = append(p.IPs, ip)
	}
	p.HELO = o.helo
	for _, s := range o.expectDKIM {
		ds, err := check.ParseDomainSelector(s)
		if err != nil {
			return p, usageErrorf("--expect-dkim: %v", err)
		}
		if _, err := selectorArg("--expect-dkim", ds.Selector); err != nil {
			return p, err
		}
		p.ExpectDKIM = append(p.ExpectDKIM, ds)
	}
	if o.dkimKey != "" || o.dkimDomain != "" || o.dkimSelector != "" {
		if o.dkimKey == "" || o.dkimDomain == "" || o.dkimSelector == "" {
			return p, usageErrorf("--dkim-key, --dkim-domain and --dkim-selector go together")
		}
		signer, findings, err := dkim.LoadPrivateKey(o.dkimKey)
		if err != nil {
			return p, inputError(fmt.Errorf("--dkim-key: %w", err))
		}
		d, err := check.NormalizeDomain(o.dkimDomain)
		if err != nil {
			return p, usageErrorf("--dkim-domain: %v", err)
		}
		sel, err := selectorArg("--dkim-selector", o.dkimSelector)
		if err != nil {
			return p, err
		}
		p.SignKey, p.SignDomain, p.SignSelector = signer, d, sel
		for _, f := range findings {
			p.SignFindings = append(p.SignFindings, report.NewFinding(f.ID, f.Detail, f.Fix))
		}
	}
	return p, nil
}

// termWidth is the width to wrap text output at: $COLUMNS when set, else the
// terminal's width when w is one, else 100.
func termWidth(w any) int {
	if c := os.Getenv("COLUMNS"); c != "" {
		var n int
		if _, err := fmt.Sscanf(c, "%d", &n); err == nil && n >= 40 {
			return n
		}
	}
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		if ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ); err == nil && ws.Col >= 40 {
			return int(ws.Col)
		}
	}
	return 100
}

func orPlan(path string) string {
	if path == "" {
		return "plan"
	}
	return path
}

// verifyArgs are the arguments of this run a fix's verify command repeats:
// where the DNS comes from, the time, and the envelope and receivers given
// (not --mail-from, which the fix may change and check writes itself, and
// not the output flags).
func verifyArgs(e *env, o *checkOptions) []string {
	var a []string
	add := func(flag string, vals ...string) {
		for _, v := range vals {
			if v != "" {
				a = append(a, flag, v)
			}
		}
	}
	add("--zone", e.dns.zones...)
	add("--resolver", e.dns.servers...)
	add("--overlay", e.dns.overlays...)
	add("--now", e.nowFlag)
	add("--from", o.from)
	add("--ip", o.ips...)
	add("--helo", o.helo)
	add("--expect-dkim", o.expectDKIM...)
	if o.dkimKey != "" {
		add("--dkim-key", o.dkimKey)
		add("--dkim-domain", o.dkimDomain)
		add("--dkim-selector", o.dkimSelector)
	}
	if o.receiver != "qq" {
		add("--receiver", o.receiver)
	}
	if o.bulk {
		a = append(a, "--bulk")
	}
	return a
}
