package bounce

import (
	"fmt"
	"regexp"
	"strings"
)

// Diagnosis is what one bounced recipient's reply means. It is the
// classification only: the caller renders it (internal/cli converts it into
// report.BounceDiagnosis, whose JSON form is the `preflight bounce --format
// json` contract) and adds the re-check of authentication bounces.
type Diagnosis struct {
	Receiver string // receiver ID ("qq"), empty when unknown
	Code     string // reply code ("550")
	Enhanced string // the reply's own enhanced code; never a relay's invention for QQ
	Reason   string // short canonical reason ("DMARC check failed")
	Category Category
	Retry    bool // whether retrying the same message can succeed
	Meaning  string
	Action   string
	HelpURL  string
	// Recipient is the final recipient address, when the input names one.
	Recipient string

	ReceiverName      string
	ReceiverEvidence  string // how the receiver was recognised
	Confidence        Confidence
	Recognised        bool // false for "unrecognised reply"
	Rule              string
	Provenance        string
	Reply             string // the reply as received, unwrapped
	RemoteMTA         string
	ClientIP          string // from QQ's "[token IP: …]" block
	Stage             string // SMTP stage of the reply ("end of DATA command")
	DSNStatus         string
	DSNAction         string
	OriginalRecipient string
	// Returned says what the bounce carried back: "message" (the whole
	// original), "headers" (its header section only), or empty.
	Returned string
	// Delayed is true for a delay warning (DSN Action "delayed", a
	// "Delivery Status Notification (Delay)"): the sending MTA still has
	// the message and keeps retrying; nothing has failed yet.
	Delayed bool
	Notes   []string

	// recheck is the matching rule's Recheck: a non-authentication reply
	// whose cause the authentication re-check can still reveal.
	recheck bool
}

// NeedsRecheck reports whether re-running the authentication checks on the
// returned message can say something: the bounce is about SPF, DKIM or
// DMARC, or about a DNS check that covers them (QQ's "DNS check failed").
func (d Diagnosis) NeedsRecheck() bool {
	return d.Category == CategoryAuthentication || d.recheck
}

type compiledRule struct {
	Rule
	re *regexp.Regexp
}

// compiled is the table with its patterns compiled, in table order; a bad
// pattern is a programming error that panics at init, so any test run
// catches it.
var compiled = compileRules(rules)

func compileRules(rules []Rule) []compiledRule {
	out := make([]compiledRule, len(rules))
	for i, r := range rules {
		out[i] = compiledRule{Rule: r}
		if r.Match != "" {
			out[i].re = regexp.MustCompile(r.Match)
		}
	}
	return out
}

