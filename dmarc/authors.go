package dmarc

import (
	"fmt"
	"strings"
)

// resultRank orders results from best to worst for Combine: a message
// with several author domains passes only if every one passes.
var resultRank = map[Result]int{ResultPass: 0, ResultNone: 1, ResultPermError: 2, ResultTempError: 3, ResultFail: 4}

// policyRank orders policies from weakest to strictest.
var policyRank = map[Policy]int{"": 0, PolicyNone: 1, PolicyQuarantine: 2, PolicyReject: 3}

// Combine is RFC 7489 §6.6.1 for a From header field with several
// addresses: each author domain is evaluated on its own (evs, one
// Evaluation per distinct domain, in order) and the message passes only if
// every one passes. The result is the worst evaluation — fail before
// temperror, permerror and none — and among failures the one whose policy
// is strictest (reject, then quarantine, then none; as authheaders
// reports it), so that the strictest policy applies. Its Notes say how each
// domain fared. Combine of one evaluation is that evaluation; of none, the
// zero Evaluation.
//
// It does no DNS: each Evaluation comes from its own Discover and Evaluate.
func Combine(evs []Evaluation) Evaluation {
	if len(evs) <= 1 {
		if len(evs) == 1 {
			return evs[0]
		}
		return Evaluation{}
	}
	worst := 0
	for i, ev := range evs {
		w := evs[worst]
		switch {
		case resultRank[ev.Result] > resultRank[w.Result]:
			worst = i
		case resultRank[ev.Result] == resultRank[w.Result] && policyRank[ev.Policy] > policyRank[w.Policy]:
			worst = i
		}
	}
	out := evs[worst]
	out.Notes = append([]string(nil), out.Notes...)
	var each []string
	for _, ev := range evs {
		each = append(each, fmt.Sprintf("%s %s", ev.From, ev.Result))
	}
	verdict := "so the message passes"
	if out.Result != ResultPass {
		verdict = fmt.Sprintf("so the message gives %s, as %s does", out.Result, out.From)
	}
	out.Notes = append(out.Notes, fmt.Sprintf("From holds %d author domains, each evaluated (RFC 7489 §6.6.1): %s; a message passes only if every one does, %s",
		len(evs), strings.Join(each, ", "), verdict))
	return out
}
