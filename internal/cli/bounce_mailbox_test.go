package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"preflight/internal/bounce"
	"preflight/report"
)

const triageMbox = fixtureDir + "/triage.mbox"

// jsonRun runs bounce with --format json and returns the exit code, the
// lines as generic objects, and stderr.
func jsonRun(t *testing.T, args ...string) (int, []map[string]any, string) {
	t.Helper()
	code, out, stderr := run(t, append([]string{"bounce", "--format", "json", "--zone", demoDir + "demo.zone", "--now", "2026-12-01T00:00:00Z"}, args...)...)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%v in %q", err, l)
		}
		lines = append(lines, v)
	}
	return code, lines, stderr
}

// TestBounceMailboxSharesRechecks: across a mailbox, the re-check runs once
// per distinct (receiver, From, MAIL FROM, IP, DKIM): the four campaign
// bounces share one, shown on the first and referred to by the others with
// its source; the summary counts four re-checks for the mbox.
func TestBounceMailboxSharesRechecks(t *testing.T) {
	t.Parallel()
	code, lines, stderr := jsonRun(t, triageMbox)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	sum := lines[len(lines)-1]
	if sum["kind"] != report.SummaryKind || sum["rechecks"] != 4.0 || sum["messages"] != 13.0 {
		t.Fatalf("summary %v", sum)
	}
	var campaign []map[string]any
	for _, l := range lines {
		if l["kind"] == report.BounceKind && l["rule"] == "qq.dmarc" && strings.HasPrefix(l["reply"].(string), "550 DMARC check failed.") {
			if src := l["source"].(string); src != triageMbox+"#9" {
				campaign = append(campaign, l)
			}
		}
	}
	if len(campaign) != 4 {
		t.Fatalf("%d campaign diagnoses", len(campaign))
	}
	for i, l := range campaign {
		_, hasCheck := l["check"]
		switch {
		case i == 0 && (!hasCheck || l["recheck_ref"] != nil):
			t.Errorf("first: check %v, ref %v", hasCheck, l["recheck_ref"])
		case i > 0 && (hasCheck || l["recheck_ref"] != "li.wei@qq.com" || l["recheck_ref_source"] != triageMbox+"#1"):
			t.Errorf("%v: check %v, ref %v in %v", l["source"], hasCheck, l["recheck_ref"], l["recheck_ref_source"])
		}
		if l["recheck"] != report.RecheckStillFails {
			t.Errorf("%v: recheck %v", l["source"], l["recheck"])
		}
	}
	// The Maildir holds two of them: one re-check.
	_, lines, _ = jsonRun(t, fixtureDir+"/maildir")
	if sum := lines[len(lines)-1]; sum["rechecks"] != 1.0 || sum["messages"] != 4.0 {
		t.Errorf("maildir summary %v", sum)
	}
}

