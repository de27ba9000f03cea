package cli

import (
	"os"
	"strings"
	"testing"

	"preflight/internal/check"
	"preflight/report"
)

// TestREADMEReceivers keeps the README's Receivers section equal to the
// profiles' data (preflight receivers --format markdown -q); -update
// rewrites it.
func TestREADMEReceivers(t *testing.T) {
	const begin, end = "<!-- receivers:begin -->\n", "<!-- receivers:end -->"
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatal("README.md has no receivers:begin/end markers")
	}
	l, err := check.ReceiverList(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := report.ReceiversDigest(l)
	if got := readme[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile("../../README.md", []byte(readme[:i+len(begin)]+want+readme[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's Receivers section differs from the profiles; go test ./internal/cli -run TestREADMEReceivers -update rewrites it")
	}
}
