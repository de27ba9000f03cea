package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"preflight/internal/bounce"
	"preflight/internal/check"
	"preflight/report"
)

// bounceJob is one `preflight bounce` run: what parsing each message gave,
// the re-checks shared across the run, the summary.
type bounceJob struct {
	ctx   context.Context
	e     *env
	cfg   check.RecheckConfig
	cache *check.RecheckCache
	jobs  int // messages parsed at once
}

func newBounceJob(ctx context.Context, e *env) *bounceJob {
	return &bounceJob{ctx: ctx, e: e, cfg: check.RecheckConfig{Resolver: e.resolver, Now: func() time.Time { return e.now }}}
}

// parsed is what one message is, before any re-check: a bounce, a notice,
// or neither (err says what, and whether it could be read at all).
type parsed struct {
	source string
	b      *bounce.Bounce
	notice *bounce.Notice
	err    error
}

// unreadable reports whether the message could not be read (as opposed to
// read and found not to be a bounce).
func (p parsed) unreadable() bool {
	return p.err != nil && p.notice == nil && !errors.Is(p.err, bounce.ErrNotBounce)
}

func (r *bounceJob) parse(m bounceInput) parsed {
	p := parsed{source: m.source, err: m.err}
	if m.err != nil {
		return p
	}
	b, err := bounce.Parse(m.r)
	p.b, p.err = b, err
	errors.As(err, &p.notice)
	return p
}

// single explains one input in full: a bounce with its re-checks, a
// notice as what it is; an input that is neither is an error (exit 2).
func (r *bounceJob) single(p parsed) error {
	e := r.e
	switch {
	case p.notice != nil:
		return report.WriteBounceNotice(e.stdout, check.NoticeReport(p.notice, ""), e.options())
	case p.err != nil:
		var pe *fs.PathError
		if errors.As(p.err, &pe) {
			return inputError(p.err) // "open FILE: no such file or directory", as before
		}
		return bounceError(p.source, p.err)
	}
	rb, err := check.ExplainBounce(r.ctx, r.cfg, bounce.Diagnose(p.b))
	if err != nil {
		return err
	}
	return report.WriteBounce(e.stdout, rb, e.options())
}

// batch runs over every message: one line (or one JSON object) each as it
// goes, then the triage summary. pending are messages already taken from
// in: the first parsed, the second not yet.
func (r *bounceJob) batch(in *bounceInputs, first parsed, pending ...bounceInput) error {
	e := r.e
	rd, err := report.NewBounceRenderer(e.stdout, e.options())
	if err != nil {
		return usageErrorf("%v", err)
	}
	r.cache = check.NewRecheckCache(0)
	tally := report.NewTriageTally()
	prog := newCountProgress(e.stderr, "read")
	stdoutTerminal := isTerminal(e.stdout)
	defer prog.done()
	unreadable := 0
	emit := func(pm parsedMsg) error {
		it, err := r.item(pm)
		if err != nil {
			return err
		}
		if it.Unreadable {
			unreadable++
		}
		tally.Add(it)
		prog.step()
		if stdoutTerminal {
			prog.clear() // the lines go to the same terminal
		}
		return rd.Add(it)
	}
	if err := emit(analyse(first)); err != nil {
		return err
	}
	var emitErr error
	stopped := parseMessages(r.ctx, in, pending, r.jobs, func(pm parsedMsg) bool {
		emitErr = emit(pm)
		return emitErr == nil && r.ctx.Err() == nil
	})
	if emitErr != nil {
		return emitErr
	}
	if stopped && r.ctx.Err() != nil {
		tally.SetInterrupted()
		e.interrupted = "interrupted: the rest of the input was not read"
	}
	prog.done()
	tally.SetRechecks(r.cache.Runs())
	if err := rd.Close(tally.Summary()); err != nil {
		return err
	}
	if unreadable > 0 {
		e.setCode(ExitUsage)
	}
	return nil
}

// item turns a parsed message into the report model, re-checking a bounce
// through the run's shared cache.
func (r *bounceJob) item(pm parsedMsg) (report.BounceItem, error) {
	p := pm.p
	it := report.BounceItem{Source: p.source}
	switch {
	case p.notice != nil:
		it.Notice = check.NoticeReport(p.notice, p.source)
	case p.err != nil:
		it.Unreadable = p.unreadable()
		it.Problem = problemText(p.err)
		if it.Unreadable {
			fmt.Fprintf(r.e.stderr, "preflight bounce: %s: %s\n", report.Safe(p.source), report.Safe(it.Problem))
		}
	default:
		rb, err := r.cache.Explain(r.ctx, r.cfg, pm.a, p.source)
		if err != nil {
			return it, err
		}
		it.Bounce = rb
	}
	return it, nil
}

// problemText says in one line why a message was not diagnosed.
func problemText(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, bounce.ErrTooLarge):
		return fmt.Sprintf("the message is larger than %d MiB, the limit of a bounce", bounce.MaxInput>>20)
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "bounce: "), "input is not a bounce: ")
}
