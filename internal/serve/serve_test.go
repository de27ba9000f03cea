package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"preflight/dns"
	"preflight/report"
)

const demo = "../../testdata/demo/"

var evalTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func demoServer(t *testing.T, mod func(*Config)) *Server {
	t.Helper()
	z, err := dns.LoadZone(demo + "demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Resolver: dns.NewCache(z, nil), Now: func() time.Time { return evalTime }, Hosts: []string{"example.test"}}
	if mod != nil {
		mod(&cfg)
	}
	return New(cfg)
}

func readDemo(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(demo + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func post(t *testing.T, s *Server, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "http://example.test/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestPageHeadersAndForm(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.test/", nil))
	if rec.Code != 200 {
		t.Fatalf("GET / = %d", rec.Code)
	}
	h := rec.Header()
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q is not strict", csp)
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	body := rec.Body.String()
	for _, want := range []string{`<textarea id="input" name="input"`, `<select id="receiver"`, `value="qq" selected`, `value="all"`, `src="/static/app.js"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, bad := range []string{"http://", "https://"} {
		if strings.Contains(body, bad) {
			t.Errorf("the empty page refers to %q: it must load nothing from elsewhere", bad)
		}
	}
}

func TestHostCheck(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "http://rebound.evil.example/", nil))
	if rec.Code != http.StatusMisdirectedRequest {
		t.Errorf("a foreign Host got %d, want 421", rec.Code)
	}
	if got := LoopbackHosts("127.0.0.1:8025"); len(got) != 4 || got[1] != "localhost:8025" || got[3] != "[::1]:8025" {
		t.Errorf("LoopbackHosts = %v", got)
	}
	for addr, want := range map[string]bool{"127.0.0.1:1": true, "[::1]:1": true, "localhost:1": true, "0.0.0.0:1": false, "192.0.2.1:1": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%s) = %v", addr, !want)
		}
	}
}

// TestPasteMessage: the demo ESP-defaults message gets QQ's rejection, the
// alignment picture with its two failing links, and the two fixes.
func TestPasteMessage(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	rec := post(t, s, url.Values{"input": {readDemo(t, "esp-defaults.eml")}})
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("POST = %d: %s", rec.Code, body)
	}
	for _, want := range []string{
		`class="verdict reject"`, "550 DMARC check failed",
		`<li class="bad" data-kind="spf">`, `<li class="bad" data-kind="dkim">`,
		`s1._domainkey.brand.example. TXT`, `bounce.brand.example. TXT &#34;v=spf1 include:esp.example -all&#34;`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the result lacks %s", want)
		}
	}
	if strings.Contains(body, `class="error"`) {
		t.Error("an error shown for a good message")
	}
}

func TestPasteBounceAndPlan(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	rec := post(t, s, url.Values{"input": {readDemo(t, "qq-bounce.txt")}})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `<section class="bounce"`) || !strings.Contains(body, "DMARC check failed") || !strings.Contains(body, "still-fails") {
		t.Errorf("the demo bounce was not diagnosed (%d):\n%s", rec.Code, clip(body))
	}
	rec = post(t, s, url.Values{"from": {"news@brand.example"}, "mail_from": {"bounce@brand.example"}, "ip": {"192.0.2.10"}, "dkim": {"esp.example:s1"}})
	body = rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `class="verdict accept"`) || !strings.Contains(body, `<li class="ok" data-kind="spf">`) {
		t.Errorf("the plan with a custom Return-Path should pass (%d):\n%s", rec.Code, clip(body))
	}
	rec = post(t, s, url.Values{"from": {"news@brand.example"}, "ip": {"not-an-ip"}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "not an IPv4 or IPv6 address") {
		t.Errorf("a bad IP got %d", rec.Code)
	}
	rec = post(t, s, url.Values{})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "paste a bounce or a message") {
		t.Errorf("an empty form got %d", rec.Code)
	}
}

func TestAllReceivers(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	rec := post(t, s, url.Values{"input": {readDemo(t, "esp-defaults.eml")}, "receiver": {"all"}})
	body := rec.Body.String()
	if n := strings.Count(body, `<section class="report"`); n != 1 {
		t.Errorf("receiver=all rendered %d reports, want one check with a verdict per receiver", n)
	}
	if !strings.Contains(body, `<table class="matrix">`) || strings.Count(body, "data-disposition=") < 5 {
		t.Error("no verdict matrix (a row per receiver) for all receivers")
	}
}

