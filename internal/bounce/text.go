package bounce

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// segment is one reply found in free text (a log line, a pasted bounce body,
// a bare reply), with what the surrounding text said about it.
type segment struct {
	recipient string // envelope recipient, when the text names one
	origRcpt  string // Postfix orig_to=
	host      string // remote MTA host name as the text gives it
	hostIP    string // its address, when given
	stage     string // "end of DATA command", "RCPT TO:<…>", …
	status    string // Postfix dsn=, when given
	reply     string // the reply, not yet parsed
	via       string // which pattern found it (via* constants)
	log       bool   // the record is an MTA log line
}

// Which pattern found a reply.
const (
	viaPostfix  = "postfix"
	viaExim     = "exim"
	viaExchange = "exchange"
	viaStatus   = "postfix-status"
	viaGeneric  = "generic"
	viaJSON     = "json"
	viaLabelled = "labelled"
	viaPlain    = "plain" // a human-readable bounce's own words, no reply code
)

var (
	// Postfix: "host mx3.qq.com[203.0.113.7] said: 550 … (in reply to end of DATA command)".
	// Also the greeting refused: "connect to mx.example[192.0.2.1]:25: server refused to talk to me: 421 …".
	postfixSaidRE = regexp.MustCompile(`(?i)\b(?:host|connect to)\s+(\S+?)\[([^\]]*)\](?::\d+)?:?\s+(?:said|(?:server )?refused to talk to me):\s*`)
	// Exim: "H=mx3.qq.com [203.0.113.7]: SMTP error from remote mail server after end of data: 550 …"
	// and the bounce-body forms with "host mx3.qq.com [203.0.113.7]" before or after the marker.
	eximErrRE  = regexp.MustCompile(`(?i)SMTP error from remote (?:mail server|mailer|server) after\s+(.+?):\s*(?:host\s+(\S+)\s+\[([^\]]*)\]:?\s*)?([45][0-9][0-9][ -].*)`)
	eximHostRE = regexp.MustCompile(`(?i)(?:\bH=|\bhost\s+)([A-Za-z0-9.-]+)\s+\[([^\]]*)\]`)
	rcptToRE   = regexp.MustCompile(`(?i)>>> RCPT TO:\s*<([^>]+)>`)
	// Sendmail: "... while talking to mx3.qq.com.:".
	sendmailHostRE = regexp.MustCompile(`(?i)while talking to \[?([A-Za-z0-9.:-]+?)\]?\.?:`)
	// Exchange: "Remote Server at mx3.qq.com (203.0.113.7) returned '550 …'" and "Remote server returned '550 …'".
	exchangeRE = regexp.MustCompile(`(?i)remote server(?: at\s+(\S+?)(?:\s+\(([^)]*)\))?)?\s+returned\s+'(.*)'`)
	// Exchange's compact form: "#< #5.7.509 smtp;550 5.7.509 Access denied …> #SMTP#".
	exchangeHashRE = regexp.MustCompile(`(?i)smtp;\s*([245][0-9][0-9][ -].*?)>\s*#SMTP#`)
	// A reply code standing somewhere in text: see replyHead.
	genericReplyRE = regexp.MustCompile(`(?:^|[\s'"(;:=#：；（\[<])(` + replyHead + `.*)`)
	// replyCandidateRE is genericReplyRE without the tail, to find candidates
	// in linear time.
	replyCandidateRE = regexp.MustCompile(`(?:^|[\s'"(;:=#：；（\[<])(` + replyHead + `)`)
	// labelledCodeRE finds a reply code given as a labelled field, as some
	// MTAs write it ("ERROR_CODE :550, ERROR_CODE :5.2.1 …", "ResponseCode 421, , Host not reachable").
	labelledCodeRE = regexp.MustCompile(`(?i)\b(?:error[_ ]?code|response[_ ]?code|reply[_ ]?code|smtp[_ ](?:reply |error |response )?code|status[_ ]code)\s*[:=]?\s*([45][0-9][0-9])\b[\s,;:]*(?:(?:error[_ ]?code|response[_ ]?code)\s*[:=]?\s*)?[\s,;:]*(.*)`)
	// bareCodeRE is a record that is a reply code alone (a transcript's "<<< 421").
	bareCodeRE     = regexp.MustCompile(`^[45][0-9][0-9]$`)
	inReplyToRE    = regexp.MustCompile(`(?i)\s*\(in reply to ([^)]*?)(?: command)?\)\)?\s*$`)
	postfixToRE    = regexp.MustCompile(`\bto=<([^>]*)>`)
	postfixOrigRE  = regexp.MustCompile(`\borig_to=<([^>]*)>`)
	postfixRelayRE = regexp.MustCompile(`\brelay=([^\s,\[]+)(?:\[([^\]]*)\])?`)
	postfixDSNRE   = regexp.MustCompile(`\bdsn=([245]\.[0-9]{1,3}\.[0-9]{1,3})`)
	postfixStatRE  = regexp.MustCompile(`\bstatus=(bounced|deferred|undeliverable|expired)\s*\((.*)\)\s*$`)
	eximRcptRE     = regexp.MustCompile(`(?:^|\s)(?:\*\*|==|\*=)\s+<?([^\s<>@]+@[^\s<>]+?)>?(?:\s|$)`)
	addrRE         = regexp.MustCompile(`<?([A-Za-z0-9._%+=!#$&'*/?^{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+|[A-Za-z0-9._%+=-]+@\[[0-9.]+\])>?`)
	// logPrefixRE recognises a log line: a syslog or ISO timestamp at the start.
	logPrefixRE = regexp.MustCompile(`^(?:[A-Z][a-z]{2}\s+[0-9]{1,2}\s+[0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})`)
	codeLineRE  = regexp.MustCompile(`^([245][0-9][0-9])([ -])`)
	replyAddrRE = regexp.MustCompile(`^[245][0-9][0-9][ -:]+(?:[245]\.[0-9]{1,3}\.[0-9]{1,3}\s+)?<([^<>\s]+@[^<>\s]+)>\s*(?:\.\.\.|:)`)
)

