package check

import (
	"fmt"
	"mime"
	"strings"
)

// bounceHint points to preflight bounce when the message is a bounce: a
// delivery status notification (RFC 3464: multipart/report;
// report-type=delivery-status), or a message from a mailer daemon whose
// subject says it could not be delivered. Its verdict would be about the
// reporting server's From, not the sender's mail.
func (c *run) bounceHint() {
	if c.msg == nil || !isBounce(c.msg) {
		return
	}
	path := c.msg.Path
	if path == "" || path == "-" {
		path = "FILE"
	}
	c.find(finding("message.is-bounce",
		"The message is a delivery status notification (a bounce), not a message you send: its From is the reporting server's, so its verdict is about the bounce itself.",
		fmt.Sprintf("Explain the bounce and re-check the message it returned with: preflight bounce %s", path)))
}

// undeliverable are words of the subjects bounces carry.
var undeliverable = []string{"undeliver", "delivery status notification", "returned mail", "delivery failure", "failure notice", "mail delivery failed", "退信", "系统退信"}

func isBounce(m *Message) bool {
	for _, ct := range m.Get("Content-Type") {
		mt, params, err := mime.ParseMediaType(ct)
		if err == nil && mt == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
			return true
		}
	}
	a := FromAuthor(m)
	local, _, _ := strings.Cut(strings.ToLower(a.Address), "@")
	if local != "mailer-daemon" && local != "postmaster" {
		return false
	}
	for _, s := range m.Get("Subject") {
		s = strings.ToLower(decodeHeader(s))
		for _, w := range undeliverable {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}
