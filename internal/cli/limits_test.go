package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"preflight/internal/bounce"
	"preflight/internal/check"
	"preflight/internal/testutil"
)

// endless never ends: head once, then unit again and again. It counts what
// was read, so a test can say the reader stopped at the limit.
type endless struct {
	head, unit []byte
	n          atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		off := e.n.Load() + int64(n)
		if off < int64(len(e.head)) {
			n += copy(p[n:], e.head[off:])
			continue
		}
		u := (off - int64(len(e.head))) % int64(len(e.unit))
		n += copy(p[n:], e.unit[u:])
	}
	e.n.Add(int64(n))
	return n, nil
}

func hasDevZero(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
}

// sparse returns a file of size bytes that uses no disk.
func sparse(t *testing.T, name string, size int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Skip(err)
	}
	return p
}

// TestInputLimits: every input past its documented limit is a one-line
// input error (exit 2), and a stream that never ends (/dev/zero, stdin) is
// read no further than the limit.
func TestInputLimits(t *testing.T) {
	t.Parallel()
	bigMessage := sparse(t, "big.eml", check.MaxMessage+1)
	bigBounce := sparse(t, "big-bounce.eml", bounce.MaxInput+1)
	bigZone := sparse(t, "big.zone", 64<<20+1)
	hasZero := true
	if _, err := os.Stat("/dev/zero"); err != nil {
		hasZero = false
	}
	zone := demoDir + "demo.zone"
	cases := []struct {
		name     string
		args     []string
		stdin    io.Reader
		stderr   string
		devZero  bool
		maxBytes int64 // of stdin read, when it is endless
	}{
		{name: "--dkim-key /dev/zero", devZero: true,
			args:   []string{"check", "--zone", zone, "--dkim-key", "/dev/zero", "--dkim-domain", "brand.example", "--dkim-selector", "s1", demoDir + "esp-defaults.eml"},
			stderr: "preflight check: --dkim-key: unusable private key: /dev/zero: the file is larger than 64 KiB: not a private key\n"},
		{name: "dkim --key /dev/zero", devZero: true,
			args:   []string{"dkim", "--zone", zone, "--domain", "brand.example", "--selector", "s1", "--key", "/dev/zero"},
			stderr: "preflight dkim: unusable private key: /dev/zero: the file is larger than 64 KiB: not a private key\n"},
		{name: "--zone /dev/zero", devZero: true,
			args:   []string{"lookup", "--zone", "/dev/zero", "TXT", "brand.example"},
			stderr: "preflight lookup: zone file /dev/zero: binary data (a NUL byte at offset 0): not a zone file\n"},
		{name: "--overlay /dev/zero", devZero: true,
			args:   []string{"lookup", "--zone", zone, "--overlay", "/dev/zero", "TXT", "brand.example"},
			stderr: "preflight lookup: zone file /dev/zero: binary data (a NUL byte at offset 0): not a zone file\n"},
		{name: "--zone too large",
			args:   []string{"lookup", "--zone", bigZone, "TXT", "brand.example"},
			stderr: "preflight lookup: zone file " + bigZone + ": the file is larger than 64 MiB, the limit of a zone file\n"},
		{name: "check /dev/zero", devZero: true,
			args:   []string{"check", "--zone", zone, "/dev/zero"},
			stderr: "preflight check: not an email message: /dev/zero: header line 1 is longer than 65536 bytes\n"},
		{name: "check - endless headers",
			args:  []string{"check", "--zone", zone, "-"},
			stdin: &endless{unit: []byte("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")}, maxBytes: 1<<20 + 64<<10,
			stderr: "preflight check: not an email message: -: no end of the header block in the first 1048576 bytes\n"},
		{name: "check - endless body",
			args:  []string{"check", "--zone", zone, "-"},
			stdin: &endless{head: []byte("From: news@brand.example\r\nSubject: x\r\n\r\n"), unit: []byte("body line\r\n")}, maxBytes: check.MaxMessage + 64<<10,
			stderr: "preflight check: -: the message is larger than 100 MiB, the limit of a message\n"},
		{name: "check file too large",
			args:   []string{"check", "--zone", zone, bigMessage},
			stderr: "preflight check: " + bigMessage + ": the message is larger than 100 MiB, the limit of a message\n"},
		{name: "dkim /dev/zero", devZero: true,
			args:   []string{"dkim", "--zone", zone, "/dev/zero"},
			stderr: "preflight dkim: /dev/zero: the message is larger than 100 MiB, the limit of a message\n"},
		{name: "dkim - endless",
			args:  []string{"dkim", "--zone", zone, "-"},
			stdin: &endless{head: []byte("From: news@brand.example\r\n\r\n"), unit: []byte("body\r\n")}, maxBytes: check.MaxMessage + 64<<10,
			stderr: "preflight dkim: -: the message is larger than 100 MiB, the limit of a message\n"},
		{name: "dkim file too large",
			args:   []string{"dkim", "--zone", zone, bigMessage},
			stderr: "preflight dkim: " + bigMessage + ": the message is larger than 100 MiB, the limit of a message\n"},
		{name: "bounce - endless",
			args:  []string{"bounce", "--zone", zone, "-"},
			stdin: &endless{unit: []byte("550 DMARC check failed\n")}, maxBytes: bounce.MaxInput + 64<<10,
			stderr: "preflight bounce: stdin: the input is larger than 64 MiB, the limit of a bounce\n"},
		{name: "bounce /dev/zero", devZero: true,
			args:   []string{"bounce", "--zone", zone, "/dev/zero"},
			stderr: "preflight bounce: /dev/zero: the input is larger than 64 MiB, the limit of a bounce\n"},
		{name: "bounce file too large",
			args:   []string{"bounce", "--zone", zone, bigBounce},
			stderr: "preflight bounce: " + bigBounce + ": the input is larger than 64 MiB, the limit of a bounce\n"},
		{name: "domain - endless",
			args:  []string{"domain", "--zone", zone, "-"},
			stdin: &endless{unit: []byte("brand.example\n")}, maxBytes: 64<<20 + 64<<10,
			stderr: "preflight domain: stdin: the list is larger than 64 MiB, the limit of a list of domains\n"},
		{name: "spf --policy too long",
			args:   []string{"spf", "--zone", zone, "brand.example", "--policy", "v=spf1 " + strings.Repeat("a ", 40000) + "-all"},
			stderr: "preflight spf: --policy is 80011 bytes, longer than a DNS TXT record can be (65535 bytes)\n"},
	}
	// The large reads run one at a time: together they would hold
	// several hundred MiB.
	var mu sync.Mutex
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.devZero && !hasZero {
				t.Skip("no /dev/zero")
			}
			if tc.maxBytes > 16<<20 {
				mu.Lock()
				defer mu.Unlock()
			} else {
				t.Parallel()
			}
			stdin := tc.stdin
			if stdin == nil {
				stdin = strings.NewReader("")
			}
			var out, errb bytes.Buffer
			code := Run(context.Background(), tc.args, stdin, &out, &errb)
			if code != ExitUsage || errb.String() != tc.stderr || out.Len() != 0 {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", code, out.String(), errb.String(), tc.stderr)
			}
			if e, ok := tc.stdin.(*endless); ok && e.n.Load() > tc.maxBytes {
				t.Errorf("read %d bytes of an endless stdin, limit %d", e.n.Load(), tc.maxBytes)
			}
		})
	}
}

