package report

import (
	"strings"
	"testing"
)

func TestWrapWordsKeepsAtoms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`then check it with: preflight dkim --domain brand.example --selector s1`,
			[]string{"then", "check", "it", "with:", "preflight dkim --domain brand.example --selector s1"}},
		{`retry (preflight lookup TXT _dmarc.brand.example).`,
			[]string{"retry", "(preflight lookup TXT _dmarc.brand.example)."}},
		{`Run preflight spf brand.example to see the budget`,
			[]string{"Run", "preflight spf brand.example", "to", "see", "the", "budget"}},
		{`check with preflight check --format junit templates/ please`,
			[]string{"check", "with", "preflight check --format junit templates/", "please"}},
		{`check it with ` + "`preflight spf DOMAIN IP`" + `. QQ may`,
			[]string{"check", "it", "with", "`preflight spf DOMAIN IP`.", "QQ", "may"}},
		{`"v=DMARC1; p=reject; rua=mailto:d@brand.example"`,
			[]string{`"v=DMARC1; p=reject; rua=mailto:d@brand.example"`}},
		{`Publish at least: _dmarc.x.example. TXT "v=DMARC1; p=none" and move`,
			[]string{"Publish", "at", "least:", `_dmarc.x.example. TXT "v=DMARC1; p=none"`, "and", "move"}},
		{`a "quoted \" escape" b`, []string{"a", `"quoted \" escape"`, "b"}},
		{`an "unclosed quote stays words`, []string{"an", `"unclosed`, "quote", "stays", "words"}},
		{`the preflight team`, []string{"the", "preflight", "team"}},
		{"label:   padded", []string{"label:", "", "", "padded"}},
	} {
		if got := wrapWords(tc.in); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapWords(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, prose, cmd string }{
		{"Publish it, then check it with: preflight dkim --domain brand.example --selector s1",
			"Publish it, then check it with:", "preflight dkim --domain brand.example --selector s1"},
		{"然后用以下命令检查：preflight dkim --domain brand.example --selector s1",
			"然后用以下命令检查：", "preflight dkim --domain brand.example --selector s1"},
		{"Run: preflight spf brand.example.", "Run:", "preflight spf brand.example"},
		{"Run: preflight spf brand.example to see more", "Run: preflight spf brand.example to see more", ""},
		{"No command here.", "No command here.", ""},
	} {
		prose, cmd, _ := splitCommand(tc.in)
		if prose != tc.prose || cmd != tc.cmd {
			t.Errorf("splitCommand(%q) = %q, %q; want %q, %q", tc.in, prose, cmd, tc.prose, tc.cmd)
		}
	}
}

// TestRecordsAndCommandsNeverWrapped: at any width, in either language, a
// record or a command of the text output is on one line, whole.
func TestRecordsAndCommandsNeverWrapped(t *testing.T) {
	t.Parallel()
	dmarcRec := "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@brand.example"
	cmd := "preflight dkim --domain brand.example --selector s1"
	zoneLine := `s1._domainkey.brand.example. TXT "v=DKIM1; k=rsa; p=<public key from your ESP>"`
	r := &Report{
		Schema:  "preflight/v1",
		Message: MessageInfo{Path: "campaign.eml", From: "news@brand.example", FromDomain: "brand.example"},
		DMARC:   DMARC{Result: "fail", Record: dmarcRec, RecordDomain: "brand.example", Policy: "reject", PolicyTag: "p"},
		Verdict: Verdict{Receiver: "qq", Disposition: DispositionReject, Reject: true, SMTPReply: "550 DMARC check failed"},
		Fixes: []Fix{{Via: "dkim", Title: "sign with DKIM d=brand.example",
			Steps:   []string{"Publish the public key the ESP gives you at s1._domainkey.brand.example (often a CNAME to a record the ESP hosts), then check it with: " + cmd},
			Records: []string{zoneLine}}},
		Findings: []Finding{{ID: "dmarc.no-record", Severity: SeverityWarn, Title: "No DMARC record", Detail: "No DMARC record at _dmarc.brand.example.",
			Fix: `Publish at least: _dmarc.brand.example. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@brand.example" and move on; run preflight spf brand.example to see the budget.`}},
	}
	for _, lang := range []Lang{LangEN, LangZH} {
		for _, width := range []int{40, 60, 80, 100} {
			var b strings.Builder
			if err := WriteText(&b, r, TextOptions{Width: width, Lang: lang}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			wholes := []string{`"` + dmarcRec + `"`, cmd, zoneLine}
			if lang == LangEN { // in Chinese the finding's fix is the catalogue's
				wholes = append(wholes, `_dmarc.brand.example. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@brand.example"`,
					"preflight spf brand.example")
			}
			for _, whole := range wholes {
				if !strings.Contains(out, whole) {
					t.Errorf("%s, width %d: %q is not on one line:\n%s", lang, width, whole, out)
				}
			}
			for _, l := range strings.Split(out, "\n") {
				if strings.TrimSpace(l) == cmd || strings.TrimSpace(l) == zoneLine {
					continue
				}
				if strings.Contains(l, cmd) && width < 100 {
					t.Errorf("%s, width %d: the command shares a line: %q", lang, width, l)
				}
			}
		}
	}
}
