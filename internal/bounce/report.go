package bounce

import (
	"net/mail"
	"regexp"
	"sort"
	"strings"
)

// The human-readable report of a bounce without a delivery-status part
// names the failed recipients and, for each, what went wrong: a receiver's
// reply with its code ("host mx.example said: 550 …"), or the reporting
// MTA's own words without a code ("Sorry, I couldn't find any host named
// example.net. (#5.1.2)", "The recipient name is not recognized", "Storage
// quota exceeded"). MTAs lay this out in a handful of ways: the address on a
// line of its own followed by the reason (Exim, qmail, Gmail, Yahoo,
// Biglobe), "address: reason" on one line (OpenSMTPD, Postfix), the reason
// first and the address after (Notes), or the address inside a sentence
// ("There was an error delivering your mail to <a>"). Rather than one parser
// per MTA, parseReport finds the recipients by where addresses stand and
// gives each the text around it.

// returnedMarkers mark where a report ends and the returned message (or its
// header section) begins; one alternation, so that the text is scanned once
// and the earliest marker wins.
var returnedMarkers = regexp.MustCompile(`(?im)^[ \t]*(?:` + strings.Join([]string{
	`-+ ?this is a copy of (?:the|your) message(?:'s headers)?\b.*`,         // Exim
	`-+ ?(?:below this line is|enclosed is) a copy of the message\.?.*`,     // qmail
	`-+ ?the header of the original message is following\.? ?-*.*`,          // 1&1
	`-+ ?original message(?: follows| headers?)?\.? ?-*[ \t]*`,              // Gmail, X2
	`-+ ?(?:returned|unsent|undelivered|rejected) (?:message|mail)s?\b.*-+`, // Notes, Sendmail variants
	`original message follows\.?[ \t]*`,                                     // IMail
	`below is a copy of the original message:?[ \t]*`,                       // OpenSMTPD
	`message headers follow\.?[ \t]*`,                                       // DragonFly
	`original mail as follows:?[ \t]*`,                                      // fml
	`-+ ?(?:original|returned) (?:message|mail) (?:text|follows|below)\b.*`,
}, "|") + `)$`)

// headersOnlyMarkerRE is a marker that announces only the header section.
var headersOnlyMarkerRE = regexp.MustCompile(`(?i)message's headers|header of the original|message headers|headers? follows?\b|original message headers`)

// returnedHeadersRE finds a returned header section that no marker
// announced: a line that only a message header starts, followed by another
// header line.
var returnedHeadersRE = regexp.MustCompile(`(?m)^(?:Received|Return-Path|DKIM-Signature|X-Received|ARC-Seal|Delivered-To|Message-I[Dd]|X-Google-DKIM-Signature|Authentication-Results):[^\n]*\n(?:[ \t][^\n]*\n)*[A-Za-z-]+:`)

// cutReturned splits a report from the returned message that follows it.
// headersOnly says whether only the returned message's header section
// follows: the marker says so, or no marker announced it and no body follows.
func cutReturned(text string) (report, returned string, headersOnly bool) {
	cut, start := len(text), len(text)
	if loc := returnedMarkers.FindStringIndex(text); loc != nil {
		cut, start = loc[0], loc[1]
		headersOnly = headersOnlyMarkerRE.MatchString(text[loc[0]:loc[1]])
	}
	if loc := returnedHeadersRE.FindStringIndex(text); loc != nil && loc[0] < cut {
		cut, start = loc[0], loc[0]
		rest := strings.ReplaceAll(text[start:], "\r\n", "\n")
		headersOnly = !strings.Contains(strings.TrimRight(rest, "\n"), "\n\n")
	}
	return text[:cut], strings.TrimLeft(text[start:], "\r\n"), headersOnly
}

// headerishLineRE is a report line that names a header field of the
// returned message or of the session ("To: a@b", "MAIL FROM: <a>"): an
// address on it is not a failed recipient unless the label says so.
var headerishLineRE = regexp.MustCompile(`(?i)^[ \t>*]*(?:to|from|cc|bcc|subject|sender|reply-to|return-path|mail from|envelope-from|date|sent|message-id|received|x-[a-z-]+)[ \t]*:`)

// rcptLabelRE introduces a recipient within a line ("RCPT TO:<a>", "RCPT: <a>").
var rcptLabelRE = regexp.MustCompile(`(?i)\brcpt(?: to)?[ \t]*:[ \t]*<?([^\s<>@]+@[^\s<>]+?)>?(?:[\s,;]|$)`)