func TestDroppedFile(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "esp-defaults.eml")
	fw.Write([]byte(readDemo(t, "esp-defaults.eml")))
	mw.WriteField("receiver", "qq")
	mw.Close()
	req := httptest.NewRequest("POST", "http://example.test/", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "550 DMARC check failed") {
		t.Errorf("a dropped file was not checked (%d)", rec.Code)
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	big := strings.Repeat("x", MaxInput+100<<10)
	rec := post(t, s, url.Values{"input": {big}})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized paste got %d, want 413", rec.Code)
	}
	req := httptest.NewRequest("POST", "http://example.test/api/v1/check", strings.NewReader(`{"input":"`+big+`"}`))
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized API request got %d, want 413", rec.Code)
	}
}

// TestConcurrencyBound: with one slot taken, a request waits and gives up
// at its deadline instead of running a second check.
func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	s := demoServer(t, func(c *Config) { c.Concurrency = 1 })
	s.sem <- struct{}{} // a check in progress
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Diagnose(ctx, Request{Plan: Plan{From: "news@brand.example"}}); err == nil || !strings.Contains(err.Error(), "busy") {
		t.Errorf("a request beyond the bound got %v, want busy", err)
	}
	<-s.sem
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Diagnose(context.Background(), Request{Plan: Plan{From: "news@brand.example"}}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// TestAPI: the JSON endpoint returns the objects of --format json.
func TestAPI(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	body, _ := json.Marshal(Request{Input: readDemo(t, "esp-defaults.eml"), Receiver: "all"})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "http://example.test/api/v1/check", bytes.NewReader(body)))
	if rec.Code != 200 {
		t.Fatalf("API = %d: %s", rec.Code, rec.Body.String())
	}
	sc := bufio.NewScanner(rec.Body)
	sc.Buffer(nil, 1<<20)
	var n int
	for sc.Scan() {
		var r report.Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if r.Schema != report.Schema || r.Message.FromDomain != "brand.example" || r.Verdict.Receiver == "" || len(r.Verdicts) < 5 {
			t.Errorf("line %d is not a preflight/v1 report: %s", n, clip(sc.Text()))
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d reports for all receivers, want one with verdicts[]", n)
	}
	body, _ = json.Marshal(Request{Input: readDemo(t, "qq-bounce.txt")})
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "http://example.test/api/v1/check", bytes.NewReader(body)))
	var d report.BounceDiagnosis
	if err := json.Unmarshal(bytes.TrimSpace(rec.Body.Bytes()), &d); err != nil || d.Receiver != "qq" || d.Recheck == nil || d.Recheck.Status != report.RecheckStillFails {
		t.Errorf("bounce via API: %v %+v", err, d)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "http://example.test/api/v1/check", strings.NewReader("{not json")))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("bad JSON got %d %s", rec.Code, rec.Body.String())
	}
}

// TestHostilePaste: markup and control characters pasted into the form come
// back escaped, in the text area and in the result.
func TestHostilePaste(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	evil := "From: \"<script>alert(1)</script>\u202e\" <news@brand.example>\r\nSubject: </textarea><img src=x onerror=alert(1)>\u202eevil\r\n\r\nbody\r\n"
	rec := post(t, s, url.Values{"input": {evil}, "from": {`"><script>alert(2)</script>`}})
	body := rec.Body.String()
	for _, bad := range []string{"<script>alert", "<img src=x", "</textarea><img"} {
		if strings.Contains(body, bad) {
			t.Errorf("hostile input %q came back raw", bad)
		}
	}
	// The text area gives the paste back as it was; the result shows the
	// bidi override escaped.
	_, result, _ := strings.Cut(body, `id="result"`)
	if strings.Contains(result, "\u202e") || !strings.Contains(result, `\u202e`) {
		t.Error("the bidi override is not escaped in the result")
	}
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestPasteNotice: a feedback report or an automatic reply is named for
// what it is, not refused as "not a bounce".
func TestPasteNotice(t *testing.T) {
	t.Parallel()
	s := demoServer(t, nil)
	for f, kind := range map[string]string{"arf-complaint.eml": "feedback-report", "out-of-office.eml": "auto-reply"} {
		b, err := os.ReadFile("../bounce/testdata/notbounce/" + f)
		if err != nil {
			t.Fatal(err)
		}
		rec := post(t, s, url.Values{"input": {string(b)}})
		body := rec.Body.String()
		if rec.Code != 200 || strings.Contains(body, `class="error"`) || !strings.Contains(body, `<section class="bounce notice" aria-labelledby="notice-h" data-kind="`+kind+`">`) {
			t.Errorf("%s: %d\n%s", f, rec.Code, clip(body[strings.Index(body, `id="result"`):]))
		}
	}
	body, _ := json.Marshal(Request{Input: string(must(os.ReadFile("../bounce/testdata/notbounce/arf-complaint.eml")))})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "http://example.test/api/v1/check", bytes.NewReader(body)))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"kind":"feedback-report"`) {
		t.Errorf("API notice: %d %s", rec.Code, clip(rec.Body.String()))
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
