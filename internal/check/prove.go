package check

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"preflight/dmarc"
	"preflight/dns"
	"preflight/internal/receiver"
	"preflight/report"
)

// Proving fixes: every candidate change is applied — its records in a DNS
// overlay over the check's own resolver, its MAIL FROM to the envelope, its
// DKIM signature as an expected one (--expect-dkim) — and the whole check is
// run again. A fix is sufficient for a receiver when that receiver then
// accepts the message with DMARC passing (or not failing, if it did not
// fail before): "any one of these is enough" lists only fixes proven so
// for every receiver checked. When no single fix is enough for a receiver,
// pairs are tried.

// maxPairs bounds the pairs of fixes proven together.
const maxPairs = 6

// proveFixes proposes, proves and orders the fixes, and writes the DMARC
// finding that lists them.
func (c *run) proveFixes(ctx context.Context) {
	r := c.res
	ev := r.DMARC.ReceiverView
	if ev == nil || c.cfg.proving || !c.needsFixes() {
		c.noAlignedPassFinding(nil)
		return
	}
	cands := c.candidates(ctx, ev)
	for i := range cands {
		cands[i].index = i
		c.prove(ctx, &cands[i].fix, cands[i])
	}
	// Pairs, for receivers no single fix satisfies.
	var pairs []candidate
	for _, o := range r.Receivers {
		if anySufficient(cands, o.Profile.Name) {
			continue
		}
		for i := 0; i < len(cands) && len(pairs) < maxPairs; i++ {
			for j := i + 1; j < len(cands) && len(pairs) < maxPairs; j++ {
				if cands[i].unprovable != "" || cands[j].unprovable != "" || pairedAlready(pairs, i, j) {
					continue
				}
				p := combine(cands[i], cands[j], i, j)
				c.prove(ctx, &p.fix, p)
				if anySufficient([]candidate{p}, o.Profile.Name) {
					pairs = append(pairs, p)
				}
			}
		}
	}
	all := append(cands, pairs...)
	// Enough for every receiver first, then for some, then the rest; in
	// the order proposed within each group.
	rank := func(f report.Fix) int {
		switch {
		case f.Enough():
			return 0
		case f.EnoughFor() != "":
			return 1
		}
		return 2
	}
	sort.SliceStable(all, func(i, j int) bool { return rank(all[i].fix) < rank(all[j].fix) })
	// Combined fixes name their parts by their final numbers.
	pos := map[int]int{}
	for n, cd := range all {
		if len(cd.fix.Combines) == 0 {
			pos[cd.index] = n + 1
		}
	}
	for n := range all {
		f := &all[n].fix
		if len(f.Combines) == 2 {
			a, b := pos[f.Combines[0]], pos[f.Combines[1]]
			f.Combines = []int{a, b}
			f.Title = fmt.Sprintf("apply fixes %d and %d together", a, b)
		}
		f.Verify = c.verifyCommand(all[n], n+1)
		r.Fixes = append(r.Fixes, *f)
	}
	c.noAlignedPassFinding(r.Fixes)
}

// prove applies cd and re-runs the check, filling f's Sufficient and After.
func (c *run) prove(ctx context.Context, f *report.Fix, cd candidate) {
	if cd.unprovable != "" {
		f.Unproven = cd.unprovable
		return
	}
	resolver := c.cfg.Resolver
	if len(cd.records) > 0 {
		text := strings.ReplaceAll(strings.Join(cd.records, "\n"), espKeyPlaceholder, proofKey)
		z, err := dns.ParseZone(text+"\n", "fix")
		if err != nil {
			f.Unproven = fmt.Sprintf("its records could not be applied: %v", err)
			return
		}
		resolver = &dns.Overlay{Zone: z, Live: c.cfg.Resolver}
	}
	cfg := c.cfg
	cfg.Resolver, cfg.AutoReceivers, cfg.proving = resolver, false, true
	cfg.Receivers = nil
	for _, o := range c.res.Receivers {
		cfg.Receivers = append(cfg.Receivers, o.Profile)
	}
	cfg.Receiver = cfg.Receivers[0]
	plan := c.plan
	plan.Assumptions = nil
	if cd.mailFrom != "" {
		plan.MailFrom, plan.MailFromSet = cd.mailFrom, true
	}
	if cd.dkim != nil {
		plan.ExpectDKIM = append(append([]DomainSelector{}, plan.ExpectDKIM...), *cd.dkim)
	}
	after := Check(ctx, cfg, c.msg, plan)
	f.Sufficient, f.After = map[string]bool{}, map[string]report.FixAfter{}
	for i, o := range after.Receivers {
		if i >= len(c.res.Receivers) || o.View == nil {
			continue
		}
		before := c.res.Receivers[i]
		v := o.Verdict
		id := o.Profile.Name
		f.After[id] = report.FixAfter{Disposition: v.Disposition, SMTPReply: v.SMTPReply, DMARC: string(o.View.Result)}
		if v.Disposition == receiver.DispositionDefer || v.Disposition == receiver.DispositionUnknown {
			continue // not proven either way (a temporary DNS failure)
		}
		dmarcOK := o.View.Result == dmarc.ResultPass || before.View == nil || before.View.Result != dmarc.ResultFail
		f.Sufficient[id] = v.Disposition == receiver.DispositionAccept && dmarcOK
	}
}

