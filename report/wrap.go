package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Copy, paste, act: the text output wraps prose at the terminal's width,
// but a record or a command a person is meant to copy is never broken.
// Two mechanisms keep them whole:
//
//   - verbatim writes a line of its own that the wrapper never touches: the
//     records of a fix, a command to run;
//   - inside prose, atomRanges marks the spans the wrapper treats as one
//     word: a double-quoted string (a record, Go-quoted by quoted), a
//     `backquoted` span, and a preflight command line ("preflight dkim
//     --domain brand.example --selector s1"). Such a span moves to the next
//     line whole when it does not fit, and overflows the width rather than
//     break when it is longer than a line.

// verbatim writes s on one line at indent, never wrapped.
func (t *textWriter) verbatim(indent int, s string) {
	if t.err != nil {
		return
	}
	_, t.err = io.WriteString(t.w, strings.Repeat(" ", indent)+strings.TrimRight(s, " ")+"\n")
}

// subcommands are the names that make "preflight NAME …" a command line.
var subcommands = map[string]bool{
	"check": true, "bounce": true, "dkim": true, "domain": true, "lookup": true,
	"spf": true, "serve": true, "version": true, "receivers": true,
}

// atomRanges returns the byte ranges [start, end) of s that must not be
// broken: each covers whole words (runs of non-spaces), so that a wrapper
// splitting at spaces outside them keeps them on one line.
func atomRanges(s string) [][2]int {
	words := wordRanges(s)
	var out [][2]int
	for i := 0; i < len(words); i++ {
		w := s[words[i][0]:words[i][1]]
		core := strings.TrimLeft(stripANSI(w), "([（：:“'")
		switch {
		case strings.HasPrefix(core, `"`) || strings.HasPrefix(core, "`"):
			q := core[0]
			if j, ok := closingWord(s, words, i, q); ok && j > i {
				out = append(out, [2]int{words[i][0], words[j][1]})
				i = j
			}
		case i+1 < len(words) && subcommands[strings.TrimRight(s[words[i+1][0]:words[i+1][1]], ".,;:)")]:
			start, ok := commandStart(w, core)
			if !ok {
				continue
			}
			j := commandEnd(s, words, i+1)
			out = append(out, [2]int{words[i][0] + start, words[j][1]})
			i = j
		case recordStart(s, words, i):
			// The data: one word, or quoted strings, as many as follow.
			j := i + 2
			for k := j; k < len(words) && strings.HasPrefix(s[words[k][0]:words[k][1]], `"`); {
				end, ok := closingWord(s, words, k, '"')
				if !ok {
					break
				}
				j, k = end, end+1
			}
			out = append(out, [2]int{words[i][0], words[j][1]})
			i = j
		}
	}
	return out
}

// commandStart reports whether the word w (core: w without opening
// punctuation) is the "preflight" that starts a command line, and the byte
// offset in w where the command starts: a Chinese sentence runs into it
// without a space ("用以下命令检查：preflight dkim …").
func commandStart(w, core string) (int, bool) {
	if core == "preflight" {
		return 0, true
	}
	before, ok := strings.CutSuffix(w, "preflight")
	if !ok || before == "" {
		return 0, false
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	if !wide(r) {
		return 0, false
	}
	return len(before), true
}

// recordStart reports whether words[i] starts a zone-file line ("NAME.
// TXT DATA"): a fully qualified name, a record type, then its data.
func recordStart(s string, words [][2]int, i int) bool {
	if i+2 >= len(words) {
		return false
	}
	name := stripANSI(s[words[i][0]:words[i][1]])
	if !strings.HasSuffix(name, ".") || strings.Count(name, ".") < 2 || strings.ContainsAny(name, `"()，：`) {
		return false
	}
	switch s[words[i+1][0]:words[i+1][1]] {
	case "TXT", "CNAME", "MX", "A", "AAAA", "NS", "PTR", "CAA", "TLSA":
		return true
	}
	return false
}

// wordRanges returns the byte ranges of the runs of non-space characters
// of s.
func wordRanges(s string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			if start >= 0 {
				out = append(out, [2]int{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// closingWord finds the word, from words[i] on, that closes the quote q
// opened at the start of words[i] (a backslash escapes the next byte in a
// double-quoted string, as Go quoting writes it).
func closingWord(s string, words [][2]int, i int, q byte) (int, bool) {
	open := false
	for j := i; j < len(words); j++ {
		w := s[words[j][0]:words[j][1]]
		for k := 0; k < len(w); k++ {
			c := w[k]
			switch {
			case !open && c == q:
				open = true
			case open && c == '\\' && q == '"':
				k++
			case open && c == q:
				return j, true
			}
		}
	}
	return 0, false
}

// commandEnd returns the index of the last word of the command line whose
// subcommand is words[sub]: the arguments that follow are flags, their
// values, and words that look like arguments (a domain, an IP, a file, a
// placeholder in capitals, "…"). The first word that reads as prose ends
// it, and so does a word ending in closing punctuation.
func commandEnd(s string, words [][2]int, sub int) int {
	end := sub
	if w := s[words[sub][0]:words[sub][1]]; strings.TrimRight(w, ".,;:)") != w {
		return end
	}
	flagValue := false
	for j := sub + 1; j < len(words); j++ {
		w := stripANSI(s[words[j][0]:words[j][1]])
		bare := strings.TrimRight(w, ".,;:)`")
		if bare == "" || !(flagValue || argLike(bare)) {
			break
		}
		flagValue = strings.HasPrefix(bare, "--") && !strings.Contains(bare, "=") && bare == w
		end = j
		if bare != w {
			break // "…)," closes the sentence's parenthesis
		}
	}
	return end
}

// argLike reports whether w reads as a command-line argument rather than a
// word of prose.
func argLike(w string) bool {
	if w == "…" || w == "-" || strings.HasPrefix(w, "-") || strings.HasPrefix(w, "'") {
		return true
	}
	if strings.ContainsAny(w, ".:/@_<>=[0123456789") {
		return true
	}
	upper := len(w) >= 2
	for _, r := range w {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			upper = false
			break
		}
	}
	return upper
}

// stripANSI removes ANSI colour sequences.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiSeq.ReplaceAllString(s, "")
}

// wrapWords splits s at single spaces, as the English wrapper does, but
// never inside an atom (atomRanges): an atom is one word, spaces and all.
func wrapWords(s string) []string {
	atoms := atomRanges(s)
	var out []string
	start, a := 0, 0
	for i := 0; i < len(s); i++ {
		if a < len(atoms) && i == atoms[a][0] {
			i = atoms[a][1] - 1
			a++
			continue
		}
		if s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// splitCommand splits a sentence that ends in a command to run ("…, then
// check it with: preflight dkim --domain brand.example --selector s1")
// into the prose and the command, which goes on a line of its own. ok is
// false when s does not end in a command.
func splitCommand(s string) (prose, command string, ok bool) {
	i, colon, sep := strings.LastIndex(s, ": preflight "), 1, 2
	if j := strings.LastIndex(s, "：preflight "); j > i {
		i, colon, sep = j, len("："), len("：")
	}
	if i < 0 {
		return s, "", false
	}
	cmd := s[i+sep:]
	atoms := atomRanges(cmd)
	if len(atoms) != 1 || atoms[0][0] != 0 || strings.TrimRight(cmd[atoms[0][1]:], ". ") != "" {
		return s, "", false
	}
	return s[:i+colon], strings.TrimRight(cmd[:atoms[0][1]], "."), true
}
