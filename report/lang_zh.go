package report

// The zh catalogue: interface strings of the text and HTML output. Keys are
// the English format strings the renderers pass to T (the x/text message
// convention); values are their Simplified Chinese, in the words a Chinese
// deliverability engineer uses (发件域、退信、对齐、组织域、DKIM 签名、SPF
// 记录、DMARC 策略). RFC result words, tags and records stay as they are.
// A test lists every key of the code that has no entry here.
var zhUI = map[string]string{
	// The verdict line.
	"! %s: cannot be checked: %s":                                                                     "! %s：无法检查：%s",
	"✗ %s would reject %.0f%% of such messages: %s":                                                   "✗ %[1]s会拒收约 %.0[2]f%% 的此类邮件：%[3]s",
	"✗ %s would reject this message: %s":                                                              "✗ %s将拒收此邮件：%s",
	"⚠ %s would accept this message but deliver it to spam (DMARC quarantine)":                        "⚠ %s会接收此邮件，但会投入垃圾邮件（DMARC quarantine）",
	"? %s: no verdict — a temporary DNS failure; the receiver would defer (4xx) or decide without it": "? %s：无法判定——DNS 临时故障；收信方会延迟投递（4xx），或在没有该结果的情况下自行判断",
	"? %s: no verdict — %s":                                                                           "? %s：无法判定——%s",
	"✓ %s would accept this message: DMARC passes":                                                    "✓ %s会接收此邮件：DMARC 验证通过",
	"✓ %s would accept this message as far as authentication goes (DMARC %s)":                         "✓ 就身份认证而言，%s会接收此邮件（DMARC %s）",
	"plan": "发信计划",

	// The facts.
	"message: %s%s": "邮件：%s%s",
	"From:":         "发件人：",
	"Verdict:":      "结论：",
	"(%s discovery would find %s at _dmarc.%s, %s)":                                "（按 %[1]s 发现方式，会在 _dmarc.%[3]s 找到 %[2]s，%[4]s）",
	"organizational domain %s":                                                     "组织域为 %s",
	"organizational domain could not be determined":                                "组织域无法确定",
	"(%s discovery could not be determined: a temporary DNS failure at _dmarc.%s)": "（按 %s 发现方式无法确定：_dmarc.%s 出现 DNS 临时故障）",
	"no record":                            "无记录",
	"%s under %s=%s — record at _dmarc.%s": "%s，适用 %s=%s —— 记录位于 _dmarc.%s",
	", organizational domain %s":           "，组织域 %s",
	"%s — no DMARC record":                 "%s —— 没有 DMARC 记录",
	"not evaluated — %s":                   "未评估 —— %s",
	"%s for %s":                            "%s，检查域 %s",
	"assumed: no sending IP given":         "假定通过：未给出发信 IP",
	" from %s":                             "，发信 IP %s",
	"the worst of %d sending IPs":          "取 %d 个发信 IP 中最差的结果",
	"matched %s":                           "命中 %s",
	"%d of 10 DNS lookups":                 "已用 %d/10 次 DNS 查询",
	": %s":                                 "：%s",
	"%s bits":                              "%s 位",
	"%s d=%s s=%s":                         "%s，d=%s s=%s",
	"ASSUMED: body not returned":           "假定：退信未附正文",
	"headers only":                         "仅头部",
	"ASSUMED: the ESP will sign":           "假定：将由 ESP 签名",
	"simulated with --dkim-key":            "已用 --dkim-key 模拟签名",
	"none — the message carries no DKIM signature":                                                    "无 —— 邮件没有 DKIM 签名",
	"none — there is no message (plan only); --expect-dkim D:S checks the key the ESP will sign with": "无 —— 没有邮件（仅检查计划）；--expect-dkim 域名:选择器 可检查 ESP 将用来签名的密钥",
	"not counted by the receiver: %s":                                                                 "收信方不计入：%s",
	"cause: %s":                                                                                       "原因：%s",

	// Fixes, findings, assumptions.
	"Fix — any one of these is enough:": "修复方案（任选其一即可）：",
	"Fix:":                              "修复方案：",
	"Problems:":                         "问题：",
	"Warnings:":                         "警告：",
	"Notes:":                            "提示：",
	"Meaning: %s":                       "含义：%s",
	"How to fix: %s":                    "修复：%s",
	"English original:":                 "英文原文：",
	"English original: %s":              "英文原文：%s",
	"Assumptions:":                      "假设：",
	"Receiver rules applied:":           "适用的收信方规则：",
	"- %s [%s, %s confidence] %s":       "- %s［%s，置信度：%s］%s",

	// The DNS line.
	"DNS: %d queries":                    "DNS：%d 次查询",
	" (%d lookups, the rest from cache)": "（共查找 %d 次，其余来自缓存）",
	" (%d lookups, all from cache)":      "（共查找 %d 次，全部来自缓存）",
	"paste the bounce (a DSN, a log line or the SMTP reply), then press Ctrl-D on an empty line":                                                                        "请粘贴退信（DSN、日志行或 SMTP 回复），然后在空行上按 Ctrl-D",
	"paste the message (headers, a blank line, the body), then press Ctrl-D on an empty line":                                                                           "请粘贴邮件（邮件头、一个空行、正文），然后在空行上按 Ctrl-D",
	"publish this record (it matches the private key):":                                                                                                                 "请发布这条记录（它与私钥匹配）：",
	"(split into %d quoted strings of at most 255 bytes: one TXT string holds no more; receivers join them without spaces)":                                             "（已拆成 %d 个带引号的字符串，每个不超过 255 字节：单个 TXT 字符串最多只能这么长；收信方会把它们无空格地拼接起来）",
	"%s does not exist (NXDOMAIN): it has no SPF record, and a receiver refuses mail from a domain that does not exist":                                                 "%s 不存在（NXDOMAIN）：它没有 SPF 记录，收信方也会拒收来自不存在的域的邮件",
	"%s is an address: checked the SPF policy of its domain, %s, with the address as the sender":                                                                        "%s 是邮件地址：已检查其域名 %s 的 SPF 策略，并以该地址作为发件人",
	"the run took longer than --deadline %s: what was unanswered by then is a temporary failure; raise --deadline, or ask a faster server with --resolver":              "运行时间超过了 --deadline %s：到时仍未得到回答的查询按临时故障处理；请调大 --deadline，或用 --resolver 换一台更快的服务器",
	"%d DNS question(s) got no answer within --timeout %s from any server (each asked twice over every server); raise --timeout, or ask another server with --resolver": "%d 个 DNS 查询在 --timeout %s 内没有得到任何服务器的回答（每个查询对每台服务器各问两轮）；请调大 --timeout，或用 --resolver 换一台服务器",
	"temporary DNS failure: %s": "DNS 临时故障：%s",
	"DNS: 1 query":              "DNS：1 次查询",
	", %d ms":                   "，%d ms",
	", %d temporary failure(s)": "，%d 次临时故障",
	" · confidence: %s":         " · 置信度：%s",
	" (cached)":                 "（缓存）",

	// The verdict summary, written from the model in Chinese (summaryIn).
	"%s would reject on SPF alone: SPF fails for the MAIL FROM domain (DMARC %s)": "仅凭 SPF 一项，%s就会退信：MAIL FROM 域的 SPF 验证失败（DMARC %s）",
	"DMARC passes for %s: %s applies no DMARC action":                             "%s 的 DMARC 验证通过：%s不会执行 DMARC 处置",
	"no DMARC record":                                                      "没有 DMARC 记录",
	"several DMARC records: no policy":                                     "有多条 DMARC 记录：不适用任何策略",
	"the record has no usable p=":                                          "记录没有可用的 p=",
	"DMARC does not apply to %s (%s): no DMARC action":                     "DMARC 不适用于 %s（%s）：不执行 DMARC 处置",
	"the DMARC record of %s is broken, so no DMARC policy applies":         "%s 的 DMARC 记录有误，因此不适用任何 DMARC 策略",
	"a temporary DNS failure leaves the DMARC result unknown":              "DNS 临时故障，DMARC 结果未知",
	"DMARC fails for %s and %s=%s applies":                                 "%s 的 DMARC 验证未通过，适用 %s=%s",
	"DMARC fails for %s and %s= applies (t=y: treated as %s)":              "%s 的 DMARC 验证未通过，适用 %s= 标签的策略（t=y 测试模式：按 %s 处理）",
	": %s would reject it":                                                 "：%s会拒收",
	": %s would accept it, then junk it":                                   "：%s会接收，随后投入垃圾邮件",
	": no DMARC action at %s":                                              "：%s不执行 DMARC 处置",
	": %s's action is %s":                                                  "：%s的处置为%s",
	" (probability %.0f%%, pct=%d)":                                        "（概率 %.0f%%，pct=%d）",
	"Alignment of %s with each authenticated identifier":                   "%s 与各个已认证标识的对齐情况",
	"No SPF domain and no DKIM signature to compare with the From domain.": "没有可与发件域比较的 SPF 域，也没有 DKIM 签名。",
}