// notRecipientRE are words before an address that make it someone other
// than a failed recipient: the sender, the postmaster to contact, the alias
// an address was expanded from.
var notRecipientRE = regexp.MustCompile(`(?i)(?:\bfrom|\bsent by|\bsender|\bcontact|\bsend mail to|\bsend (?:an )?e-?mail to|\bwrite to|\bon behalf of|\bexpanded from|\bgenerated from|\breply-to|\bmail from|\benvelope-from|\bowner|\bto the address)[ \t:]*["'(<]*$`)

// reportRecipients finds the failed recipients a report names, in order of
// the lines that name them; an address named again (a report in two
// languages) appears again, marked as a repeat. A line that is not an
// address on its own names at most one recipient: reports list one per line.
func reportRecipients(lines []string, exclude map[string]bool) []reportAddr {
	var out []reportAddr
	seen := map[string]bool{}
	add := func(a string, line int, alone bool) bool {
		a = strings.Trim(a, `<>"'.,;:()[]`)
		k := strings.ToLower(a)
		if !validAddress(a) || exclude[k] || strings.HasPrefix(k, "mailer-daemon@") {
			return false
		}
		out = append(out, reportAddr{addr: a, line: line, alone: alone, repeat: seen[k]})
		seen[k] = true
		return true
	}
	// An address the report introduces as someone else's (the postmaster
	// to contact) is not a recipient on any line.
	prev := ""
	for _, line := range lines {
		t := strings.TrimSpace(line)
		for j, loc := range addrRE.FindAllStringSubmatchIndex(t, -1) {
			before := t[:loc[0]]
			if j == 0 && strings.TrimLeft(before, " \t*-") == "" {
				before = prev + " " // "A message sent by" on the line above
			}
			if notRecipientRE.MatchString(before) && !rcptLabelRE.MatchString(t) {
				exclude[strings.ToLower(t[loc[2]:loc[3]])] = true
			}
		}
		if t != "" {
			prev = t
		}
	}
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if m := rcptLabelRE.FindStringSubmatch(t); m != nil {
			add(m[1], i, false)
			continue
		}
		if headerishLineRE.MatchString(t) {
			continue
		}
		if m := aloneAddrRE.FindStringSubmatch(t); m != nil {
			add(m[1], i, true)
			continue
		}
		for _, loc := range addrRE.FindAllStringSubmatchIndex(t, -1) {
			if notRecipientRE.MatchString(t[:loc[0]]) {
				continue
			}
			if add(t[loc[2]:loc[3]], i, false) {
				break
			}
		}
	}
	return out
}

// aloneAddrRE is a line that holds an address and nothing else of substance:
// "<a@b>:", "a@b", "* a@b", `"a@b":`, "a@b on Thu, 29 Apr 2010 …" (Exchange
// 2003), "a@b 様" (a salutation is not one; it is excluded as the sender).
var aloneAddrRE = regexp.MustCompile(`(?i)^(?:[*•·-][ \t]*)?["']?<?([^\s<>"'@()]+@[^\s<>"'@()]+?)>?["']?:?(?:[ \t]+on[ \t]+(?:\d|mon|tue|wed|thu|fri|sat|sun).*)?$`)

type reportAddr struct {
	addr   string
	line   int
	alone  bool // the address stands on a line of its own
	repeat bool // named before
}

// boilerplateRE are lines of a report that say nothing about why a
// recipient failed: the MTA's greeting, apologies, advice to the reader.
var boilerplateRE = regexp.MustCompile(`(?i)^(?:hi[.!]?|hello|this is the \S+ program at|this is the mail system at|this message was created automatically|this is an automatically generated|i'?m (?:afraid|sorry)|sorry,? (?:we were|it didn't)|this is a permanent error|a message (?:that )?you sent|for further assistance|if you do so|delete your own text|the (?:postfix program|mail system)$|please (?:do not reply|verify|note)|you do not need to re-?send|your message$|did not reach the following|the following (?:address|recipient)|delivery to the following|message from \S+\.?$|unable to deliver message to the following|.*could not be delivered to one or more|its recipients|recipients\. this is a permanent error|an error has occurred while attempting|the following list of recipients|list of recipients:?$|[-=*_ ]+$|-+ ?(?:the following|transcript of (?:the )?session|non-delivered information|failure reasons)|be delivered to one or more recipients|it'?s attached below|the original message was received|from \S+ \[[0-9.]+\]|this is a warning message only|will keep trying|we had trouble delivering|.*full details follow|learn more at)`)

