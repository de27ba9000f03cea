package report

// zhProduced translates the sentences other packages write into the report
// at run time — DMARC notes and alignment explanations (dmarc), envelope
// and receiver assumptions, SPF explanations and fixes (internal/check),
// key explanations (dkim), bounce notes and re-check notes — keyed by the
// format string that writes them. Localize recognises a sentence by its
// format and carries the arguments (domains, records, IPs) over verbatim;
// an argument that is itself a known sentence is translated too. A test
// checks that every key here is still written somewhere in the module, so
// a reworded producer shows up as a stale key instead of silent English.
var zhProduced = map[string]string{
	// dmarc: the evaluation's notes.
	"the record at _dmarc.%s has no p=, which RFC 9989 §4.7 reads as p=none":                                           "_dmarc.%s 的记录没有 p=，按 RFC 9989 §4.7 视为 p=none",
	"the DMARC record could not be looked up: %v":                                                                      "无法查询 DMARC 记录：%v",
	"the DMARC record at _dmarc.%s is invalid: %v":                                                                     "_dmarc.%s 的 DMARC 记录无效：%v",
	"_dmarc.%s has more than one DMARC record, so no policy applies (RFC 7489 §6.6.3 step 5): two records = no record": "_dmarc.%s 下有不止一条 DMARC 记录，因此不适用任何策略（RFC 7489 §6.6.3 第 5 步）：两条记录等于没有记录",
	"the record at _dmarc.%s has no valid p= and no rua=, so DMARC does not apply (RFC 7489 §6.6.3 step 6)":            "_dmarc.%s 的记录既没有有效的 p= 也没有 rua=，因此 DMARC 不适用（RFC 7489 §6.6.3 第 6 步）",
	"no DMARC record for %s (%s discovery)":                                                                            "%s 没有 DMARC 记录（%s 发现方式）",
	"DMARC passes: at least one aligned identifier passed":                                                             "DMARC 通过：至少有一个对齐的标识验证通过",
	"DMARC fails: no identifier that passed is aligned with %s":                                                        "DMARC 未通过：验证通过的标识都没有与 %s 对齐",
	"the record is at the From domain itself, so p=%s applies":                                                         "记录就在发件域本身，因此适用 p=%s",
	"%s does not exist (NXDOMAIN) and the record at _dmarc.%s has np=%s, which applies (RFC 9989 §4.7)":                "%s 不存在（NXDOMAIN），_dmarc.%s 的记录有 np=%s，因此适用该策略（RFC 9989 §4.7）",
	"the record was found at _dmarc.%s, above the From domain %s, so sp=%s applies":                                    "记录位于发件域 %[2]s 的上级 _dmarc.%[1]s，因此适用 sp=%[3]s",
	"the record was found at _dmarc.%s, above the From domain %s; it has no sp=, so p=%s applies to subdomains":        "记录位于发件域 %[2]s 的上级 _dmarc.%[1]s；记录没有 sp=，因此子域适用 p=%[3]s",
	"t=y (test mode) lowers %s to %s (RFC 9989 §4.7)":                                                                  "t=y（测试模式）把 %s 降为 %s（RFC 9989 §4.7）",
	"pct=%d: %s applies to %d%% of failing mail, %s to the rest (RFC 7489 §6.6.4)":                                     "pct=%[1]s：未通过的邮件中有 %[3]s%% 适用 %[2]s，其余适用 %[4]s（RFC 7489 §6.6.4）",
	"the RFC 9989 organizational domain of %s was not looked up; the Public Suffix List was used instead":              "未查询 %s 在 RFC 9989 下的组织域，改用公共后缀列表",

	// dmarc: alignment explanations, and the parts they are made of.
	"%s, which is aligned with %s (%s)":                            "%[1]s，且与 %[2]s 对齐（%[3]s）",
	"%s; it would be aligned with %s (%s), but only a pass counts": "%[1]s；它本可与 %[2]s 对齐（%[3]s），但只有验证通过才算数",
	"%s; alignment with %s is unknown (%s)":                        "%[1]s；与 %[2]s 是否对齐未知（%[3]s）",
	"%s, but %s is not aligned with %s (%s)":                       "%[1]s，但 %[2]s 与 %[3]s 未对齐（%[4]s）",
	"%s, and %s is not aligned with %s (%s)":                       "%[1]s，且 %[2]s 与 %[3]s 未对齐（%[4]s）",
	"SPF passed for %s":                                            "%s 的 SPF 验证通过",
	"SPF failed for %s":                                            "%s 的 SPF 验证未通过",
	"SPF gave none for %s":                                         "%s 的 SPF 结果为 none",
	"SPF gave %s for %s":                                           "%[2]s 的 SPF 结果为 %[1]s",
	"DKIM passed for %s":                                           "%s 的 DKIM 验证通过",
	"DKIM failed for %s":                                           "%s 的 DKIM 验证未通过",
	"DKIM gave none for %s":                                        "%s 的 DKIM 结果为 none",
	"DKIM gave %s for %s":                                          "%[2]s 的 DKIM 结果为 %[1]s",
	"%s=s compares the exact domains: %s %s %s":                    "%s=s 比较完整域名：%s %s %s",
	"%s=r needs organizational domains, and one is unknown: %v":    "%s=r 需要比较组织域，但其中一个未知：%v",
	"%s=r compares organizational domains: %s %s %s":               "%s=r 比较组织域：%s %s %s",
	"SPF: no identifier to compare":                                "SPF：没有可比较的标识",
	"DKIM: no identifier to compare":                               "DKIM：没有可比较的标识",
	"%s identifier %q is not a usable domain: %v":                  "%s 标识 %s 不是可用的域名：%v",

	// internal/check: assumptions.
	"From taken from --from (%s), not from the message's header":                                                  "From 取自 --from（%s），而非邮件头",
	"Sending IP %s taken from the first external Received hop":                                                    "发信 IP %s 取自第一个外部 Received 跳",
	"MAIL FROM unknown: SPF evaluated on the HELO name %s, as for a null sender":                                  "MAIL FROM 未知：按空发件人的方式对 HELO 名称 %s 评估 SPF",
	"No sending IP (--ip) and no Received header: SPF for %s assumed to pass, as if the ESP sends from one of %s": "没有发信 IP（--ip），也没有 Received 头：假定 %s 的 SPF 验证通过，即 ESP 从以下网段之一发信：%s",
	"%s and %d more networks": "%s 等，另有 %s 个网段",
	"Only the headers came back: DKIM d=%s s=%s verified over its signed header fields and counted as %s; its body hash could not be checked": "退信只附带了邮件头：DKIM d=%s s=%s 仅对已签名的头字段做了验证，按 %s 计入；其正文哈希无法检查",
	"DKIM d=%s s=%s is expected to be added by the ESP (--expect-dkim): counted as %s on the strength of its key record alone":                "DKIM d=%s s=%s 预计由 ESP 添加（--expect-dkim）：仅凭其公钥记录按 %s 计入",
	"Receiver rule inferred, not documented (%s confidence): %s":                                                                              "收信方规则系推断，无文档依据（置信度：%s）：%s",
	"Sending IP %s taken from the receiver's reply":                                                                                           "发信 IP %s 取自收信方的回复",
	"MAIL FROM %s taken from the bounce (%s)":                                                                                                 "MAIL FROM %s 取自退信（%s）",
	"%s [%s, %s confidence]":         "%s［%s，置信度：%s］",
	"the receiver does not count it": "收信方不计入该签名",
	"%s (d=%s s=%s: %d-bit RSA key)": "%s（d=%s s=%s：%s 位 RSA 密钥）",
	"%s (d=%s s=%s)":                 "%s（d=%s s=%s）",

	// internal/check: SPF explanations.
	"no verdict: the DNS resolver answers NXDOMAIN for every name, so nothing it said can be trusted":      "无法判定：DNS 解析器对所有域名都回答 NXDOMAIN，它的回答都不可信",
	"the MAIL FROM (Return-Path) domain is unknown":                                                        "MAIL FROM（Return-Path）域未知",
	"the MAIL FROM is the null sender (<>), so SPF checks the HELO identity, which was not given (--helo)": "MAIL FROM 是空发件人（<>），因此 SPF 检查 HELO 身份，但没有给出 HELO 名称（--helo）",
	"%s publishes no SPF record, so SPF cannot pass from any IP":                                           "%s 没有发布 SPF 记录，因此任何 IP 都无法通过 SPF",
	"%s's SPF policy authorises no network at all":                                                         "%s 的 SPF 策略没有授权任何网段",
	"no sending IP given: assumed to pass from a network %s authorises":                                    "未给出发信 IP：假定从 %s 授权的网段发信，SPF 通过",

	// internal/check: fixes (titles and steps).
	"repair the aligned DKIM signature d=%s s=%s":                                                                                       "修复已对齐的 DKIM 签名 d=%s s=%s",
	"It is aligned with %s but gives %s: %s":                                                                                            "该签名与 %s 对齐，但结果为 %s：%s",
	"Publish the public key at %s._domainkey.%s.":                                                                                       "在 %s._domainkey.%s 发布公钥。",
	"Replace the TXT record at %s._domainkey.%s with the public key of the private key the ESP signs with.":                             "把 %s._domainkey.%s 的 TXT 记录换成 ESP 签名所用私钥对应的公钥。",
	"Something changed the body after signing (a footer, link tracking, line endings): sign after the last change, or stop the change.": "签名后正文被改动过（页脚、链接跟踪、换行符）：在最后一次改动之后再签名，或者停止这类改动。",
	"A signed header changed after signing, or the key does not match: sign after the last header change, and check the key.":           "签名后有已签名的头字段被改动，或公钥不匹配：在最后一次改动头字段之后再签名，并核对公钥。",
	"Publish a 2048-bit RSA key and sign with it.":                                                                                      "发布 2048 位 RSA 公钥，并用对应私钥签名。",
	"Sign closer to sending or use a longer x= expiry.":                                                                                 "在更接近发送的时间签名，或使用更长的 x= 有效期。",
	"The key was revoked (p= empty): sign with a current selector.":                                                                     "该密钥已吊销（p= 为空）：改用当前有效的选择器签名。",
	"sign with DKIM d=%s": "使用 DKIM d=%s 签名",
	"Your ESP signs with its own domain (d=%s). Turn on custom DKIM / domain authentication in the ESP so it signs with d=%s.":                                             "ESP 目前用它自己的域名签名（d=%s）。请在 ESP 后台开启自定义 DKIM（域名认证），让它改用 d=%s 签名。",
	"Have the sending platform sign every message with d=%s.":                                                                                                              "让发信平台对每封邮件都用 d=%s 签名。",
	"Publish the public key the ESP gives you at %s._domainkey.%s (often a CNAME to a record the ESP hosts), then check it with: preflight dkim --domain %s --selector %s": "把 ESP 提供的公钥发布在 %s._domainkey.%s（通常是指向 ESP 托管记录的 CNAME），然后用以下命令检查：preflight dkim --domain %s --selector %s",
	"send with a Return-Path on %s (custom bounce domain)":                                                                                                                 "使用 %s 下的 Return-Path 发信（自定义退信域）",
	"The MAIL FROM is unknown; once it is a subdomain of %s whose SPF authorises the ESP, SPF aligns. Re-run with --mail-from to check.":                                   "MAIL FROM 未知；只要它是 %s 的子域，且其 SPF 记录授权了 ESP，SPF 就能对齐。请加上 --mail-from 重新检查。",
	"send with a Return-Path at %s itself (aspf=s)":                                                                                                                        "使用 %s 本身作为 Return-Path 发信（aspf=s）",
	"The bounce address is at %s; aspf=s requires the MAIL FROM domain to be exactly %s, so a subdomain Return-Path would not align either.":                               "退信地址位于 %s；aspf=s 要求 MAIL FROM 域与 %s 完全相同，因此子域下的 Return-Path 也无法对齐。",
	"use a custom Return-Path such as %s, pointed at the ESP":                                                                                                              "使用 %s 之类的自定义 Return-Path，并指向 ESP",
	"The bounce address is at %s, which is not aligned with %s. Set a custom Return-Path (bounce/MAIL FROM domain) in the ESP on a subdomain of %s.":                       "退信地址位于 %s，与 %s 未对齐。请在 ESP 后台设置自定义 Return-Path（退信域 / MAIL FROM 域），使用 %s 的子域。",
	"Publish SPF for it that authorises the ESP (the ESP may instead ask for a CNAME or MX at %s).":                                                                        "为该域发布授权 ESP 的 SPF 记录（ESP 也可能要求在 %s 设置 CNAME 或 MX 记录）。",
	"authorise the sending IP in %s's SPF record":                                                                                                                          "在 %s 的 SPF 记录中授权发信 IP",
	"SPF for %s is aligned with %s but gives %s.":                                                                                                                          "%s 的 SPF 与 %s 对齐，但结果为 %s。",

	// dkim: explanations of key checks shown for assumed and simulated
	// signatures.
	"Assumed pass (not verified): the message is not signed yet; the ESP is expected to sign with d=%s s=%s. %s The assumption holds only if the ESP signs with this key and nothing changes the message after signing.": "假定通过（未验证）：邮件尚未签名，预计 ESP 会用 d=%s s=%s 签名。%s 只有 ESP 确实用这把密钥签名、且签名后邮件不再被改动，这一假定才成立。",
	"The expected signature d=%s s=%s cannot pass: %s": "预期的签名 d=%s s=%s 无法通过：%s",
	"The key record at %s is valid: %s.":               "%s 的公钥记录有效：%s。",
	"%d-bit RSA key":                                   "%s 位 RSA 密钥",
	"Ed25519 key":                                      "Ed25519 密钥",
	"%s (a CNAME to %s)":                               "%s（CNAME 指向 %s）",
	"Simulated signing (d=%s s=%s, relaxed/relaxed, From oversigned), then verified against DNS: %s":        "模拟签名（d=%s s=%s，relaxed/relaxed，From 重复签名），再对照 DNS 验证：%s",
	"Verified: the body and the signed header fields are unchanged since %s signed them with the %s at %s.": "验证通过：自 %s 用 %[3]s 的 %[2]s签名以来，正文和已签名的头字段都没有改动。",
	"No key: %s does not exist (NXDOMAIN). Publish the public key there as a TXT record%s.":                 "没有公钥：%s 不存在（NXDOMAIN）。请在该名称下以 TXT 记录发布公钥%s。",
	"No key: %s exists but has no TXT record (NODATA). Publish the public key there as a TXT record%s.":     "没有公钥：%s 存在，但没有 TXT 记录（NODATA）。请在该名称下以 TXT 记录发布公钥%s。",
	" Publish the record that matches the private key at %s.":                                               "请在 %s 发布与私钥匹配的记录。",
	"%s cannot be asked: %v.": "无法查询 %s：%v。",
	"%s has %d TXT records; verifiers refuse that (RFC 6376 §3.6.2.2). Keep exactly one.":                                                                   "%s 有 %s 条 TXT 记录；验证方会拒绝（RFC 6376 §3.6.2.2）。只保留一条。",
	"The key at %s is revoked (empty p=): no signature made with it verifies.%s":                                                                            "%s 的公钥已吊销（p= 为空）：用它做的签名都无法通过验证。%s",
	"The key record at %s cannot be used: %v.":                                                                                                              "%s 的公钥记录无法使用：%v。",
	"The key at %s is a %d-bit RSA key; RFC 8301 §3.2 forbids keys under 1024 bits and every major receiver fails such signatures. Publish a 2048-bit key.": "%s 的公钥是 %s 位 RSA 密钥；RFC 8301 §3.2 禁止使用不足 1024 位的密钥，各大收信方都会判定这类签名失败。请发布 2048 位密钥。",
	"The key at %s allows only h=%s; sha256 signatures cannot use it. Remove h= or add sha256.":                                                             "%s 的公钥只允许 h=%s；sha256 签名无法使用它。请去掉 h= 或加入 sha256。",
	"The key at %s is limited to s=%s, not email.":                                                                                                          "%s 的公钥限定为 s=%s，不包括 email。",
	"The public key published at %s does not match the private key: every message signed with this private key will fail DKIM (signature mismatch).%s":      "%s 发布的公钥与私钥不匹配：用该私钥签名的每封邮件都会 DKIM 验证失败（签名不匹配）。%s",
	"The key record %s could not be fetched: %v. This is a temporary DNS failure, not a missing key; check that the DNS servers of %s answer.":              "无法获取公钥记录 %s：%v。这是 DNS 临时故障，并不是缺少公钥；请检查 %s 的 DNS 服务器能否正常应答。",
	"%s is not a valid DNS name: %v.":                                "%s 不是有效的 DNS 名称：%v。",
	"The key record at %s is valid: %s. It matches the private key.": "%s 的公钥记录有效：%s。与私钥匹配。",
	"Header signature verified: the %s at %s made this signature and the signed header fields are unchanged. Only the header section is available, so the body hash (bh=) could not be checked: the body is assumed unchanged.": "头部签名验证通过：该签名由 %[2]s 的 %[1]s生成，已签名的头字段没有改动。退信只附带了头部，无法检查正文哈希（bh=），因此假定正文未改动。",

	// internal/bounce: notes on a diagnosis.
	"enhanced code %s was added by a relay: QQ sends none":                                                              "增强状态码 %s 是中继添加的：QQ 的回复不带增强状态码",
	"DSN Status %s was added by the reporting MTA (QQ sends no enhanced code): read the reply text":                     "DSN 的 Status %s 是报告方 MTA 添加的（QQ 不发送增强状态码）：请以回复文本为准",
	"classified by the DSN Status %s (the reply carries no enhanced code)":                                              "按 DSN 的 Status %s 归类（回复本身没有增强状态码）",
	"the input holds this reply %d times for this recipient":                                                            "输入中该收件人的这条回复出现了 %s 次",
	"a 4xx reply is temporary: the sending MTA retries on its own until its queue lifetime ends":                        "4xx 回复是临时性的：发信 MTA 会自动重试，直到邮件在队列中过期",
	"QQ shows frequency limits even at low volume to new or low-reputation senders; they are not authentication errors": "即使发信量很低，QQ 也会对新的或信誉较低的发信方提示频率限制；这不是身份认证错误",

	// The bounce re-check.
	"the bounce did not return the original message or its headers, so the DNS cannot be re-checked against it; re-run preflight check on the message you sent": "退信没有附带原始邮件或其邮件头，无法据此复查 DNS；请对你发出的邮件重新运行 preflight check",
	"the returned message could not be read: %s":               "无法读取退回的邮件：%s",
	"With today's DNS the message would still be rejected: %s": "按当前的 DNS，这封邮件仍会被拒收：%s",
	"The cause of the bounce (%s) is gone with today's DNS (SPF %s, DMARC %s), but the message would now be rejected for another reason: %s": "按当前的 DNS，退信原因（%s）已经消除（SPF %s，DMARC %s），但这封邮件现在会因为别的原因被拒收：%s",
	"The re-check could not decide: %s":                                        "复查无法判定：%s",
	"%s Only the headers came back, so DKIM body hashes could not be checked.": "%s 退信只附带了邮件头，因此无法检查 DKIM 正文哈希。",
	"returned message": "退回的邮件",
	"With today's DNS the message would pass (%s, DMARC %s). If nothing was changed since the bounce, DNS may have been fixed meanwhile — or the bounce came from a path this check cannot see (a different IP, a forwarder, a modified body).": "按当前的 DNS，这封邮件能通过（%s，DMARC %s）。如果退信后没有做过改动，可能是 DNS 在此期间已被修正——也可能退信来自本次检查看不到的路径（其他 IP、转发、被改动的正文）。",
}