// zhBounceUI: the interface strings of `preflight bounce`.
var zhBounceUI = map[string]string{
	"no retry":                            "重试无效",
	"retry can help":                      "重试可能有效",
	"; re-check: %s":                      "；复查：%s",
	"unknown":                             "未知",
	"%s, %d recipient(s)":                 "%s，%d 个收件人",
	"%s — %s: %s":                         "%s — %s：%s",
	"arrived":                             "到达时间",
	"sender":                              "发件人",
	"%s (from %s)":                        "%s（取自 %s）",
	"unknown receiver":                    "未知收信方",
	"retrying will not help":              "重试无效",
	"a retry can help":                    "重试可能有效",
	"category":                            "类别",
	"%s · %s · confidence %s":             "%s · %s · 置信度：%s",
	"reply":                               "回复",
	" (in reply to %s)":                   "（回复于 %s 阶段）",
	"remote":                              "对端",
	"client IP":                           "客户端 IP",
	"%s (as the receiver saw the sender)": "%s（收信方看到的发信 IP）",
	"meaning":                             "含义",
	"action":                              "处理建议",
	"help":                                "帮助",
	"returned":                            "退回内容",
	"the original message":                "原始邮件",
	"the original headers only (a DKIM body hash cannot be checked)": "仅原始邮件头（无法检查 DKIM 正文哈希）",
	"the original headers only":                                      "仅原始邮件头",
	"note":                                                           "备注",
	"receiver":                                                       "收信方",
	"recognised from the %s":                                         "根据%s识别",
	"rule":                                                           "规则",
	"status":                                                         "状态",
	"re-check":                                                       "复查",
	":":                                                              "：",
	"Delivery status notification":                                   "投递状态通知（DSN）",
	"Bounce message (no delivery-status part)": "退信（没有投递状态部分）",
	"MTA log":                 "MTA 日志",
	"Delivery-status fields":  "投递状态字段",
	"ESP bounce event (JSON)": "ESP 退信事件（JSON）",
	"SMTP reply":              "SMTP 回复",
	"%s from %s":              "%s，来自 %s",
}