// Classify diagnoses one recipient's bounce against the rule table. It never
// fails: a reply no rule knows gives Reason "unrecognised reply", Category
// "unknown" and what could be parsed.
func Classify(rc Recipient) Diagnosis {
	r := rc.Reply
	evidence := r
	if r.Code == "" {
		// Words without a reply code are the reporting MTA's own (Gmail's
		// "Technical details of temporary failure" about someone else's
		// server): they say nothing about who the receiver was.
		evidence = Reply{}
	}
	who := recognise(rc.RemoteMTA, evidence, rc.FinalRecipient)
	d := Diagnosis{
		Receiver:          who.receiver,
		ReceiverName:      who.name,
		ReceiverEvidence:  who.evidence,
		Code:              r.Code,
		Enhanced:          r.Enhanced,
		Recipient:         rc.FinalRecipient,
		Reply:             r.Raw,
		RemoteMTA:         rc.RemoteMTA,
		Stage:             rc.Stage,
		DSNStatus:         rc.Status,
		DSNAction:         rc.Action,
		OriginalRecipient: rc.OriginalRecipient,
	}
	if r.ClientIP.IsValid() {
		d.ClientIP = r.ClientIP.String()
	}
	if who.receiver == ReceiverQQ {
		// QQ sends no enhanced status code (every QQ reply seen, 2018-2025); one in the reply
		// was put there by a relay, and a DSN Status by the reporting MTA.
		if d.Enhanced != "" {
			d.Notes = append(d.Notes, fmt.Sprintf("enhanced code %s was added by a relay: QQ sends none", d.Enhanced))
			d.Enhanced = ""
		}
		if rc.Status != "" {
			d.Notes = append(d.Notes, fmt.Sprintf("DSN Status %s was added by the reporting MTA (QQ sends no enhanced code): read the reply text", rc.Status))
		}
	}
	esc := d.Enhanced
	if esc == "" && who.receiver != ReceiverQQ && specificStatus(rc.Status) {
		esc = rc.Status
	}
	text := strings.ToLower(r.Text)
	for _, cr := range compiled {
		if !cr.matches(who.receiver, r.Code, esc, text) {
			continue
		}
		d.Recognised = true
		d.Reason = cr.Reason
		d.Category = cr.Category
		d.Retry = cr.Retry || strings.HasPrefix(r.Code, "4")
		d.Meaning = cr.Meaning
		d.Action = cr.Action
		d.HelpURL = cr.HelpURL
		d.Confidence = cr.Confidence
		d.Rule = cr.ID
		d.Provenance = cr.Provenance
		d.recheck = cr.Recheck
		if cr.Receiver != "" && !who.strong && d.Confidence == ConfidenceHigh {
			d.Confidence = ConfidenceMedium
		}
		if len(cr.Enhanced) > 0 && cr.Match == "" && esc != d.Enhanced {
			d.Notes = append(d.Notes, "classified by the DSN Status "+esc+" (the reply carries no enhanced code)")
		}
		break
	}
	if r.URL != "" {
		d.HelpURL = r.URL
	}
	if !d.Recognised {
		unrecognised(&d, rc)
	}
	if rc.Action == "delayed" {
		d.Delayed, d.Retry = true, true
		d.Notes = append(d.Notes, "a delay warning: the sending MTA still has the message and keeps retrying; nothing to resend unless a failure report follows")
	}
	if rc.Count > 1 {
		d.Notes = append(d.Notes, fmt.Sprintf("the input holds this reply %d times for this recipient", rc.Count))
	}
	if strings.HasPrefix(r.Code, "4") {
		d.Notes = append(d.Notes, "a 4xx reply is temporary: the sending MTA retries on its own until its queue lifetime ends")
	}
	if who.receiver == ReceiverQQ && d.Category == CategoryRate {
		d.Notes = append(d.Notes, "QQ shows frequency limits even at low volume to new or low-reputation senders; they are not authentication errors")
	}
	return d
}

func (cr compiledRule) matches(receiver, code, esc, text string) bool {
	if cr.Receiver != "" && cr.Receiver != receiver {
		return false
	}
	if len(cr.Codes) > 0 {
		ok := false
		for _, c := range cr.Codes {
			if code != "" && strings.HasPrefix(code, c) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(cr.Enhanced) > 0 {
		ok := false
		for _, e := range cr.Enhanced {
			if e == esc {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if cr.re != nil && !cr.re.MatchString(text) {
		return false
	}
	return cr.re != nil || len(cr.Enhanced) > 0
}

// specificStatus reports whether a DSN Status says more than its class
// (x.0.0 is "other or undefined", what MTAs write when they do not know).
func specificStatus(s string) bool {
	return enhancedRE.MatchString(s) && !strings.HasSuffix(s, ".0.0")
}

func unrecognised(d *Diagnosis, rc Recipient) {
	d.Reason = ReasonUnrecognised
	d.Category = CategoryUnknown
	d.Confidence = ConfidenceLow
	d.Retry = strings.HasPrefix(d.Code, "4") || strings.HasPrefix(rc.Status, "4.")
	var parsed []string
	if d.Code != "" {
		parsed = append(parsed, "reply code "+d.Code)
	}
	if d.Enhanced != "" {
		parsed = append(parsed, "enhanced code "+d.Enhanced)
	}
	if rc.Status != "" {
		parsed = append(parsed, "DSN status "+rc.Status)
	}
	if rc.RemoteMTA != "" {
		parsed = append(parsed, "remote MTA "+rc.RemoteMTA)
	}
	if d.ReceiverName != "" {
		parsed = append(parsed, "receiver "+d.ReceiverName)
	}
	what := "nothing beyond the text"
	if len(parsed) > 0 {
		what = strings.Join(parsed, ", ")
	}
	d.Meaning = "preflight does not know this reply; parsed: " + what + "."
	switch {
	case strings.HasPrefix(d.Code, "5") || strings.HasPrefix(rc.Status, "5."):
		d.Action = "Read the reply text: a 5xx reply is permanent, so the same message to the same recipient will bounce again until the cause is fixed."
	case d.Retry:
		d.Action = "Read the reply text: a 4xx reply is temporary, and a retry may succeed."
	default:
		d.Action = "Read the reply text for the receiver's own explanation."
	}
}
