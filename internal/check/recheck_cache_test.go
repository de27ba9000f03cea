package check

import (
	"context"
	"strings"
	"testing"

	"preflight/internal/bounce"
)

// TestRecheckCache: bounces of the same sender share one re-check, the
// later ones referring to the first with its source; a bounce from another
// IP is checked again; an evicted check runs again and is shown again.
func TestRecheckCache(t *testing.T) {
	t.Parallel()
	cfg := recheckConfig(demoZone(t))
	dsn := func(ip string) *bounce.Analysis {
		a := analyze(t, "postfix-qq-dmarc.eml")
		for i := range a.Diagnoses {
			a.Diagnoses[i].ClientIP = ip
		}
		return a
	}
	c := NewRecheckCache(2)
	ctx := context.Background()
	first, err := c.Explain(ctx, cfg, dsn("192.0.2.10"), "box#1")
	if err != nil {
		t.Fatal(err)
	}
	second, _ := c.Explain(ctx, cfg, dsn("192.0.2.10"), "box#2")
	rc1, rc2 := first.Diagnoses[0].Recheck, second.Diagnoses[0].Recheck
	if rc1.Ref != "" || rc1.Report == nil || rc2.Ref != "li.wei@qq.com" || rc2.RefSource != "box#1" || rc2.Status != rc1.Status {
		t.Errorf("shared: first %+v, second %+v", rc1, rc2)
	}
	if c.Runs() != 1 || second.Source != "box#2" || second.Diagnoses[0].Source != "box#2" {
		t.Errorf("runs %d, source %q", c.Runs(), second.Source)
	}
	other, _ := c.Explain(ctx, cfg, dsn("192.0.2.11"), "box#3")
	if other.Diagnoses[0].Recheck.Ref != "" || c.Runs() != 2 {
		t.Errorf("another IP shares a check: %+v (runs %d)", other.Diagnoses[0].Recheck, c.Runs())
	}
	// A third sender evicts the first (size 2); the first is then checked
	// and shown again.
	c.Explain(ctx, cfg, dsn("192.0.2.12"), "box#4")
	again, _ := c.Explain(ctx, cfg, dsn("192.0.2.10"), "box#5")
	if again.Diagnoses[0].Recheck.Ref != "" || c.Runs() != 4 {
		t.Errorf("after eviction: %+v (runs %d)", again.Diagnoses[0].Recheck, c.Runs())
	}
	if !strings.Contains(again.Diagnoses[0].Recheck.Note, "still be rejected") {
		t.Errorf("note %q", again.Diagnoses[0].Recheck.Note)
	}
}
