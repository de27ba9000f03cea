package report

// The zh rule tables, for the external test that checks them against the
// receiver and bounce packages (which import this package).
var (
	ZhReceiverRules = zhReceiverRules
	ZhBounceRules   = zhBounceRules
)
