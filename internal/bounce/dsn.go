package bounce

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// errNoRecipients: a delivery-status part without per-recipient fields.
var errNoRecipients = fmt.Errorf("%w: the delivery-status part has no per-recipient fields", ErrNotBounce)

var blankLineRE = regexp.MustCompile(`\n[ \t]*\n`)

// pastedHeaderRE finds where a returned message's header section starts in
// pasted text.
var pastedHeaderRE = regexp.MustCompile(`(?im)^(?:return-path|received|dkim-signature):`)

type field struct{ name, value string }

// parseFields parses "Name: value" lines with folding (RFC 5322 §2.2.3):
// continuation lines are joined with one space. Lines that are not fields
// are skipped rather than failing the block.
func parseFields(block string) []field {
	var out []field
	for _, line := range strings.Split(strings.ReplaceAll(block, "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].value = collapseSpace(out[len(out)-1].value + " " + line)
			continue
		}
		if !headerLineRE.MatchString(line) {
			continue
		}
		i := strings.IndexByte(line, ':')
		out = append(out, field{name: strings.TrimSpace(line[:i]), value: collapseSpace(line[i+1:])})
	}
	return out
}

// fieldBlocks splits a delivery-status body into its blocks (RFC 3464 §2.1:
// per-message fields, then per-recipient fields, separated by blank lines).
func fieldBlocks(body string) [][]field {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	var out [][]field
	for _, blk := range blankLineRE.Split(body, -1) {
		out = append(out, splitRecipients(parseFields(blk))...)
	}
	return out
}

// splitRecipients splits a block that holds several recipients' fields
// without the blank lines between them (a malformed DSN). A per-recipient
// field that the current recipient already has starts the next one, and so
// does an Original-Recipient that follows the current recipient's Action,
// Status or Diagnostic-Code and is itself followed by a Final-Recipient
// (RFC 3464 §2.3 order for the next recipient; Postfix writes
// Original-Recipient after Final-Recipient, and some MTAs write Action
// first, so field order alone does not separate recipients).
func splitRecipients(fs []field) [][]field {
	if len(fs) == 0 {
		return nil
	}
	var out [][]field
	start, seen, seenBody := 0, map[string]bool{}, false
	for i, f := range fs {
		name := strings.ToLower(f.name)
		perRecipient := recipientFields[name]
		next := ""
		if i+1 < len(fs) {
			next = strings.ToLower(fs[i+1].name)
		}
		if perRecipient && seen[name] || name == "original-recipient" && seenBody && next == "final-recipient" && seen["final-recipient"] {
			out = append(out, fs[start:i])
			start, seen, seenBody = i, map[string]bool{}, false
		}
		seen[name] = true
		switch name {
		case "action", "status", "diagnostic-code":
			seenBody = true
		}
	}
	return append(out, fs[start:])
}

// recipientFields are the per-recipient fields of RFC 3464 §2.3 that appear
// once per recipient.
var recipientFields = map[string]bool{"final-recipient": true, "original-recipient": true, "action": true,
	"status": true, "diagnostic-code": true, "remote-mta": true, "last-attempt-date": true}

