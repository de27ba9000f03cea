package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"preflight/dns"
	"preflight/internal/dnstest"
)

// stuckBatch serves the demo zone on loopback, where every query about
// stuck1.example and stuck3.example goes unanswered, and writes the inputs
// [stuck1, esp-defaults (answered), stuck3]. With two jobs, the third
// starts only once the second has finished, so its first query on the wire
// says the second's result is being held for ordering behind the first.
func stuckBatch(t *testing.T) (*dnstest.Server, []Input) {
	t.Helper()
	zone, err := os.ReadFile(demoDir + "demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	srv := dnstest.Start(t, string(zone))
	dir := t.TempDir()
	var inputs []Input
	for _, d := range []string{"stuck1.example", "", "stuck3.example"} {
		if d == "" {
			inputs = append(inputs, Input{Path: demoDir + "esp-defaults.eml"})
			continue
		}
		for _, name := range []string{d, "_dmarc." + d} {
			srv.SetFault(name, dnstest.Fault{Drop: true})
		}
		p := filepath.Join(dir, d+".eml")
		msg := "From: News <news@" + d + ">\r\nTo: reader@qq.com\r\nSubject: stuck\r\nDate: Thu, 15 Jan 2026 10:00:00 +0000\r\n\r\nHello\r\n"
		if err := os.WriteFile(p, []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, Input{Path: p})
	}
	return srv, inputs
}

// waitFor polls cond until it holds; the test's deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		time.Sleep(5 * time.Millisecond)
	}
}

// TestBatchInterrupted: a batch cancelled while a finished result is held
// behind an unfinished one emits the finished one, skips the others, and
// says how many were not checked.
func TestBatchInterrupted(t *testing.T) {
	t.Parallel()
	srv, inputs := stuckBatch(t)
	n, err := dns.NewNet([]string{srv.Addr}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(t, n, "qq")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitFor(t, func() bool { return srv.Count("_dmarc.stuck3.example", "TXT", "") > 0 })
		cancel()
	}()
	var emitted []int
	err = Batch(ctx, cfg, inputs, Plan{}, 2, func(i int, r *Result) error {
		emitted = append(emitted, i)
		if r.Err != nil || r.Verdict.Disposition == "" {
			t.Errorf("emitted %d: %v %q", i, r.Err, r.Verdict.Disposition)
		}
		return nil
	})
	var intr *Interrupted
	if !errors.As(err, &intr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Batch: %v", err)
	}
	if len(emitted) != 1 || emitted[0] != 1 {
		t.Errorf("emitted %v, want [1] (the finished one)", emitted)
	}
	if intr.Checked != 1 || intr.NotChecked != 2 || intr.Error() != "interrupted: 2 of 3 message(s) not checked" {
		t.Errorf("%+v: %v", intr, intr)
	}
}
