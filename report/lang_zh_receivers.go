package report

// The Chinese of the receiver matrix (matrix.go), of the receivers command
// (receivers.go) and of the sentences the multi-receiver pipeline writes.
// They join the catalogue's interface strings (zhSummary) and producers'
// sentences (zhProduced) when the package initialises, so the catalogue's
// tests cover them like the rest.

var zhMatrix = map[string]string{
	"(reply text not documented)":        "（回复文本没有公开）",
	"reply text not documented":          "回复文本没有公开",
	" — but %s %s: %s":                   " —— 但%s（%s）：%s",
	" (%s and %d more)":                  "（%s 等另外 %d 个）",
	"both receivers":                     "两个收信方",
	"all %d receivers":                   "全部 %d 个收信方",
	"%d of %d receivers":                 "%d 个收信方（共 %d 个）",
	"%d would deliver it to spam":        "%d 个会投入垃圾邮件",
	"%d without a verdict":               "%d 个无法判定",
	"✗ %s would reject this message%s%s": "✗ %s会拒收此邮件%s%s",
	"⚠ %s would accept this message but deliver it to spam%s%s": "⚠ %s会接收此邮件，但会投入垃圾邮件%s%s",
	"? %s: no verdict%s": "? %s：无法判定%s",
	"✓ all %d receivers would accept this message as far as authentication goes":                                    "✓ 就身份认证而言，全部 %d 个收信方都会接收此邮件",
	" — but %d of them (those that do not document it) would reject it if they took the first of its DMARC records": " —— 但其中 %d 个（没有公开说明的）若采用第一条 DMARC 记录就会拒收",
	"(reply text not documented) %s": "（回复文本没有公开）%s",
	" — or %s %s":                    " —— 或%s（%s）",
	" at %s (the first receiver; the table below shows every receiver)":                                      "（按第一个收信方 %s 统计；下表列出每个收信方）",
	"Verdicts by receiver (✓ accept, ⚠ spam, ✗ reject, ? no verdict, ! not checked, · not asked):":           "各收信方的结论（✓ 接收，⚠ 垃圾邮件，✗ 拒收，? 无法判定，! 未能检查，· 未询问）：",
	"  (* another outcome is possible: the receiver does not document the case, e.g. several DMARC records)": "  （* 也可能是另一种结果：收信方没有公开说明这种情况，例如存在多条 DMARC 记录）",
	"%s could not be re-checked (a temporary DNS failure)":                                                   "%s无法重新检查（DNS 临时故障）",
	"%s would accept it, but DMARC would still give %s":                                                      "%s会接收，但 DMARC 结果仍为 %s",
	"%s would still %s it":     "%s仍会%s",
	"%s would still answer %s": "%s仍会回复 %s",
	"(save the records above as %s%s; once they are published, run it without that --overlay)": "（把上面的记录存为 %s%s；记录正式发布后，去掉该 --overlay 再运行）",
	", the ESP's public key in place of the placeholder":                                       "，并用 ESP 提供的公钥替换占位符",
	"Changes proposed — none is proven enough alone:":                                          "建议的修改——经验证没有一项能单独解决：",
	"Enough for some receivers only:":                                                          "只对部分收信方足够：",
	"MAIL FROM (Return-Path): %s":                                                              "MAIL FROM（Return-Path）：%s",
	"Not enough alone:":                                                                        "单独不够：",
	"Not proven: %s.":                                                                          "未经验证：%s。",
	"Proven not enough: %s":                                                                    "经验证不够：%s",
	"Proven: with this change %s would accept the message (re-checked with the change applied).":                          "已验证：做了这项修改后，%s会接收此邮件（已在应用修改后重新检查）。",
	"Proven: with this change every receiver checked (%d) would accept the message (re-checked with the change applied).": "已验证：做了这项修改后，所检查的全部 %d 个收信方都会接收此邮件（已在应用修改后重新检查）。",
	"Verify:": "验证：",
	"message": "邮件",
}

