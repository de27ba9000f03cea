package report

import "testing"

func TestMarkdownEscaping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, text, code, cell string
	}{
		{name: "plain", in: "v=spf1 -all", text: "v=spf1 -all", code: "`v=spf1 -all`", cell: "`v=spf1 -all`"},
		{name: "html", in: "<script>x</script> & y", text: "&lt;script&gt;x&lt;/script&gt; &amp; y", code: "`<script>x</script> & y`", cell: "`<script>x</script> & y`"},
		{name: "pipe", in: "a|b", text: `a\|b`, code: "`a|b`", cell: "`a\\|b`"},
		{name: "link", in: "[x](https://e.example)", text: `\[x\](https://e.example)`, code: "`[x](https://e.example)`", cell: "`[x](https://e.example)`"},
		{name: "emphasis", in: "*a* _b_ ~c~ $d$", text: `\*a\* \_b\_ \~c\~ \$d\$`, code: "`*a* _b_ ~c~ $d$`", cell: "`*a* _b_ ~c~ $d$`"},
		{name: "backticks", in: "a `b` ``c``", text: "a \\`b\\` \\`\\`c\\`\\`", code: "``` a `b` ``c`` ```", cell: "``` a `b` ``c`` ```"},
		{name: "edge backtick", in: "`x", text: "\\`x", code: "`` `x ``", cell: "`` `x ``"},
		{name: "heading", in: "# h", text: `\# h`, code: "`# h`", cell: "`# h`"},
		{name: "list", in: "- i", text: `\- i`, code: "`- i`", cell: "`- i`"},
		{name: "ordered", in: "12. i", text: `12\. i`, code: "`12. i`", cell: "`12. i`"},
		{name: "indent", in: "    code", text: "code", code: "`    code`", cell: "`    code`"},
		{name: "control", in: "a\x1b[2J\nb", text: `a\\x1b\[2J\\x0ab`, code: "`a\\x1b[2J\\x0ab`", cell: "`a\\x1b[2J\\x0ab`"},
		{name: "backslash", in: `a\b`, text: `a\\b`, code: "`a\\b`", cell: "`a\\b`"},
		{name: "empty", in: "", text: "", code: "", cell: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := mdText(tc.in); got != tc.text {
				t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.text)
			}
			if got := mdCode(tc.in, false); got != tc.code {
				t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.code)
			}
			if got := mdCode(tc.in, true); got != tc.cell {
				t.Errorf("mdCode(%q, table) = %q, want %q", tc.in, got, tc.cell)
			}
		})
	}
}

func TestGitHubEscaping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, data, prop string }{
		{in: "plain", data: "plain", prop: "plain"},
		{in: "a:b,c", data: "a:b,c", prop: "a%3Ab%2Cc"},
		{in: "50%", data: "50%25", prop: "50%25"},
		{in: "%0A", data: "%250A", prop: "%250A"},
		{in: "l1\nl2\r", data: "l1%0Al2%0D", prop: "l1%0Al2%0D"},
		{in: "::error::x", data: "::error::x", prop: "%3A%3Aerror%3A%3Ax"},
	} {
		if got := ghData(tc.in); got != tc.data {
			t.Errorf("ghData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := ghProperty(tc.in); got != tc.prop {
			t.Errorf("ghProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestXMLText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":            "plain",
		"a\nb\n":           "a\nb\n",
		"\x1b[31m\x00":     `\x1b[31m\x00`,
		"nc \uFFFE \uFFFF": `nc \ufffe \uffff`,
		"bad \xff":         `bad \xff`,
		"emoji 😀 ok <]]>":  "emoji 😀 ok <]]>",
	} {
		if got := xmlText(in); got != want {
			t.Errorf("xmlText(%q) = %q, want %q", in, got, want)
		}
	}
}
