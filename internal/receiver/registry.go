package receiver

import "strings"

// Receiver IDs: the --receiver value of a profile, and the receiver named by
// a bounce diagnosis. Receivers without a profile are known to the bounce
// classifier only.
const (
	IDQQ        = "qq"
	IDRFC       = "rfc"
	IDGmail     = "gmail"
	IDYahoo     = "yahoo"
	IDMicrosoft = "microsoft"
	// IDMicrosoft365 is an Exchange Online tenant (company domains): it has
	// a profile, but no mailbox domains and no MX suffix of its own (its
	// MX hosts are under outlook.com, which a bounce names IDMicrosoft).
	IDMicrosoft365 = "microsoft365"
	IDApple        = "apple"
	IDMailRu       = "mailru"
	IDNetEase      = "netease"
	IDOrange       = "orange"
	IDComcast      = "comcast"
	IDZoho         = "zoho"
	IDGMX          = "gmx"
	IDYandex       = "yandex"
)

// Receiver is one mailbox provider as preflight knows it: how to name it, and
// how to recognise it from a recipient's domain or from the MX host that
// answered. It is the one place these facts live; check, bounce and the
// reports all take them from here.
type Receiver struct {
	ID string
	// Name is the display name, written in sentences ("QQ Mail would
	// reject this message").
	Name string
	// Hosted names the receiver's service for companies' own domains when
	// a bounce can tell it apart from the consumer service (Tencent
	// Exmail / WeCom mail behind mxbiz*.qq.com); "" when there is none.
	Hosted string
	// Mailboxes are the consumer mailbox domains it serves (qq.com,
	// foxmail.com). A hosted company domain is not recognisable this way.
	Mailboxes []string
	// MXSuffixes are host name suffixes of its inbound MX hosts: a host
	// equal to one, or ending in "." and one, belongs to the receiver.
	MXSuffixes []string
	// Profile predicts the receiver's answer; nil when preflight knows
	// only its replies (the bounce classifier still names it).
	Profile *Profile
}

// registry lists every known receiver, the profiles first in the order
// --receiver lists them. The facts come from the receiver research notes
// (QQ's MX hosts, the other receivers' tables).
var registry = []Receiver{
	{ID: IDQQ, Name: "QQ Mail", Hosted: "Tencent Exmail / WeCom mail", Profile: QQ,
		Mailboxes: []string{"qq.com", "vip.qq.com", "foxmail.com"}, MXSuffixes: []string{"qq.com"}},
	{ID: IDRFC, Name: "An RFC 7489 receiver", Profile: RFC},
	{ID: IDGmail, Name: "Gmail", Profile: Gmail,
		Mailboxes: []string{"gmail.com", "googlemail.com"}, MXSuffixes: []string{"google.com", "googlemail.com"}},
	{ID: IDYahoo, Name: "Yahoo / AOL", Profile: Yahoo,
		Mailboxes:  []string{"yahoo.com", "yahoo.co.jp", "aol.com", "verizon.net", "ymail.com"},
		MXSuffixes: []string{"yahoodns.net", "yahoo.com", "yahoo.co.jp", "aol.com"}},
	{ID: IDMicrosoft, Name: "Outlook.com", Hosted: "Microsoft 365 / Exchange Online", Profile: Microsoft,
		Mailboxes: []string{"outlook.com", "hotmail.com", "live.com", "msn.com"}, MXSuffixes: []string{"outlook.com", "hotmail.com"}},
	{ID: IDMicrosoft365, Name: "Microsoft 365 (tenant defaults)", Profile: Microsoft365},
	{ID: IDApple, Name: "Apple iCloud Mail", Profile: Apple,
		Mailboxes: []string{"icloud.com", "me.com", "mac.com"}, MXSuffixes: []string{"icloud.com", "me.com"}},
	{ID: IDNetEase, Name: "NetEase (163.com / 126.com)", Profile: NetEase,
		Mailboxes: []string{"163.com", "126.com", "yeah.net"}, MXSuffixes: []string{"163.com", "126.com", "netease.com", "yeah.net"}},
	{ID: IDMailRu, Name: "Mail.ru", Profile: MailRu,
		Mailboxes: []string{"mail.ru", "bk.ru", "list.ru", "inbox.ru"}, MXSuffixes: []string{"mail.ru"}},
	{ID: IDYandex, Name: "Yandex", Profile: Yandex,
		Mailboxes: []string{"yandex.ru", "yandex.com", "ya.ru"}, MXSuffixes: []string{"yandex.net", "yandex.ru"}},
	{ID: IDOrange, Name: "Orange",
		Mailboxes: []string{"orange.fr", "wanadoo.fr"}, MXSuffixes: []string{"orange.fr", "wanadoo.fr"}},
	{ID: IDComcast, Name: "Comcast",
		Mailboxes: []string{"comcast.net"}, MXSuffixes: []string{"comcast.net"}},
	{ID: IDZoho, Name: "Zoho Mail",
		Mailboxes: []string{"zoho.com"}, MXSuffixes: []string{"zoho.com", "zohomail.com"}},
	{ID: IDGMX, Name: "GMX / web.de",
		Mailboxes: []string{"gmx.net", "gmx.de", "gmx.com", "web.de"}, MXSuffixes: []string{"gmx.net", "web.de"}},
}

// Receivers returns every known receiver (a copy), profiles first.
func Receivers() []Receiver {
	return append([]Receiver(nil), registry...)
}

// ByID returns the receiver with the given ID (case-insensitive).
func ByID(id string) (Receiver, bool) {
	for _, r := range registry {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	return Receiver{}, false
}

// DisplayName is the receiver's display name: its ID when preflight does not
// know it, "The receiver" when there is none.
func DisplayName(id string) string {
	if r, ok := ByID(id); ok {
		return r.Name
	}
	if id == "" {
		return "The receiver"
	}
	return id
}

// ForMailbox returns the receiver serving a mailbox domain ("qq.com"), or
// false. It is weak evidence: a company's own domain hosted by the receiver
// is not recognised.
func ForMailbox(domain string) (Receiver, bool) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	for _, r := range registry {
		for _, m := range r.Mailboxes {
			if d == m {
				return r, true
			}
		}
	}
	return Receiver{}, false
}

// ForHost returns the receiver an MX host name belongs to ("mx3.qq.com"), or
// false. An IP literal or an unknown host belongs to none.
func ForHost(host string) (Receiver, bool) {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if h == "" {
		return Receiver{}, false
	}
	for _, r := range registry {
		for _, s := range r.MXSuffixes {
			if h == s || strings.HasSuffix(h, "."+s) {
				return r, true
			}
		}
	}
	return Receiver{}, false
}

// DisplayName is the display name of the profile's receiver.
func (p *Profile) DisplayName() string { return DisplayName(p.Name) }
