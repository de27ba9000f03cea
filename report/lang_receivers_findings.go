package report

// The English and Chinese texts of the findings about several authors,
// domains that do not exist and bulk senders (check --bulk). They join
// enFindings and zhFindings when the package initialises, so the
// catalogue's completeness tests cover them like the rest; the Meaning
// column of FINDINGS.md repeats the English word for word.

var enReceiverFindings = map[string]FindingText{
	"message.from-multiple": {
		Meaning: "The From header holds several addresses. RFC 7489 §6.6.1: every author domain is evaluated and the message passes DMARC only if all pass; some receivers (Gmail) refuse such mail outright.",
		Fix:     "Send with one address in From; put the others in Sender or Reply-To.",
	},
	"message.domain-not-found": {
		Meaning: "The From domain does not exist (NXDOMAIN). QQ Mail (\"550 Domain may not exist or DNS check failed\") and Yahoo refuse such mail.",
		Fix:     "Send from a domain that exists in DNS, with the SPF, DKIM and DMARC records it sends with.",
	},
	"envelope.domain-not-found": {
		Meaning: "The MAIL FROM (Return-Path) domain does not exist (NXDOMAIN): bounces cannot reach it, and QQ Mail and Yahoo refuse such mail.",
		Fix:     "Use a Return-Path at a domain that exists; with an ESP, publish the records it asks for at the bounce domain.",
	},
	"bulk.spf-fail": {
		Meaning: "Bulk senders must pass SPF (Gmail 5.7.27, Outlook.com 5.7.515, Yahoo, iCloud), aligned or not; SPF does not pass for the MAIL FROM domain.",
		Fix:     "Authorise the sending IP (or the ESP's include:) in the SPF record of the MAIL FROM domain.",
	},
	"bulk.dkim-fail": {
		Meaning: "Bulk senders must pass DKIM (Gmail 5.7.30, Outlook.com 5.7.515, Yahoo, iCloud); no DKIM signature passes as the receiver counts it.",
		Fix:     "Sign every message with DKIM, with a 2048-bit RSA key (d= the From domain makes DMARC align too).",
	},
	"bulk.no-dmarc-record": {
		Meaning: "Bulk senders must publish a DMARC record with a policy, `p=none` being enough (Gmail 5.7.40, Outlook.com 5.7.515, Yahoo, iCloud); the From domain has none usable.",
		Fix:     "Publish a DMARC record at _dmarc of the From domain (or its organizational domain), starting with p=none and rua=.",
	},
	"bulk.not-aligned": {
		Meaning: "Bulk senders' From domain must be aligned with the SPF or DKIM domain that passed, whatever the DMARC policy (Gmail 5.7.32, Outlook.com 5.7.515).",
		Fix:     "Sign with DKIM d= the From domain, or send with a Return-Path under it whose SPF authorises the sending IP.",
	},
	"bulk.dmarc-fail": {
		Meaning: "Yahoo asks bulk senders for a DMARC pass, whatever the policy.",
		Fix:     "Make DMARC pass: a DMARC record, and SPF or DKIM passing in alignment with the From domain.",
	},
	"bulk.no-list-unsubscribe": {
		Meaning: "Bulk (marketing) mail must carry a List-Unsubscribe header; Yahoo accepts `mailto:`.",
		Fix:     "Add List-Unsubscribe: <https://…>, <mailto:…> to the template.",
	},
	"bulk.no-one-click": {
		Meaning: "No RFC 8058 one-click unsubscribe: an `https:` List-Unsubscribe URI, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, both covered by a passing DKIM signature. Gmail requires it (without rejecting for it); Yahoo recommends it.",
		Fix:     "Add an https: List-Unsubscribe URI and List-Unsubscribe-Post: List-Unsubscribe=One-Click, both signed by DKIM.",
	},
	"bulk.no-fcrdns": {
		Meaning: "The sending IP has no forward-confirmed reverse DNS (a PTR record whose name resolves back to the IP): Gmail 5.7.25; Yahoo, Outlook.com and iCloud require valid reverse DNS.",
		Fix:     "Have the owner of the IP (usually the ESP) publish a PTR record naming a host whose A or AAAA record is the IP.",
	},
	"bulk.fcrdns-temperror": {
		Meaning: "The reverse DNS of the sending IP could not be checked (a temporary DNS failure): the requirement is unknown, not failed.",
	},
}