// replyHead is the start of a reply standing in text: a code, a separator
// (space, "-" of a multi-line reply, ":" or " - " as some MTAs write it),
// then an enhanced code (possibly quoted: "550-'5.7.1 …'"), or a letter, a
// quote, a bracket, or CJK text.
const replyHead = `[45][0-9][0-9](?:[ -]|:[ :]*|\s+-\s+)(?:['"]?([245]\.[0-9]{1,3}\.[0-9]{1,3})\b|\s*:?\s*['"]?[A-Za-z<#\[(\p{Han}\p{Hiragana}\p{Katakana}\p{Cyrillic}])`

// maxRecord caps the text searched for one reply: SMTP replies and log lines
// are far shorter (RFC 5321 §4.5.3.1.5: 512 octets per reply line).
const maxRecord = 32 << 10

// scanText finds the replies in free text: log excerpts (one record per log
// line), pasted bounce bodies (records split at blank lines, indented lines
// continue the record above), and bare replies, wrapped or multi-line.
func scanText(text string) []segment {
	var segs []segment
	var host, rcpt string // context from a session transcript (sendmail)
	for _, rec := range records(text) {
		if len(rec) > maxRecord {
			rec = rec[:maxRecord]
		}
		s, ok := findReply(rec)
		if !ok {
			if h := sendmailHostRE.FindStringSubmatch(rec); h != nil {
				host = h[1]
			}
			if m := rcptToRE.FindStringSubmatch(rec); m != nil {
				rcpt = m[1]
			}
			continue
		}
		if s.host == "" {
			s.host = host
		}
		if s.recipient == "" {
			s.recipient = rcpt
		}
		segs = append(segs, s)
	}
	return segs
}

