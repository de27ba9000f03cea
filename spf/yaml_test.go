package spf

// A reader for the subset of YAML the open-spf test suites use (block
// mappings and sequences, flow sequences, plain, quoted and block
// scalars). The project allows no YAML dependency; this is enough for
// ../shared/conformance/spf/*.yml and fails loudly on anything else.

import (
	"fmt"
	"strconv"
	"strings"
)

type yamlLine struct {
	n      int // line number, 1-based
	indent int
	text   string // without indentation
}

// yamlDocs splits a file on "---" lines and parses each document.
func yamlDocs(src string) ([]any, error) {
	var docs []any
	var cur []yamlLine
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		p := &yamlParser{lines: cur}
		v, err := p.block(0)
		if err != nil {
			return err
		}
		if p.i != len(p.lines) {
			return fmt.Errorf("line %d: unexpected %q", p.lines[p.i].n, p.lines[p.i].text)
		}
		docs = append(docs, v)
		cur = nil
		return nil
	}
	for i, raw := range strings.Split(src, "\n") {
		raw = strings.TrimRight(raw, " \r\t")
		trimmed := strings.TrimLeft(raw, " ")
		if raw == "---" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			// Blank lines matter only inside block scalars; keep them there.
			if trimmed == "" && len(cur) > 0 {
				cur = append(cur, yamlLine{n: i + 1, indent: -1})
			}
			continue
		}
		cur = append(cur, yamlLine{n: i + 1, indent: len(raw) - len(trimmed), text: trimmed})
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return docs, nil
}

type yamlParser struct {
	lines []yamlLine
	i     int
}

func (p *yamlParser) skipBlank() {
	for p.i < len(p.lines) && p.lines[p.i].indent < 0 {
		p.i++
	}
}

// block parses the block (mapping or sequence) starting at the current
// line, whose indentation must be at least min.
func (p *yamlParser) block(min int) (any, error) {
	p.skipBlank()
	if p.i >= len(p.lines) || p.lines[p.i].indent < min {
		return nil, nil
	}
	ind := p.lines[p.i].indent
	if isSeqItem(p.lines[p.i].text) {
		return p.seq(ind)
	}
	return p.mapping(ind)
}

func isSeqItem(s string) bool { return s == "-" || strings.HasPrefix(s, "- ") }

func (p *yamlParser) seq(ind int) (any, error) {
	var out []any
	for {
		p.skipBlank()
		if p.i >= len(p.lines) || p.lines[p.i].indent != ind || !isSeqItem(p.lines[p.i].text) {
			return out, nil
		}
		l := p.lines[p.i]
		item := strings.TrimSpace(strings.TrimPrefix(l.text, "-"))
		if item == "" {
			p.i++
			v, err := p.block(ind + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		if _, _, ok := splitKey(item); ok {
			// A mapping that starts on the item line: treat the item text
			// as a line indented by two more.
			p.lines[p.i] = yamlLine{n: l.n, indent: ind + 2, text: item}
			v, err := p.mapping(ind + 2)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		p.i++
		v, err := scalar(item)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", l.n, err)
		}
		out = append(out, v)
	}
}

// splitKey splits "key: value" (key plain or quoted).
func splitKey(s string) (key, rest string, ok bool) {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", "", false
		}
		k := s[1 : end+1]
		r := s[end+2:]
		if r == ":" || strings.HasPrefix(r, ": ") {
			return k, strings.TrimSpace(r[1:]), true
		}
		return "", "", false
	}
	if s != "" && (s[0] == '[' || s[0] == '{') {
		return "", "", false
	}
	i := strings.Index(s, ": ")
	if i < 0 {
		if strings.HasSuffix(s, ":") {
			return s[:len(s)-1], "", true
		}
		return "", "", false
	}
	return s[:i], strings.TrimSpace(s[i+2:]), true
}

func (p *yamlParser) mapping(ind int) (any, error) {
	out := map[string]any{}
	for {
		p.skipBlank()
		if p.i >= len(p.lines) || p.lines[p.i].indent != ind {
			return out, nil
		}
		l := p.lines[p.i]
		key, rest, ok := splitKey(l.text)
		if !ok {
			return nil, fmt.Errorf("line %d: expected \"key: value\", got %q", l.n, l.text)
		}
		p.i++
		var v any
		var err error
		switch {
		case rest == "":
			p.skipBlank()
			if p.i < len(p.lines) && p.lines[p.i].indent == ind && isSeqItem(p.lines[p.i].text) {
				v, err = p.seq(ind)
			} else {
				v, err = p.block(ind + 1)
			}
		case rest[0] == '|' || rest[0] == '>':
			v = p.blockScalar(ind, rest[0] == '>')
		default:
			// A plain scalar may continue on more indented lines.
			for rest[0] != '"' && rest[0] != '\'' && rest[0] != '[' && p.i < len(p.lines) && p.lines[p.i].indent > ind {
				rest += " " + p.lines[p.i].text
				p.i++
			}
			v, err = scalar(rest)
			if err != nil {
				err = fmt.Errorf("line %d: %v", l.n, err)
			}
		}
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
}

func (p *yamlParser) blockScalar(ind int, folded bool) string {
	var parts []string
	for p.i < len(p.lines) && (p.lines[p.i].indent < 0 || p.lines[p.i].indent > ind) {
		parts = append(parts, p.lines[p.i].text)
		p.i++
	}
	sep := "\n"
	if folded {
		sep = " "
	}
	return strings.TrimSpace(strings.Join(parts, sep))
}

// scalar parses a flow value: a quoted or plain string or a flow sequence.
func scalar(s string) (any, error) {
	switch {
	case s == "":
		return "", nil
	case s[0] == '[':
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("unterminated flow sequence %q", s)
		}
		inner := strings.TrimSpace(s[1 : len(s)-1])
		out := []any{}
		for inner != "" {
			var item string
			if inner[0] == '"' || inner[0] == '\'' {
				end := quotedEnd(inner)
				if end < 0 {
					return nil, fmt.Errorf("unterminated string in %q", s)
				}
				item, inner = inner[:end+1], inner[end+1:]
			} else if i := strings.IndexByte(inner, ','); i >= 0 {
				item, inner = inner[:i], inner[i:]
			} else {
				item, inner = inner, ""
			}
			v, err := scalar(strings.TrimSpace(item))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			inner = strings.TrimSpace(inner)
			inner = strings.TrimSpace(strings.TrimPrefix(inner, ","))
		}
		return out, nil
	case s[0] == '"':
		if quotedEnd(s) != len(s)-1 {
			return nil, fmt.Errorf("bad double-quoted string %q", s)
		}
		return unescape(s[1 : len(s)-1])
	case s[0] == '\'':
		if quotedEnd(s) != len(s)-1 {
			return nil, fmt.Errorf("bad single-quoted string %q", s)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	}
	return s, nil
}

// quotedEnd returns the index of the quote closing the string at s[0].
func quotedEnd(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf("trailing backslash")
		}
		switch s[i] {
		case '0':
			b.WriteByte(0)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '"', '\\', '/':
			b.WriteByte(s[i])
		case 'x':
			if i+2 >= len(s) {
				return "", fmt.Errorf("short \\x escape")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", err
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("unsupported escape \\%c", s[i])
		}
	}
	return b.String(), nil
}
