package serve

import (
	"fmt"

	"preflight/report"
)

// zh is the page's own catalogue in Chinese: its labels, hints and
// messages (the diagnosis itself comes translated from package report).
// Keys are the English texts, as in report's catalogues; a test checks that
// every key the page and the handlers use has its entry.
var zh = map[string]string{
	"preflight — will this mail be accepted?": "preflight —— 这封邮件会被接收吗？",
	"Skip to the result":                      "跳到结果",
	"Paste a bounce, a message (or only its headers), or fill in the plan: the page predicts whether the receiver accepts the mail, and why not. Nothing you paste is stored or logged.": "粘贴一封退信、一封邮件（或只粘贴邮件头），或者填写发信计划：本页会预测收信方是否接收这封邮件，以及不接收的原因。粘贴的内容不会被保存或记录。",
	"Bounce, message or headers": "退信、邮件或邮件头",
	"Paste a bounce (DSN, SMTP reply, log line) or a message here, or drop an .eml file": "在这里粘贴退信（DSN、SMTP 回复、日志行）或邮件，或拖入 .eml 文件",
	"or choose a file":                       "或选择文件",
	"Receiver":                               "收信方",
	"All receivers":                          "全部收信方",
	"The recipients' providers (To/Cc)":      "收件人（To/Cc）所在的邮箱服务商",
	"Input is":                               "输入内容",
	"detect":                                 "自动识别",
	"a bounce":                               "退信",
	"a message or headers":                   "邮件或邮件头",
	"the plan below only":                    "仅使用下面的发信计划",
	"Plan (optional; overrides the message)": "发信计划（可选；优先于邮件中的值）",
	"Sending IP":                             "发信 IP",
	"Language":                               "语言",
	"Diagnose":                               "诊断",
	"Cannot diagnose:":                       "无法诊断：",
	"Copy":                                   "复制",
	"Copied":                                 "已复制",
	"Copy this record":                       "复制这条记录",
	"paste a bounce or a message, or fill in the plan":                "请粘贴退信或邮件，或填写发信计划",
	"unknown kind %q (use auto, bounce, message or plan)":             "未知的输入类型 %q（可用 auto、bounce、message 或 plan）",
	"IP %q is not an IPv4 or IPv6 address":                            "IP %q 不是 IPv4 或 IPv6 地址",
	"DKIM: %v":                                                        "DKIM：%v",
	"unknown receiver %q (use %s or all)":                             "未知的收信方 %q（可用 %s 或 all）",
	"the input is larger than %d MiB":                                 "输入超过了 %d MiB",
	"the form could not be read":                                      "无法读取表单",
	"the check took too long (DNS did not answer in time); try again": "检查耗时过长（DNS 没有及时应答），请重试",
	"the server is busy; try again":                                   "服务器正忙，请稍后重试",
	"%s (paste a whole message, its header section, or a bounce)":     "%s（请粘贴完整邮件、邮件头部分或退信）",
}

// tr translates a page string: English is the key itself.
func tr(l report.Lang, key string, args ...any) string {
	if l == report.LangZH {
		if s, ok := zh[key]; ok {
			key = s
		}
	}
	if len(args) == 0 {
		return key
	}
	return fmt.Sprintf(key, args...)
}
