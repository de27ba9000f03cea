package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"preflight/report"
)

// TestChooseLang: --lang wins; without it the locale counts only on a
// terminal (injected here: the test does not depend on its own stdout).
func TestChooseLang(t *testing.T) {
	t.Parallel()
	zhEnv := map[string]string{"LANG": "zh_CN.UTF-8"}
	for _, tc := range []struct {
		name     string
		flag     string
		set      bool
		terminal bool
		env      map[string]string
		want     report.Lang
		wantErr  bool
	}{
		{name: "zh locale on a terminal", terminal: true, env: zhEnv, want: report.LangZH},
		{name: "zh locale into a pipe", terminal: false, env: zhEnv, want: report.LangEN},
		{name: "LC_ALL overrides LANG", terminal: true, env: map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, want: report.LangEN},
		{name: "LC_MESSAGES before LANG", terminal: true, env: map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, want: report.LangZH},
		{name: "no locale", terminal: true, env: map[string]string{}, want: report.LangEN},
		{name: "--lang zh into a pipe", flag: "zh", set: true, want: report.LangZH},
		{name: "--lang zh-CN", flag: "zh-CN", set: true, want: report.LangZH},
		{name: "--lang en on a zh terminal", flag: "en", set: true, terminal: true, env: zhEnv, want: report.LangEN},
		{name: "--lang fr", flag: "fr", set: true, wantErr: true},
		{name: "--lang empty", flag: "", set: true, wantErr: true},
	} {
		got, err := chooseLang(tc.flag, tc.set, tc.terminal, func(k string) string { return tc.env[k] })
		if (err != nil) != tc.wantErr || err == nil && got != tc.want {
			t.Errorf("%s: chooseLang = %q, %v; want %q (error %v)", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestLocaleIgnoredOffTerminal runs check with a Chinese locale into a
// buffer: the output is the English one, as scripts and CI expect.
func TestLocaleIgnoredOffTerminal(t *testing.T) {
	t.Chdir("../..")
	t.Setenv("LANG", "zh_CN.UTF-8")
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	t.Setenv("PREFLIGHT_RESOLV_CONF", "/nonexistent/resolv.conf")
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"check", "--zone", "testdata/demo/demo.zone", "--now", "2026-12-01T00:00:00Z", "testdata/demo/esp-defaults.eml"},
		strings.NewReader(""), &out, &errb)
	if code != ExitFail {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "✗ QQ Mail would reject this message") {
		t.Errorf("a Chinese locale changed output that is not a terminal:\n%s", out.String())
	}
}

func TestLangFlagRejected(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"check", "--lang", "fr", "--from", "a@b.example"}, strings.NewReader(""), &out, &errb)
	if code != ExitUsage || !strings.Contains(errb.String(), `unknown --lang "fr" (use en or zh)`) {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
