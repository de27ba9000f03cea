package report

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Lang is a language of the human output (text, HTML, the serve page, and
// the localized texts JSON carries beside its IDs). The JSON keys and
// values themselves never change with it.
type Lang string

// The languages preflight writes.
const (
	LangEN Lang = "en" // English, the default and the language of the IDs' titles
	LangZH Lang = "zh" // Simplified Chinese (zh-CN)
)

// Langs lists the languages, English first.
func Langs() []Lang { return []Lang{LangEN, LangZH} }

// Tag is the BCP 47 tag of l: en, or zh-Hans for Chinese (the catalogue's
// script; HTML says zh-CN, see HTMLLang).
func (l Lang) Tag() language.Tag {
	if l == LangZH {
		return language.SimplifiedChinese
	}
	return language.English
}

// HTMLLang is the value of <html lang> for l.
func (l Lang) HTMLLang() string {
	if l == LangZH {
		return "zh-CN"
	}
	return "en"
}

// ParseLang reads a language as --lang, LANG or LC_ALL spell it: "en",
// "zh", "zh-CN", "zh_CN.UTF-8", "zh_TW.Big5", "en_US.UTF-8@euro". Any
// Chinese tag is Chinese (the catalogue is Simplified Chinese, which a
// zh-TW reader still reads better than English), any English tag English;
// "C" and "POSIX" are English. ok is false for anything else.
func ParseLang(s string) (l Lang, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i] // codeset and modifier of a POSIX locale name
	}
	switch s {
	case "C", "POSIX":
		return LangEN, true
	case "":
		return LangEN, false
	}
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return LangEN, false
	}
	base, _ := tag.Base()
	switch base.String() {
	case "zh":
		return LangZH, true
	case "en":
		return LangEN, true
	}
	return LangEN, false
}

// LangFromLocale is the language the POSIX locale asks for: the first set
// of LC_ALL, LC_MESSAGES and LANG (the order setlocale consults them for
// messages), Chinese when it is a Chinese locale, else English. getenv is
// os.Getenv, injected. The caller decides whether the locale applies at all
// (preflight consults it only when the output is a terminal).
func LangFromLocale(getenv func(string) string) Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if l, ok := ParseLang(v); ok {
				return l
			}
			return LangEN
		}
	}
	return LangEN
}

// T formats a message of the catalogue in l. The key is the English format
// string, as with golang.org/x/text/message: in English T is fmt.Sprintf
// (the English output stays byte for byte what it was, numbers ungrouped);
// in Chinese the zh catalogue's translation is formatted by an x/text
// message.Printer, falling back to the English key when it has none (a
// test lists every key of the code that lacks one).
//
// Keys are constant format strings, written where they are used, so that
// the completeness test finds them; use Localize for a sentence made at run
// time.
func T(l Lang, key string, args ...any) string {
	if l != LangZH {
		return fmt.Sprintf(key, args...)
	}
	return zhPrinter().Sprintf(key, args...)
}

// msg marks a catalogue key stored in a table rather than passed to T at
// once; the completeness test collects its argument like T's.
func msg(key string) string { return key }

// Localize returns s, an English sentence made at run time by another
// package (a DMARC note, an alignment explanation, a fix step, a bounce
// meaning, a receiver rule), in l: the catalogue's translation when s is a
// catalogue key, or when s matches one of the producers' format strings
// the zh catalogue translates (its arguments — domains, records, IPs —
// are carried over verbatim, and translated themselves when they are
// sentences the catalogue knows). Anything else comes back unchanged:
// English, which the renderers mark as the original (英文原文).
func Localize(l Lang, s string) string {
	out, _ := localize(l, s, nil, 3)
	return out
}

// Localized is Localize that also says whether s was translated.
func Localized(l Lang, s string) (string, bool) { return localize(l, s, nil, 3) }

// localize is Localize with extra: translations of sentences known only in
// the context of one report (its receiver's rule texts), tried first at
// every level.
func localize(l Lang, s string, extra map[string]string, depth int) (string, bool) {
	if l != LangZH || s == "" {
		return s, false
	}
	if z, ok := extra[s]; ok {
		return z, true
	}
	c := zhCat()
	if key, ok := c.exact[s]; ok {
		return zhPrinter().Sprintf(key), true
	}
	if w, ok := zhWords[s]; ok {
		return w, true
	}
	if depth <= 0 {
		return s, false
	}
	for _, p := range c.patterns {
		if !strings.HasPrefix(s, p.prefix) {
			continue
		}
		m := p.re.FindStringSubmatch(s)
		if m == nil || !allBalanced(m[1:]) {
			continue
		}
		args := make([]any, len(m)-1)
		for i, a := range m[1:] {
			if p.sentence[i] {
				if z, ok := localize(l, a, extra, depth-1); ok {
					a = z
				}
			}
			args[i] = a
		}
		return zhPrinter().Sprintf(p.key, args...), true
	}
	return s, false
}

