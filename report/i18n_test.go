package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestParseLang(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"zh", LangZH, true},
		{"zh-CN", LangZH, true},
		{"zh_CN.UTF-8", LangZH, true},
		{"zh_CN.utf8", LangZH, true},
		{"zh_TW.Big5", LangZH, true},
		{"zh-Hans", LangZH, true},
		{"en", LangEN, true},
		{"en_US.UTF-8", LangEN, true},
		{"en_GB.UTF-8@euro", LangEN, true},
		{"C", LangEN, true},
		{"POSIX", LangEN, true},
		{"C.UTF-8", LangEN, true},
		{"", LangEN, false},
		{"fr_FR.UTF-8", LangEN, false},
		{"klingon!", LangEN, false},
	} {
		got, ok := ParseLang(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLangFromLocale(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Lang
	}{
		{"LANG zh", map[string]string{"LANG": "zh_CN.UTF-8"}, LangZH},
		{"LANG en", map[string]string{"LANG": "en_US.UTF-8"}, LangEN},
		{"nothing set", map[string]string{}, LangEN},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, LangEN},
		{"LC_ALL zh", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, LangZH},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "zh_SG.UTF-8", "LANG": "C"}, LangZH},
		{"C locale", map[string]string{"LANG": "C"}, LangEN},
		{"another language", map[string]string{"LANG": "de_DE.UTF-8"}, LangEN},
	} {
		got := LangFromLocale(func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("%s: LangFromLocale = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestFindingTextsComplete is the promise of the catalogues: every finding
// ID has a title and a meaning in both languages, and every error (and
// every warning with an English fix) a general fix in both. It lists all
// that are missing.
func TestFindingTextsComplete(t *testing.T) {
	t.Parallel()
	var missing []string
	for id, e := range Catalogue {
		en, enOK := enFindings[id]
		zh, zhOK := zhFindings[id]
		switch {
		case !enOK:
			missing = append(missing, id+": no English meaning (lang_en.go)")
		case en.Meaning == "":
			missing = append(missing, id+": empty English meaning")
		}
		switch {
		case !zhOK:
			missing = append(missing, id+": no Chinese title and meaning (lang_zh_findings.go)")
		case zh.Title == "" || zh.Meaning == "":
			missing = append(missing, id+": Chinese title or meaning empty")
		}
		if e.Severity == SeverityError {
			if en.Fix == "" {
				missing = append(missing, id+": error without an English fix")
			}
			if zh.Fix == "" {
				missing = append(missing, id+": error without a Chinese fix")
			}
		}
		if (en.Fix == "") != (zh.Fix == "") && enOK && zhOK {
			missing = append(missing, id+": a fix in one language only")
		}
	}
	for id := range enFindings {
		if _, ok := Catalogue[id]; !ok {
			missing = append(missing, id+": in lang_en.go but not in the catalogue")
		}
	}
	for id := range zhFindings {
		if _, ok := Catalogue[id]; !ok {
			missing = append(missing, id+": in lang_zh_findings.go but not in the catalogue")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

// TestFindingMeaningsMatchDoc: the English meanings are FINDINGS.md's,
// word for word.
func TestFindingMeaningsMatchDoc(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(repoRoot, "FINDINGS.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile("^\\| `([^`]+)` \\| (\\w+) \\| (.+) \\|$")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if got := enFindings[m[1]].Meaning; got != m[3] {
			t.Errorf("%s: FINDINGS.md says\n\t%s\nlang_en.go says\n\t%s", m[1], m[3], got)
		}
	}
}

// catalogueKeys collects the keys the package's code and templates use:
// the constant key of every T, tr and msg call, and every {{t "…"}}.
func catalogueKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			arg := -1
			switch calleeName(call.Fun) {
			case "T":
				arg = 1
			case "tr", "msg":
				arg = 0
			}
			if arg >= 0 && len(call.Args) > arg {
				if s, ok := stringLit(call.Args[arg]); ok {
					keys[s] = fset.Position(call.Pos()).String()
				}
			}
			return true
		})
	}
	tmpls, err := filepath.Glob("html/*.tmpl")
	if err != nil || len(tmpls) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, name := range tmpls {
		tmpl, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`[{(]-?\s*t\s+("(?:[^"\\]|\\.)*")`).FindAllStringSubmatch(string(tmpl), -1) {
			var s string
			if err := json.Unmarshal([]byte(m[1]), &s); err != nil {
				t.Fatalf("%s: %s: %v", name, m[1], err)
			}
			keys[s] = name
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d catalogue keys in the code: the scan is broken", len(keys))
	}
	return keys
}

// TestCatalogueKeysTranslated: every interface string of the text and HTML
// output has its Chinese, and every Chinese interface entry is still used.
func TestCatalogueKeysTranslated(t *testing.T) {
	t.Parallel()
	keys := catalogueKeys(t)
	all := zhAll()
	var missing []string
	for k, where := range keys {
		if _, ok := all[k]; !ok {
			missing = append(missing, fmt.Sprintf("%q (%s)", k, where))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no zh translation: %s", m)
	}
	for _, m := range []map[string]string{zhUI, zhHTML, zhBounceHTML, zhSummary, zhBounceUI, zhGuidance} {
		for k := range m {
			if _, ok := keys[k]; !ok {
				t.Errorf("zh catalogue key %q is used nowhere (stale?)", k)
			}
		}
	}
}

// TestCatalogueMapsAgree: a key in two parts of the zh catalogue must say
// the same thing in both (x/text keeps one message per key).
func TestCatalogueMapsAgree(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, m := range []map[string]string{zhUI, zhHTML, zhBounceHTML, zhSummary, zhBounceUI, zhGuidance, zhProduced} {
		for k, v := range m {
			if old, ok := seen[k]; ok && old != v {
				t.Errorf("%q is translated twice: %q and %q", k, old, v)
			}
			seen[k] = v
		}
	}
}

// dummyArgs returns arguments that fit format's verbs.
func dummyArgs(format string, asStrings bool) []any {
	var args []any
	for _, v := range verbs(format) {
		switch {
		case v.letter == '%':
			continue
		case asStrings:
			args = append(args, "x")
		case v.letter == 'd':
			args = append(args, 7)
		case v.letter == 'f':
			args = append(args, 0.5)
		default:
			args = append(args, "x")
		}
	}
	return args
}

// TestTranslationsFormat: every translation takes the arguments its key
// takes (the producers' sentences take strings: Localize passes the text
// it captured), so no output shows %!v(MISSING) or %!(EXTRA …).
func TestTranslationsFormat(t *testing.T) {
	t.Parallel()
	produced := map[string]bool{}
	for k := range zhProduced {
		produced[k] = true
	}
	for k := range zhAll() {
		got := T(LangZH, k, dummyArgs(k, produced[k])...)
		if strings.Contains(got, "%!") {
			t.Errorf("%q: its translation formats as %q", k, got)
		}
		if want := len(dummyArgs(k, false)); want > 0 && !strings.Contains(got, "x") && !strings.ContainsAny(got, "70.5") {
			t.Errorf("%q: its translation %q shows none of its arguments", k, got)
		}
	}
}

// moduleLiterals returns every string literal of the module's non-test Go
// code outside this package, with literal + literal concatenations joined.
func moduleLiterals(t *testing.T) []string {
	t.Helper()
	var lits []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != repoRoot && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || path == filepath.Join(repoRoot, "report")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := stringLit(n); ok {
					lits = append(lits, s)
				}
			case *ast.BinaryExpr:
				if s, ok := concat(n); ok {
					lits = append(lits, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lits
}

func concat(x ast.Expr) (string, bool) {
	switch x := x.(type) {
	case *ast.BasicLit:
		return stringLit(x)
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := concat(x.X)
		b, ok2 := concat(x.Y)
		return a + b, ok1 && ok2
	}
	return "", false
}

// composedKeys are zh keys no single literal writes: the producer builds
// the sentence from parts (dmarc: name + pastTense + "for", cause + rule
// text). Each still has its parts checked.
var composedKeys = map[string]bool{
	"SPF passed for %s": true, "SPF failed for %s": true, "SPF gave none for %s": true, "SPF gave %s for %s": true,
	"DKIM passed for %s": true, "DKIM failed for %s": true, "DKIM gave none for %s": true, "DKIM gave %s for %s": true,
	"SPF: no identifier to compare": true, "DKIM: no identifier to compare": true,
}

// TestProducedKeysStillWritten: every producer sentence the zh catalogue
// translates is still written by some package (each piece of literal text
// between its verbs appears in a string literal), so a reworded producer
// shows up here as a stale key rather than as English in Chinese output.
func TestProducedKeysStillWritten(t *testing.T) {
	t.Parallel()
	lits := moduleLiterals(t)
	haystack := strings.Join(lits, "\x00")
	for k := range zhProduced {
		var frags []string
		last := 0
		for _, v := range verbs(k) {
			frags = append(frags, k[last:v.start])
			last = v.end
		}
		frags = append(frags, k[last:])
		for _, f := range frags {
			f = strings.TrimSpace(f)
			if composedKeys[k] {
				for _, w := range strings.Fields(f) {
					if !strings.Contains(haystack, strings.TrimRight(w, ":")) {
						t.Errorf("zh key %q: no code writes %q any more", k, w)
					}
				}
				continue
			}
			if len(f) < 4 || strings.Contains(haystack, f) {
				continue
			}
			// A sentence the producer appends to another ("… body). Only
			// the headers came back, …"): each sentence on its own.
			for _, piece := range strings.Split(f, ". ") {
				if piece = strings.Trim(piece, " ()."); len(piece) >= 4 && !strings.Contains(haystack, piece) {
					t.Errorf("zh key %q: no code writes %q any more (reworded? update lang_zh_produced.go)", k, piece)
				}
			}
		}
	}
}

func TestLocalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"SPF passed for esp.example, but esp.example is not aligned with brand.example (aspf=r compares organizational domains: esp.example ≠ brand.example)",
			"esp.example 的 SPF 验证通过，但 esp.example 与 brand.example 未对齐（aspf=r 比较组织域：esp.example ≠ brand.example）"},
		{"the record is at the From domain itself, so p=reject applies", "记录就在发件域本身，因此适用 p=reject"},
		{"Sending IP 192.0.2.10 taken from the first external Received hop", "发信 IP 192.0.2.10 取自第一个外部 Received 跳"},
		{"the input holds this reply 3 times for this recipient", "输入中该收件人的这条回复出现了 3 次"},
		{"no such sentence in the catalogue", "no such sentence in the catalogue"},
		{"", ""},
	} {
		if got := Localize(LangZH, tc.in); got != tc.want {
			t.Errorf("Localize(zh, %q)\n\t= %q\n\twant %q", tc.in, got, tc.want)
		}
		if got := Localize(LangEN, tc.in); got != tc.in {
			t.Errorf("Localize(en, %q) = %q", tc.in, got)
		}
	}
}

// goldenReports reads testdata/reports.jsonl, the fixed demo reports.
func goldenReports(t *testing.T) []*Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "reports.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var reps []*Report
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		r := new(Report)
		if err := dec.Decode(r); err != nil {
			t.Fatal(err)
		}
		reps = append(reps, r)
	}
	return reps
}

// TestDemoSentencesLocalized: for every demo report, every sentence the
// producers wrote that Chinese output shows — fix titles and steps,
// assumptions, alignment explanations, DMARC notes, SPF explanations,
// verdict summaries — has its Chinese.
func TestDemoSentencesLocalized(t *testing.T) {
	t.Parallel()
	for _, r := range goldenReports(t) {
		rules := ruleTexts(LangZH, r)
		check := func(what, s string) {
			if s == "" {
				return
			}
			if _, ok := localize(LangZH, s, rules, 3); !ok {
				t.Errorf("%s: %s not translated: %q", r.Message.Path, what, s)
			}
		}
		for _, f := range r.Fixes {
			check("fix title", f.Title)
			for _, s := range f.Steps {
				check("fix step", s)
			}
		}
		for _, a := range r.Assumptions {
			check("assumption", a)
		}
		check("SPF alignment", r.SPF.Alignment)
		if r.SPF.Result == "" {
			check("SPF explanation", r.SPF.Explanation)
		}
		for _, d := range r.DKIM {
			check("DKIM alignment", d.Alignment)
		}
		tw := &textWriter{o: TextOptions{Lang: LangZH}, rules: rules}
		if n := tw.notes(r.DMARC.Explanation); n != "" && regexp.MustCompile(`[a-z]+ [a-z]+ [a-z]+ [a-z]+`).MatchString(n) {
			t.Errorf("%s: DMARC notes left in English: %q", r.Message.Path, n)
		}
		if r.Verdict.Summary != "" && summaryIn(LangZH, r) == r.Verdict.Summary {
			t.Errorf("%s: verdict summary left in English: %q", r.Message.Path, r.Verdict.Summary)
		}
	}
}

func TestCJKWrap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	tw := &textWriter{w: &b, o: TextOptions{Lang: LangZH, Width: 40}}
	tw.line(2, 2, "退信地址位于 esp.example，与 brand.example 未对齐。请在 ESP 后台设置自定义 Return-Path（退信域 / MAIL FROM 域），使用 brand.example 的子域。")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("not wrapped:\n%s", b.String())
	}
	for i, l := range lines {
		if w := displayWidth(l); w > 40 {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, l)
		}
		trimmed := strings.TrimLeft(l, " ")
		if r, _ := firstRune(trimmed); i > 0 && strings.ContainsRune(noLineStart, r) {
			t.Errorf("line %d starts with closing punctuation: %q", i+1, l)
		}
		if i > 0 && !strings.HasPrefix(l, "    ") {
			t.Errorf("line %d lost its hanging indent: %q", i+1, l)
		}
	}
	if got := strings.Join(strings.Fields(strings.ReplaceAll(b.String(), "\n", "")), ""); !strings.Contains(got, "brand.example的子域") {
		t.Errorf("a word was split: %q", b.String())
	}
}

func TestMatchLang(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Lang{
		"zh-CN,zh;q=0.9,en;q=0.8": LangZH,
		"en-US,en;q=0.9,zh;q=0.5": LangEN,
		"zh-TW":                   LangZH,
		"fr-FR,zh;q=0.5":          LangZH,
		"de":                      LangEN,
		"":                        LangEN,
		"*":                       LangEN,
		";;;":                     LangEN,
	} {
		if got := MatchLang(in); got != want {
			t.Errorf("MatchLang(%q) = %q, want %q", in, got, want)
		}
	}
}
