package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Input is one message to check: a path ("-" for stdin) or none (the plan).
type Input struct {
	Path  string
	Stdin io.Reader
}

// ErrCancelled is the Err of the results a cancelled batch did not check.
var ErrCancelled = errors.New("cancelled")

// Interrupted is the error of a batch whose context was cancelled: every
// result that had finished was emitted (in input order) before Batch
// returned; NotChecked inputs were skipped. It matches the context's error
// (context.Canceled) with errors.Is.
type Interrupted struct {
	Checked, NotChecked int
	Err                 error // the context's error
}

func (e *Interrupted) Error() string {
	return fmt.Sprintf("interrupted: %d of %d message(s) not checked", e.NotChecked, e.Checked+e.NotChecked)
}

func (e *Interrupted) Unwrap() error { return e.Err }

// Batch checks every input with up to jobs at once over one shared resolver
// (cfg.Resolver) and calls emit with each result in input order, whatever
// the order they finish in. A message that cannot be read gets a result with
// Err set, and ErrNotMessage inputs are reported the same way; Batch
// itself fails only when ctx is cancelled or emit fails.
//
// When ctx is cancelled, Batch waits for the checks under way to give up
// (their DNS is interrupted with them), then emits, still in input order,
// every result that had finished before the cancellation, skips the rest,
// and returns an *Interrupted saying how many it skipped. A result that
// ended after the cancellation is skipped even when it looks complete: its
// lookups may have been cut short, and a half-made verdict is worse than
// none.
func Batch(ctx context.Context, cfg Config, inputs []Input, plan Plan, jobs int, emit func(int, *Result) error) error {
	if jobs < 1 {
		jobs = 1
	}
	n := len(inputs)
	// results[i] receives the result of input i, or nil when the input was
	// not checked to the end before ctx was cancelled.
	results := make([]chan *Result, n)
	for i := range results {
		results[i] = make(chan *Result, 1)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, in := range inputs {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				for j := i; j < n; j++ {
					results[j] <- nil
				}
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				r := One(ctx, cfg, in, plan)
				if ctx.Err() != nil {
					r = nil // finished, but perhaps because it was cut short
				}
				results[i] <- r
			}()
		}
	}()
	for i := range results {
		var r *Result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
		}
		if r == nil {
			// Only a cancelled ctx leaves a result unfinished, and only
			// the parent's cancellation gets here (a failing emit
			// returns below).
			wg.Wait()
			return drain(parent, results[i:], i, emit)
		}
		if err := emit(i, r); err != nil {
			cancel()
			wg.Wait()
			return err
		}
	}
	wg.Wait()
	return nil // every result was emitted, even if ctx ended since
}

// drain emits, in order, the results of a cancelled batch that had
// finished (results start at input first; every channel has been written).
func drain(ctx context.Context, results []chan *Result, first int, emit func(int, *Result) error) error {
	e := &Interrupted{Checked: first, Err: ctx.Err()}
	for k, ch := range results {
		r := <-ch
		if r == nil {
			e.NotChecked++
			continue
		}
		e.Checked++
		if err := emit(first+k, r); err != nil {
			return err
		}
	}
	return e
}

// One checks a single input (reading the message first).
func One(ctx context.Context, cfg Config, in Input, plan Plan) *Result {
	if in.Path == "" && in.Stdin == nil {
		return Check(ctx, cfg, nil, plan)
	}
	var msg *Message
	var err error
	if in.Path == "-" {
		msg, err = ReadMessage(in.Stdin, "-")
	} else {
		msg, err = ReadMessageFile(in.Path)
	}
	if err != nil {
		// The path and the cause, without the operation ("open"): the
		// report names the file, not the system call.
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Path, pe.Err)
		}
		return failed(in.Path, err)
	}
	return Check(ctx, cfg, msg, plan)
}

// failed is the result of an input that could not be checked at all.
func failed(path string, err error) *Result {
	r := &Result{Path: path, Err: err}
	r.Report = toReport(r)
	return r
}
