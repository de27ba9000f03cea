package bounce

import (
	"regexp"
	"strings"

	"preflight/internal/receiver"
)

// Receiver IDs: those of the receiver registry (internal/receiver), which
// also holds their display names, mailbox domains and MX host suffixes.
const (
	ReceiverUnknown   = ""
	ReceiverQQ        = receiver.IDQQ
	ReceiverGmail     = receiver.IDGmail
	ReceiverYahoo     = receiver.IDYahoo
	ReceiverMicrosoft = receiver.IDMicrosoft
	ReceiverApple     = receiver.IDApple
	ReceiverMailRu    = receiver.IDMailRu
	ReceiverNetEase   = receiver.IDNetEase
	ReceiverOrange    = receiver.IDOrange
	ReceiverComcast   = receiver.IDComcast
	ReceiverZoho      = receiver.IDZoho
	ReceiverGMX       = receiver.IDGMX
	ReceiverYandex    = receiver.IDYandex
)

// textMarkers recognise a receiver from its reply text: help URLs, host
// tags and private code words (receivers.md a.2, a.3, b, b.1).
var textMarkers = []struct {
	re       *regexp.Regexp
	receiver string
}{
	// QQ's "[<token> IP: <ip>]" block is case-sensitive and bracketed; a
	// bare "ip: [...]" (Gmail's SPF text) is not it.
	{regexp.MustCompile(`(?i)service\.(?:ex)?mail\.qq\.com|open\.work\.weixin\.qq\.com`), ReceiverQQ},
	{qqBlockRE, ReceiverQQ},
	{regexp.MustCompile(`(?i)\bgsmtp\b|support\.google\.com/mail|\bGmail requires\b|Gmail users|` +
		`unauthenticated email from \S+ is not accepted due to|isn't aligned with either the authenticated SPF or DKIM|` +
		`sending domain doesn't have a DMARC record|has an SPF record with a hard fail policy`), ReceiverGmail},
	{regexp.MustCompile(`(?i)prod\.outlook\.com|go\.microsoft\.com|\b5\.7\.(?:509|515)\b|` +
		`does not pass DMARC verification and has a DMARC policy|doesn't meet the required authentication level`), ReceiverMicrosoft},
	{regexp.MustCompile(`(?i)yahooinc\.com|verizonmedia\.com|yahoo-help\.jp|\bYahoo requires\b|\[TS[0-9]{2}\]`), ReceiverYahoo},
	{regexp.MustCompile(`(?i)support\.apple\.com|\[HME1\]|\bicloud\b`), ReceiverApple},
	{regexp.MustCompile(`(?i)help\.mail\.ru|owner DMARC policy \(RFC 7489\)`), ReceiverMailRu},
	{regexp.MustCompile(`\b(?:MI|DT|HL|RP|RL|SL|RQ|QT|MF):[A-Z]{3}\b|mail\.163\.com|qiye\.163\.com`), ReceiverNetEase},
	{regexp.MustCompile(`(?i)\b(?:LPN|OFR|OFU)[0-9]{3}_[0-9]{3}\b|DMARC verification Failed|verification DMARC en echec`), ReceiverOrange},
	{regexp.MustCompile(`(?i)comcast`), ReceiverComcast},
	{regexp.MustCompile(`(?i)Email rejected per DMARC policy for`), ReceiverZoho},
	{regexp.MustCompile(`(?i)postmaster\.(?:gmx|web)\.|\bmxgmx|\bNemesis ESMTP\b`), ReceiverGMX},
	{regexp.MustCompile(`(?i)\bya\.cc/`), ReceiverYandex},
}

// qqPhraseRE are QQ reason phrases distinctive enough to name QQ when a reply
// without an enhanced code starts with one (receivers.md a.2).
var qqPhraseRE = regexp.MustCompile(`(?i)^(?:mail is rejected by recipients|mailbox unavailable or access denied|mail content denied|(?:sender|ip|domain|connection) frequency limited|suspected spam (?:sender|ip)|suspected bounce attacks|spam is embedded in the email|frequency of receiving messages is limited|dmarc check failed|spf check failed)\b`)

// recognition is which receiver answered and why we think so.
type recognition struct {
	receiver string
	name     string
	evidence string
	strong   bool // from the remote MTA or the reply text, not the recipient domain
}

// recognise names the receiver from the remote MTA host, then the reply
// text, then (weakly) the recipient's domain.
func recognise(host string, r Reply, recipient string) recognition {
	rc := recognition{}
	if id := receiverForHost(host); id != "" {
		rc = recognition{receiver: id, evidence: "remote MTA " + host, strong: true}
	} else if id := receiverForText(r); id != "" {
		rc = recognition{receiver: id, evidence: "reply text", strong: true}
	} else if known, ok := receiver.ForMailbox(domainOf(recipient)); ok {
		rc = recognition{receiver: known.ID, evidence: "recipient domain " + domainOf(recipient)}
	}
	if known, ok := receiver.ByID(rc.receiver); ok {
		rc.name = known.Name
		if known.Hosted != "" && isExmail(host, r) {
			rc.name = known.Hosted
		}
	}
	return rc
}

// receiverForHost returns the ID of the receiver whose MX hosts the name
// belongs to, "" for none.
func receiverForHost(host string) string {
	known, _ := receiver.ForHost(host)
	return known.ID
}

func receiverForText(r Reply) string {
	text := r.Raw
	for _, m := range textMarkers {
		if m.re.MatchString(text) {
			return m.receiver
		}
	}
	if r.Enhanced == "" && qqPhraseRE.MatchString(r.Text) {
		return ReceiverQQ
	}
	return ""
}

// isExmail reports whether a Tencent reply came from Exmail / WeCom mail:
// its MX hosts (mxbiz*.qq.com) or its help site (receivers.md a.2, a.3).
func isExmail(host string, r Reply) bool {
	h := strings.ToLower(host)
	return strings.HasPrefix(h, "mxbiz") || strings.Contains(h, "exmail") ||
		strings.Contains(strings.ToLower(r.URL), "open.work.weixin.qq.com")
}

func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(strings.Trim(addr[i+1:], "<> ")), ".")
}
