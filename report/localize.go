package report

import (
	"regexp"
	"strings"
)

// pattern is a producer's format string turned into a regular expression
// that recognises the sentences it makes: "SPF fails for %s from %s (%s)."
// matches "SPF fails for esp.example from 192.0.2.1 (-all)." with the three
// arguments captured.
type pattern struct {
	key      string
	re       *regexp.Regexp
	prefix   string // the literal text before the first verb, a cheap pre-check
	literal  int    // how much literal text the key has: more is more specific
	sentence []bool // per argument: a %s or %v, which may itself be a sentence to translate
}

// balanced reports whether the brackets and quotes of s pair up. A
// producer never splits a parenthesis between an argument and its
// format's text, so a capture that does is a wrong reading of the sentence
// ("SPF passed for a, but … (aspf" for the %s of "%s=r compares …").
func balanced(s string) bool {
	var stack []rune
	quotes := 0
	for _, r := range s {
		switch r {
		case '(', '[', '（', '［':
			stack = append(stack, r)
		case ')', ']', '）', '］':
			open := map[rune]rune{')': '(', ']': '[', '）': '（', '］': '［'}[r]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return false
			}
			stack = stack[:len(stack)-1]
		case '"':
			quotes++
		}
	}
	return len(stack) == 0 && quotes%2 == 0
}

// verb is one formatting directive of a format string.
type verb struct {
	start, end int  // its extent in the format
	letter     byte // s, v, d, q, f, … ('%' for %%)
}

// verbs returns the directives of a fmt format string, %% included.
func verbs(format string) []verb {
	var out []verb
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		// flags, argument index, width, precision
		for j < len(format) && strings.IndexByte("+-# 0[]123456789.*", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			break
		}
		out = append(out, verb{start: i, end: j + 1, letter: format[j]})
		i = j
	}
	return out
}

// hasVerb reports whether format takes arguments.
func hasVerb(format string) bool {
	for _, v := range verbs(format) {
		if v.letter != '%' {
			return true
		}
	}
	return false
}

// compilePattern turns a format string into its pattern. A %d captures a
// number, %q a Go-quoted string, %f a decimal; %s and %v capture any text,
// as little as lets the rest of the sentence match (possibly nothing: a
// producer may append an optional clause through a %s).
func compilePattern(format string) pattern {
	p := pattern{key: format}
	var b strings.Builder
	b.WriteString(`^(?s:`)
	last := 0
	first := true
	lit := func(s string) {
		if first {
			p.prefix += s
		}
		p.literal += len(s)
		b.WriteString(regexp.QuoteMeta(s))
	}
	for _, v := range verbs(format) {
		before := format[last:v.start]
		lit(before)
		last = v.end
		switch v.letter {
		case '%':
			lit("%")
			continue
		case 'd':
			b.WriteString(`(-?[0-9]+)`)
		case 'f', 'g', 'e':
			b.WriteString(`(-?[0-9.]+)`)
		case 'q':
			b.WriteString(`("(?:[^"\\]|\\.)*")`)
		default:
			b.WriteString(`(.*?)`)
		}
		first = false
		// An argument after "=" is a tag's value (p=%s): a word such as
		// "reject" stays as it is.
		p.sentence = append(p.sentence, (v.letter == 's' || v.letter == 'v') && !strings.HasSuffix(before, "="))
	}
	lit(format[last:])
	b.WriteString(`)$`)
	p.re = regexp.MustCompile(b.String())
	return p
}