// parseReport reads a human-readable bounce: the replies it quotes and the
// recipients it names. It reports false when the text is not a bounce
// report. partial carries a DSN's per-message fields when the DSN had no
// recipient fields.
func parseReport(hdr mail.Header, subject, text string, w *walker, partial *Bounce) (*Bounce, bool) {
	report, returned, headersOnly := cutReturned(text)
	if w.original == nil && strings.TrimSpace(returned) != "" {
		w.original, w.origType, w.headersOnly = []byte(returned), "text/plain", headersOnly
	}
	bounceish := partial != nil || bounceFromRE.MatchString(hdr.Get("From")) || bounceSubjectRE.MatchString(subject) ||
		strings.TrimSpace(hdr.Get("Return-Path")) == "<>" || len(hdr["X-Failed-Recipients"]) > 0 ||
		bounceWords(report)
	segs := scanText(report)
	if !bounceish {
		segs = specificOnly(segs)
		if len(segs) == 0 {
			return nil, false
		}
	}
	exclude := map[string]bool{}
	for _, h := range []string{"From", "To", "Return-Path", "Sender", "Reply-To"} {
		if as, err := mail.ParseAddressList(hdr.Get(h)); err == nil {
			for _, a := range as {
				exclude[strings.ToLower(a.Address)] = true
			}
		}
	}
	if partial != nil && partial.EnvelopeSender != "" {
		exclude[strings.ToLower(partial.EnvelopeSender)] = true
	}
	for i := range segs {
		if exclude[strings.ToLower(segs[i].recipient)] {
			segs[i].recipient = ""
		}
	}
	lines := strings.Split(strings.ReplaceAll(report, "\r\n", "\n"), "\n")
	failed := failedRecipients(hdr)
	var named []reportAddr
	if bounceish {
		named = reportRecipients(lines, exclude)
	}
	// The recipients: those the replies name and those the report names;
	// when it names none, those X-Failed-Recipients lists (Exim may list
	// the address before alias expansion, the report the one that failed).
	var rcpts []string
	for _, n := range named {
		if !n.repeat {
			rcpts = appendAddr(rcpts, n.addr)
		}
	}
	for _, s := range segs {
		if validAddress(s.recipient) {
			rcpts = appendAddr(rcpts, s.recipient)
		}
	}
	if len(rcpts) == 0 {
		rcpts = failed
	}
	if partial != nil && len(rcpts) == 0 && w.original != nil {
		// A DSN without recipient fields or a report that names them
		// (Postfix's "Delivery report unavailable"): the returned
		// message's recipient is the best evidence left.
		if h, _ := splitMessage(w.original); h != nil {
			if as, err := mail.ParseAddressList(h.Get("To")); err == nil && len(as) == 1 {
				rcpts = append(rcpts, as[0].Address)
			}
		}
	}
	if len(segs) == 0 && len(rcpts) == 0 {
		return nil, false
	}
	segs = attachAnonymous(segs, rcpts)
	// The report's own words for the recipients no reply covers.
	for _, r := range rcpts {
		if !hasSegment(segs, r) {
			words := plainReason(lines, named, r)
			segs = append(segs, segment{recipient: r, reply: words, via: viaPlain, status: statusInText(words)})
		}
	}
	// Recipients in the order the report names them.
	sort.SliceStable(segs, func(i, j int) bool { return addrIndex(rcpts, segs[i].recipient) < addrIndex(rcpts, segs[j].recipient) })
	b := &Bounce{Kind: KindMessage}
	if partial != nil {
		b = partial
		b.Kind = KindDSN
	}
	b.Recipients = recipientsFromSegments(foldByRecipient(segs, true))
	return b, len(b.Recipients) > 0
}

func hasSegment(segs []segment, addr string) bool {
	for _, s := range segs {
		if strings.EqualFold(s.recipient, addr) {
			return true
		}
	}
	return false
}

// plainReason returns the report's own words about one recipient: the rest
// of the line that names it, then the lines after it up to the next line
// that names a recipient or a separator line; when those say nothing, the
// lines before it back to the previous recipient (Notes writes the reason
// first).
func plainReason(lines []string, named []reportAddr, addr string) string {
	idx := -1
	for i, n := range named {
		if strings.EqualFold(n.addr, addr) {
			idx = i
			break
		}
	}
	var words []string
	keep := func(l string) {
		t := strings.TrimSpace(l)
		if t == "" || boilerplateRE.MatchString(t) || len(words) >= 6 {
			return
		}
		words = append(words, t)
	}
	if idx < 0 {
		// Named only by a header (X-Failed-Recipients): the whole report
		// speaks about it.
		for _, l := range lines {
			keep(l)
		}
		return strings.Join(words, " ")
	}
	n := named[idx]
	end := len(lines)
	for _, next := range named[idx+1:] {
		// The next recipient, or this one named again on a line of its
		// own (a report repeated in a second language), ends the words
		// about this one; a mention within a sentence does not.
		if next.line > n.line && (next.alone || !next.repeat) {
			end = next.line
			break
		}
	}
	if !n.alone {
		keep(stripAddr(lines[n.line], addr))
	}
	for _, l := range lines[n.line+1 : end] {
		if separatorRE.MatchString(strings.TrimSpace(l)) {
			break
		}
		keep(l)
	}
	if len(words) == 0 {
		start := 0
		for _, prev := range named[:idx] {
			if prev.line < n.line {
				start = prev.line + 1
			}
		}
		for _, l := range lines[start:n.line] {
			keep(l)
		}
	}
	return strings.Join(words, " ")
}

