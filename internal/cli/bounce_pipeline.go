package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"

	"preflight/internal/bounce"
)

// A mailbox is read in order by one goroutine (an mbox can only be read
// front to back), but parsing and classifying its messages — the costly
// part, all regular expressions — is spread over jobs workers. Each
// message up to smallMessage is read into memory and handed to a worker;
// a larger one is streamed (bounce.Parse keeps only what a bounce is made
// of) by the reader itself. Results come back in input order, so the
// output, the shared re-checks and their references are what a sequential
// run gives. At most window messages are in flight: memory is bounded by
// window × smallMessage, not by the mailbox.

// smallMessage is the size up to which bounce.Parse reads a message whole.
const smallMessage = 1 << 20

// parsedMsg is one message parsed and its bounce classified.
type parsedMsg struct {
	p parsed
	a *bounce.Analysis // nil unless p.b is a bounce
}

// pipelineItem is a message in flight: its result arrives on done.
type pipelineItem struct {
	m    bounceInput
	data []byte
	done chan parsedMsg
}

// parseMessages reads the messages of pending then in, parses them on jobs
// workers, and calls yield with each result in input order until yield
// returns false, the input ends, or ctx is done. It returns whether it
// stopped before the end of the input.
func parseMessages(ctx context.Context, in *bounceInputs, pending []bounceInput, jobs int, yield func(parsedMsg) bool) (stopped bool) {
	jobs = max(jobs, 1)
	window := 4 * jobs
	order := make(chan *pipelineItem, window)
	work := make(chan *pipelineItem, window)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				it.done <- analyse(parsedFrom(it.m.source, it.data))
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(work)
		for {
			if ctx.Err() != nil {
				return
			}
			var m bounceInput
			if len(pending) > 0 {
				m, pending = pending[0], pending[1:]
			} else {
				var ok bool
				if m, ok = in.next(); !ok {
					return
				}
			}
			it := &pipelineItem{m: m, done: make(chan parsedMsg, 1)}
			switch {
			case m.err != nil:
				it.done <- parsedMsg{p: parsed{source: m.source, err: m.err}}
			default:
				head, err := readHead(m.r)
				switch {
				case err != nil:
					it.done <- parsedMsg{p: parsed{source: m.source, err: err}}
				case len(head) <= smallMessage:
					it.data = head
				default:
					// Large: streamed here, as the rest of it is still
					// in the input.
					b, err := bounce.Parse(io.MultiReader(bytes.NewReader(head), m.r))
					it.done <- analyse(result(m.source, b, err))
				}
			}
			select {
			case order <- it:
			case <-stop:
				return
			}
			if it.data != nil {
				select {
				case work <- it:
				case <-stop:
					return
				}
			}
		}
	}()
	defer func() {
		close(stop)
		for range order { // let the reader finish and the workers drain
		}
		wg.Wait()
	}()
	for it := range order {
		if !yield(<-it.done) {
			return true
		}
	}
	return ctx.Err() != nil
}

// readHead reads up to smallMessage+1 bytes of a message.
func readHead(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(io.LimitReader(r, smallMessage+1))
	return buf.Bytes(), err
}

func parsedFrom(source string, data []byte) parsed {
	b, err := bounce.ParseBytes(data)
	return result(source, b, err)
}

func result(source string, b *bounce.Bounce, err error) parsed {
	p := parsed{source: source, b: b, err: err}
	errors.As(err, &p.notice)
	return p
}

// analyse classifies a parsed bounce.
func analyse(p parsed) parsedMsg {
	out := parsedMsg{p: p}
	if p.b != nil && p.err == nil {
		out.a = bounce.Diagnose(p.b)
	}
	return out
}
