// Package testutil holds helpers shared by the tests and benchmarks of
// several packages.
package testutil

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// PeakHeap samples the heap in use (every millisecond) while f runs and
// returns the peak seen: a benchmark reports it as a metric, never as a
// timed assertion.
func PeakHeap(f func()) uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return peak.Load()
}