// separatorRE is a line of decoration that separates sections of a report.
var separatorRE = regexp.MustCompile(`^[-=*_#~ ]{5,}$|^\*{3,}.*\*{3,}$`)

// stripAddr removes addr and the punctuation around it from the start of a
// line, so that "<a@b>: Domain does not exist" leaves the reason; an address
// within a sentence stays.
func stripAddr(line, addr string) string {
	t := strings.TrimLeft(strings.TrimSpace(line), "*•·-<\"' \t")
	if !strings.HasPrefix(strings.ToLower(t), strings.ToLower(addr)) {
		return line
	}
	after := strings.TrimLeft(t[len(addr):], ">\"' \t")
	return strings.TrimLeft(strings.TrimPrefix(after, "..."), ":,; \t")
}

// statusInText finds an RFC 3463 status code in a report's own words:
// qmail's "(#5.1.2)", "5.2.2 <a@b>... Mailbox Full".
func statusInText(s string) string {
	if m := textStatusRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

var textStatusRE = regexp.MustCompile(`(?:^|[^\d.])([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:[^\d.]|$)`)

// attachAnonymous gives replies that name no recipient to the recipient
// they belong to: the only one, or the recipients without a reply in order.
func attachAnonymous(segs []segment, rcpts []string) []segment {
	var anon, out []segment
	for _, s := range segs {
		if s.recipient == "" {
			anon = append(anon, s)
		} else {
			out = append(out, s)
		}
	}
	if len(anon) == 0 {
		return segs
	}
	switch {
	case len(rcpts) == 1:
		for i := range anon {
			anon[i].recipient = rcpts[0]
		}
		return append(out, anon...)
	case len(rcpts) == 0:
		return segs
	}
	var bare []string
	for _, r := range rcpts {
		if !hasSegment(out, r) {
			bare = append(bare, r)
		}
	}
	if len(bare) == len(anon) {
		for i := range anon {
			anon[i].recipient = bare[i]
		}
		return append(out, anon...)
	}
	if len(bare) == 0 {
		return out // replies already covered by the named ones (a transcript repeating them)
	}
	return segs
}

// foldByRecipient keeps one reply per recipient: a bounce reports one outcome
// per address, and its transcript or a second language repeats or details
// it. The most telling reply wins: one with a code over the MTA's own words,
// a permanent one over a temporary one (the final outcome of a failure
// report; a delay report keeps its temporary one), an enhanced code over
// none. Replies without a recipient are kept when nothing else is.
func foldByRecipient(segs []segment, failure bool) []segment {
	var out []segment
	idx := map[string]int{}
	for _, s := range segs {
		k := strings.ToLower(s.recipient)
		if k == "" {
			out = append(out, s)
			continue
		}
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			out = append(out, s)
			continue
		}
		if better(s, out[i], failure) {
			if s.host == "" {
				s.host, s.hostIP = out[i].host, out[i].hostIP
			}
			if s.stage == "" {
				s.stage = out[i].stage
			}
			out[i] = s
		}
	}
	if len(idx) > 0 {
		// Drop anonymous replies that repeat a recipient's.
		kept := out[:0]
		for _, s := range out {
			if s.recipient == "" && duplicateReply(s, out) {
				continue
			}
			kept = append(kept, s)
		}
		out = kept
	}
	return out
}

func duplicateReply(s segment, all []segment) bool {
	p := ParseReply(s.reply)
	for _, o := range all {
		if o.recipient == "" {
			continue
		}
		q := ParseReply(o.reply)
		if q.Code == p.Code && (q.Text == p.Text || strings.Contains(q.Text, p.Text) || strings.Contains(p.Text, q.Text)) {
			return true
		}
	}
	return false
}