// records splits text into logical records. A record starts at a
// non-indented line that is a log line, begins with a reply code, or follows a
// blank line or a record without a reply; indented lines, the lines of a
// multi-line reply ("550-…" then "550 …") and, after a record that holds a
// reply, unindented lines that wrap it, continue the record.
func records(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var out []string
	var cur []string
	curReply := false // whether a line of cur holds a reply
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = cur[:0]
		}
		curReply = false
	}
	for _, line := range strings.Split(text, "\n") {
		// Sendmail's session transcript marks the server's lines "<<< ".
		if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "<<< ") {
			line = t[len("<<< "):]
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			flush()
			continue
		}
		lineReply := holdsReply(trimmed)
		if len(cur) == 0 {
			cur = append(cur, trimmed)
			curReply = lineReply
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		last := cur[len(cur)-1]
		switch {
		case bareAddrRE.MatchString(trimmed):
			// Exim lists each failed address on a line of its own, indented,
			// followed by the more-indented details.
			flush()
			cur = append(cur, trimmed)
		case bareAddrRE.MatchString(cur[0]) && !curReply:
			// Exchange ("addr" then "Remote Server returned '…'") and qmail
			// ("<addr>:" then "Remote host said: …"): an address line
			// heads the lines about it.
			cur = append(cur, trimmed)
		case indented:
			cur = append(cur, trimmed)
		case isMultilineContinuation(last, trimmed):
			cur = append(cur, trimmed)
		case logPrefixRE.MatchString(trimmed), codeLineRE.MatchString(trimmed):
			flush()
			cur = append(cur, trimmed)
		case curReply && !addrLineRE.MatchString(trimmed):
			cur = append(cur, trimmed)
		default:
			flush()
			cur = append(cur, trimmed)
		}
		curReply = curReply || lineReply
	}
	flush()
	return out
}

// bareAddrRE is a line holding only an address.
var bareAddrRE = regexp.MustCompile(`^<?[^\s@<>()]+@[^\s@<>()]+>?:?$`)

// addrLineRE is a line that starts a Postfix recipient paragraph ("<a@b>: host …").
var addrLineRE = regexp.MustCompile(`^(?:<[^>]*@[^>]*>|[^\s<>@"]+@[^\s<>:"]+:\s)`)

// isMultilineContinuation reports whether line continues the multi-line
// reply whose previous line is prev ("550-…" followed by "550-…" or "550 …"),
// also when prev introduces the reply after other words ("Remote host said:
// 550-5.7.26 …").
func isMultilineContinuation(prev, line string) bool {
	l := codeLineRE.FindStringSubmatch(line)
	if l == nil {
		return false
	}
	ms := multilineStartRE.FindAllStringSubmatch(prev, -1)
	return len(ms) > 0 && ms[len(ms)-1][1] == l[1]
}

// multilineStartRE is the code of a multi-line reply's non-final line.
var multilineStartRE = regexp.MustCompile(`(?:^|[\s:'"(])([245][0-9][0-9])-`)

func holdsReply(s string) bool {
	_, ok := genericReply(s)
	return ok || postfixStatRE.MatchString(s)
}

// genericReply finds a reply code standing in text, for shapes no
// MTA-specific pattern knows. To keep "the meeting is at 500 Main Street"
// out, a code counts only at the start of the record, with an enhanced code
// after it, or after words that introduce a reply. It returns the start of
// the reply.
func genericReply(rec string) (int, bool) {
	// Search in windows: the regexp package's backtracker clears state
	// proportional to its input on every call, which would make a long
	// record with many candidates quadratic.
	const window = 4096
	if t := strings.TrimSpace(rec); bareCodeRE.MatchString(t) {
		return strings.Index(rec, t), true
	}
	for off := 0; off < len(rec); {
		end := min(len(rec), off+window)
		m := replyCandidateRE.FindStringSubmatchIndex(rec[off:end])
		if m == nil {
			if end == len(rec) {
				return 0, false
			}
			off = end - 64 // a candidate is shorter than this overlap
			continue
		}
		start := off + m[2]
		before := strings.TrimRight(rec[max(0, start-48):start], " \t")
		switch {
		case strings.Trim(rec[:start], " \t'\"") == "":
			return start, true
		case m[4] >= 0:
			return start, true
		case introducesReply(before):
			return start, true
		}
		off = start + 3
	}
	return 0, false
}

