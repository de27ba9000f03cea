package bounce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// ESP webhooks and notifications carry a bounce as JSON: Amazon SES
// ("bouncedRecipients": [{"emailAddress", "status", "diagnosticCode"}], also
// wrapped in an SNS envelope whose "Message" is the notification as a JSON
// string), SendGrid ("email", "reason"), Mailgun ("recipient",
// "delivery-status": {"code", "message"}), Postmark ("Email", "Details").
// Rather than one parser per ESP, parseJSON walks any JSON document and takes
// every object that holds an SMTP reply in a field of a known name, with the
// recipient address from the same object or an enclosing one, and the kind of
// event from the nearest field that names one (a delivery, a complaint, a
// deferral, a bounce).

// jsonReplyKeys name fields that hold the receiver's reply, most specific first.
var jsonReplyKeys = []string{"diagnosticcode", "diagnostic_code", "diagnostic-code", "smtp_response", "smtpresponse",
	"response", "reason", "details", "message", "description", "error"}

// jsonAddrKeys name fields that hold the recipient address.
var jsonAddrKeys = []string{"emailaddress", "email", "recipient", "rcpt", "to", "address"}

// jsonMTAKeys name fields that hold the remote MTA.
var jsonMTAKeys = []string{"remotemta", "remote_mta", "remote-mta", "mx-host", "mxhost", "mx_host", "remotemtaip"}

// jsonEventKeys name fields that say what an event is, and jsonEvents what
// their values mean.
var (
	jsonEventKeys = []string{"eventtype", "notificationtype", "event", "recordtype", "type", "severity", "bouncetype"}
	jsonEvents    = map[string]jsonEvent{
		"bounce": eventFailed, "bounced": eventFailed, "failed": eventFailed, "failure": eventFailed,
		"dropped": eventFailed, "blocked": eventFailed, "hardbounce": eventFailed, "softbounce": eventFailed,
		"permanent": eventFailed, "rejected": eventFailed, "reject": eventFailed, "undeliverable": eventFailed,
		"deferred": eventDelayed, "deferral": eventDelayed, "deliverydelay": eventDelayed, "delayed": eventDelayed,
		"temporary": eventDelayed, "transient": eventDelayed, "delay": eventDelayed,
		"delivered": eventDelivered, "delivery": eventDelivered, "open": eventDelivered, "click": eventDelivered,
		"processed": eventDelivered, "send": eventDelivered, "sent": eventDelivered, "accepted": eventDelivered,
		"opened": eventDelivered, "clicked": eventDelivered,
		"complaint": eventComplaint, "spamreport": eventComplaint, "spam_report": eventComplaint,
		"complained": eventComplaint, "spamcomplaint": eventComplaint, "abuse": eventComplaint,
	}
)

type jsonEvent int

const (
	eventUnknown jsonEvent = iota
	eventFailed
	eventDelayed
	eventDelivered
	eventComplaint
)

// jsonCtx is what enclosing objects say about the objects inside them.
type jsonCtx struct {
	addr, mta string
	event     jsonEvent
	why       string // a reason without a reply code ("bounceSubType": "Suppressed")
}

// jsonWalk collects what a JSON document holds.
type jsonWalk struct {
	segs      []segment
	actions   []string  // Action per segment: failed or delayed
	bare      []segment // failed recipients without a reply
	events    map[jsonEvent]int
	delivered []string
}

// parseJSON parses a JSON document or JSON Lines. ok is false when the input
// is not JSON at all.
func parseJSON(data []byte) (b *Bounce, ok bool, err error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var docs []any
	for {
		var v any
		if err := dec.Decode(&v); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			if len(docs) > 0 {
				break // text after the JSON (an SNS mail's unsubscribe footer)
			}
			return nil, false, nil
		}
		docs = append(docs, v)
	}
	jw := &jsonWalk{events: map[jsonEvent]int{}}
	for _, d := range docs {
		jw.walk(d, jsonCtx{}, 0)
	}
	if len(jw.segs) == 0 {
		jw.segs = jw.bare
		for range jw.bare {
			jw.actions = append(jw.actions, "failed")
		}
	}
	if len(jw.segs) == 0 {
		switch {
		case jw.events[eventComplaint] > 0:
			return nil, true, &Notice{Kind: KindFeedback, FeedbackType: "abuse",
				Summary: "an ESP's complaint notification (a recipient marked a message as spam); it is a complaint, not a delivery failure: remove the complaining recipient from the list"}
		case jw.events[eventDelivered] > 0:
			return nil, true, &Notice{Kind: KindDelivered, Recipients: jw.delivered,
				Summary: "an ESP's event reporting delivery (or an open or click), not a failure"}
		}
		return nil, true, fmt.Errorf("%w: JSON without an SMTP reply (looked for fields such as diagnosticCode, reason, delivery-status.message)", ErrNotBounce)
	}
	rcs := recipientsFromSegments(jw.segs)
	// recipientsFromSegments keeps the segments' order; give each its
	// event's action.
	for i := range rcs {
		for j, s := range jw.segs {
			if strings.EqualFold(s.recipient, rcs[i].FinalRecipient) && collapseSpace(s.reply) == rcs[i].DiagnosticCode {
				rcs[i].Action = jw.actions[j]
				break
			}
		}
	}
	return &Bounce{Kind: KindJSON, Recipients: rcs}, true, nil
}

