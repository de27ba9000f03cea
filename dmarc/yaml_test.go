package dmarc

import (
	"fmt"
	"strings"
	"testing"
)

// A reader for the YAML subset the conformance files use (no new
// dependency): block mappings and sequences by indentation, flow mappings
// and sequences on one line, plain, single- and double-quoted scalars,
// folded block scalars (">", ">-"), comments. Scalars stay strings; null and
// "~" become nil. It is a test helper, not a general YAML parser.

type yamlLine struct {
	indent int
	text   string
	num    int
}

type yamlParser struct {
	lines []yamlLine
	i     int
}

func parseYAML(src string) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	p := &yamlParser{}
	for n, raw := range strings.Split(src, "\n") {
		raw = strings.TrimRight(raw, " \t\r")
		text := strings.TrimLeft(raw, " ")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		indent := len(raw) - len(text)
		text = stripComment(text)
		if text == "" {
			continue
		}
		p.lines = append(p.lines, yamlLine{indent: indent, text: text, num: n + 1})
	}
	if len(p.lines) == 0 {
		return nil, nil
	}
	return p.node(p.lines[0].indent), nil
}

// stripComment removes " #..." outside quotes.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || strings.ContainsRune(" :[{,-", rune(s[i-1])) {
				quote = c
			}
		case c == '#' && i > 0 && (s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimRight(s[:i], " \t")
		}
	}
	return s
}

func (p *yamlParser) node(indent int) any {
	if p.i >= len(p.lines) {
		return nil
	}
	l := p.lines[p.i]
	if l.text == "-" || strings.HasPrefix(l.text, "- ") {
		return p.seq(l.indent)
	}
	if _, _, ok := splitKey(l.text); ok {
		return p.mapping(l.indent)
	}
	p.i++
	return p.inline(l.text, l.indent)
}

func (p *yamlParser) seq(indent int) []any {
	out := []any{}
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent != indent || !(l.text == "-" || strings.HasPrefix(l.text, "- ")) {
			break
		}
		rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
		if rest == "" {
			p.i++
			out = append(out, p.node(indent+1))
			continue
		}
		// Re-read the item's content as a line of its own, indented where
		// the content starts, so "- key: v" followed by "  key2: v" is one
		// mapping.
		p.lines[p.i] = yamlLine{indent: indent + len(l.text) - len(rest), text: rest, num: l.num}
		out = append(out, p.node(p.lines[p.i].indent))
	}
	return out
}

func (p *yamlParser) mapping(indent int) map[string]any {
	out := map[string]any{}
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent != indent {
			if l.indent > indent {
				panic(fmt.Sprintf("line %d: unexpected indentation", l.num))
			}
			break
		}
		key, rest, ok := splitKey(l.text)
		if !ok {
			panic(fmt.Sprintf("line %d: expected key: value, got %q", l.num, l.text))
		}
		key = unquoteKey(key)
		p.i++
		switch {
		case rest == "":
			if p.i < len(p.lines) && (p.lines[p.i].indent > indent ||
				p.lines[p.i].indent == indent && strings.HasPrefix(p.lines[p.i].text, "- ")) {
				out[key] = p.node(p.lines[p.i].indent)
			} else {
				out[key] = nil
			}
		case rest == ">" || rest == ">-" || rest == "|" || rest == "|-":
			var parts []string
			for p.i < len(p.lines) && p.lines[p.i].indent > indent {
				parts = append(parts, p.lines[p.i].text)
				p.i++
			}
			sep := " "
			if rest[0] == '|' {
				sep = "\n"
			}
			out[key] = strings.Join(parts, sep)
		default:
			// A flow collection may continue on the next lines.
			for (strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "[")) && !balanced(rest) && p.i < len(p.lines) {
				rest += " " + p.lines[p.i].text
				p.i++
			}
			v := p.inline(rest, indent)
			// A plain scalar may continue on more-indented lines.
			if s, isStr := v.(string); isStr && !strings.HasPrefix(rest, "\"") && !strings.HasPrefix(rest, "'") {
				for p.i < len(p.lines) && p.lines[p.i].indent > indent {
					s += " " + p.lines[p.i].text
					p.i++
				}
				v = s
			}
			out[key] = v
		}
	}
	return out
}

func balanced(s string) bool {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return depth == 0
}

