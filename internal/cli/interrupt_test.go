package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"preflight/internal/dnstest"
)

// TestCheckInterrupted: a batch interrupted over a slow loopback DNS server
// prints the reports that had finished (one was held for ordering behind a
// stuck message), closes its output around them, says how many were not
// checked, and exits 130.
func TestCheckInterrupted(t *testing.T) {
	t.Parallel()
	zone, err := os.ReadFile(demoDir + "demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "junit"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			srv := dnstest.Start(t, string(zone))
			dir := t.TempDir()
			args := []string{"check", "--resolver", srv.Addr, "--timeout", "1m", "--jobs", "2", "--format", format,
				"--now", "2026-12-01T00:00:00Z"}
			// [stuck1, esp-defaults, stuck3]: with two jobs the third
			// starts only once the second has finished.
			for _, d := range []string{"stuck1.example", "", "stuck3.example"} {
				if d == "" {
					args = append(args, demoDir+"esp-defaults.eml")
					continue
				}
				srv.SetFault(d, dnstest.Fault{Drop: true})
				srv.SetFault("_dmarc."+d, dnstest.Fault{Drop: true})
				p := filepath.Join(dir, d+".eml")
				msg := "From: News <news@" + d + ">\r\nTo: reader@qq.com\r\nSubject: stuck\r\nDate: Thu, 15 Jan 2026 10:00:00 +0000\r\n\r\nHello\r\n"
				if err := os.WriteFile(p, []byte(msg), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, p)
			}
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				for srv.Count("_dmarc.stuck3.example", "TXT", "") == 0 {
					time.Sleep(5 * time.Millisecond)
				}
				cancel()
			}()
			var out, errb bytes.Buffer
			code := Run(ctx, args, strings.NewReader(""), &out, &errb)
			if code != ExitInterrupted {
				t.Errorf("exit %d, want %d", code, ExitInterrupted)
			}
			if want := "preflight check: interrupted: 2 of 3 message(s) not checked\n"; errb.String() != want {
				t.Errorf("stderr %q, want %q", errb.String(), want)
			}
			s := out.String()
			if strings.Contains(s, "stuck") {
				t.Errorf("an unfinished message is in the output:\n%s", s)
			}
			switch format {
			case "text":
				if !strings.Contains(s, "esp-defaults.eml") || !strings.Contains(s, "Checked 1 message(s): 1 would be rejected") ||
					!strings.Contains(s, "Interrupted: 2 message(s) not checked.") {
					t.Errorf("text:\n%s", s)
				}
			case "json":
				var rep struct{ Message struct{ Path string } }
				if err := json.Unmarshal([]byte(s), &rep); err != nil || !strings.HasSuffix(rep.Message.Path, "esp-defaults.eml") {
					t.Errorf("json %v: %s", err, s)
				}
			case "junit":
				if !strings.Contains(s, "esp-defaults.eml") || !strings.HasSuffix(strings.TrimSpace(s), "</testsuites>") {
					t.Errorf("junit is not a closed document:\n%s", s)
				}
			}
		})
	}
}

// TestInterruptedCommands: every command run with a cancelled context
// exits 130 and prints no half-made result.
func TestInterruptedCommands(t *testing.T) {
	t.Parallel()
	srv := dnstest.Start(t, "")
	srv.SetFault("*", dnstest.Fault{Drop: true})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dns := []string{"--resolver", srv.Addr, "--timeout", "1m"}
	for _, args := range [][]string{
		append([]string{"check", demoDir + "esp-defaults.eml"}, dns...),
		append([]string{"check", "--from", "brand.example"}, dns...),
		append([]string{"spf", "brand.example", "192.0.2.1", "192.0.2.2"}, dns...),
		append([]string{"spf", "brand.example"}, dns...),
		append([]string{"dkim", demoDir + "esp-defaults.eml"}, dns...),
		append([]string{"dkim", "--domain", "brand.example", "--selector", "s1"}, dns...),
		append([]string{"lookup", "TXT", "brand.example"}, dns...),
		append([]string{"bounce", "../bounce/testdata/postfix-qq-dmarc.eml"}, dns...),
	} {
		var out, errb bytes.Buffer
		code := Run(ctx, args, strings.NewReader(""), &out, &errb)
		if code != ExitInterrupted || !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("%v: exit %d, stderr %q", args[:2], code, errb.String())
		}
		switch args[0] {
		case "bounce":
			// The diagnosis needs no DNS and is printed; the re-check
			// says it did not finish.
			if !strings.Contains(out.String(), "DMARC check failed") || !strings.Contains(out.String(), "interrupted before the re-check finished") {
				t.Errorf("bounce: %s", out.String())
			}
		default:
			if out.Len() != 0 {
				t.Errorf("%v printed a half-made result:\n%s", args[:2], out.String())
			}
		}
	}
}
