package cli

import (
	"bytes"
	"testing"
)

// ttyStdout is a stdout that says it is a terminal (terminalStream).
type ttyStdout struct{ bytes.Buffer }

func (*ttyStdout) IsTerminal() bool { return true }

// TestNoColor: NO_COLOR turns colour off only when it is set and not
// empty (no-color.org); --color always still wins.
func TestNoColor(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	for _, tc := range []struct {
		noColor, flag string
		want          bool
	}{
		{"", "auto", true},
		{"1", "auto", false},
		{"0", "auto", false}, // any non-empty value
		{"1", "always", true},
		{"", "never", false},
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		e := &env{stdout: &ttyStdout{}, color: tc.flag}
		if got := e.colorOn(); got != tc.want {
			t.Errorf("NO_COLOR=%q --color %s: colour %v, want %v", tc.noColor, tc.flag, got, tc.want)
		}
	}
}