func allBalanced(args []string) bool {
	for _, a := range args {
		if !balanced(a) {
			return false
		}
	}
	return true
}

// zhCatalogue is the zh catalogue compiled: the x/text catalogue and
// printer, the keys without verbs for exact lookups, and the producers'
// format strings as patterns.
type zhCatalogue struct {
	builder  *catalog.Builder
	printer  *message.Printer
	exact    map[string]string // a key without verbs, as a run-time string spells it → the key
	patterns []pattern
}

var (
	zhOnce sync.Once
	zhC    *zhCatalogue
)

func zhCat() *zhCatalogue {
	zhOnce.Do(func() { zhC = buildZH() })
	return zhC
}

func zhPrinter() *message.Printer { return zhCat().printer }

// zhAll is every zh message: English key → Chinese, from every part of the
// zh catalogue (interface strings, finding texts, producers' sentences).
func zhAll() map[string]string {
	all := map[string]string{}
	for _, m := range []map[string]string{zhUI, zhHTML, zhBounceHTML, zhSummary, zhBounceUI, zhGuidance, zhProduced} {
		for k, v := range m {
			all[k] = v
		}
	}
	for id, zt := range zhFindings {
		et := Explain(LangEN, id)
		all[escapePercent(et.Title)] = escapePercent(zt.Title)
		if et.Meaning != "" && zt.Meaning != "" {
			all[escapePercent(et.Meaning)] = escapePercent(zt.Meaning)
		}
		if et.Fix != "" && zt.Fix != "" {
			all[escapePercent(et.Fix)] = escapePercent(zt.Fix)
		}
	}
	return all
}

func escapePercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

func buildZH() *zhCatalogue {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	c := &zhCatalogue{builder: b, exact: map[string]string{}}
	tag := LangZH.Tag()
	for k, v := range zhAll() {
		if err := b.SetString(tag, k, v); err != nil {
			panic(fmt.Sprintf("report: zh catalogue: %q: %v", k, err)) // a test builds it
		}
		if !hasVerb(k) {
			c.exact[strings.ReplaceAll(k, "%%", "%")] = k
		}
	}
	c.printer = message.NewPrinter(tag, message.Catalog(b))
	// The producers' sentences are matched as patterns, the most specific
	// (most literal text) first, so that "%s, but %s is not aligned with
	// %s (%s)" is tried before a shorter key that would also match.
	for k := range zhProduced {
		if hasVerb(k) {
			c.patterns = append(c.patterns, compilePattern(k))
		}
	}
	sort.Slice(c.patterns, func(i, j int) bool {
		a, b := c.patterns[i], c.patterns[j]
		if a.literal != b.literal {
			return a.literal > b.literal
		}
		return a.key < b.key
	})
	return c
}

// MessageCatalog returns the x/text catalog of every translation (English
// keys, zh-Hans messages), for a caller that wants its own
// message.Printer, e.g. one chosen by a language.Matcher from an
// Accept-Language header.
func MessageCatalog() catalog.Catalog { return zhCat().builder }

// FindingText is what a finding ID says in one language: its title, what
// it means and why it matters, and the fix in general terms (set for every
// error). The per-message Detail and Fix of a Finding stay as the code
// that emitted it wrote them, in English.
type FindingText struct {
	Title   string `json:"title"`
	Meaning string `json:"meaning"`
	Fix     string `json:"fix,omitempty"`
}

// Explain returns the text of finding ID id in l. An ID without a
// translation gets the English text (a test lists them); an unknown ID
// gets its ID as title.
func Explain(l Lang, id string) FindingText {
	en := enFindings[id]
	en.Title = id
	if e, ok := Catalogue[id]; ok {
		en.Title = e.Title
	}
	if l != LangZH {
		return en
	}
	zh, ok := zhFindings[id]
	if !ok {
		return en
	}
	if zh.Title == "" {
		zh.Title = en.Title
	}
	return zh
}

// MatchLang picks the language for an HTTP Accept-Language header (the
// serve page): the better match of English and Chinese for the reader's
// preferences, English when nothing matches or the header is malformed.
// Any Chinese tag counts as Chinese, as in ParseLang.
func MatchLang(acceptLanguage string) Lang {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return LangEN
	}
	for _, t := range tags {
		base, _ := t.Base()
		switch base.String() {
		case "zh":
			return LangZH
		case "en":
			return LangEN
		}
	}
	return LangEN
}
