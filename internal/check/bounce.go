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
	first := map[*Result]string{} // a check → the diagnosis that shows it
	rcs, err := recheckAll(ctx, newRechecker(cfg, a.Bounce), a, func(res *Result, ref string) (string, string) {
		if shown, ok := first[res]; ok {
			return shown, ""
		}
		first[res] = ref
		return "", ""
	})
	if err != nil {
		return nil, err
	}
	return bounceReport(a, rcs), nil
}

// recheckAll re-checks every diagnosis of a with rk. shownBy says which
// earlier diagnosis (and source) already showed a check, or records ref as
// the one showing it and returns "": the diagnoses after it refer to it.
func recheckAll(ctx context.Context, rk *rechecker, a *bounce.Analysis, shownBy func(res *Result, ref string) (string, string)) ([]*report.Recheck, error) {
	rcs := make([]*report.Recheck, len(a.Diagnoses))
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
		if ref, src := shownBy(rc.Check, recipientRef(d.Recipient, i)); ref != "" {
			rcs[i].Ref, rcs[i].RefSource = ref, src
		}
	}
	return rcs, nil
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
