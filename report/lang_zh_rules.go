package report

// The receivers' rules in Chinese, keyed by rule ID (the IDs are stable;
// the English texts live with the rules in internal/receiver and
// internal/bounce, which this public package does not import). Tests check
// that every QQ rule of both tables has its entry here.

// zhReceiverRules translates the receiver profiles' rules (Verdict.Rules,
// the "Receiver rule inferred" assumptions, DKIM notes).
var zhReceiverRules = map[string]string{
	"qq.discovery":              "QQ 的 DMARC 发现方式没有公开文档；腾讯的 DMARC 页面只复述了 RFC 7489，因此假定使用 RFC 7489 发现方式（公共后缀列表），忽略 np= 和 t=，pct= 按 RFC 7489 §6.6.4 处理",
	"qq.dmarc-pass":             "DMARC 通过（有对齐的 SPF 或 DKIM 通过）：不会因 DMARC 退信；内容和频率过滤仍然适用",
	"qq.dmarc-reject":           "p=reject 下 DMARC 未通过，会在 DATA 结束时以“550 DMARC check failed”拒收（不带增强状态码）",
	"qq.dmarc-quarantine":       "p=quarantine 下 DMARC 未通过，会先被接收，再投入垃圾箱或被静默拦截（收件查询 → 被系统拦截）；不会退信。腾讯为企业邮箱这样说明该标签；没有 QQ 的退信样本",
	"qq.dmarc-none":             "p=none 下 DMARC 未通过，不会因 DMARC 被拒收；SPF 和内容检查仍可能拒收",
	"qq.dmarc-no-record":        "没有可用的 DMARC 记录：就 DMARC 而言会被接收；QQ 单独的 SPF 检查仍然适用",
	"qq.dmarc-temperror":        "QQ 如何处理 DNS 临时故障没有公开文档（RFC 7489 §6.6.3 允许收信方投递或以 4xx 延迟）：结果未知，请重试后再预测",
	"qq.dmarc-permerror":        "DMARC 记录有误即视为没有 DMARC 策略（RFC 7489 §6.6.3）；QQ 的处理方式没有公开文档",
	"qq.pct":                    "pct 小于 100：QQ 的抽样方式没有公开文档；假定按 RFC 7489 §6.6.4 处理（至多 pct% 被拒收，其余隔离），因此结果是一个概率",
	"qq.subdomain-policy":       "From 为子域：腾讯复述了 RFC 的默认规则（没有 sp 时，p 也适用于子域）；假定遵循 RFC 语义",
	"qq.spf-reject":             "MAIL FROM 域 SPF 验证失败会被单独拒收，回复“550 SPF check failed”，与 DMARC 无关，即使 p=none 或没有 DMARC 记录也一样；真实回复在帮助链接前还带有方括号括起的不透明会话令牌和客户端 IP",
	"qq.spf-reject-dmarc-pass":  "邮件通过对齐的 DKIM 通过了 DMARC 时，QQ 的 SPF 拒收是否仍然生效尚不清楚（没有样本能说明）：此处 SPF 这条路径不确定",
	"qq.spf-softfail":           "SPF softfail（~all）：不清楚 QQ 是否拒收；腾讯让自己的客户发布 ~all，因此拒收的可能性不大——仅作警告",
	"qq.spf-error":              "SPF temperror/permerror：QQ 的处理方式未知——仅作警告",
	"qq.dkim-short-key":         "RSA 密钥不足 1024 位的 DKIM 签名不计为通过（RFC 8301 §3.2：验证方不得接受；QQ 没有公布最低要求，它自己用 1024 位密钥签名）",
	"qq.dkim-testing-key":       "带 t=y 的 DKIM 公钥按未签名邮件处理（RFC 6376 §3.6.1），因此不计入 DMARC；腾讯只把 t=y 说明为“测试”",
	"qq.end-of-data":            "DMARC 和 SPF 拒收发生在 DATA 结束时，而不是 RCPT 阶段",
	"qq.no-enhanced-code":       "QQ 的回复不带 RFC 3463 增强状态码；DSN 中的 5.x.y 是发信方 MTA 添加的",
	"qq.spf-cache":              "SPF 修改后，QQ 可能在长达约 12 小时内仍使用缓存的 SPF 结果",
	"qq.accepted-not-delivered": "QQ 返回 250 并不代表进了收件箱：部分邮件会被静默拦截（自助查询 → 收件查询 → 被系统拦截）",
	"qq.dmarc-multiple":         "存在多条 DMARC 记录：QQ 的处理方式没有公开文档；假定按 RFC 7489 §6.6.3 处理（不适用任何策略），但采用第一条记录的收信方会执行该记录的策略",
	"qq.domain-dns-check":       "QQ 会在 DATA 结束时以“550 Domain may not exist or DNS check failed”（外加会话令牌和客户端 IP）拒收部分邮件；具体由哪项检查触发并不清楚（样本中 HELO 不是完整域名、没有反向解析、SPF 未列出该 IP），因此这里只在 From 或 MAIL FROM 域不存在时预测此拒收",
	"qq.bulk-threshold":         "QQ 没有公布发送量阈值；每个 IP 每小时约 4,000 封是一般经验值",
	"qq.bulk-unsubscribe":       "QQ 的群发邮件指南要求提供 List-Unsubscribe（QQ 处理 mailto:）；没有资料说明缺少它会被拒收",
	"qq.bulk-ptr":               "QQ 的群发邮件指南要求发信 IP 有 PTR 记录；缺少时的回复文本未知",
	"qq.exmail":                 "腾讯企业邮箱 / 企业微信邮箱（MX 为 mxbiz*.qq.com）返回相同的原因，帮助链接位于 open.work.weixin.qq.com",
}