func anySufficient(cs []candidate, id string) bool {
	for _, cd := range cs {
		if cd.fix.Sufficient[id] {
			return true
		}
	}
	return false
}

func pairedAlready(pairs []candidate, i, j int) bool {
	for _, p := range pairs {
		if len(p.fix.Combines) == 2 && p.fix.Combines[0] == i && p.fix.Combines[1] == j {
			return true
		}
	}
	return false
}

// combine is the candidate that applies a and b together (i and j are
// their indexes among the candidates, rewritten as final numbers later).
func combine(a, b candidate, i, j int) candidate {
	p := candidate{records: append(append([]string{}, a.records...), b.records...), mailFrom: a.mailFrom, dkim: a.dkim, index: -1}
	if p.mailFrom == "" {
		p.mailFrom = b.mailFrom
	}
	if p.dkim == nil {
		p.dkim = b.dkim
	}
	p.fix = report.Fix{Via: a.fix.Via + "+" + b.fix.Via, Combines: []int{i, j}, Records: p.records, MailFrom: p.mailFrom,
		Steps: []string{"Neither change is enough alone for every receiver; together they are, for the receivers listed."}}
	if p.dkim != nil {
		p.fix.DKIM = p.dkim.Domain + ":" + p.dkim.Selector
	}
	return p
}

// noAlignedPassFinding writes dmarc.no-aligned-pass when DMARC fails, its
// fix naming the fixes that are enough for every receiver.
func (c *run) noAlignedPassFinding(fixes []report.Fix) {
	if c.dmarcMissing == "" {
		return
	}
	var enough, some []string
	for i, f := range fixes {
		switch {
		case f.Enough():
			enough = append(enough, fmt.Sprintf("(%d) %s", i+1, f.Title))
		case f.EnoughFor() != "":
			some = append(some, fmt.Sprintf("(%d) %s — enough for %s", i+1, f.Title, f.EnoughFor()))
		}
	}
	fix := "Any one of: " + strings.Join(enough, "; ")
	switch {
	case len(enough) == 0 && len(some) > 0:
		fix = "No single change is enough for every receiver: " + strings.Join(some, "; ")
	case len(enough) == 0:
		fix = "No single change proposed here is enough: see the fixes and what each receiver would still answer."
	}
	c.find(finding("dmarc.no-aligned-pass", c.dmarcMissing, fix))
}

// verifyCommand is the preflight check command that shows the fix working:
// the run's own arguments (Config.VerifyArgs), the fix's records as an
// overlay file (fix-N.zone), its MAIL FROM and expected signature, and the
// message. Once the records are live, the same command without that
// --overlay shows it against real DNS.
func (c *run) verifyCommand(cd candidate, n int) string {
	if cd.fix.Unproven != "" {
		return ""
	}
	args := []string{"preflight", "check"}
	args = append(args, c.cfg.VerifyArgs...)
	if len(cd.records) > 0 {
		args = append(args, "--overlay", fmt.Sprintf("fix-%d.zone", n))
	}
	switch {
	case cd.mailFrom != "":
		args = append(args, "--mail-from", cd.mailFrom)
	case c.plan.MailFromSet:
		args = append(args, "--mail-from", c.plan.MailFrom)
	}
	if cd.dkim != nil {
		args = append(args, "--expect-dkim", cd.dkim.Domain+":"+cd.dkim.Selector)
	}
	if c.res.Path != "" {
		args = append(args, c.res.Path)
	}
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
