package report

// zhGuidance: the receivers' guidance (guidance.go).
var zhGuidance = map[string]string{
	"QQ Mail: what QQ asks of senders": "QQ 邮箱发信建议",
	" [%s, confidence %s]":             "［%s，置信度：%s］",
	" [%s, confidence %s; source: %s]": "［%s，置信度：%s；来源：%s］",
	"QQ rejects mail whose MAIL FROM domain fails SPF on its own, whatever the DMARC policy says: authorise the sending IP in the SPF record of %s first.":                                                         "只要 MAIL FROM 域的 SPF 验证失败，QQ 就会直接退信，与 DMARC 策略无关：请先在 %s 的 SPF 记录中授权发信 IP。",
	"Check SPF, DKIM and DMARC alignment as listed above: QQ applies %s's DMARC policy, and one identifier that passes and is aligned with %s is enough.":                                                          "请按上文逐项核对 SPF、DKIM 与 DMARC 对齐：QQ 会执行 %s 的 DMARC 策略，只要有一个标识验证通过且与 %s 对齐即可。",
	"Under p=quarantine QQ accepts the message and then files it as spam or intercepts it without a bounce; the recipient finds it under 自助查询 → 收件查询 → 被系统拦截.":                                                     "在 p=quarantine 下，QQ 会先接收邮件，再将其投入垃圾箱或直接拦截，不会退信；收件人可在“自助查询 → 收件查询 → 被系统拦截”中找到。",
	"QQ may keep using a cached SPF result for up to about 12 hours: after an SPF change, test again later before concluding that it did not work.":                                                                "QQ 可能会缓存 SPF 结果长达约 12 小时：修改 SPF 记录后，请过一段时间再测试，不要急于认定修改无效。",
	"Register the sending domain %s and the sending IPs with QQ's postmaster service, %s (log in with a QQ account; whitelisting asks for the company name on the business licence, a contact and an ICP number).": "在 QQ 邮箱的 postmaster 平台 %[2]s 登记发信域名 %[1]s 和发信 IP（用 QQ 号登录；申请白名单需提供营业执照上的公司名称、联系人和 ICP 备案号）。",
	" Register the Return-Path domain %s there too.":             "Return-Path 域 %s 也请一并登记。",
	" Third-party sources advise this; no Tencent page says so.": "（这是第三方资料的建议；没有找到腾讯官方页面的相应说明。）",
}