var zhReceiverSentences = map[string]string{
	"if %s takes the first of the records (%q), as some DMARC libraries do, instead of applying no policy as RFC 7489 §6.6.3 says":                                  "如果%s像某些 DMARC 库那样采用第一条记录（%s），而不是按 RFC 7489 §6.6.3 不适用任何策略",
	"DMARC does not apply to %s (several DMARC records: no policy, as RFC 7489 says): no DMARC action — but %s does not document this case":                         "%s 不适用 DMARC（存在多条 DMARC 记录：按 RFC 7489 不适用任何策略）：不执行 DMARC 处理——但%s没有公开说明这种情况",
	"Rejected on SPF alone, even when DMARC does not ask for it, by %s.":                                                                                            "即使 DMARC 没有要求，以下收信方也会仅因 SPF 未通过而拒收：%s。",
	"None of the receivers checked rejects on SPF alone, but SPF cannot count for DMARC; QQ Mail and NetEase reject such mail even when DMARC does not ask for it.": "所检查的收信方都不会仅因 SPF 拒收，但 SPF 不能计入 DMARC；QQ 邮箱和网易邮箱即使在 DMARC 没有要求时也会拒收此类邮件。",
	"SPF fails for %s from %s (%s). %s": "%s 从 %s 发信时 SPF 验证未通过（%s）。%s",
	"Publish the record below: it adds %s (the ESP's include: works as well, if its SPF lists the IP).":                                                                      "发布下面的记录：它加入了 %s（如果 ESP 的 SPF 列出了该 IP，用 ESP 的 include: 也可以）。",
	"Under relaxed alignment (adkim=r) d=%s, or any domain under it, aligns as well.":                                                                                        "在宽松对齐（adkim=r）下，d=%s 或其下的任何域名同样能对齐。",
	"Have the ESP use a bounce address @%s and publish %s's SPF record as below; or relax the policy to aspf=r and use a custom Return-Path such as bounce.%s.":              "让 ESP 使用 @%s 的退信地址，并按下面发布 %s 的 SPF 记录；或把策略放宽为 aspf=r，并使用 bounce.%s 之类的自定义 Return-Path。",
	"SPF for %s gives %s: the IP is not authorised (some receivers refuse that on its own). %s is not under %s: if it is the ESP's domain, ask the ESP to authorise the IP.": "%s 的 SPF 结果为 %s：该 IP 未获授权（有的收信方仅凭这一点就会拒收）。%s 不在 %s 之下：如果它是 ESP 的域名，请让 ESP 授权该 IP。",
	"Add the sending IP (ip4:/ip6:) or the ESP's include: to %s's SPF record.":                                                                                               "把发信 IP（ip4:/ip6:）或 ESP 的 include: 加入 %s 的 SPF 记录。",
	"publish a DMARC record for %s": "为 %s 发布 DMARC 记录",
	"Bulk senders need a DMARC record; p=none is enough to start. Move to quarantine or reject once the reports sent to rua= show your mail aligns.": "批量发件人需要 DMARC 记录；开始时用 p=none 即可。等 rua= 收到的报告显示你的邮件都已对齐，再改为 quarantine 或 reject。",
	"apply fixes %d and %d together": "同时应用修复 %s 和 %s",
	"Neither change is enough alone for every receiver; together they are, for the receivers listed.":                                                  "单独任何一项都不足以让每个收信方接收；两项一起做，对所列收信方就足够了。",
	"Authorise the sending IP in %s's SPF record: publish %s (or add the ESP's include:, if its SPF lists the IP).":                                    "在 %s 的 SPF 记录中授权发信 IP：发布 %s（如果 ESP 的 SPF 列出了该 IP，也可以加入 ESP 的 include:）。",
	"Authorise the sending IP in %s's SPF record (add %s, or include: your ESP's SPF domain).":                                                         "在 %s 的 SPF 记录中授权发信 IP（加入 %s，或 include: ESP 的 SPF 域名）。",
	"--receiver auto: receivers chosen from the To and Cc recipients: %s":                                                                              "--receiver auto：根据 To 和 Cc 收件人选定的收信方：%s",
	"--receiver auto: a plan has no recipients; predicting for %s":                                                                                     "--receiver auto：发送计划没有收件人；按%s预测",
	"--receiver auto: %s; predicting for %s":                                                                                                           "--receiver auto：%s；按%s预测",
	"--receiver auto: no profile for the recipient domains %s (a company domain may be hosted by any provider)":                                        "--receiver auto：收件域 %s 没有对应的收信方配置（企业域名可能托管在任何服务商）",
	"The other receivers' rules, each with its provenance and confidence, are listed in the JSON output (verdicts[].rules) and by preflight receivers": "其他收信方的规则（及其来源和可信度）见 JSON 输出的 verdicts[].rules 以及 preflight receivers",
}

func init() {
	for k, v := range zhMatrix {
		zhSummary[k] = v
	}
	for k, v := range zhReceiverSentences {
		zhProduced[k] = v
	}
	for id, name := range map[string]string{"microsoft365": "Microsoft 365 租户", "apple": "iCloud 邮箱", "netease": "网易邮箱", "mailru": "Mail.ru 邮箱", "yandex": "Yandex 邮箱"} {
		if _, ok := zhReceivers[id]; !ok {
			zhReceivers[id] = name
		}
	}
}
