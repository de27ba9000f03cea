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
// ("bouncedRecipients": [{"emailAddress", "status", "diagnosticCode"}]),
// SendGrid ("email", "reason"), Mailgun ("recipient", "delivery-status":
// {"code", "message"}), Postmark ("Email", "Details"). Rather than one parser
// per ESP, parseJSON walks any JSON document and takes every object that holds
// an SMTP reply in a field of a known name, with the recipient address from the
// same object or an enclosing one.

// jsonReplyKeys name fields that hold the receiver's reply, most specific first.
var jsonReplyKeys = []string{"diagnosticcode", "diagnostic_code", "diagnostic-code", "smtp_response", "smtpresponse",
	"response", "reason", "details", "message", "description", "error"}

// jsonAddrKeys name fields that hold the recipient address.
var jsonAddrKeys = []string{"emailaddress", "email", "recipient", "rcpt", "to", "address"}

// jsonMTAKeys name fields that hold the remote MTA.
var jsonMTAKeys = []string{"remotemta", "remote_mta", "remote-mta", "mx-host", "mxhost", "mx_host", "remotemtaip"}

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
			return nil, false, nil
		}
		docs = append(docs, v)
	}
	var segs []segment
	for _, d := range docs {
		walkJSON(d, "", "", 0, &segs)
	}
	if len(segs) == 0 {
		return nil, true, fmt.Errorf("%w: JSON without an SMTP reply (looked for fields such as diagnosticCode, reason, delivery-status.message)", ErrNotBounce)
	}
	return &Bounce{Kind: KindJSON, Recipients: recipientsFromSegments(segs)}, true, nil
}

func walkJSON(v any, addr, mta string, depth int, out *[]segment) {
	if depth > 32 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkJSON(e, addr, mta, depth+1, out)
		}
	case map[string]any:
		fields := map[string]any{}
		keys := make([]string, 0, len(t))
		for k, e := range t {
			fields[strings.ToLower(k)] = e
			keys = append(keys, k)
		}
		if a := jsonString(fields, jsonAddrKeys, func(s string) bool { return strings.Contains(s, "@") }); a != "" {
			addr = strings.Trim(a, "<> ")
		}
		if m := jsonString(fields, jsonMTAKeys, nil); m != "" {
			mta = m
		}
		if s, ok := jsonReply(fields); ok {
			if s.recipient == "" {
				s.recipient = addr
			}
			if s.host == "" {
				s.host = mtaName(mta)
			}
			if st := jsonString(fields, []string{"status", "enhanced-code", "enhanced_code"}, enhancedRE.MatchString); st != "" && s.status == "" {
				s.status = st
			}
			*out = append(*out, s)
			return
		}
		sort.Strings(keys) // a stable order for the recipients found
		for _, k := range keys {
			walkJSON(t[k], addr, mta, depth+1, out)
		}
	}
}

// jsonReply finds the reply in an object: a field that holds one, or a
// numeric "code" with a "message" (Mailgun's delivery-status).
func jsonReply(fields map[string]any) (segment, bool) {
	for _, k := range jsonReplyKeys {
		s, ok := fields[k].(string)
		if !ok || s == "" {
			continue
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
	if n, err := strconv.Atoi(code); err == nil && n >= 400 && n < 600 {
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
