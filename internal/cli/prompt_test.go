package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// ttyStdin is a stdin that says it is a terminal (terminalStream).
type ttyStdin struct{ *strings.Reader }

func (ttyStdin) IsTerminal() bool { return true }

// TestPastePrompt: reading "-" from a terminal says what to paste and how
// to end it, on stderr; from a pipe it says nothing.
func TestPastePrompt(t *testing.T) {
	t.Parallel()
	reply := "550 DMARC check failed\n"
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"bounce", []string{"bounce", "--zone", "../../testdata/demo/demo.zone", "-"}, reply, "preflight bounce: paste the bounce (a DSN, a log line or the SMTP reply), then press Ctrl-D on an empty line\n"},
		{"bounce zh", []string{"bounce", "--lang", "zh", "--zone", "../../testdata/demo/demo.zone", "-"}, reply, "preflight bounce: 请粘贴退信（DSN、日志行或 SMTP 回复），然后在空行上按 Ctrl-D\n"},
		{"check", []string{"check", "--zone", "../../testdata/demo/demo.zone", "-q", "-"}, "From: a@brand.example\n\nhi\n", "preflight check: paste the message (headers, a blank line, the body), then press Ctrl-D on an empty line\n"},
		{"dkim", []string{"dkim", "--zone", "../../testdata/demo/demo.zone", "-q", "-"}, "From: a@brand.example\n\nhi\n", "preflight dkim: paste the message (headers, a blank line, the body), then press Ctrl-D on an empty line\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, tty := range []bool{true, false} {
				var stdout, stderr bytes.Buffer
				var in interface{ Read([]byte) (int, error) } = strings.NewReader(tc.stdin)
				if tty {
					in = ttyStdin{strings.NewReader(tc.stdin)}
				}
				Run(context.Background(), tc.args, in, &stdout, &stderr)
				got := stderr.String()
				switch {
				case tty && !strings.HasPrefix(got, tc.want):
					t.Errorf("at a terminal, stderr %q, want it to start with %q", got, tc.want)
				case !tty && strings.Contains(got, "paste"):
					t.Errorf("from a pipe, stderr %q prompts", got)
				}
			}
		})
	}
}