// bounceText is one bounce rule's meaning and action in one language.
type bounceText struct{ Meaning, Action string }

// The shared actions of the bounce rules, as internal/bounce shares them.
const (
	zhDMARCAction = "让邮件对其发件域通过 DMARC：用发件域（或其组织域下的子域）作为 d= 进行 DKIM 签名，或使用发件域下的 Return-Path（MAIL FROM），并让其 SPF 记录授权发信 IP。一项对齐通过即可。请向 ESP 申请自定义 DKIM 域名或自定义 Return-Path，然后对邮件运行 `preflight check`。"
	zhSPFAction   = "把发信 IP（或 ESP 的 include:）加入 MAIL FROM（Return-Path）域的 SPF 记录，控制在 10 次 DNS 查询以内，并用 `preflight spf 域名 IP` 检查。QQ 可能在长达约 12 小时内仍使用缓存的旧 SPF 结果。"
	zhRateAction  = "降低发送速度：把发送分散到更长的时间里，减少每个 IP 的连接数，稍后重试；发信 MTA 的正常重试通常能成功。在 https://openmail.qq.com/ 登记发信域名。"
	zhAuthAction  = "为 MAIL FROM 域发布覆盖发信 IP 的 SPF 记录，并进行 DKIM 签名；然后重新检查邮件。"
)