var zhReceiverFindings = map[string]FindingText{
	"message.from-multiple": {
		Title:   "From 含有多个地址：每个作者域都必须通过 DMARC",
		Meaning: "From 头部含有多个地址。RFC 7489 §6.6.1：对每个作者域分别评估，只有全部通过，邮件才算通过 DMARC；有的收信方（Gmail）直接拒收此类邮件。",
		Fix:     "From 中只放一个地址，其他地址放在 Sender 或 Reply-To 中。",
	},
	"message.domain-not-found": {
		Title:   "发件域不存在（NXDOMAIN）",
		Meaning: "From 的域名不存在（NXDOMAIN）。QQ 邮箱（“550 Domain may not exist or DNS check failed”）和 Yahoo 会拒收此类邮件。",
		Fix:     "使用在 DNS 中存在的域名发信，并为其发布发信所需的 SPF、DKIM 和 DMARC 记录。",
	},
	"envelope.domain-not-found": {
		Title:   "MAIL FROM 域不存在（NXDOMAIN）",
		Meaning: "MAIL FROM（Return-Path）的域名不存在（NXDOMAIN）：退信无法送达，QQ 邮箱和 Yahoo 会拒收此类邮件。",
		Fix:     "使用存在的域名作为 Return-Path；如通过 ESP 发信，请在退信域名下发布 ESP 要求的记录。",
	},
	"bulk.spf-fail": {
		Title:   "批量发件人：SPF 未通过",
		Meaning: "批量发件人必须通过 SPF（Gmail 5.7.27、Outlook.com 5.7.515、Yahoo、iCloud），无论是否对齐；MAIL FROM 域的 SPF 未通过。",
		Fix:     "在 MAIL FROM 域的 SPF 记录中授权发信 IP（或 ESP 的 include:）。",
	},
	"bulk.dkim-fail": {
		Title:   "批量发件人：没有通过的 DKIM 签名",
		Meaning: "批量发件人必须通过 DKIM（Gmail 5.7.30、Outlook.com 5.7.515、Yahoo、iCloud）；按收信方的认定，没有任何 DKIM 签名通过。",
		Fix:     "用 2048 位 RSA 密钥为每封邮件做 DKIM 签名（d= 为发件域时 DMARC 也能对齐）。",
	},
	"bulk.no-dmarc-record": {
		Title:   "批量发件人：没有 DMARC 记录",
		Meaning: "批量发件人必须发布带策略的 DMARC 记录，`p=none` 即可（Gmail 5.7.40、Outlook.com 5.7.515、Yahoo、iCloud）；发件域没有可用的记录。",
		Fix:     "在发件域（或其组织域）的 _dmarc 下发布 DMARC 记录，从 p=none 和 rua= 开始。",
	},
	"bulk.not-aligned": {
		Title:   "批量发件人：From 既未与 SPF 对齐，也未与 DKIM 对齐",
		Meaning: "无论 DMARC 策略如何，批量发件人的发件域都必须与验证通过的 SPF 或 DKIM 域对齐（Gmail 5.7.32、Outlook.com 5.7.515）。",
		Fix:     "用发件域作为 d= 进行 DKIM 签名，或使用发件域下、SPF 授权发信 IP 的 Return-Path。",
	},
	"bulk.dmarc-fail": {
		Title:   "批量发件人：DMARC 未通过",
		Meaning: "无论策略如何，Yahoo 都要求批量发件人通过 DMARC。",
		Fix:     "让 DMARC 通过：发布 DMARC 记录，并让 SPF 或 DKIM 在与发件域对齐的情况下通过。",
	},
	"bulk.no-list-unsubscribe": {
		Title:   "批量邮件没有 List-Unsubscribe",
		Meaning: "批量（营销）邮件必须带有 List-Unsubscribe 头部；Yahoo 接受 `mailto:`。",
		Fix:     "在模板中加入 List-Unsubscribe: <https://…>, <mailto:…>。",
	},
	"bulk.no-one-click": {
		Title:   "没有 RFC 8058 一键退订",
		Meaning: "没有 RFC 8058 一键退订：需要 `https:` 的 List-Unsubscribe 地址和 `List-Unsubscribe-Post: List-Unsubscribe=One-Click`，且两者都由通过的 DKIM 签名覆盖。Gmail 要求（但不因此拒收）；Yahoo 建议。",
		Fix:     "加入 https: 的 List-Unsubscribe 地址和 List-Unsubscribe-Post: List-Unsubscribe=One-Click，并让 DKIM 签名覆盖这两个头部。",
	},
	"bulk.no-fcrdns": {
		Title:   "发信 IP 没有正反向一致的反向解析",
		Meaning: "发信 IP 没有正反向一致的反向解析（PTR 记录指向的主机名要能解析回该 IP）：Gmail 5.7.25；Yahoo、Outlook.com 和 iCloud 都要求有效的反向解析。",
		Fix:     "请 IP 的所有者（通常是 ESP）发布 PTR 记录，指向一个 A 或 AAAA 记录就是该 IP 的主机名。",
	},
	"bulk.fcrdns-temperror": {
		Title:   "无法检查发信 IP 的反向解析",
		Meaning: "无法检查发信 IP 的反向解析（DNS 临时故障）：该要求是否满足未知，而不是未满足。",
	},
}

func init() {
	for id, t := range enReceiverFindings {
		enFindings[id] = t
	}
	for id, t := range zhReceiverFindings {
		zhFindings[id] = t
	}
}