// contextWords are words that introduce a reply ("said:", "error: ",
// "returned '").
var contextWords = []string{"said", "reply", "replied", "response", "responded", "error", "rejected",
	"refused", "returned", "smtp", "diagnostic-code", "diagnostic code", "status", "failed", "bounced",
	"deferred", "reason", "code", "answered"}

// introducesReply reports whether the text before a reply code introduces a
// reply: it ends in punctuation that does, or in one of contextWords.
func introducesReply(before string) bool {
	if before == "" {
		return true
	}
	if r, _ := utf8.DecodeLastRuneInString(before); strings.ContainsRune(":;'\"(#=：；（“", r) {
		return true
	}
	w := strings.ToLower(strings.TrimRight(before, ".,-!> \t"))
	for _, k := range contextWords {
		if strings.HasSuffix(w, k) {
			return true
		}
	}
	return false
}

// findReply extracts the innermost SMTP reply from one record, trying the
// MTA-specific shapes before the generic one, and the recipient and remote
// host the record names.
func findReply(rec string) (segment, bool) {
	var s segment
	s.log = logPrefixRE.MatchString(rec) || strings.Contains(rec, "status=") || eximRcptRE.MatchString(rec)
	// Cheap substring tests guard the patterns (guarded below): most
	// records hold none of these fields, and a pattern without a literal
	// prefix scans slowly.
	if m := guarded(rec, "to=<", rec, postfixToRE); m != nil {
		s.recipient = m[1]
	}
	if m := guarded(rec, "orig_to=", rec, postfixOrigRE); m != nil {
		s.origRcpt = m[1]
	}
	if m := guarded(rec, "relay=", rec, postfixRelayRE); m != nil && m[1] != "none" {
		s.host, s.hostIP = m[1], m[2]
	}
	if m := guarded(rec, "dsn=", rec, postfixDSNRE); m != nil {
		s.status = m[1]
	}
	if s.recipient == "" {
		if m := eximRcptRE.FindStringSubmatch(rec); m != nil {
			s.recipient = m[1]
		}
	}

	// Cheap substring tests first: the patterns below fold case over the
	// whole record.
	lower := strings.ToLower(rec)
	if strings.Contains(lower, " said:") || strings.Contains(lower, "refused to talk") {
		if postfixSaid(rec, &s) {
			return s, true
		}
	}
	if strings.Contains(lower, "smtp error") && eximError(rec, &s) {
		return s, true
	}
	if strings.Contains(lower, "returned") && exchangeReturned(rec, &s) {
		return s, true
	}
	if m := guarded(lower, "#smtp#", rec, exchangeHashRE); m != nil {
		s.reply, s.via = m[1], viaExchange
		if s.recipient == "" {
			s.recipient = firstAddr(rec)
		}
		return s, true
	}
	if m := guarded(rec, "status=", rec, postfixStatRE); m != nil {
		// A bounce without a remote reply ("Host or domain name not found …").
		inner := m[2]
		if i, ok := genericReply(inner); ok {
			inner = inner[i:]
		}
		s.reply, s.via = inner, viaStatus
		return s, true
	}
	if strings.Contains(lower, "code") {
		if m := labelledCodeRE.FindStringSubmatchIndex(rec); m != nil {
			s.reply, s.via = rec[m[2]:m[3]]+" "+strings.TrimRight(rec[m[4]:m[5]], "]) "), viaLabelled
			if s.recipient == "" {
				s.recipient = lastAddr(rec[:m[0]])
			}
			return s, true
		}
	}
	if start, ok := genericReply(rec); ok {
		s.reply, s.via = rec[start:], viaGeneric
		if i := inReplyToRE.FindStringSubmatchIndex(s.reply); i != nil {
			s.stage = s.reply[i[2]:i[3]]
			s.reply = s.reply[:i[0]]
		}
		if s.recipient == "" {
			s.recipient = lastAddr(rec[:start])
		}
		if s.recipient == "" {
			// Sendmail's "550 5.1.1 <a@b>... User unknown": the reply
			// names the recipient right after its codes.
			if m := replyAddrRE.FindStringSubmatch(s.reply); m != nil {
				s.recipient = m[1]
			}
		}
		if s.host == "" {
			if h := eximHostRE.FindStringSubmatch(rec[:start]); h != nil {
				s.host, s.hostIP = h[1], h[2]
			} else if h := sendmailHostRE.FindStringSubmatch(rec[:start]); h != nil {
				s.host = h[1]
			}
		}
		return s, true
	}
	return s, false
}

