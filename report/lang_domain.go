package report

// The texts of the findings of `preflight domain`, in both languages; they
// join enFindings and zhFindings at init so that each catalogue stays one
// map per language.
func init() {
	for id, t := range map[string]FindingText{
		"dmarc.rua-unauthorized": {
			Meaning: "A `rua=` or `ruf=` address is at another organization that has not published `<domain>._report._dmarc.<destination>` TXT `\"v=DMARC1\"` (RFC 7489 §7.1), so receivers send it no reports. (`preflight domain`)",
		},
		"dkim.no-common-selector": {
			Meaning: "`preflight domain --selector common` found a key at none of the common selectors. Selectors are free names, so this proves nothing: give the ESP's selector with `--selector`.",
		},
		"domain.nxdomain": {
			Meaning: "The domain does not exist: its name is NXDOMAIN. Receivers refuse mail from a domain that does not exist, and nothing else about it can be checked.",
			Fix:     "Check the spelling; send from a domain that exists (registered, with its records published), or register this one.",
		},
		"domain.temperror": {
			Meaning: "A lookup of the audit (MX, BIMI, MTA-STS, TLS-RPT, a report authorization, existence) failed temporarily: that part is unknown, not absent (exit 3).",
			Fix:     "Run the audit again; if it persists, check the domain's authoritative name servers (preflight lookup shows each answer).",
		},
		"domain.no-mx": {
			Meaning: "The domain has no MX record: mail to it (replies, bounces) falls back to its A/AAAA record (RFC 5321 §5.1), and with no address at all it cannot receive mail; some receivers refuse senders whose domain cannot receive.",
		},
		"domain.null-mx": {
			Meaning: "The domain publishes a null MX (`MX 0 .`, RFC 7505): it accepts no mail.",
		},
		"domain.null-mx-sends": {
			Meaning: "The domain publishes a null MX, yet its SPF record authorises senders: bounces to it are refused, and RFC 7505 §4.2 lets receivers refuse it as MAIL FROM. Use another Return-Path domain, or drop the null MX.",
		},
		"bimi.invalid": {
			Meaning: "The BIMI record at `default._bimi.<domain>` is not valid (`v=BIMI1` first; `l=` and `a=` HTTPS URLs or empty; one record): receivers show no logo.",
		},
		"bimi.dmarc-not-enforced": {
			Meaning: "A BIMI record is published, but the DMARC policy is not at enforcement (`p=quarantine` or `p=reject`, all mail): receivers show no logo.",
		},
		"mtasts.invalid": {
			Meaning: "The MTA-STS record at `_mta-sts.<domain>` is not valid (`v=STSv1` first, `id=` of 1 to 32 letters and digits, one record; RFC 8461 §3.1): senders apply no policy. preflight does not fetch the HTTPS policy.",
		},
		"tlsrpt.invalid": {
			Meaning: "The TLS-RPT record at `_smtp._tls.<domain>` is not valid (`v=TLSRPTv1` first, `rua=` with mailto: or https: addresses, one record; RFC 8460 §3): senders send no TLS reports.",
		},
		"tlsrpt.missing": {
			Meaning: "MTA-STS is published without TLS-RPT: failures of TLS delivery to the domain go unreported.",
		},
	} {
		enFindings[id] = t
	}
	for id, t := range map[string]FindingText{
		"dmarc.rua-unauthorized": {
			Title:   "外部报告地址未授权接收报告",
			Meaning: "rua= 或 ruf= 的地址属于另一个组织，而该组织没有发布 <域>._report._dmarc.<目标域> TXT \"v=DMARC1\"（RFC 7489 §7.1），因此收信方不会向它发送报告。（preflight domain）",
		},
		"dkim.no-common-selector": {
			Title:   "常见 DKIM 选择器上都没有密钥",
			Meaning: "preflight domain --selector common 在所有常见选择器上都没有找到密钥。选择器名称可以随意取，这并不说明什么：请用 --selector 给出 ESP 实际使用的选择器。",
		},
		"domain.nxdomain": {
			Title:   "域名不存在（NXDOMAIN）",
			Meaning: "该域名不存在：查询结果为 NXDOMAIN。收信方会拒收来自不存在域名的邮件，其他项目也无从检查。",
			Fix:     "检查拼写；改用一个存在的域名发信（已注册并发布了记录），或注册这个域名。",
		},
		"domain.temperror": {
			Title:   "域名检查的部分查询临时失败",
			Meaning: "检查中的某项查询（MX、BIMI、MTA-STS、TLS-RPT、报告授权、域名是否存在）临时失败：该部分结果未知，而不是不存在（退出码 3）。",
			Fix:     "重新运行检查；如果一直失败，请检查该域的权威域名服务器（preflight lookup 会显示每个应答）。",
		},
		"domain.no-mx": {
			Title:   "没有 MX 记录：发往该域的邮件退回到其地址记录",
			Meaning: "该域没有 MX 记录：发往它的邮件（回复、退信）会退而使用其 A/AAAA 记录（RFC 5321 §5.1），如果连地址记录也没有就无法收信；有些收信方会拒收无法收信的发件域。",
		},
		"domain.null-mx": {
			Title:   "空 MX（RFC 7505）：该域不接收任何邮件",
			Meaning: "该域发布了空 MX（MX 0 .，RFC 7505）：它不接收任何邮件。",
		},
		"domain.null-mx-sends": {
			Title:   "域名发布了空 MX，而其 SPF 却授权了发信方",
			Meaning: "该域发布了空 MX，但它的 SPF 记录授权了发信方：发往它的退信会被拒收，且 RFC 7505 §4.2 允许收信方拒收以它为 MAIL FROM 的邮件。请换用其他 Return-Path 域名，或去掉空 MX。",
		},
		"bimi.invalid": {
			Title:   "BIMI 记录无效：不会显示徽标",
			Meaning: "default._bimi.<域> 上的 BIMI 记录无效（须以 v=BIMI1 开头；l= 和 a= 为 HTTPS 地址或留空；只能有一条）：收信方不会显示徽标。",
		},
		"bimi.dmarc-not-enforced": {
			Title:   "BIMI 需要 DMARC 处于强制策略（quarantine 或 reject）",
			Meaning: "已发布 BIMI 记录，但 DMARC 策略不是强制策略（对全部邮件 p=quarantine 或 p=reject）：收信方不会显示徽标。",
		},
		"mtasts.invalid": {
			Title:   "MTA-STS TXT 记录无效：发信方不会应用策略",
			Meaning: "_mta-sts.<域> 上的 MTA-STS 记录无效（须以 v=STSv1 开头，id= 为 1 到 32 个字母或数字，只能有一条；RFC 8461 §3.1）：发信方不会应用任何策略。preflight 不会获取 HTTPS 策略文件。",
		},
		"tlsrpt.invalid": {
			Title:   "TLS-RPT 记录无效：不会发送 TLS 报告",
			Meaning: "_smtp._tls.<域> 上的 TLS-RPT 记录无效（须以 v=TLSRPTv1 开头，rua= 为 mailto: 或 https: 地址，只能有一条；RFC 8460 §3）：发信方不会发送 TLS 报告。",
		},
		"tlsrpt.missing": {
			Title:   "有 MTA-STS 而没有 TLS-RPT：TLS 失败无人报告",
			Meaning: "发布了 MTA-STS 但没有 TLS-RPT：向该域投递时的 TLS 失败不会被报告。",
		},
	} {
		zhFindings[id] = t
	}
}
