// Package report holds preflight's report model (Report, whose JSON
// encoding is the contract documented in schema.json), its finding
// catalogue (Catalogue; FINDINGS.md lists every ID) and the renderers.
//
// A Renderer takes the reports of a run one at a time, in input order, and
// is closed once at the end:
//
//	NewTextRenderer      the human explanation (WriteText) for a terminal
//	NewJSONRenderer      one JSON object per line (JSON Lines)
//	NewMarkdownRenderer  a support-ticket summary: verdict table, findings
//	                     with fixes, DNS evidence
//	NewJUnitRenderer     JUnit XML for CI dashboards: one testsuite per run,
//	                     one testcase per message
//	NewGitHubRenderer    GitHub Actions workflow commands (::error file=…)
//	NewAuthResRenderer   the RFC 8601 Authentication-Results header the
//	                     receiver would add, one per message
//
// The CI renderers take CIOptions (NewJUnitRendererCI, NewGitHubRendererCI)
// so that what they call a failure is what the exit code does.
//
// Text output wraps prose at the terminal's width but never a record or a
// command to copy (wrap.go), and shows errors without their package
// prefixes (ErrorText, Prose).
//
// The other commands have one model each, whose JSON encoding is that
// command's contract, and one Write function that takes the format and the
// text options in Options:
//
//	WriteLookup       LookupAnswer (preflight lookup)
//	WriteSPF          SPFCheck per IP (preflight spf DOMAIN IP…)
//	WriteSPFAnalysis  SPFAnalysis (preflight spf DOMAIN)
//	WriteDKIM         DKIMCheck, one DKIMLine per signature (preflight dkim)
//	WriteBounce       Bounce, one BounceDiagnosis per recipient with its
//	                  Recheck (preflight bounce)
//	WriteBounceNotice BounceNotice: a feedback report, an automatic reply or
//	                  a success report, which is not a bounce
//
// A bounce run over several messages (a folder, an mbox, a Maildir) has a
// renderer of its own, NewBounceRenderer: one BounceItem per message, then
// the BounceTriage summary that a TriageTally counts.
//
// Text and HTML come in English or Chinese (Lang; TextOptions.Lang,
// HTMLOptions.Lang): the message catalogues are golang.org/x/text/message
// catalogues keyed by the English strings (T for the renderers' own
// strings, Localize for the sentences other packages write into the model,
// Explain for what each finding ID means). JSON stays language-neutral and
// carries translations only beside its IDs, in l10n objects
// (NewJSONRendererLang), when a language is asked for.
//
// Every command's output goes through the same escapers: Safe and one
// text wrapper for text, mdText/mdCode for Markdown, one JSON encoding.
//
// Renderers are pure over the model; even the receiver's display name comes
// in the data (Verdict.ReceiverName), as this package keeps no table of
// receivers. Header values and DNS data are
// untrusted: every string passes through Safe (control characters and
// bidirectional overrides shown as \x1b-style escapes) and then the
// format's own escaping (Markdown punctuation and code-span fences, XML,
// workflow-command percent-encoding, JSON), so a crafted Subject or TXT
// record can neither reach a terminal raw nor forge markup or commands.
package report
