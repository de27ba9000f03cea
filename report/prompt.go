package report

// The prompts a command writes on stderr when it reads what a person
// pastes at a terminal (stdin, "-"): without them it waits in silence.
// They are catalogue keys: the command passes one to T in its language.
var (
	PasteBounce  = msg("paste the bounce (a DSN, a log line or the SMTP reply), then press Ctrl-D on an empty line")
	PasteMessage = msg("paste the message (headers, a blank line, the body), then press Ctrl-D on an empty line")
)

// The notes a command writes on stderr when it ended in a temporary
// failure for want of time: the flag to raise.
var (
	NoteDeadline = msg("the run took longer than --deadline %s: what was unanswered by then is a temporary failure; raise --deadline, or ask a faster server with --resolver")
	NoteTimeout  = msg("%d DNS question(s) got no answer within --timeout %s from any server (each asked twice over every server); raise --timeout, or ask another server with --resolver")
)

// NoteAddressDomain is what spf says when given an address where a domain
// belongs: the address, then the domain whose policy it checked.
var NoteAddressDomain = msg("%s is an address: checked the SPF policy of its domain, %s, with the address as the sender")
