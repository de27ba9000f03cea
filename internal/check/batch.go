package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"preflight/report"
)

// Input is one message to check: a path ("-" for stdin) or none (the plan).
type Input struct {
	Path  string
	Stdin io.Reader
}

// Batch checks every input with up to jobs at once over one shared resolver
// (cfg.Resolver) and calls emit with each report in input order, whatever
// the order they finish in. A message that cannot be read gets a report with
// Error set, and ErrNotMessage inputs are reported the same way; Batch
// itself fails only when ctx is cancelled.
func Batch(ctx context.Context, cfg Config, inputs []Input, plan Plan, jobs int, emit func(int, *report.Report) error) error {
	if jobs < 1 {
		jobs = 1
	}
	n := len(inputs)
	results := make([]chan *report.Report, n)
	for i := range results {
		results[i] = make(chan *report.Report, 1)
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
					results[j] <- &report.Report{Schema: report.Schema, Message: report.MessageInfo{Path: inputs[j].Path}, Error: "cancelled"}
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
		var r *report.Report
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
func One(ctx context.Context, cfg Config, in Input, plan Plan) *report.Report {
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
		r := &report.Report{Schema: report.Schema, Message: report.MessageInfo{Path: in.Path}, DKIM: []report.DKIM{},
			Findings: []report.Finding{}, Assumptions: []string{}, Envelope: report.Envelope{IPs: []string{}, Assumed: []string{}}}
		var pe *os.PathError
		switch {
		case errors.As(err, &pe):
			r.Error = fmt.Sprintf("%s: %v", pe.Path, pe.Err)
		default:
			r.Error = err.Error()
		}
		return r
	}
	return Check(ctx, cfg, msg, plan)
}
