package serve

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"preflight/dns"
)

// TestBrowser drives headless Chromium through the page as a support
// engineer would, keyboard only and 375 px wide: paste the demo bounce,
// then the demo message, and read the rendered DOM. It runs when
// PREFLIGHT_BROWSER=1 (.ci/run sets it and installs Debian's chromium);
// PREFLIGHT_CHROMIUM names the browser (default /usr/bin/chromium), and
// PREFLIGHT_SCREENSHOT_DIR keeps the screenshot (default: the test's
// temporary directory).
func TestBrowser(t *testing.T) {
	if os.Getenv("PREFLIGHT_BROWSER") != "1" {
		t.Skip("browser test: set PREFLIGHT_BROWSER=1 (needs Debian's chromium)")
	}
	exe := os.Getenv("PREFLIGHT_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(exe); err != nil {
		t.Fatalf("PREFLIGHT_BROWSER=1 but no browser at %s: %v", exe, err)
	}
	base := startDemo(t)
	// The browser's profile is removed best-effort: chromium may still be
	// writing to it as it exits, which t.TempDir would count as a failure.
	profile, err := os.MkdirTemp("", "preflight-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { time.Sleep(200 * time.Millisecond); os.RemoveAll(profile) })

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(375, 812))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	// cdproto lags behind Debian's chromium: events it cannot decode are
	// logged by chromedp and are not the page's problems; drop that noise.
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 45*time.Second)
	defer cancel()

	// Every script error and console complaint (a CSP violation is one)
	// fails the test.
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				problems = append(problems, "console: "+e.Entry.Text)
			}
		}
	})

	var width, viewport int64
	var focused, verdict, recheck string
	if err := chromedp.Run(ctx, log.Enable(), runtime.Enable(),
		chromedp.Navigate(base),
		chromedp.WaitVisible("#input", chromedp.ByID),
		// Keyboard only: from the top of the page, Tab passes the skip
		// link and lands in the text area.
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	); err != nil {
		t.Fatal(err)
	}
	if focused != "input" {
		t.Fatalf("two Tabs from the top reach %q, want the text area", focused)
	}
	// Paste the demo bounce (setting the value is what a paste does), Tab
	// to the button, press Enter.
	if err := chromedp.Run(ctx,
		paste(readDemo(t, "qq-bounce.txt")),
		tabTo(t, "submit"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(`section.bounce`, chromedp.ByQuery),
		chromedp.Text(`section.bounce p.verdict`, &verdict, chromedp.ByQuery),
		chromedp.Text(`section.bounce article > h3:nth-of-type(2)`, &recheck, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
		chromedp.Evaluate(`window.innerWidth`, &viewport),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(verdict, "DMARC check failed") {
		t.Errorf("bounce verdict %q", verdict)
	}
	if !strings.Contains(recheck, "still-fails") {
		t.Errorf("bounce re-check heading %q", recheck)
	}
	if width > viewport {
		t.Errorf("the bounce page is %d px wide in a %d px window: it scrolls sideways", width, viewport)
	}

	// The demo message: the picture's two failing links and the two fixes.
	var links []*cdp.Node
	var records []string
	var copyButtons int
	var png []byte
	if err := chromedp.Run(ctx,
		paste(readDemo(t, "esp-defaults.eml")),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible(`#m1 p.verdict.reject`, chromedp.ByQuery), // #m1: the message's report (the bounce page has #r1)
		chromedp.Nodes(`ul.links li[data-kind]`, &links, chromedp.ByQueryAll),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.rec pre code')).map(e => e.textContent)`, &records),
		chromedp.Evaluate(`document.querySelectorAll('button.copy').length`, &copyButtons),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
		chromedp.FullScreenshot(&png, 100), // 100: PNG,
	); err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 {
		t.Fatalf("%d picture links, want 2 (SPF esp.example, DKIM d=esp.example)", len(links))
	}
	for _, n := range links {
		if n.AttributeValue("class") != "bad" {
			t.Errorf("link %s is %q, want bad (passes but is not aligned)", n.AttributeValue("data-kind"), n.AttributeValue("class"))
		}
	}
	joined := strings.Join(records, "\n")
	for _, want := range []string{`s1._domainkey.brand.example. TXT`, `bounce.brand.example. TXT "v=spf1 include:esp.example -all"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("fix records %q lack %s", records, want)
		}
	}
	if copyButtons != len(records) || copyButtons == 0 {
		t.Errorf("%d copy buttons for %d records: the page's script did not run under its CSP", copyButtons, len(records))
	}
	if width > viewport {
		t.Errorf("the report is %d px wide in a %d px window", width, viewport)
	}
	dir := os.Getenv("PREFLIGHT_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "serve-375px.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the demo message at 375 px: %s", shot)
	// The Chinese page: chosen with the language selector, by keyboard.
	var htmlLang, zhVerdict string
	var zhLinks []*cdp.Node
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base),
		chromedp.WaitVisible("#input", chromedp.ByID),
		paste(readDemo(t, "esp-defaults.eml")),
		chromedp.SetValue("#lang", "zh", chromedp.ByID),
		tabTo(t, "submit"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(`html[lang="zh-CN"] #m1 p.verdict.reject`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &htmlLang),
		chromedp.Text(`#m1 p.verdict`, &zhVerdict, chromedp.ByQuery),
		chromedp.Nodes(`#m1 ul.links li[data-kind]`, &zhLinks, chromedp.ByQueryAll),
	); err != nil {
		t.Fatal(err)
	}
	if htmlLang != "zh-CN" || !strings.Contains(zhVerdict, "QQ 邮箱") || !strings.Contains(zhVerdict, "550 DMARC check failed") {
		t.Errorf("Chinese page: lang %q, verdict %q", htmlLang, zhVerdict)
	}
	if len(zhLinks) != 2 {
		t.Errorf("Chinese page: %d picture links, want 2", len(zhLinks))
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
}

// startDemo serves the page on loopback against the demo zone and returns
// its URL.
func startDemo(t *testing.T) string {
	t.Helper()
	z, err := dns.LoadZone(demo + "demo.zone")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	srv := New(Config{Resolver: dns.NewCache(z, nil), Now: func() time.Time { return evalTime }, Hosts: LoopbackHosts(addr)})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, srv) }()
	t.Cleanup(func() { stop(); <-done })
	return "http://" + addr + "/"
}

// paste puts text in the text area as a paste would (SetValue trips over
// the page reloads of the form).
func paste(text string) chromedp.Action {
	b, _ := json.Marshal(text)
	var ignored any
	return chromedp.Evaluate(`document.getElementById("input").value = `+string(b)+`; true`, &ignored)
}

// tabTo presses Tab until the element with id has the focus (at most 20).
func tabTo(t *testing.T, id string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for i := 0; i < 20; i++ {
			var got string
			if err := chromedp.Evaluate(`document.activeElement.id`, &got).Do(ctx); err != nil {
				return err
			}
			if got == id {
				return nil
			}
			if err := chromedp.KeyEvent(kb.Tab).Do(ctx); err != nil {
				return err
			}
		}
		t.Errorf("20 Tabs do not reach #%s", id)
		return nil
	})
}
