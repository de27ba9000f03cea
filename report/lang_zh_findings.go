package report

// The Chinese catalogue of the finding IDs: title, meaning and general fix
// (lang_en.go has the English). A test requires a title and a meaning for
// every catalogued ID and a fix for every error; the per-message English
// detail stays beside it in the output, marked as the original (英文原文).
var zhFindings = map[string]FindingText{
	"message.from-invalid": {
		Title:   "没有唯一的 From 地址：DMARC 无从确定发件域",
		Meaning: "邮件没有唯一可用的 From 地址（缺失、有多个或无法解析），DMARC 因此没有可供检查的发件域。",
		Fix:     "让邮件只带一个 From 头，其中只有一个地址，且地址的域名就是你做认证的发件域（RFC 5322 §3.6.2）。",
	},
	"message.from-lenient": {
		Title:   "From 头不符合 RFC 5322",
		Meaning: "From 头只能被宽松解析，不符合 RFC 5322；严格的收信方（包括 QQ 邮箱的 From 合法性检查）可能拒收。",
		Fix:     "按 RFC 5322 书写 From 头：地址放在尖括号内，显示名用原子、带引号的字符串，非 ASCII 显示名按 RFC 2047 编码。",
	},

	"envelope.mail-from-unknown": {
		Title:   "未知 MAIL FROM（Return-Path）：无法判断 SPF 对齐",
		Meaning: "既没有 --mail-from，也没有 Return-Path 头可以给出 MAIL FROM，因此无法判断 SPF 是否与发件域对齐。",
		Fix:     "用 --mail-from 给出 MAIL FROM（即 ESP 的退信地址），或检查带 Return-Path 头的邮件。",
	},
	"envelope.mail-from-invalid": {
		Title:   "MAIL FROM 不是可用的地址",
		Meaning: "给出的 MAIL FROM 不是可用的地址或域名。",
		Fix:     "把 --mail-from 写成地址（如 bounce@bounce.brand.example）或域名；空发件人写 '<>'。",
	},
	"envelope.null-sender-no-helo": {
		Title:   "空 MAIL FROM 且未给出 --helo：无法评估 SPF",
		Meaning: "MAIL FROM 是空发件人 <>，此时 SPF 改为检查 HELO 名称，但没有给出 --helo。",
		Fix:     "用 --helo 给出发信服务器的 HELO 名称，以便对它检查 SPF。",
	},

	"dmarc.no-aligned-pass": {
		Title:   "DMARC 未通过：没有对齐的 SPF 或 DKIM 通过",
		Meaning: "DMARC 未通过：SPF 和 DKIM 都没有在与发件域对齐的域名上通过验证。修复方案列出能让 DMARC 通过的改动。",
		Fix:     "让任一标识在与发件域对齐的前提下通过：用发件域（或其组织域下的域名）作为 DKIM d= 签名，或使用发件域下的 Return-Path，并让其 SPF 记录授权发信 IP。二者满足其一即可。",
	},
	"dmarc.no-record": {
		Title:   "没有 DMARC 记录",
		Meaning: "发件域及其组织域都没有发布 DMARC 记录，因此不适用任何策略（也不满足 Gmail 和 Yahoo 对批量发件人的要求）。",
		Fix:     "在发件域（或组织域）的 _dmarc 下发布 DMARC 记录，先用 p=none 并加上 rua= 收集报告。",
	},
	"dmarc.multiple-records": {
		Title:   "有多条 DMARC 记录：不适用任何策略",
		Meaning: "策略名称下有不止一条 v=DMARC1 记录；按 RFC 7489 §6.6.3 此时不适用任何策略，各收信方的处理并不一致。",
		Fix:     "在该名称下只保留一条 v=DMARC1 TXT 记录，删除其余记录。",
	},
	"dmarc.invalid-record": {
		Title:   "DMARC 记录有语法错误",
		Meaning: "DMARC 记录无法解析。",
		Fix:     "修正记录：以 v=DMARC1; 开头，后接以分号分隔的 tag=value 对。",
	},
	"dmarc.no-policy": {
		Title:   "DMARC 记录缺少有效的 p= 标签",
		Meaning: "DMARC 记录没有有效的 p= 标签。",
		Fix:     "在 v=DMARC1; 之后紧接着加上 p=none、p=quarantine 或 p=reject。",
	},
	"dmarc.record-warning": {
		Title:   "DMARC 记录有可疑的标签",
		Meaning: "DMARC 记录可以解析，但有可疑的标签（未知标签、被忽略的错误取值、标签顺序）。",
	},
	"dns.not-recorded": {
		Title:   "回放的 DNS 录制中没有这些查询：无法判定",
		Meaning: "用 `--zone` 回放的录制文件（由 `--record` 写出）从未记录本次检查要问的查询，其答案未知而非不存在，结果为 temperror（退出码 3）。它取代这些查询本会产生的 `dmarc.temperror`、`spf.temperror` 和 `dkim.key-temporary`；应对实时 DNS 重新录制。",
		Fix:     "用相同的邮件和参数对实时 DNS 重新录制（preflight check … --record FILE），再用 --zone 回放该文件。",
	},
	"dmarc.temperror": {
		Title:   "无法评估 DMARC：DNS 临时故障",
		Meaning: "查询 DMARC 记录时出现临时故障；收信方会延迟投递（4xx），或在没有 DMARC 的情况下自行判断。",
		Fix:     "稍后重试；若持续出现，检查该域的权威 DNS 服务器能否正常应答 _dmarc 查询。",
	},
	"dmarc.discovery-differs": {
		Title:   "RFC 7489 与 RFC 9989 的发现结果不一致",
		Meaning: "RFC 7489（公共后缀列表）与 RFC 9989（DNS 树遍历）两种发现方式找到的记录或组织域不同；结论采用收信方所用的方式。",
	},
	"dmarc.policy-none": {
		Title:   "DMARC 策略为 p=none：失败只报告，不处置",
		Meaning: "策略为 p=none：未通过 DMARC 的邮件只会出现在报告中，不会被拒收或隔离。",
	},
	"dmarc.pct-sampling": {
		Title:   "pct= 小于 100：只有部分未通过的邮件适用策略",
		Meaning: "pct= 小于 100：只有该比例的未通过邮件适用策略（遵循 RFC 9989 的收信方会忽略 pct）。",
	},
	"dmarc.testing": {
		Title:   "t=y：策略降一级执行",
		Meaning: "t=y：遵循 RFC 9989 的收信方会把策略降低一级执行。",
	},
	"dmarc.single-aligned": {
		Title:   "DMARC 只靠一种机制通过",
		Meaning: "DMARC 只靠一种机制（SPF 或 DKIM）通过；邮件一旦被转发或经过邮件列表，就可能不再通过。",
	},
	"dmarc.strict-subdomain": {
		Title:   "严格对齐：子域上的标识不算对齐",
		Meaning: "严格对齐（adkim=s 或 aspf=s）：位于发件域子域或上级域的标识不算对齐。",
	},
	"dmarc.sp-weaker": {
		Title:   "sp= 比 p= 宽松",
		Meaning: "sp= 比 p= 宽松：没有自己记录的子域适用较宽松的策略。",
	},
	"dmarc.no-rua": {
		Title:   "没有 rua=：收不到汇总报告",
		Meaning: "没有 rua=：该域收不到汇总报告，收信方那里发生的失败无从得知。",
	},

	"spf.fail": {
		Title:   "MAIL FROM 域的 SPF 验证失败",
		Meaning: "从发信 IP 发出时，MAIL FROM 域的 SPF 结果为 fail（命中 -all）；即使 DMARC 没有要求，QQ 邮箱也会拒收这类邮件。",
		Fix:     "在 MAIL FROM 域的 SPF 记录中授权发信 IP（ip4:/ip6: 项，或 ESP 文档给出的 include:），或改用其 SPF 已授权该 IP 的 MAIL FROM。",
	},
	"spf.temperror": {
		Title:   "无法评估 SPF：DNS 临时故障",
		Meaning: "有一次 DNS 查询临时失败，SPF 无法评估。",
		Fix:     "稍后重试；若持续出现，检查该域的 DNS 服务器能否正常应答 TXT 查询。",
	},
	"spf.permerror": {
		Title:   "SPF 策略有误（permerror）",
		Meaning: "SPF 策略有误（语法、查询次数上限、循环）；收信方会当作没有 SPF，或当作失败。",
		Fix:     "运行 preflight spf 域名，找出出错的项或查询次数，然后修正记录。",
	},
	"spf.not-authorised": {
		Title:   "发信 IP 未被 SPF 授权（softfail 或 neutral）",
		Meaning: "SPF 结果为 softfail 或 neutral：发信 IP 未获授权，因此 SPF 不能为 DMARC 计入通过。",
		Fix:     "在 MAIL FROM 域的 SPF 记录中授权发信 IP（ip4:/ip6:，或 ESP 的 include:）。",
	},
	"spf.no-record": {
		Title:   "MAIL FROM 域没有 SPF 记录",
		Meaning: "MAIL FROM（或 HELO）域没有发布 SPF 记录。",
		Fix:     "为 MAIL FROM 域发布授权发信 IP 的 SPF 记录，以 -all 或 ~all 结尾。",
	},
	"spf.family-differs": {
		Title:   "IPv4 与 IPv6 发信地址的 SPF 结果不同",
		Meaning: "IPv4 和 IPv6 发信地址得到的 SPF 结果不同。",
	},
	"spf.lookups-headroom": {
		Title:   "SPF 已用掉 10 次 DNS 查询中的 8 次或更多",
		Meaning: "策略用掉了 RFC 7208 §4.6.4 允许的 10 次 DNS 查询中的 8 次或更多；再多一个 include 就会变成 permerror。",
		Fix:     "删掉不再使用的 include，或把 a、mx 项换成 ip4:/ip6: 网段。",
	},
	"spf.all-pass": {
		Title:   "SPF 记录以 +all 结尾：任何人都能发信",
		Meaning: "记录以 +all 结尾：互联网上的任何主机都可以冒用该域发信。",
		Fix:     "记录以 -all（测试期间可用 ~all）结尾，绝不要用 +all。",
	},
	"spf.all-neutral": {
		Title:   "SPF 记录以 ?all 结尾：未授权的发信方结果为 neutral",
		Meaning: "记录以 ?all 结尾：未授权主机的结果为 neutral，起不到任何保护作用。",
		Fix:     "记录以 ~all 或 -all 结尾。",
	},
	"spf.no-all": {
		Title:   "SPF 记录没有 all 项",
		Meaning: "记录既没有 all 也没有 redirect=：未列出的主机结果为 neutral（RFC 7208 §4.7）。",
		Fix:     "记录以 ~all 或 -all 结尾。",
	},
	"spf.ptr": {
		Title:   "SPF 记录使用了 ptr（RFC 7208 §5.5：不应使用）",
		Meaning: "记录使用了 ptr，RFC 7208 §5.5 规定不应使用（慢且不可靠）。",
		Fix:     "把 ptr 项换成 ip4:/ip6: 网段或 a: 名称。",
	},
	"spf.lookup-limit": {
		Title:   "SPF 超过 10 次 DNS 查询：在所有收信方都是 permerror",
		Meaning: "策略需要超过 10 次 DNS 查询：评估到达上限时结果为 permerror。",
		Fix:     "把记录压到 10 次查询以内：删掉不再使用的 include，把 a、mx 项换成 ip4:/ip6: 网段。",
	},
	"spf.void-lookups": {
		Title:   "SPF 记录有空查询",
		Meaning: "某一项的查询没有返回任何记录（空查询，RFC 7208 §4.6.4）。",
	},
	"spf.void-limit": {
		Title:   "SPF 超过 2 次空查询：permerror",
		Meaning: "空查询超过 2 次：permerror。",
		Fix:     "删除查询结果为空的项（没有 A/AAAA、MX 或 SPF 记录的名称）。",
	},
	"spf.record-too-long": {
		Title:   "SPF 记录超过 450 个八位组",
		Meaning: "SPF 记录超过 450 个八位组；DNS 应答可能无法放进 UDP 报文（RFC 7208 §3.4）。",
	},
	"spf.string-too-long": {
		Title:   "SPF TXT 字符串超过 255 个八位组",
		Meaning: "待发布的记录超过 255 个八位组，这是单个 TXT 字符串的上限：请拆成多个带引号的字符串发布（RFC 7208 §3.3）。",
		Fix:     "在同一条 TXT 记录里把内容拆成若干个不超过 255 个八位组的带引号字符串；收信方会把它们无空格地拼接起来。",
	},
	"spf.include-missing": {
		Title:   "SPF include 的名称没有 SPF 记录",
		Meaning: "include: 或 redirect= 指向一个没有 SPF 记录的域名：评估走到这里即为 permerror；若该名称根本不存在，详情中会注明——任何人注册了它，就能授权任意主机。",
		Fix:     "修正或删除指向无 SPF 记录域名的 include: 或 redirect=。",
	},
	"spf.multiple-records": {
		Title:   "有多条 SPF 记录：permerror",
		Meaning: "该域发布了不止一条 SPF 记录：每次评估都是 permerror（RFC 7208 §4.5）。",
		Fix:     "把多条 SPF 记录合并成一条 v=spf1 记录，删除其余记录。",
	},
	"spf.syntax": {
		Title:   "SPF 记录有语法错误",
		Meaning: "SPF 记录有语法错误。",
		Fix:     "修正详情中指出的项；preflight spf 域名 会逐项显示记录。",
	},
	"spf.redirect-with-all": {
		Title:   "记录中有 all，redirect= 被忽略",
		Meaning: "记录里有 all 机制，因此 redirect= 被忽略（RFC 7208 §6.1）。",
	},
	"spf.mx-too-many": {
		Title:   "mx 项的 MX 名称超过 10 个",
		Meaning: "某个 mx 项的域名有超过 10 个 MX 名称：该项为 permerror（RFC 7208 §4.6.4）。",
		Fix:     "把 mx 项换成 ip4:/ip6: 网段，或让它指向 MX 名称不超过 10 个的域名。",
	},
	"spf.loop": {
		Title:   "SPF include 或 redirect 形成循环：permerror",
		Meaning: "include: 或 redirect= 链条绕回了正在评估的域：permerror。",
		Fix:     "删除使链条绕回已评估域名的 include: 或 redirect=。",
	},
	"spf.lookup-cost": {
		Title:   "一个 SPF 项消耗多次 DNS 查询",
		Meaning: "某一项消耗了 10 次 DNS 查询中的两次或更多（自带 include 的 include，或 mx）。",
	},
	"spf.family-v4": {
		Title:   "某个 SPF 项永远匹配不到 IPv4 发信方",
		Meaning: "某个 a 或 mx 项没有 IPv4 地址：IPv4 发信方永远匹配不到它，而且每次评估都消耗一次空查询。",
	},
	"spf.family-v6": {
		Title:   "某个 SPF 项永远匹配不到 IPv6 发信方",
		Meaning: "某个 a 或 mx 项没有 IPv6 地址：IPv6 发信方永远匹配不到它。",
	},
	"spf.exp-broken": {
		Title:   "SPF exp= 给不出说明",
		Meaning: "记录的 exp= 指向的不是唯一一条可解析的 TXT 记录，收信方会使用默认说明（RFC 7208 §6.2）。",
	},

	"dkim.sign-simulation-failed": {
		Title:   "无法进行模拟签名",
		Meaning: "用 --dkim-key 对样本签名失败，因此无法检验该密钥。",
		Fix:     "检查 --dkim-key 给出的私钥文件（PEM 格式的 RSA 或 Ed25519），以及 --dkim-domain 和 --dkim-selector。",
	},
	"dkim.unreadable": {
		Title:   "无法读取邮件以验证 DKIM",
		Meaning: "无法读取邮件进行 DKIM 验证。",
		Fix:     "确认文件是完整的 RFC 5322 邮件：头部、一个空行、正文。",
	},
	"dkim.unsigned": {
		Title:   "邮件没有 DKIM 签名",
		Meaning: "邮件没有 DKIM-Signature（对于之后由 ESP 签名的模板来说很正常）。",
	},
	"dkim.from-unsigned-instance": {
		Title:   "有一个 From 字段不在签名范围内",
		Meaning: "邮件里的 From 字段比签名覆盖的多：最上面那个可能是签名之后才加上的。",
	},
	"dkim.key-strict-identifier": {
		Title:   "公钥带 t=s，但 i= 是 d= 的子域",
		Meaning: "公钥带 t=s，但 i= 是 d= 的子域（RFC 6376 §3.6.1）；严格的收信方会判定签名失败。",
	},
	"dkim.signed-in-future": {
		Title:   "DKIM t= 晚于评估时间",
		Meaning: "签名的 t= 晚于评估时间：签名方时钟偏快，或 --now 早于发送时间。",
	},
	"dkim.key-1024": {
		Title:   "DKIM 密钥为 1024 位：能通过，建议 2048 位",
		Meaning: "签名密钥是 1024 位 RSA 密钥：能通过验证，但建议使用 2048 位（RFC 8301 §3.2）。",
		Fix:     "生成 2048 位 RSA 密钥，以新的选择器发布并用它签名。",
	},
	"dkim.body-length": {
		Title:   "DKIM 签名使用了 l=：部分正文未签名",
		Meaning: "签名使用了 l=：只有部分正文被签名，一些收信方会拒绝这类签名。",
		Fix:     "不用 l=，对整个正文签名。",
	},
	"dkim.testing-mode": {
		Title:   "DKIM 公钥处于测试模式（t=y）",
		Meaning: "公钥记录带 t=y：收信方可能把邮件当作未签名处理（RFC 6376 §3.6.1）。",
		Fix:     "签名确认无误后，从公钥记录中去掉 t=y。",
	},
	"dkim.from-not-oversigned": {
		Title:   "From 只签了一次：可能被再加一个 From",
		Meaning: "From 在 h= 中只出现一次：可以再添加一个 From 头而不破坏签名。",
		Fix:     "在 h= 中把 From 列两次（重复签名），使签名后无法再添加 From。",
	},
	"dkim.header-unsigned": {
		Title:   "重要的头字段未签名",
		Meaning: "重要的头字段（Subject、Date、To 等）没有签名。",
	},
	"dkim.expiry-before-timestamp": {
		Title:   "DKIM x= 早于 t=",
		Meaning: "签名的 x= 早于其 t=。",
	},
	"dkim.ed25519-only": {
		Title:   "只有 ed25519 签名：并非所有收信方都能验证",
		Meaning: "只有 ed25519 签名：只验证 RSA 的收信方看不到有效签名。",
	},
	"dkim.lf-line-endings": {
		Title:   "邮件以 LF 换行保存：已按 CRLF 验证",
		Meaning: "文件使用 LF 换行；验证时按实际发送时的 CRLF 处理。",
	},
	"dkim.key-file-readable": {
		Title:   "私钥文件对组或其他用户可读",
		Meaning: "--dkim-key 给出的私钥文件对组或其他用户可读。",
		Fix:     "把私钥文件设为仅所有者可读（chmod 600）。",
	},
	"dkim.key-mismatch": {
		Title:   "发布的 DKIM 公钥与私钥不匹配",
		Meaning: "发布的公钥不是该私钥对应的公钥：ESP 发出的签名都会验证失败。",
		Fix:     "在该选择器下发布 ESP 签名所用私钥对应的公钥，或让 ESP 改用已发布公钥对应的私钥签名。",
	},
	"dkim.signature-syntax": {
		Title:   "DKIM-Signature 格式错误",
		Meaning: "DKIM-Signature 的标签列表格式错误。",
		Fix:     "让签名方写出格式正确的 DKIM-Signature（tag=value; 对）；这是签名程序的缺陷，或头字段被损坏。",
	},
	"dkim.signature-version": {
		Title:   "DKIM-Signature 的 v= 不是 1",
		Meaning: "DKIM-Signature 缺少 v=，或 v= 不是 1。",
		Fix:     "让签名方在 DKIM-Signature 中写 v=1。",
	},
	"dkim.missing-tag": {
		Title:   "DKIM-Signature 缺少必需的标签",
		Meaning: "DKIM-Signature 缺少必需的标签（RFC 6376 §3.5）。",
		Fix:     "让签名方补上缺少的标签（v、a、b、bh、d、h、s 为必需）。",
	},
	"dkim.unknown-algorithm": {
		Title:   "DKIM 算法或规范化方式未知",
		Meaning: "签名的 a= 或 c= 无法识别。",
		Fix:     "使用 a=rsa-sha256（可另加 ed25519-sha256）和 c=relaxed/relaxed 签名。",
	},
	"dkim.from-not-signed": {
		Title:   "DKIM 签名没有签 From",
		Meaning: "签名的 h= 不包含 From（RFC 6376 §5.4）。",
		Fix:     "让签名方把 From 列入 h=（列两次，还能防止被添加 From）。",
	},
	"dkim.identifier-outside": {
		Title:   "DKIM i= 不在 d= 之内",
		Meaning: "签名的 i= 不在 d= 域之内。",
		Fix:     "把 i= 设为 d= 域本身、其下的地址或子域，或者不写 i=。",
	},
	"dkim.tag-value": {
		Title:   "DKIM 标签取值格式错误",
		Meaning: "某个标签的取值（数字、base64、域名）格式错误。",
		Fix:     "让签名方修正详情中指出的标签；签名已损坏，或签名程序有问题。",
	},
	"dkim.expired": {
		Title:   "DKIM 签名已过期（x=）",
		Meaning: "签名的 x= 早于评估时间。",
		Fix:     "在更接近发送的时间签名，或使用更长的 x= 有效期（或不设 x=）。",
	},
	"dkim.key-not-found": {
		Title:   "找不到 DKIM 公钥记录",
		Meaning: "selector._domainkey.域名 下没有公钥记录（NXDOMAIN 或没有 TXT）。",
		Fix:     "在 selector._domainkey.域名 下发布公钥记录（通常是指向 ESP 托管记录的 CNAME），或改用已发布的选择器签名。",
	},
	"dkim.key-temporary": {
		Title:   "DKIM 公钥查询临时失败",
		Meaning: "获取公钥记录时出现临时故障。",
		Fix:     "稍后重试；若持续出现，检查该域的 DNS 服务器能否正常应答公钥记录查询。",
	},
	"dkim.key-multiple": {
		Title:   "同一名称下有多条 DKIM 公钥记录",
		Meaning: "公钥名称下有多条 TXT 记录。",
		Fix:     "公钥名称下只保留一条 TXT 记录，删除其余记录。",
	},
	"dkim.key-revoked": {
		Title:   "DKIM 公钥已吊销（p= 为空）",
		Meaning: "公钥记录的 p= 为空：该密钥已被吊销。",
		Fix:     "改用当前有效的选择器签名，或在该选择器下重新发布公钥。",
	},
	"dkim.key-syntax": {
		Title:   "DKIM 公钥记录不可用",
		Meaning: "公钥记录无法使用（语法或密钥数据错误）。",
		Fix:     "按签名方提供的内容重新发布公钥记录：v=DKIM1; k=rsa; p= 后接 base64 公钥，p= 中间不要换行。",
	},
	"dkim.key-too-short": {
		Title:   "DKIM 密钥不足 1024 位",
		Meaning: "RSA 密钥短于 1024 位（RFC 8301）。",
		Fix:     "生成 2048 位 RSA 密钥，以新的选择器发布并用它签名。",
	},
	"dkim.key-hash": {
		Title:   "DKIM 公钥的 h= 不允许签名所用的哈希",
		Meaning: "公钥的 h= 不允许签名所用的哈希算法。",
		Fix:     "从公钥记录中去掉 h=，或列出签名方使用的哈希（sha256）。",
	},
	"dkim.key-type": {
		Title:   "DKIM 公钥类型与算法不符",
		Meaning: "公钥的 k= 与签名算法不符。",
		Fix:     "按签名算法设置公钥的 k=（rsa-sha256 用 k=rsa，ed25519-sha256 用 k=ed25519）。",
	},
	"dkim.key-service": {
		Title:   "DKIM 公钥的 s= 不包括电子邮件",
		Meaning: "公钥的 s= 不包括 email。",
		Fix:     "从公钥记录中去掉 s=，或设为 * 或 email。",
	},
	"dkim.rsa-sha1": {
		Title:   "DKIM 使用 rsa-sha1（RFC 8301 起不再接受）",
		Meaning: "签名使用 rsa-sha1，自 RFC 8301 起不再被接受。",
		Fix:     "改用 rsa-sha256 签名。",
	},
	"dkim.body-hash-mismatch": {
		Title:   "DKIM 正文哈希不匹配：签名后正文被改动",
		Meaning: "正文哈希不匹配：签名之后正文被改动过。",
		Fix:     "在正文的最后一次改动（页脚、链接跟踪、换行符）之后再签名，或者停止签名后的改动。",
	},
	"dkim.signature-mismatch": {
		Title:   "DKIM 签名不匹配：有签名的头字段被改动",
		Meaning: "签名验证不通过：有签名的头字段被改动，或签名用的是另一把密钥。",
		Fix:     "在对已签名头字段的最后一次改动之后再签名，并确认发布的公钥属于签名所用的密钥。",
	},
	"dkim.header-too-large": {
		Title:   "头部过大，无法验证",
		Meaning: "头部超出了 preflight 验证的大小上限。",
		Fix:     "精简头部：它远大于正常邮件所需。",
	},
	"dkim.too-many-signatures": {
		Title:   "DKIM 签名过多：其余未验证",
		Meaning: "DKIM 签名数量超出 preflight 评估的上限（16 个）：其余签名不触发 DNS 查询，也不计入任何结果，即使是对齐的签名。每封邮件只报告一次。",
		Fix:     "只用一到两个签名；签名多于 preflight 验证的上限本身就很可疑。",
	},
	"dkim.verifier-disagreement": {
		Title:   "验证器对一个 DKIM 签名的结论不一致",
		Meaning: "两个 DKIM 验证器对同一签名的结论不一致；结果不可靠。",
		Fix:     "用收信方自己的工具核对该签名，并把邮件报告给 preflight 的维护者。",
	},

	"receiver.quarantine": {
		Title:   "会被接收，随后投入垃圾邮件",
		Meaning: "收信方会接收邮件，随后将其投入垃圾邮件（DMARC quarantine）。",
	},
	"receiver.pct-probability": {
		Title:   "在 pct= 下拒收是概率性的",
		Meaning: "pct= 小于 100 时拒收是概率性的：部分邮件被拒收，部分不会。",
	},
	"receiver.dkim-not-counted": {
		Title:   "DKIM 签名通过，但收信方不计入",
		Meaning: "有 DKIM 签名验证通过，但收信方不把它计入 DMARC（密钥过短、t=y，或收信方不验证的算法，例如 Gmail 不验证 Ed25519）。",
	},
}
