package audit

import (
	"context"
	"sync"

	"preflight/report"
)

// Batch audits every input with up to jobs at once over cfg's shared
// resolver and calls emit with each audit in input order, whatever order
// they finish in, as soon as it and every earlier one are done. It returns
// emit's error, or ctx's when ctx ends first (the audits emitted so far
// stand).
func Batch(ctx context.Context, cfg Config, inputs []string, jobs int, emit func(i int, a *report.DomainAudit) error) error {
	jobs = max(jobs, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan *report.DomainAudit, len(inputs))
	for i := range results {
		results[i] = make(chan *report.DomainAudit, 1)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	launched := make(chan struct{})
	// On the way out: stop launching, then wait for the audits running.
	defer func() {
		cancel()
		<-launched
		wg.Wait()
	}()
	go func() {
		defer close(launched)
		for i, in := range inputs {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				results[i] <- Domain(ctx, cfg, in)
			}()
		}
	}()
	for i := range results {
		select {
		case a := <-results[i]:
			if err := emit(i, a); err != nil {
				cancel()
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ctx.Err()
}