// better reports whether reply a tells more about a recipient than b.
func better(a, b segment, failure bool) bool {
	ra, rb := ParseReply(a.reply), ParseReply(b.reply)
	score := func(r Reply, s segment) int {
		n := 0
		switch {
		case r.Code != "" && s.via != viaPlain:
			n += 8
		case r.Code != "":
			n += 6
		}
		if failure && strings.HasPrefix(r.Code, "5") {
			n += 4
		}
		if r.Enhanced != "" || s.status != "" {
			n += 2
		}
		if s.host != "" {
			n++
		}
		return n
	}
	return score(ra, a) > score(rb, b)
}

// recipientsFromSegments turns segments into recipients, folding repeats of
// the same reply for the same recipient (a log excerpt with every retry of a
// deferred message) into one, counted.
func recipientsFromSegments(segs []segment) []Recipient {
	var out []Recipient
	seen := map[string]int{}
	for _, s := range segs {
		rc := recipientFromSegment(s)
		key := strings.ToLower(rc.FinalRecipient) + "\x00" + rc.Reply.Code + "\x00" + rc.Reply.Text
		if i, ok := seen[key]; ok {
			out[i].Count++
			continue
		}
		seen[key] = len(out)
		out = append(out, rc)
	}
	return out
}

func recipientFromSegment(s segment) Recipient {
	rc := Recipient{
		FinalRecipient:    s.recipient,
		OriginalRecipient: s.origRcpt,
		Status:            s.status,
		RemoteMTA:         s.host,
		RemoteIP:          s.hostIP,
		Stage:             s.stage,
		DiagnosticCode:    collapseSpace(s.reply),
		Count:             1,
	}
	if s.via == viaPlain {
		// The reporting MTA's own words: any number in them is not a
		// reply code.
		rc.Reply = Reply{Raw: collapseSpace(s.reply), Text: collapseSpace(s.reply)}
		if r := ParseReply(s.reply); r.Code != "" && strings.HasPrefix(rc.Reply.Raw, r.Code) {
			rc.Reply = r
		}
	} else {
		rc.Reply = ParseReply(s.reply)
	}
	if rc.Status == "" && rc.Reply.Enhanced == "" && s.via == viaPlain {
		rc.Status = statusInText(rc.Reply.Text)
	}
	return rc
}

// specificOnly keeps the segments found by an MTA-specific pattern; in a
// message that does not look like a bounce, a bare "550 …" in prose is not
// evidence enough.
func specificOnly(segs []segment) []segment {
	var out []segment
	for _, s := range segs {
		if s.via != viaGeneric && s.via != viaLabelled {
			out = append(out, s)
		}
	}
	return out
}

// addrIndex is the position of a in list, or len(list) when it is not there.
func addrIndex(list []string, a string) int {
	for i, x := range list {
		if strings.EqualFold(x, a) {
			return i
		}
	}
	return len(list)
}

// appendAddr appends a to list unless it is there already (case-insensitively).
func appendAddr(list []string, a string) []string {
	for _, x := range list {
		if strings.EqualFold(x, a) {
			return list
		}
	}
	return append(list, a)
}

// Delay warnings: a DSN says "Action: delayed"; a plain-text warning says it
// in its Subject or its first words.
var (
	delaySubjectRE = regexp.MustCompile(`(?i)\bdelay(?:ed)?\b|\bwarning\b|still (?:not )?(?:being )?(?:delivered|undelivered)|not yet been delivered|delivery status notification \(delay\)|遅延|延迟`)
	delayBodyRE    = regexp.MustCompile(`(?i)this is a warning message only|you do not need to re-?send|only a temporary failure report|(?:message|delivery) (?:is|has been) delayed|will be retried for|will (?:keep|continue) (?:trying|to try)|still undelivered after|has not yet been delivered`)
)

// markDelays marks the recipients of a delay warning as delayed, when the
// input says so and no recipient has a permanent outcome.
func markDelays(b *Bounce, subject, text string) {
	if len(b.Recipients) == 0 || b.Kind == KindLog || b.Kind == KindJSON {
		return // a log line or an ESP event says deferred in its own fields
	}
	unset := false
	for _, rc := range b.Recipients {
		if rc.Action == "failed" || strings.HasPrefix(rc.Reply.Code, "5") {
			return
		}
		unset = unset || rc.Action == ""
	}
	if !unset {
		return // a DSN said what happened to each recipient
	}
	report, _, _ := cutReturned(text)
	if len(report) > 16<<10 {
		report = report[:16<<10]
	}
	if !delaySubjectRE.MatchString(subject) && !delayBodyRE.MatchString(report) {
		return
	}
	for i := range b.Recipients {
		if b.Recipients[i].Action == "" {
			b.Recipients[i].Action = "delayed"
		}
	}
}