// BenchmarkOversizedInputs reports the peak heap of a run given each
// oversized input (peak-MiB): what the limits cost before they refuse.
func BenchmarkOversizedInputs(b *testing.B) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		b.Skip("no /dev/zero")
	}
	zone := demoDir + "demo.zone"
	for _, bc := range []struct {
		name  string
		args  []string
		stdin func() io.Reader
	}{
		{"dkim-key-dev-zero", []string{"check", "--zone", zone, "--dkim-key", "/dev/zero", "--dkim-domain", "brand.example", "--dkim-selector", "s1", demoDir + "esp-defaults.eml"}, nil},
		{"zone-dev-zero", []string{"lookup", "--zone", "/dev/zero", "TXT", "brand.example"}, nil},
		{"check-stdin-endless-body", []string{"check", "--zone", zone, "-"}, func() io.Reader {
			return &endless{head: []byte("From: news@brand.example\r\nSubject: x\r\n\r\n"), unit: []byte("body line\r\n")}
		}},
		{"check-dev-zero", []string{"check", "--zone", zone, "/dev/zero"}, nil},
		{"dkim-dev-zero", []string{"dkim", "--zone", zone, "/dev/zero"}, nil},
		{"bounce-dev-zero", []string{"bounce", "--zone", zone, "/dev/zero"}, nil},
		{"bounce-stdin-endless", []string{"bounce", "--zone", zone, "-"}, func() io.Reader { return &endless{unit: []byte("550 DMARC check failed\n")} }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				runtime.GC()
				var stdin io.Reader = strings.NewReader("")
				if bc.stdin != nil {
					stdin = bc.stdin()
				}
				peak = max(peak, testutil.PeakHeap(func() {
					if code := Run(context.Background(), bc.args, stdin, io.Discard, io.Discard); code != ExitUsage {
						b.Fatalf("exit %d", code)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		})
	}
}