func get(fs []field, name string) string {
	for _, f := range fs {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// stripType removes an RFC 3464 type prefix ("rfc822;", "dns;", "smtp;").
func stripType(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 {
		t := strings.TrimSpace(v[:i])
		if t != "" && !strings.ContainsAny(t, " \t<>@[]") {
			return strings.TrimSpace(v[i+1:])
		}
	}
	return strings.TrimSpace(v)
}

// address returns the mailbox of a recipient field ("rfc822; <a@b>").
// Original-Recipient carries the ORCPT parameter, which is xtext (RFC 3461
// §4: "a+2Bb@c" is "a+b@c", hex digits upper case); with xtext set, that is
// decoded.
func address(v string, xtext bool) string {
	a := strings.Trim(stripType(v), "<> ")
	if !xtext || !strings.Contains(a, "+") {
		return a
	}
	var b strings.Builder
	for i := 0; i < len(a); i++ {
		if a[i] == '+' && i+2 < len(a) && strings.ToUpper(a[i+1:i+3]) == a[i+1:i+3] {
			if n, err := strconv.ParseUint(a[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(a[i])
	}
	return b.String()
}

// mtaName returns the host of an MTA-name field: "dns; mx3.qq.com. (203.0.113.40,
// the server for the domain qq.com.)" gives "mx3.qq.com".
func mtaName(v string) string {
	f := strings.Fields(stripType(v))
	if len(f) == 0 {
		return ""
	}
	return strings.TrimSuffix(f[0], ".")
}

// parseStatusFields parses a delivery-status body (RFC 3464 §2) into a
// Bounce. A body without per-recipient fields gives the per-message fields
// and errNoRecipients; one whose recipients were all delivered gives a
// *Notice.
func parseStatusFields(body string, kind Kind) (*Bounce, error) {
	b := &Bounce{Kind: kind}
	skipped := ""
	var delivered []string
	for i, blk := range fieldBlocks(body) {
		isRecipient := get(blk, "Final-Recipient") != "" || get(blk, "Original-Recipient") != "" ||
			get(blk, "Diagnostic-Code") != "" || get(blk, "Action") != ""
		if i == 0 && get(blk, "Reporting-MTA") != "" || !isRecipient {
			if v := get(blk, "Reporting-MTA"); v != "" && b.ReportingMTA == "" {
				b.ReportingMTA = mtaName(v)
			}
			if v := get(blk, "Arrival-Date"); v != "" && b.ArrivalDate == "" {
				b.ArrivalDate = v
			}
			if v := get(blk, "Received-From-MTA"); v != "" && b.ReceivedFromMTA == "" {
				b.ReceivedFromMTA = mtaName(v)
			}
			if v := get(blk, "X-Postfix-Sender"); v != "" {
				b.EnvelopeSender, b.EnvelopeSenderSource = stripType(v), "X-Postfix-Sender"
			}
			if !isRecipient {
				continue
			}
		}
		action := strings.ToLower(firstWord(get(blk, "Action")))
		if action == "undeliverable" {
			action = "failed" // Postfix address verification (sendmail -bv)
		}
		if action == "delivered" || action == "relayed" || action == "expanded" || action == "deliverable" {
			skipped = action
			delivered = append(delivered, address(get(blk, "Final-Recipient"), false))
			continue
		}
		rc := Recipient{
			FinalRecipient:    address(get(blk, "Final-Recipient"), false),
			OriginalRecipient: address(get(blk, "Original-Recipient"), true),
			Action:            action,
			Status:            firstWord(get(blk, "Status")),
			RemoteMTA:         mtaName(get(blk, "Remote-MTA")),
			DiagnosticCode:    stripType(get(blk, "Diagnostic-Code")),
			LastAttemptDate:   get(blk, "Last-Attempt-Date"),
		}
		if !enhancedRE.MatchString(rc.Status) {
			rc.Status = ""
		}
		if !validAddress(rc.FinalRecipient) && validAddress(rc.OriginalRecipient) {
			rc.FinalRecipient = rc.OriginalRecipient
		}
		if rc.DiagnosticCode != "" {
			rc.Reply = diagnosticReply(get(blk, "Diagnostic-Code"), &rc)
		}
		b.Recipients = append(b.Recipients, rc)
	}
	if len(b.Recipients) == 0 {
		if skipped != "" {
			return nil, deliveredNotice(skipped, delivered)
		}
		return b, errNoRecipients
	}
	return b, nil
}

// diagnosticReply reads the reply in a Diagnostic-Code field (RFC 3464
// §2.3.6: "diagnostic-type; text"). Only an smtp (or untyped) diagnostic
// holds an SMTP reply; an X-Unix or X-Postfix one holds a local program's
// words, whose numbers ("X-Unix; 255", an exit status) are not reply codes.
func diagnosticReply(raw string, rc *Recipient) Reply {
	typ := ""
	if i := strings.IndexByte(raw, ';'); i >= 0 && !strings.ContainsAny(raw[:i], " \t<>@[]") {
		typ = strings.ToLower(strings.TrimSpace(raw[:i]))
	}
	diag := rc.DiagnosticCode
	if typ != "" && typ != "smtp" && typ != "esmtp" && typ != "x-smtp" {
		if s, ok := findReply(diag); ok && s.via != viaGeneric {
			applySegment(rc, s)
			return rc.Reply
		}
		return Reply{Raw: collapseSpace(diag), Text: collapseSpace(diag)}
	}
	if s, ok := findReply(diag); ok {
		applySegment(rc, s)
		return rc.Reply
	}
	if m := genericReplyRE.FindStringSubmatch(diag); m != nil {
		// A relay's own words around the receiver's reply
		// ("5.3.0 - Other mail system problem 550-'…'"): the field
		// holds a reply, so any code in it is taken.
		return ParseReply(m[1])
	}
	return ParseReply(diag)
}

// validAddress reports whether s looks like a mailbox address (a local part,
// an @ and a domain).
func validAddress(s string) bool {
	i := strings.LastIndexByte(s, '@')
	return i > 0 && i < len(s)-1
}

// applySegment fills a DSN recipient from the reply found in its
// Diagnostic-Code, without overriding fields the DSN gave.
func applySegment(rc *Recipient, s segment) {
	rc.Reply = ParseReply(s.reply)
	if rc.RemoteMTA == "" || strings.HasPrefix(rc.RemoteMTA, "[") && s.host != "" {
		if s.host != "" {
			rc.RemoteMTA = s.host
		}
	}
	if rc.RemoteIP == "" {
		rc.RemoteIP = s.hostIP
	}
	if rc.Stage == "" {
		rc.Stage = s.stage
	}
	if !validAddress(rc.FinalRecipient) && validAddress(s.recipient) {
		rc.FinalRecipient = s.recipient
	}
	if rc.Status == "" {
		rc.Status = s.status
	}
}

// firstWord returns the first word of a field value ("5.1.1 (user unknown)"
// gives "5.1.1"), or "".
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
