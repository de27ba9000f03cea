package check

import (
	"context"

	"preflight/internal/bounce"
	"preflight/report"
)

// ExplainBounce re-checks every authentication diagnosis of a bounce
// analysis (Recheck) and returns the whole as the report model that
// `preflight bounce` and `preflight serve` render.
func ExplainBounce(ctx context.Context, cfg RecheckConfig, a *bounce.Analysis) (*report.Bounce, error) {
	rcs := make([]*report.Recheck, len(a.Diagnoses))
	for i := range a.Diagnoses {
		rc, err := Recheck(ctx, cfg, a.Bounce, &a.Diagnoses[i])
		if err != nil {
			return nil, err
		}
		rcs[i] = rc.Report()
	}
	return bounceReport(a, rcs), nil
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
		Diagnoses:            make([]report.BounceDiagnosis, len(a.Diagnoses)),
	}
	for i, d := range a.Diagnoses {
		out.Diagnoses[i] = report.BounceDiagnosis{
			Receiver: d.Receiver, Code: d.Code, Enhanced: d.Enhanced, Reason: d.Reason,
			Category: string(d.Category), Retry: d.Retry, Meaning: d.Meaning, Action: d.Action,
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
