package report_test

import (
	"os"

	"preflight/report"
)

func sampleReport() *report.Report {
	return &report.Report{
		Schema:  report.Schema,
		Message: report.MessageInfo{Path: "templates/spring.eml", From: "news@brand.example", FromDomain: "brand.example", Subject: "Spring \x1b[2J sale"},
		Verdict: report.Verdict{Receiver: "qq", ReceiverName: "QQ Mail", Disposition: "reject", Reject: true, SMTPReply: "550 DMARC check failed"},
		DMARC:   report.DMARC{Result: "fail", RecordDomain: "brand.example", Record: "v=DMARC1; p=reject", Policy: "reject", PolicyTag: "p"},
		SPF:     report.SPF{Result: "pass", Domain: "esp.example"},
		Findings: []report.Finding{report.NewFinding("dmarc.no-aligned-pass",
			"SPF and DKIM pass for esp.example, which is not aligned with brand.example.",
			"Sign with DKIM d=brand.example, or use a Return-Path on brand.example.")},
	}
}

func ExampleNewGitHubRenderer() {
	rd := report.NewGitHubRenderer(os.Stdout, nil)
	rd.Add(sampleReport())
	rd.Close()
	// Output:
	// ::error file=templates/spring.eml,title=preflight%3A QQ Mail verdict::✗ QQ Mail would reject this message: 550 DMARC check failed
	// ::error file=templates/spring.eml,title=DMARC fails%3A no aligned SPF or DKIM pass [dmarc.no-aligned-pass]::SPF and DKIM pass for esp.example, which is not aligned with brand.example.%0AFix: Sign with DKIM d=brand.example, or use a Return-Path on brand.example.
}

func ExampleNewJSONRenderer() {
	r := sampleReport()
	r.Findings = nil
	rd := report.NewJSONRenderer(os.Stdout)
	rd.Add(r)
	rd.Close()
	// Output:
	// {"schema":"preflight/v1","message":{"path":"templates/spring.eml","from":"news@brand.example","from_domain":"brand.example","subject":"Spring \u001b[2J sale"},"envelope":{"mail_from":"","mail_from_domain":"","ips":[],"helo":"","assumed":[]},"spf":{"result":"pass","domain":"esp.example","aligned":false,"lookups":0,"void_lookups":0},"dkim":[],"dmarc":{"result":"fail","record_domain":"brand.example","record":"v=DMARC1; p=reject","policy":"reject","policy_tag":"p","org_domain":""},"verdict":{"receiver":"qq","receiver_name":"QQ Mail","disposition":"reject","reject":true,"smtp_reply":"550 DMARC check failed","confidence":"","summary":""},"findings":[],"fixes":[],"assumptions":[],"dns":{"queries":0,"lookups":0,"elapsed_ms":0}}
}

func ExampleNewMarkdownRenderer() {
	rd := report.NewMarkdownRenderer(os.Stdout, report.MarkdownOptions{NoDNS: true})
	rd.Add(sampleReport())
	rd.Close()
	// Output:
	// # preflight report
	//
	// Receiver: QQ Mail.
	//
	// | # | File | From domain | Verdict | DMARC | SPF | DKIM |
	// |---:|---|---|---|---|---|---|
	// | [1](#m1) | `templates/spring.eml` | `brand.example` | ✗ reject 550 | fail (p=reject) | pass for esp.example, not aligned | none |
	//
	// <a id="m1"></a>
	//
	// ## 1. `templates/spring.eml`
	//
	// **Verdict:** ✗ QQ Mail would reject this message: 550 DMARC check failed
	//
	// - Subject: Spring \\x1b\[2J sale
	// - From: `news@brand.example`
	// - DMARC: fail (p=reject)
	// - DMARC record: `v=DMARC1; p=reject` at `_dmarc.brand.example`
	// - SPF: pass for esp.example, not aligned
	//
	// ### Findings
	//
	// - **error** `dmarc.no-aligned-pass` DMARC fails: no aligned SPF or DKIM pass
	//   SPF and DKIM pass for esp.example, which is not aligned with brand.example.
	//   **Fix:** Sign with DKIM d=brand.example, or use a Return-Path on brand.example.
}