func (jw *jsonWalk) walk(v any, ctx jsonCtx, depth int) {
	if depth > 32 {
		return
	}
	switch t := v.(type) {
	case string:
		// An SNS envelope carries the SES notification as a JSON string.
		if s := strings.TrimSpace(t); len(s) > 1 && s[0] == '{' && s[len(s)-1] == '}' {
			var inner any
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			if dec.Decode(&inner) == nil {
				jw.walk(inner, ctx, depth+1)
			}
		}
	case []any:
		for _, e := range t {
			jw.walk(e, ctx, depth+1)
		}
	case map[string]any:
		fields := map[string]any{}
		keys := make([]string, 0, len(t))
		for k, e := range t {
			fields[strings.ToLower(k)] = e
			keys = append(keys, k)
		}
		for _, k := range jsonEventKeys {
			if s, ok := fields[k].(string); ok {
				if ev := jsonEvents[strings.ToLower(strings.ReplaceAll(s, " ", ""))]; ev != eventUnknown {
					// Severity refines "failed" (Mailgun: temporary failures are retried).
					if !(k == "severity" && ctx.event != eventFailed && ctx.event != eventUnknown) {
						ctx.event = ev
					}
				}
			}
		}
		if ctx.event != eventUnknown {
			jw.events[ctx.event]++
		}
		addrHere := false
		if a := jsonString(fields, jsonAddrKeys, func(s string) bool { return strings.Contains(s, "@") }); a != "" {
			ctx.addr, addrHere = strings.Trim(a, "<> "), true
		}
		if m := jsonString(fields, jsonMTAKeys, nil); m != "" {
			ctx.mta = m
		}
		if w := jsonString(fields, []string{"bouncesubtype", "delaytype", "bounce_classification", "classification"}, nil); w != "" {
			ctx.why = w
		}
		switch ctx.event {
		case eventDelivered:
			if addrHere {
				jw.delivered = appendAddr(jw.delivered, ctx.addr)
			}
			return
		case eventComplaint:
			return
		}
		if s, ok := jsonReply(fields); ok {
			if s.recipient == "" {
				s.recipient = ctx.addr
			}
			if s.host == "" {
				s.host = mtaName(ctx.mta)
			}
			if st := jsonString(fields, []string{"status", "enhanced-code", "enhanced_code"}, enhancedRE.MatchString); st != "" && s.status == "" {
				s.status = st
			}
			if strings.HasPrefix(ParseReply(s.reply).Code, "2") {
				jw.delivered = appendAddr(jw.delivered, s.recipient)
				jw.events[eventDelivered]++
				return
			}
			jw.segs = append(jw.segs, s)
			action := "failed"
			if ctx.event == eventDelayed {
				action = "delayed"
			}
			jw.actions = append(jw.actions, action)
			return
		}
		if addrHere && ctx.event == eventFailed && validAddress(ctx.addr) {
			// A failed recipient without a reply (an ESP's suppression
			// list, a "dropped" event): its words, if any, say why.
			why := jsonString(fields, []string{"reason", "description", "details", "message"}, nil)
			if why == "" {
				why = ctx.why
			}
			jw.bare = append(jw.bare, segment{recipient: ctx.addr, reply: why, via: viaPlain, status: jsonString(fields, []string{"status"}, enhancedRE.MatchString)})
		}
		sort.Strings(keys) // a stable order for the recipients found
		for _, k := range keys {
			jw.walk(t[k], ctx, depth+1)
		}
	}
}

// jsonReply finds the reply in an object: a field that holds one, or a
// numeric "code" with a "message" (Mailgun's delivery-status).
func jsonReply(fields map[string]any) (segment, bool) {
	for _, k := range jsonReplyKeys {
		s, ok := fields[k].(string)
		if !ok || s == "" || strings.HasPrefix(strings.TrimSpace(s), "{") {
			continue // empty, or a notification inside an envelope (walked as JSON)
		}
		if seg, found := findReply(s); found {
			seg.via = viaJSON
			return seg, true
		}
	}
	code := ""
	switch c := fields["code"].(type) {
	case json.Number:
		code = c.String()
	case string:
		code = c
	}
	if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 600 {
		for _, k := range []string{"message", "description", "reason", "details"} {
			if s, ok := fields[k].(string); ok && strings.TrimSpace(s) != "" {
				return segment{reply: code + " " + strings.TrimSpace(s), via: viaJSON}, true
			}
		}
	}
	return segment{}, false
}

func jsonString(fields map[string]any, keys []string, valid func(string) bool) string {
	for _, k := range keys {
		if s, ok := fields[k].(string); ok && s != "" && (valid == nil || valid(s)) {
			return s
		}
	}
	return ""
}