// zhBounceRules translates the bounce classification rules (internal/bounce).
var zhBounceRules = map[string]bounceText{
	"qq.dmarc": {
		"邮件在 QQ 未通过 DMARC：SPF 和 DKIM 都没有在与发件域对齐的前提下通过，而该域的策略是 p=reject（已知 QQ 只会因这一策略退信），因此 QQ 在 DATA 结束时拒收。回复没有说明是 SPF 还是 DKIM 出了问题：请复查邮件找出原因。",
		zhDMARCAction},
	"qq.spf": {
		"QQ 对 MAIL FROM（Return-Path）域做了 SPF 检查，发信 IP（见回复中的 IP: 部分）未获授权；QQ 会单独因 SPF 失败而拒收，即使 DMARC 没有强制执行（仅 ~all softfail 是否会触发尚不清楚）。",
		zhSPFAction},
	"qq.dns-check": {
		"QQ 在 DNS 中检查了发信方，其中一项检查失败，但回复没有说明是哪一项。已见的案例中，发信主机的 HELO 名称不是可解析的完整域名、没有反向解析，且 MAIL FROM / From 域的 SPF 没有列出该 IP：可能是 MAIL FROM 或 From 域无法解析、发信 IP 没有 PTR 记录，或 SPF 验证失败。",
		"确认 MAIL FROM（Return-Path）域和 From 域都存在（有 MX 或 A 记录）、发信 IP 有 PTR 记录且其名称能解析回该 IP、HELO 名称就是这个完整域名、SPF 授权了该 IP；然后对邮件运行 `preflight check`。"},
	"qq.mailbox-not-found": {
		"收件地址在 QQ 不存在。",
		"从列表中删除或更正该地址；不要重试。"},
	"qq.mailbox-unavailable": {
		"QQ 暂时拒收该邮箱的邮件：收件人短时间内收到大量邮件，QQ 为保护收件人而阻止发信方（邮箱被冻结时也会返回这一回复）。",
		"稍后以更低的频率重试；若持续数天，把该邮箱视为不可用并停止发送。"},
	"qq.deactivated": {
		"该 QQ 邮箱已停用。",
		"从列表中删除该地址；不要重试。"},
	"qq.rejected-by-recipient": {
		"收件人把发件人加入了个人黑名单，或收件人设置的过滤规则拒收了邮件。",
		"发信方无需修复：除非收件人要求接收并解除屏蔽，否则停止向其发信。"},
	"qq.content-denied": {
		"QQ 的内容过滤拒收了邮件：其内容看起来像被大量用户举报为垃圾邮件的群发邮件。",
		"调整内容（链接、短链接、纯图片邮件、垃圾邮件式措辞），确认链接的域名不在黑名单中，只发给活跃的收件人，重试前先小批量测试。"},
	"qq.spam-embedded": {
		"QQ 在邮件中发现了被判定为垃圾内容的部分（链接、附件或引用的文字）。",
		"删除被标记的内容或链接，先用测试邮件重试。"},
	"qq.sender-frequency": {
		"发件地址超出了 QQ 未公开的单发件人频率上限（按小时或按天）；之后一段时间内的邮件都会被拒收。",
		zhRateAction},
	"qq.ip-frequency": {
		"发信 IP 超出了 QQ 未公开的单 IP 频率上限；对新的或信誉较低的 IP，QQ 在发信量很低时也会这样回复。",
		zhRateAction + "新 IP 请逐步预热（常见的参考值是每个 IP 每小时约 4,000 封）。"},
	"qq.domain-frequency": {
		"发信域名超出了 QQ 未公开的单域名频率上限。",
		zhRateAction},
	"qq.connection-frequency": {
		"发信 IP 在短时间内向 QQ 建立了过多连接。",
		"减少到 QQ MX 主机的并发连接数和建连频率，复用连接，稍后重试。"},
	"qq.suspected-spam-sender": {
		"QQ 认为发信域名或发信方发送过大量垃圾邮件。",
		"清理列表（删除不活跃和未知的地址），确认 SPF、DKIM 和 DMARC 都能通过，设置 PTR 记录，并在再次发信前到 https://openmail.qq.com/ 申请复核。"},
	"qq.suspected-spam-ip": {
		"QQ 认为发信 IP 在发送垃圾邮件。",
		"查询该 IP 是否在公共黑名单中，停止从该 IP 发出的任何被盗用或未认证的邮件，到 https://openmail.qq.com/ 申请复核，或改用其他 IP 发信。"},
	"qq.suspected-bounce-attack": {
		"QQ 把这封邮件当作反向散射（backscatter）：发往某个 QQ 地址的退信或自动回复（通常 MAIL FROM 为空），而该地址并未发过原始邮件。",
		"不要向伪造的发件人发送退信或自动回复：在 SMTP 会话中直接拒收不需要的邮件，而不是事后退信；也不要自动回复垃圾邮件。"},
	"qq.suspected-spam": {
		"QQ 的过滤器判定这封邮件为垃圾邮件。",
		"检查内容和列表质量，确认 SPF、DKIM 和 DMARC 都能通过，并用小批量测试邮件重试。"},
	"qq.connection-denied": {
		"QQ 拒绝了来自发信 IP 的连接。",
		"检查该 IP 的信誉和 PTR 记录，并到 https://openmail.qq.com/ 申请复核。"},
	"qq.too-large": {
		"邮件大小超过了 QQ 的接收上限。",
		"减小邮件：大文件请改用链接，不要作为附件。"},
	"qq.bad-address-syntax": {
		"收件人（或发件人）地址不是有效的地址。",
		"修正或删除格式错误的地址；不要原样重试。"},
	"qq.submission-content": {
		"smtp.qq.com 拒绝通过 QQ 账号发送这封邮件；这是 QQ 的提交服务器的回复，不是 QQ MX 的回复。",
		"修改邮件内容；这不是你自己域名的送达问题。"},

	"generic.dmarc-temp": {
		"收信方在评估 DMARC 时延迟了邮件，通常是因为 DNS 查询临时失败。",
		"确认发件域的 SPF、DKIM 公钥和 _dmarc 记录能稳定解析；解析正常后，重试即可投递。"},
	"generic.no-dmarc": {
		"收信方要求发件域发布 DMARC 记录，而该域没有。",
		"在 _dmarc.<发件域> 发布 DMARC 记录，例如 \"v=DMARC1; p=none; rua=mailto:dmarc@<域名>\"。"},
	"generic.dmarc": {
		"回复提到了 DMARC：邮件很可能在 p=reject 策略下未通过发件域的 DMARC。",
		zhDMARCAction},
	"generic.spf": {
		"回复提到了 SPF：发信 IP 很可能没有被 MAIL FROM 域的 SPF 记录授权。",
		zhSPFAction},
	"generic.dkim": {
		"回复提到了 DKIM：签名缺失、验证未通过，或其公钥不被接受。",
		"使用已发布的、至少 1024 位（建议 2048 位）的密钥进行 DKIM 签名，并用 `preflight dkim` 验证。"},
	"generic.unauthenticated": {
		"收信方表示邮件未经认证（SPF 和 DKIM 都没有通过）。",
		zhAuthAction},
}

// bounceTextsIn returns a diagnosis's meaning and action in l: the
// translation of its rule when there is one, else the English.
func bounceTextsIn(l Lang, d BounceDiagnosis) (meaning, action string) {
	if l == LangZH {
		if z, ok := zhBounceRules[d.Rule]; ok {
			return z.Meaning, z.Action
		}
	}
	return Localize(l, d.Meaning), Localize(l, d.Action)
}

// bounceReceiverName names the receiver of a diagnosis in l.
func bounceReceiverName(l Lang, d BounceDiagnosis) string {
	if l == LangZH && d.Receiver != "" {
		if n, ok := zhReceivers[d.Receiver]; ok {
			return n
		}
	}
	return d.ReceiverName
}