// guarded runs re on s only when in (s or its lower-case form) contains
// needle, which every match of re contains.
func guarded(in, needle, s string, re *regexp.Regexp) []string {
	if !strings.Contains(in, needle) {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// postfixSaid handles "host … said: REPLY (in reply to … command)", taking
// the last one (a relay may quote another).
func postfixSaid(rec string, s *segment) bool {
	locs := postfixSaidRE.FindAllStringSubmatchIndex(rec, -1)
	if locs == nil {
		return false
	}
	l := locs[len(locs)-1]
	s.host, s.hostIP = rec[l[2]:l[3]], rec[l[4]:l[5]]
	before, rest := rec[:l[0]], rec[l[1]:]
	if m := inReplyToRE.FindStringSubmatchIndex(rest); m != nil {
		s.stage = rest[m[2]:m[3]]
		rest = rest[:m[0]]
	} else if strings.HasSuffix(rest, ")") && strings.Contains(rec, "status=") {
		rest = strings.TrimSuffix(rest, ")")
	}
	s.reply, s.via = rest, viaPostfix
	if s.recipient == "" {
		s.recipient = lastAddr(before)
	}
	return true
}

// eximError handles "SMTP error from remote mail server after STAGE: REPLY".
func eximError(rec string, s *segment) bool {
	m := eximErrRE.FindStringSubmatchIndex(rec)
	if m == nil {
		return false
	}
	s.stage = rec[m[2]:m[3]]
	if m[4] >= 0 {
		s.host, s.hostIP = rec[m[4]:m[5]], rec[m[6]:m[7]]
	} else if h := eximHostRE.FindStringSubmatch(rec); h != nil {
		s.host, s.hostIP = h[1], h[2]
	}
	s.reply, s.via = rec[m[8]:m[9]], viaExim
	if s.recipient == "" {
		s.recipient = firstAddr(rec[:m[0]])
	}
	return true
}

// exchangeReturned handles "Remote Server [at HOST (IP)] returned 'REPLY'".
func exchangeReturned(rec string, s *segment) bool {
	m := exchangeRE.FindStringSubmatchIndex(rec)
	if m == nil {
		return false
	}
	if m[2] >= 0 {
		s.host = rec[m[2]:m[3]]
	}
	if m[4] >= 0 {
		s.hostIP = rec[m[4]:m[5]]
	}
	s.reply, s.via = rec[m[6]:m[7]], viaExchange
	if s.recipient == "" {
		s.recipient = lastAddr(rec[:m[0]])
	}
	return true
}

func firstAddr(s string) string {
	if m := addrRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func lastAddr(s string) string {
	all := addrRE.FindAllStringSubmatch(s, -1)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1][1]
}
