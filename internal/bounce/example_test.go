package bounce_test

import (
	"fmt"
	"strings"

	"preflight/internal/bounce"
)

// A Postfix log line for a QQ recipient: the reply is explained, and the
// relay's invented "dsn=5.0.0" is not taken for QQ's own code.
func ExampleAnalyze() {
	line := `Jan 15 12:00:07 mail postfix/smtp[21044]: 4Q1x: to=<li.wei@qq.com>, relay=mx3.qq.com[203.0.113.40]:25, ` +
		`dsn=5.0.0, status=bounced (host mx3.qq.com[203.0.113.40] said: 550 DMARC check failed. ` +
		`http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16. (in reply to end of DATA command))`
	a, err := bounce.Analyze(strings.NewReader(line))
	if err != nil {
		fmt.Println(err)
		return
	}
	d := a.Diagnoses[0]
	fmt.Printf("%s %s %q %s retry=%v enhanced=%q\n", d.Recipient, d.Receiver, d.Reason, d.Category, d.Retry, d.Enhanced)
	fmt.Println(d.NeedsRecheck())
	// Output:
	// li.wei@qq.com qq "DMARC check failed" authentication retry=false enhanced=""
	// true
}

// Input that holds no bounce is refused with ErrNotBounce.
func ExampleParse_notABounce() {
	_, err := bounce.Parse(strings.NewReader("Lunch at noon?"))
	fmt.Println(err)
	// Output:
	// bounce: input is not a bounce: no SMTP reply found (expected a DSN, an MTA log line, or a reply such as "550 …")
}