// zhWords translates the model's single words where the output shows them
// in a sentence: confidences, provenances, dispositions, bounce categories,
// re-check outcomes. The JSON keeps the words themselves.
var zhWords = map[string]string{
	"high": "高", "medium-high": "中高", "medium": "中", "low-medium": "中低", "low": "低",
	"documented": "有文档依据", "third-party": "第三方资料", "inferred": "推断",
	"accept": "接收", "quarantine": "隔离（投入垃圾邮件）", "reject": "拒收", "defer": "延迟投递", "unknown": "未知",
	"authentication": "身份认证", "recipient": "收件人", "content": "内容", "reputation": "信誉",
	"rate": "频率限制", "syntax": "语法",
	"still fails": "仍会失败", "now passes": "现在能通过", "not checked": "未复查",
	"return-path": "Return-Path 头", "flag": "命令行参数", "none": "无",
	"error": "错误", "warn": "警告", "info": "提示",
}

// zhResults glosses the RFC 8601 result words, which the text shows as
// they are ("fail（未通过）").
var zhResults = map[string]string{
	"pass": "通过", "fail": "未通过", "softfail": "软失败", "neutral": "中立", "none": "无结果",
	"temperror": "临时错误", "permerror": "永久错误", "policy": "策略不允许",
}

// zhReceivers names the receiver profiles in Chinese; a receiver without an
// entry keeps its English name.
var zhReceivers = map[string]string{
	"qq":        "QQ 邮箱",
	"rfc":       "遵循 RFC 7489 的收信方",
	"gmail":     "Gmail 邮箱",
	"yahoo":     "Yahoo 邮箱",
	"microsoft": "Outlook.com 邮箱",
	"":          "收信方",
}

