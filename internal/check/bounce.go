package check

import (
	"context"
	"fmt"

	"preflight/internal/bounce"
	"preflight/report"
)

// ExplainBounce re-checks every authentication diagnosis of a bounce
// analysis (Recheck) and returns the whole as the report model that
// `preflight bounce` and `preflight serve` render.
//
// The check runs once per distinct (returned message, client IP, MAIL FROM,
// receiver); diagnoses that share one share its report, and every one after
// the first names the first in Recheck.Ref, so renderers print the re-check
// once and refer to it. When ctx is cancelled, the re-checks not finished
// are "not checked" with a note saying so; the diagnoses, which need no
// DNS, are all there.
func ExplainBounce(ctx context.Context, cfg RecheckConfig, a *bounce.Analysis) (*report.Bounce, error) {
	rcs := make([]*report.Recheck, len(a.Diagnoses))
	rk := newRechecker(cfg, a.Bounce)
	first := map[*Result]string{} // a check → the diagnosis that shows it
	for i := range a.Diagnoses {
		d := &a.Diagnoses[i]
		rc, err := rk.recheck(ctx, d)
		if err != nil {
			return nil, err
		}
		rcs[i] = rc.Report()
		if rc == nil || rc.Check == nil {
			continue
		}
		if ref, ok := first[rc.Check]; ok {
			rcs[i].Ref = ref
		} else {
			first[rc.Check] = recipientRef(d.Recipient, i)
		}
	}
	return bounceReport(a, rcs), nil
}

// recipientRef names diagnosis i for Recheck.Ref: its recipient, or its
// position when the bounce names none.
func recipientRef(recipient string, i int) string {
	if recipient != "" {
		return recipient
	}
	return fmt.Sprintf("recipient #%d", i+1)
}

// bounceReport converts an analysis and its re-checks (nil where there was
// none) into the report model the renderers take.
func bounceReport(a *bounce.Analysis, rcs []*report.Recheck) *report.Bounce {
	b := a.Bounce
	out := &report.Bounce{
		Kind:                 string(b.Kind),
		ReportingMTA:         b.ReportingMTA,
		ArrivalDate:          b.ArrivalDate,
		EnvelopeSender:       b.EnvelopeSender,
		EnvelopeSenderSource: b.EnvelopeSenderSource,
		Delayed:              b.Delayed(),
		Diagnoses:            make([]report.BounceDiagnosis, len(a.Diagnoses)),
	}
	for i, d := range a.Diagnoses {
		out.Diagnoses[i] = report.BounceDiagnosis{
			Kind:     report.BounceKind,
			Receiver: d.Receiver, Code: d.Code, Enhanced: d.Enhanced, Reason: d.Reason,
			Category: string(d.Category), Retry: d.Retry, Delayed: d.Delayed, Meaning: d.Meaning, Action: d.Action,
			HelpURL: d.HelpURL, Recipient: d.Recipient, Recheck: rcs[i],
			ReceiverName: d.ReceiverName, ReceiverEvidence: d.ReceiverEvidence,
			Confidence: string(d.Confidence), Recognised: d.Recognised, Rule: d.Rule, Provenance: d.Provenance,
			Reply: d.Reply, RemoteMTA: d.RemoteMTA, ClientIP: d.ClientIP, Stage: d.Stage,
			DSNStatus: d.DSNStatus, DSNAction: d.DSNAction, OriginalRecipient: d.OriginalRecipient,
			Returned: d.Returned, Notes: d.Notes,
		}
	}
	return out
}

// NoticeReport converts a notice (a feedback report, an automatic reply, a
// success report) into the report model; source names it in a run over
// several inputs.
func NoticeReport(n *bounce.Notice, source string) *report.BounceNotice {
	out := &report.BounceNotice{
		Kind: string(n.Kind), Source: source, Summary: n.Summary, Subject: n.Subject, From: n.From,
		FeedbackType: n.FeedbackType, UserAgent: n.UserAgent, SourceIP: n.SourceIP, ReportedDomain: n.ReportedDomain,
		OriginalMailFrom: n.OriginalMailFrom, OriginalRcptTo: n.OriginalRcptTo, AuthFailure: n.AuthFailure,
		ArrivalDate: n.ArrivalDate, Recipients: n.Recipients,
		Action: report.NoticeAction(string(n.Kind), n.FeedbackType),
	}
	switch {
	case n.Original != nil && n.HeadersOnly:
		out.Returned = "headers"
	case n.Original != nil:
		out.Returned = "message"
	}
	return out
}