// splitKey splits "key: value" (or "key:") at the first ": " outside quotes.
func splitKey(s string) (key, rest string, ok bool) {
	if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
		return "", "", false
	}
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'') && i == 0:
			quote = c
		case c == ':' && (i+1 == len(s) || s[i+1] == ' '):
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
		}
	}
	return "", "", false
}

func unquoteKey(k string) string {
	if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') {
		f := &flow{s: k}
		return f.quoted()
	}
	return k
}

func (p *yamlParser) inline(s string, _ int) any {
	f := &flow{s: s}
	v := f.value(false)
	f.space()
	if f.pos != len(f.s) {
		panic(fmt.Sprintf("trailing text %q in %q", f.s[f.pos:], s))
	}
	return v
}

// flow parses one-line flow syntax.
type flow struct {
	s   string
	pos int
}

func (f *flow) space() {
	for f.pos < len(f.s) && (f.s[f.pos] == ' ' || f.s[f.pos] == '\t') {
		f.pos++
	}
}

func (f *flow) value(inFlow bool) any {
	f.space()
	if f.pos >= len(f.s) {
		return nil
	}
	switch f.s[f.pos] {
	case '{':
		f.pos++
		m := map[string]any{}
		for {
			f.space()
			if f.pos < len(f.s) && f.s[f.pos] == '}' {
				f.pos++
				return m
			}
			var key string
			if c := f.s[f.pos]; c == '"' || c == '\'' {
				key = f.quoted()
			} else {
				start := f.pos
				for f.pos < len(f.s) && !(f.s[f.pos] == ':' && (f.pos+1 == len(f.s) || strings.ContainsRune(" ,}", rune(f.s[f.pos+1])))) {
					f.pos++
				}
				key = strings.TrimSpace(f.s[start:f.pos])
			}
			f.space()
			if f.pos >= len(f.s) || f.s[f.pos] != ':' {
				panic(fmt.Sprintf("expected ':' after key %q in %q", key, f.s))
			}
			f.pos++
			m[key] = f.value(true)
			f.space()
			if f.pos < len(f.s) && f.s[f.pos] == ',' {
				f.pos++
				continue
			}
			if f.pos < len(f.s) && f.s[f.pos] == '}' {
				f.pos++
				return m
			}
			panic(fmt.Sprintf("expected ',' or '}' in %q at %d", f.s, f.pos))
		}
	case '[':
		f.pos++
		l := []any{}
		for {
			f.space()
			if f.pos < len(f.s) && f.s[f.pos] == ']' {
				f.pos++
				return l
			}
			l = append(l, f.value(true))
			f.space()
			if f.pos < len(f.s) && f.s[f.pos] == ',' {
				f.pos++
				continue
			}
			if f.pos < len(f.s) && f.s[f.pos] == ']' {
				f.pos++
				return l
			}
			panic(fmt.Sprintf("expected ',' or ']' in %q at %d", f.s, f.pos))
		}
	case '"', '\'':
		return f.quoted()
	}
	start := f.pos
	for f.pos < len(f.s) && !(inFlow && strings.ContainsRune(",]}", rune(f.s[f.pos]))) {
		f.pos++
	}
	v := strings.TrimSpace(f.s[start:f.pos])
	if v == "null" || v == "~" {
		return nil
	}
	return v
}

func (f *flow) quoted() string {
	q := f.s[f.pos]
	f.pos++
	var b strings.Builder
	for f.pos < len(f.s) {
		c := f.s[f.pos]
		f.pos++
		switch {
		case c == q && q == '\'' && f.pos < len(f.s) && f.s[f.pos] == '\'':
			b.WriteByte('\'')
			f.pos++
		case c == q:
			return b.String()
		case c == '\\' && q == '"' && f.pos < len(f.s):
			e := f.s[f.pos]
			f.pos++
			switch e {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	panic(fmt.Sprintf("unterminated string in %q", f.s))
}

func TestParseYAML(t *testing.T) {
	t.Parallel()
	src := `# comment
a: 1
b: {x: "y; z", l: [1, two words, "q\"t"], n: null} # trailing
c:
  - {id: one}
  - id: two
    more: text
  -
    k: v
d: >-
  folded
  text
e: 'it''s'
f:
- same-indent
`
	v, err := parseYAML(src)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	got := fmt.Sprint(m["a"], "|", m["b"], "|", m["c"], "|", m["d"], "|", m["e"], "|", m["f"])
	want := `1|map[l:[1 two words q"t] n:<nil> x:y; z]|[map[id:one] map[id:two more:text] map[k:v]]|folded text|it's|[same-indent]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