// zhHTML: the HTML page's own strings (html.go, html/page.tmpl).
var zhHTML = map[string]string{
	"preflight report":                 "preflight 报告",
	"Summary":                          "汇总",
	"Message":                          "邮件",
	"Verdict":                          "结论",
	"Verdict by receiver":              "各收信方的结论",
	"Receiver":                         "收信方",
	"Reply":                            "回复",
	"Cannot be checked:":               "无法检查：",
	"Assumptions":                      "假设",
	"Alignment":                        "对齐情况",
	"What the receiver sees":           "收信方看到的内容",
	"at _dmarc.%s":                     "位于 _dmarc.%s",
	"policy %s":                        "策略 %s",
	"from":                             "发信 IP",
	"not evaluated":                    "未评估",
	" for %s":                          "，检查域 %s",
	"assumed":                          "假定",
	"(assumed)":                        "（假定）",
	"(simulated)":                      "（模拟）",
	"English original":                 "英文原文",
	"no signature":                     "没有签名",
	"Fix — any one of these is enough": "修复方案（任选其一即可）",
	"Findings":                         "检查发现",
	"How to fix:":                      "修复：",
	"From: %s":                         "发件域：%s",
	"does not pass (%s)":               "未通过（%s）",
	"passes but is not aligned with the From domain":        "通过，但与发件域未对齐",
	"passes and aligns, but the receiver does not count it": "通过且对齐，但收信方不计入",
	"passes and aligns": "通过且对齐",
	"no usable domain":  "不是可用的域名",
	"a public suffix":   "公共后缀",
	"org %s":            "组织域 %s",
}

// zhBounceHTML: the bounce page's own strings (html_bounce.go,
// html/bounce.tmpl).
var zhBounceHTML = map[string]string{
	"preflight bounce report": "preflight 退信报告",
	"Bounce: %s":              "退信：%s",
	"Recipient %d":            "收件人 %d",
	"unrecognised reply":      "无法识别的回复",
	"Category":                "类别",
	" · retrying can succeed": " · 重试可能成功",
	" · retrying the same message will not help": " · 原样重试无效",
	"Meaning":                          "含义",
	"What to do":                       "处理建议",
	"Receiver's help":                  "收信方帮助页面",
	"Remote MTA":                       "对端 MTA",
	"Sending IP":                       "发信 IP",
	"Confidence":                       "置信度",
	"Re-check against today's DNS: %s": "按当前 DNS 复查：%s",
}

// zhSummary: the closing tally of a text batch (summary.go).
var zhSummary = map[string]string{
	"Checked %d message(s): %d would be rejected, %d quarantined, %d accepted": "共检查 %d 封邮件：%d 封会被拒收，%d 封会被隔离，%d 封会被接收",
	", %d without a verdict": "，%d 封无法判定",
	" at %s (the first receiver; the table below shows every receiver)": "（按第一个收信方 %s 统计；下表列出每个收信方）",
	", %d not checked":                        "，%d 封未能检查",
	"Interrupted: %d message(s) not checked.": "已中断：%d 封邮件未检查。",
	"(same re-check as %s above)":             "（复查结果同上文 %s）",
	".":                                       "。",
	"rejected: %s":                            "拒收：%s",
	"quarantined: DMARC fails under %s":       "隔离：DMARC 未通过，适用 %s",
	"no verdict: %s":                          "无法判定：%s",
	"not checked: %s":                         "未能检查：%s",
}