// TestBounceMailboxJobs: the output does not depend on how many messages
// are parsed at once.
func TestBounceMailboxJobs(t *testing.T) {
	t.Parallel()
	var outs []string
	for _, jobs := range []string{"1", "3", "16"} {
		code, out, _ := run(t, "bounce", "--jobs", jobs, "--zone", demoDir+"demo.zone", "--now", "2026-12-01T00:00:00Z", triageMbox)
		if code != 0 {
			t.Fatalf("--jobs %s: exit %d", jobs, code)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Errorf("--jobs changes the output")
	}
	if code, _, stderr := run(t, "bounce", "--jobs", "0", triageMbox); code != ExitUsage || !strings.Contains(stderr, "--jobs") {
		t.Errorf("--jobs 0: exit %d %q", code, stderr)
	}
}

// TestBounceMailboxUnreadable: a message over the limit in the middle of an
// mbox is reported and skipped; the messages after it are diagnosed, the
// summary counts it, and the exit code says an input could not be read.
func TestBounceMailboxUnreadable(t *testing.T) {
	t.Parallel()
	msgs := fixtureMessages(t)
	path := filepath.Join(t.TempDir(), "with-huge.mbox")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.Write(mboxrd(msgs[:1]))
	w.WriteString("From MAILER-DAEMON Thu Jan 15 11:00:00 2026\nFrom: MAILER-DAEMON@x\nSubject: Undelivered\n\n")
	line := strings.Repeat("x", 99) + "\n"
	for n := 0; n <= bounce.MaxInput; n += len(line) {
		w.WriteString(line)
	}
	w.WriteString("\n")
	w.Write(mboxrd(msgs[5:6]))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, lines, stderr := jsonRun(t, path)
	if code != ExitUsage || !strings.Contains(stderr, path+"#2: the message is larger than 64 MiB") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var kinds []string
	for _, l := range lines {
		kinds = append(kinds, l["kind"].(string))
	}
	if got := strings.Join(kinds, " "); got != "bounce unreadable auto-reply summary" {
		t.Errorf("kinds %q", got)
	}
	if sum := lines[len(lines)-1]; sum["unreadable"] != 1.0 || sum["messages"] != 3.0 {
		t.Errorf("summary %v", sum)
	}
}

// TestBounceExitCodes: what makes a bounce run exit 2.
func TestBounceExitCodes(t *testing.T) {
	t.Parallel()
	notBounces := t.TempDir()
	for i, name := range []string{"newsletter.eml", "out-of-office.eml", "arf-complaint.eml"} {
		data, err := os.ReadFile("../bounce/testdata/notbounce/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(notBounces, fmt.Sprintf("%d.eml", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"one bounce", []string{"../bounce/testdata/postfix-qq-dmarc.eml"}, ExitOK},
		{"one notice", []string{"../bounce/testdata/notbounce/arf-complaint.eml"}, ExitOK},
		{"one message that is not a bounce", []string{"../bounce/testdata/notbounce/newsletter.eml"}, ExitUsage},
		{"a folder of messages that are not bounces", []string{notBounces}, ExitOK},
		{"a missing file among others", []string{"../bounce/testdata/postfix-qq-dmarc.eml", "nosuch.eml"}, ExitUsage},
		{"an empty folder", []string{t.TempDir()}, ExitUsage},
		{"no argument", nil, ExitUsage},
	} {
		code, _, stderr := run(t, append([]string{"bounce", "--zone", demoDir + "demo.zone"}, tc.args...)...)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d (%s)", tc.name, code, tc.code, stderr)
		}
	}
}

// TestBounceMailboxFolder: a folder is read recursively; a Maildir inside
// it gives cur/ and new/ only; hidden files and folders and mail tools'
// bookkeeping are skipped; a link to a file is read, a link to a folder
// not followed.
func TestBounceMailboxFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	msg, err := os.ReadFile("../bounce/testdata/postfix-qq-dmarc.eml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a.eml", "sub/b.eml", "sub/deeper/c", "box/cur/1", "box/new/2", "box/.Sent/cur/3",
		"box/tmp/4", "box/dovecot-uidlist", ".hidden.eml", ".git/objects/x", "sub/.DS_Store"} {
		path := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, msg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "a.eml"), filepath.Join(dir, "link.eml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	_, lines, _ := jsonRun(t, dir)
	var got []string
	for _, l := range lines {
		if src, ok := l["source"].(string); ok {
			got = append(got, strings.TrimPrefix(filepath.ToSlash(src), filepath.ToSlash(dir)+"/"))
		}
	}
	want := "a.eml box/.Sent/cur/3 box/cur/1 box/new/2 link.eml sub/b.eml sub/deeper/c"
	if strings.Join(got, " ") != want {
		t.Errorf("read %q, want %q", strings.Join(got, " "), want)
	}
}

// TestBounceMailboxInterrupted: a mailbox run interrupted prints what it
// finished, closes its output with the summary saying it was interrupted,
// and exits 130.
func TestBounceMailboxInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"bounce", "--format", "json", "--zone", demoDir + "demo.zone", triageMbox}, strings.NewReader(""), &out, &errb)
	if code != ExitInterrupted || !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var sum report.BounceTriage
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.Messages == 0 || sum.Messages == 13 {
		t.Errorf("summary %+v", sum)
	}
}

// TestBounceMailboxVerbose: -v shows every bounce in full, then the summary.
func TestBounceMailboxVerbose(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, "bounce", "-v", "--zone", demoDir+"demo.zone", "--now", "2026-12-01T00:00:00Z", fixtureDir+"/maildir")
	if code != 0 || strings.Count(out, "meaning:") != 3 || !strings.Contains(out, "Triage of 4 message(s)") || !strings.Contains(out, "Delay warning") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestBounceMailboxHTML: the run as one page, in both languages.
func TestBounceMailboxHTML(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "zh"} {
		code, out, _ := run(t, "bounce", "--format", "html", "--lang", lang, "--zone", demoDir+"demo.zone", "--now", "2026-12-01T00:00:00Z", triageMbox)
		if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "brand.example") || strings.Count(out, "<tr") < 16 {
			t.Errorf("%s: exit %d, %d bytes", lang, code, len(out))
		}
	}
}
