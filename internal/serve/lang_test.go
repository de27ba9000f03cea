package serve

import (
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestPageCatalogue: every string the page and the handlers translate has
// its Chinese entry, and every entry is used.
func TestPageCatalogue(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	tmpl, err := os.ReadFile("assets/page.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\{\{t "((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(string(tmpl), -1) {
		used[m[1]] = true
	}
	src, err := os.ReadFile("serve.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?:badInput|tr)\((?:l, |report\.LangEN, )?("(?:[^"\\]|\\.)*")`).FindAllStringSubmatch(string(src), -1) {
		k, err := strconv.Unquote(m[1])
		if err != nil {
			t.Fatal(err)
		}
		used[k] = true
	}
	used["All receivers"], used["the server is busy; try again"], used["The recipients' providers (To/Cc)"] = true, true, true
	delete(used, "%s") // another package's message, passed on as it is
	var missing, unused []string
	for k := range used {
		if _, ok := zh[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range zh {
		if !used[k] {
			unused = append(unused, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(unused)
	for _, k := range missing {
		t.Errorf("no Chinese for %q", k)
	}
	for _, k := range unused {
		t.Errorf("Chinese entry %q is not used", k)
	}
	if len(used) < 25 {
		t.Errorf("the scan found only %d keys", len(used))
	}
}

// TestChinesePage: ?lang=zh (or Accept-Language) gives the page and the
// diagnosis in Chinese, with the records as they are.
func TestChinesePage(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "http://example.test/", nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	s.ServeHTTP(rec, req)
	body := rec.Body.String()
	if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "诊断") || !strings.Contains(body, `<option value="zh" selected>`) {
		t.Errorf("Accept-Language zh did not give the Chinese page:\n%s", clip(body))
	}
	rec = post(t, s, url.Values{"input": {readDemo(t, "esp-defaults.eml")}, "lang": {"zh"}})
	body = rec.Body.String()
	for _, want := range []string{`<html lang="zh-CN">`, "QQ 邮箱", `s1._domainkey.brand.example. TXT`, "550 DMARC check failed"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Chinese result lacks %s", want)
		}
	}
	rec = post(t, s, url.Values{"lang": {"zh"}})
	if !strings.Contains(rec.Body.String(), "请粘贴退信或邮件") {
		t.Error("the input error is not in Chinese")
	}
}
