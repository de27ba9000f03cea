package bounce

import (
	"net/netip"
	"regexp"
	"strings"
)

// Reply is one SMTP reply as the receiving server sent it (RFC 5321 §4.2),
// with the parts a classifier needs pulled out.
//
// A multi-line reply ("550-5.7.26 first line", …, "550 5.7.26 last line") is
// unwrapped into one Text: the repeated code and enhanced-code prefixes of the
// continuation lines are removed, and folding whitespace is collapsed. The
// reply's own RFC 3463 enhanced status code is kept apart from any code a
// relay or the reporting MTA made up (see Recipient.Status).
type Reply struct {
	// Code is the three-digit reply code ("550"); empty when none was found.
	Code string
	// Enhanced is the RFC 3463 enhanced status code written in the reply
	// itself ("5.7.26"), or empty. QQ never sends one (receivers.md Q3).
	Enhanced string
	// Text is the reply text without code and enhanced code, unwrapped.
	Text string
	// Raw is the reply as found in the input, whitespace collapsed.
	Raw string
	// Token is QQ's opaque session token from a "[token IP: a.b.c.d]" block.
	Token string
	// IPText is the IP field of that block as written (it can be a
	// placeholder such as "X.X.X.X" in pasted samples).
	IPText string
	// ClientIP is IPText parsed; the zero Addr when it is not an address.
	// For QQ it is the connecting client as QQ saw it: the IP to re-check SPF for.
	ClientIP netip.Addr
	// URL is the first help URL in the reply, trailing punctuation removed.
	URL string
}

var (
	// replyStartRE matches the start of a reply: code, separator, optional enhanced code.
	// "550 5.1.1 …", "550-5.7.26 …", "550-'5.7.1 …'", "550: : …", "550 - …".
	replyStartRE = regexp.MustCompile(`^([245][0-9][0-9])(?:(-)|\s*(?::\s*)+|\s+-\s+|\s+|$)\s*(?:(['"]?)([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:\s+|$|[-:]\s*))?`)
	// sendmailInnerRE is a reply text that is an address and another reply.
	sendmailInnerRE = regexp.MustCompile(`^<[^<>\s]*>\.\.\.\s*([245][0-9][0-9])\s`)
	// innerReplyRE is a receiver's reply quoted at the end of a relay's own
	// ("554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>").
	innerReplyRE = regexp.MustCompile(`<([245][0-9][0-9][ -][245]\.[0-9]{1,3}\.[0-9]{1,3}[^<>]*)>\s*$`)
	// qqBlockRE matches QQ's "[<token> IP: <ip>]" block (receivers.md a.3).
	qqBlockRE = regexp.MustCompile(`\[\s*([A-Za-z0-9+/=]*|\.+)\s*IP:\s*([^\]]*?)\s*\]`)
	urlRE     = regexp.MustCompile(`https?://[^\s'"<>\]\x60]+`)
	// enhancedRE is an RFC 3463 status code standing alone.
	enhancedRE = regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}$`)
)

// ParseReply parses one SMTP reply, bare or wrapped over several lines, as
// found in a Diagnostic-Code field, a log line or a paste. It does not look
// for the reply inside surrounding log text: see the package's text scanner
// for that. A string without a leading reply code gives a Reply with an empty
// Code and the whole string as Text.
func ParseReply(s string) Reply {
	raw := collapseSpace(s)
	r := Reply{Raw: raw}
	rest := trimQuotes(raw)
	if m := innerReplyRE.FindStringSubmatch(rest); m != nil {
		// The relay's words are its own; the quoted reply is the receiver's.
		rest = m[1]
	}
	m := replyStartRE.FindStringSubmatch(rest)
	if m != nil {
		r.Code = m[1]
		r.Enhanced = m[4]
		rest = m[3] + rest[len(m[0]):] // a quote before the enhanced code opens the quoted text
		rest = stripContinuations(rest, r.Code, r.Enhanced, m[2] == "-")
		if r.Enhanced != "" && r.Code[0] != r.Enhanced[0] {
			// RFC 3463 §2: the class of the enhanced code matches the
			// reply's. "550 4.4.7 QUEUE.Expired" was written by the
			// reporting MTA (Exchange, SES) about its own queue, not
			// received from a server: its code is not a reply code.
			r.Code = ""
		}
	}
	r.Text = strings.TrimSpace(trimQuotes(rest))
	if m := sendmailInnerRE.FindStringSubmatch(r.Text); m != nil && r.Enhanced == "" {
		// Sendmail V5's "554 <a@b>... 550 Host unknown": the code after
		// the address is the one the delivery attempt produced.
		r.Code = m[1]
	}
	if b := qqBlockRE.FindStringSubmatch(r.Text); b != nil {
		r.Token = b[1]
		if strings.Trim(r.Token, ".") == "" {
			r.Token = ""
		}
		r.IPText = b[2]
		if ip, err := netip.ParseAddr(b[2]); err == nil {
			r.ClientIP = ip.Unmap()
		}
	}
	if u := urlRE.FindString(r.Text); u != "" {
		r.URL = strings.TrimRight(u, ".,;:)'\"")
	}
	return r
}

// stripContinuations removes the "550-5.7.26 " prefixes that a flattened
// multi-line reply repeats in its middle (RFC 5321 §4.2.1): with an
// enhanced code, the code and enhanced code wherever they stand together;
// in a multi-line reply, every "550-" and "550 " line start; else only
// "550-" starts.
func stripContinuations(text, code, enhanced string, multiline bool) string {
	fs := strings.Fields(text)
	out := fs[:0]
	for i := 0; i < len(fs); i++ {
		f := fs[i]
		switch {
		case enhanced != "" && (f == code+"-"+enhanced || f == code+" "+enhanced):
			continue
		case enhanced != "" && f == code && i+1 < len(fs) && fs[i+1] == enhanced:
			i++
			continue
		case enhanced != "":
		case multiline && f == code:
			continue
		case strings.HasPrefix(f, code+"-"):
			if f = f[len(code)+1:]; f == "" {
				continue
			}
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

// trimQuotes removes one pair of enclosing quotes, as relays write them
// ("550-'SPF check failed …' (delivery attempts: 0)" keeps only the inside).
func trimQuotes(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range []string{"'", "\""} {
		if strings.HasPrefix(s, q) {
			if i := strings.LastIndex(s, q); i > 0 {
				return strings.TrimSpace(s[1:i])
			}
			return strings.TrimSpace(s[1:])
		}
	}
	return s
}

// collapseSpace turns every run of white space (folding included) into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
