package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/golden")

// TestGolden runs every transcript in testdata/golden through Run, in-process,
// from the repository root (so paths read as in the README), and compares
// stdout, stderr and the exit code. A transcript is:
//
//	preflight ARGS…          (one line, shell-like quoting)
//	-- stdin --              (optional)
//	…
//	-- exit N --
//	-- stdout --
//	…
//	-- stderr --
//	…
//
// go test ./internal/cli -run TestGolden -update rewrites them from the
// current output; review the diff before committing.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden transcripts")
	}
	abs := make([]string, len(files))
	for i, f := range files {
		abs[i], _ = filepath.Abs(f)
	}
	t.Chdir("../..")
	t.Setenv("COLUMNS", "") // text wraps at the default width, whatever the terminal
	t.Setenv("NO_COLOR", "")
	// No transcript may reach the internet: one that needs DNS without
	// --zone or --resolver fails loudly instead of asking real servers.
	t.Setenv("PREFLIGHT_RESOLV_CONF", "/nonexistent/resolv.conf")
	for _, path := range abs {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := parseTranscript(string(data))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), tr.args, strings.NewReader(tr.stdin), &stdout, &stderr)
			got := transcript{cmdline: tr.cmdline, args: tr.args, stdin: tr.stdin, hasStdin: tr.hasStdin,
				exit: code, stdout: normalize(stdout.String()), stderr: normalize(stderr.String())}
			if *update {
				if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if code != tr.exit {
				t.Errorf("exit code %d, want %d", code, tr.exit)
			}
			if got.stdout != tr.stdout {
				t.Errorf("stdout differs:\n--- got ---\n%s--- want ---\n%s", got.stdout, tr.stdout)
			}
			if got.stderr != tr.stderr {
				t.Errorf("stderr differs:\n--- got ---\n%s--- want ---\n%s", got.stderr, tr.stderr)
			}
		})
	}
}

// timings are the only nondeterministic parts of the output: DNS elapsed
// times. Transcripts hold them as 0.
var timings = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`"elapsed_ms":\d+`), `"elapsed_ms":0`},
	{regexp.MustCompile(`, \d+ ms\b`), ", 0 ms"},
	{regexp.MustCompile(`，\d+ ms\b`), "，0 ms"}, // the Chinese DNS line
	{regexp.MustCompile(` time="[0-9.]+"`), ` time="0"`},
}

func normalize(s string) string {
	for _, t := range timings {
		s = t.re.ReplaceAllString(s, t.with)
	}
	return s
}

type transcript struct {
	cmdline        string
	args           []string
	stdin          string
	hasStdin       bool
	exit           int
	stdout, stderr string
}

func (tr transcript) String() string {
	var b strings.Builder
	b.WriteString(tr.cmdline + "\n")
	if tr.hasStdin {
		b.WriteString("-- stdin --\n" + tr.stdin)
	}
	b.WriteString("-- exit " + strconv.Itoa(tr.exit) + " --\n")
	b.WriteString("-- stdout --\n" + tr.stdout)
	b.WriteString("-- stderr --\n" + tr.stderr)
	return b.String()
}

func parseTranscript(s string) (transcript, error) {
	var tr transcript
	line, rest, _ := strings.Cut(s, "\n")
	tr.cmdline = line
	words, err := splitWords(strings.TrimPrefix(line, "preflight "))
	if err != nil {
		return tr, err
	}
	tr.args = words
	section := ""
	var buf strings.Builder
	flush := func() {
		switch section {
		case "stdin":
			tr.stdin, tr.hasStdin = buf.String(), true
		case "stdout":
			tr.stdout = buf.String()
		case "stderr":
			tr.stderr = buf.String()
		}
		buf.Reset()
	}
	for _, l := range strings.SplitAfter(rest, "\n") {
		trimmed := strings.TrimSuffix(l, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") {
			flush()
			name := strings.TrimSuffix(strings.TrimPrefix(trimmed, "-- "), " --")
			if code, ok := strings.CutPrefix(name, "exit "); ok {
				tr.exit, err = strconv.Atoi(code)
				if err != nil {
					return tr, err
				}
				section = ""
				continue
			}
			section = name
			continue
		}
		buf.WriteString(l)
	}
	flush()
	return tr, nil
}

// splitWords splits a command line like a POSIX shell would for simple
// cases: spaces separate words; single and double quotes group; $'…'
// decodes C escapes as bash does (\e, \a, \n, \t, \xHH, \uHHHH, \\, \'),
// so that a transcript can type control characters and stay readable.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in, quote := false, rune(0)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if quote == 0 && r == '$' && i+1 < len(rs) && rs[i+1] == '\'' {
			n, err := ansiC(rs[i+2:], &cur)
			if err != nil {
				return nil, err
			}
			i += 1 + n
			in = true
			continue
		}
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, strconv.ErrSyntax
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// ansiC decodes the body of $'…' from rs (after the opening quote) into b
// and returns how many runes it used, the closing quote included.
func ansiC(rs []rune, b *strings.Builder) (int, error) {
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == '\'':
			return i + 1, nil
		case r != '\\':
			b.WriteRune(r)
		case i+1 >= len(rs):
			return 0, strconv.ErrSyntax
		default:
			i++
			switch e := rs[i]; e {
			case 'e':
				b.WriteByte(0x1b)
			case 'a':
				b.WriteByte(7)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\\', '\'':
				b.WriteRune(e)
			case 'x', 'u':
				size := 2
				if e == 'u' {
					size = 4
				}
				if i+size >= len(rs) {
					return 0, strconv.ErrSyntax
				}
				v, err := strconv.ParseUint(string(rs[i+1:i+1+size]), 16, 32)
				if err != nil {
					return 0, err
				}
				if e == 'x' {
					b.WriteByte(byte(v))
				} else {
					b.WriteRune(rune(v))
				}
				i += size
			default:
				return 0, strconv.ErrSyntax
			}
		}
	}
	return 0, strconv.ErrSyntax
}
