package check

import (
	"fmt"

	"preflight/internal/receiver"
)

// knownAuthserv are the authserv-ids (RFC 8601 §2.5) preflight writes for
// receivers whose own is known or has a natural stand-in, with what each
// rests on.
var knownAuthserv = map[string][2]string{
	receiver.IDQQ:    {"mx.qq.com", "QQ's inbound MX host name, assumed: QQ documents no authserv-id"},
	receiver.IDGmail: {"mx.google.com", "the authserv-id Gmail stamps on the mail it receives"},
}

// AuthservID is the authserv-id of the Authentication-Results header
// (--format authres) predicted for the receiver with the given ID, and what
// it rests on, for the header's comment. A receiver without a known one
// gets its first mailbox domain, labelled as assumed; one without mailboxes
// (the RFC profile) a placeholder under .invalid.
func AuthservID(id string) (authserv, basis string) {
	if a, ok := knownAuthserv[id]; ok {
		return a[0], a[1]
	}
	if r, ok := receiver.ByID(id); ok && len(r.Mailboxes) > 0 {
		return r.Mailboxes[0], fmt.Sprintf("assumed: %s documents no authserv-id, its mailbox domain stands in", r.Name)
	}
	return "receiver.invalid", "a placeholder: this receiver profile has no host of its own"
}
