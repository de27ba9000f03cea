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

// Batch checks every input with up to jobs at once over one shared resolver
// (cfg.Resolver) and calls emit with each result in input order, whatever
// the order they finish in. A message that cannot be read gets a result with
// Err set, and ErrNotMessage inputs are reported the same way; Batch
// itself fails only when ctx is cancelled.
func Batch(ctx context.Context, cfg Config, inputs []Input, plan Plan, jobs int, emit func(int, *Result) error) error {
	if jobs < 1 {
		jobs = 1
	}
	n := len(inputs)
	results := make([]chan *Result, n)
	for i := range results {
		results[i] = make(chan *Result, 1)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for i, in := range inputs {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				for j := i; j < n; j++ {
					results[j] <- failed(inputs[j].Path, ErrCancelled)
				}
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				results[i] <- One(ctx, cfg, in, plan)
			}()
		}
	}()
	for i := range results {
		var r *Result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		if err := emit(i, r); err != nil {
			cancel()
			wg.Wait()
			return err
		}
	}
	wg.Wait()
	return ctx.Err()
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
