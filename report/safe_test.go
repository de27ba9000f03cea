package report

import "testing"

func TestSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text":            "plain text",
		"Grüße, 你好":             "Grüße, 你好",
		"tab\tkept":             "tab\tkept",
		"\x1b[31mred\x1b[0m":    `\x1b[31mred\x1b[0m`,
		"title\x1b]0;pwned\x07": `title\x1b]0;pwned\x07`,
		"line\r\nbreak":         `line\x0d\x0abreak`,
		"c1 \u009b31m":          `c1 \u009b31m`,
		"bidi \u202egnp.exe":    `bidi \u202egnp.exe`,
		"bad utf8 \xff\xfe":     `bad utf8 \xff\xfe`,
		"del \x7f":              `del \x7f`,
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}
