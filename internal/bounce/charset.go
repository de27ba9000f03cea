package bounce

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Mail clients and MTAs write bounces in the charset of their locale: GBK or
// GB18030 in China, Big5 in Taiwan, ISO-2022-JP or Shift_JIS in Japan,
// KOI8-R in Russia. A reply text or a Subject is only readable, and a rule
// only matches it, once it is UTF-8. Every charset name is looked up in the
// WHATWG Encoding Standard's index (htmlindex: the labels browsers accept,
// which maps gb2312 to GBK and x-sjis to Shift_JIS as mail clients mean them),
// then in the IANA registry (ianaindex), never in a table of our own.

// lookupCharset returns the encoding for a MIME charset name, nil for UTF-8
// and US-ASCII (nothing to convert), and an error for a name neither index
// knows.
func lookupCharset(name string) (encoding.Encoding, error) {
	name = strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`))
	switch name {
	case "iso-2022-jp-ms", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3":
		name = "iso-2022-jp" // the same escapes for the characters mail uses
	case "", "utf-8", "utf8", "us-ascii", "ascii", "7bit", "8bit":
		return nil, nil
	case "gb2312", "gbk", "cp936", "x-gbk", "euc-cn":
		// Senders label GBK text gb2312 (a subset); GB18030 decodes both
		// and every sequence a Windows client writes.
		return simplifiedchinese.GB18030, nil
	}
	if e, err := htmlindex.Get(name); err == nil {
		if e == encoding.Replacement { // WHATWG maps unsafe labels (e.g. iso-2022-kr) to U+FFFD
			return nil, fmt.Errorf("bounce: charset %q is not decoded", name)
		}
		return e, nil
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("bounce: unknown charset %q", name)
}

// decodeCharset converts b from the named charset to UTF-8. Text that is
// already valid UTF-8 under an unknown or wrong label is kept as is; text
// in an unknown charset that is not UTF-8 has its invalid bytes replaced,
// so that the ASCII parts (reply codes, addresses) still parse.
func decodeCharset(name string, b []byte) []byte {
	e, _ := lookupCharset(name)
	if e == nil {
		if !utf8.Valid(b) {
			return guessDecode(b)
		}
		return b
	}
	if isASCII(b) && !bytes.Contains(b, []byte{0x1b}) {
		return b // nothing to convert (ISO-2022 needs its escapes)
	}
	out, bad := decodeWith(e, b)
	if bad == 0 {
		return out
	}
	// A wrong label (EUC-JP text labelled ISO-2022-JP is common in Japanese
	// bounces): the other encodings of the same language, whichever decodes
	// with the fewest errors.
	for _, alt := range sameLanguage(name) {
		if ae, _ := lookupCharset(alt); ae != nil && ae != e {
			if o, n := decodeWith(ae, b); n < bad {
				out, bad = o, n
			}
		}
	}
	return out
}

// decodeWith decodes b and counts the characters that did not decode.
func decodeWith(e encoding.Encoding, b []byte) ([]byte, int) {
	out, _, err := transform.Bytes(e.NewDecoder(), b)
	if err != nil {
		out = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out, bytes.Count(out, []byte("\uFFFD")) - bytes.Count(b, []byte("\uFFFD"))
}

// sameLanguage lists the encodings MTAs confuse with the named one.
func sameLanguage(name string) []string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "jp") || strings.Contains(n, "jis") || strings.Contains(n, "932"):
		return []string{"euc-jp", "shift_jis", "iso-2022-jp"}
	case strings.Contains(n, "gb") || strings.Contains(n, "big5") || strings.Contains(n, "936") || strings.Contains(n, "950"):
		return []string{"gb18030", "big5"}
	case strings.Contains(n, "kr") || strings.Contains(n, "949"):
		return []string{"euc-kr"}
	case strings.Contains(n, "koi8") || strings.Contains(n, "1251") || strings.Contains(n, "8859-5"):
		return []string{"koi8-r", "windows-1251", "koi8-u"}
	}
	return nil
}

// guessDecode decodes 8-bit text that came without a (correct) charset
// label: pasted from a Chinese Windows editor it is GB18030, which decodes
// any byte sequence; only when that yields replacement characters is the
// text taken as Windows-1252, the other common unlabelled charset.
func guessDecode(b []byte) []byte {
	if out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), b); err == nil && utf8.Valid(out) && !bytes.ContainsRune(out, utf8.RuneError) && plausibleCJK(out) {
		return out
	}
	if e, err := htmlindex.Get("windows-1252"); err == nil {
		if out, _, err := transform.Bytes(e.NewDecoder(), b); err == nil {
			return out
		}
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// plausibleCJK reports whether decoded text reads as Chinese rather than as
// Latin-1 bytes paired up: most of its non-ASCII runes are CJK ideographs or
// CJK punctuation.
func plausibleCJK(s []byte) bool {
	cjk, other := 0, 0
	for _, r := range string(s) {
		switch {
		case r < 0x80:
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF:
			cjk++
		default:
			other++
		}
	}
	return cjk > 0 && cjk >= 4*other
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// wordDecoder decodes RFC 2047 encoded-words in any charset lookupCharset
// knows ("=?GBK?B?…?=", "=?ISO-2022-JP?B?…?=").
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	e, err := lookupCharset(charset)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return input, nil
	}
	return transform.NewReader(input, e.NewDecoder()), nil
}}

// decodeHeader decodes a header field value: RFC 2047 encoded-words, and raw
// 8-bit text (which some MTAs write) that is not UTF-8.
func decodeHeader(s string) string {
	if !utf8.ValidString(s) {
		s = string(guessDecode([]byte(s)))
	}
	if !strings.Contains(s, "=?") {
		return s
	}
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	// One bad encoded-word should not hide the others: decode word by word.
	fields := strings.Fields(s)
	for i, f := range fields {
		if d, err := wordDecoder.Decode(f); err == nil {
			fields[i] = d
		}
	}
	return strings.Join(fields, " ")
}
