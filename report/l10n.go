package report

import "io"

// NewJSONRendererLang is NewJSONRenderer that, for a language other than
// English, adds each text's translation beside it: "l10n" objects on the
// verdict (its line and summary), on each finding (title, meaning, fix), on
// each fix (title, steps) and on the report (assumptions, the receiver's
// guidance). Every other key and value is the same as in English: IDs,
// codes and result words are the contract, the texts are for people.
func NewJSONRendererLang(w io.Writer, l Lang) Renderer { return &jsonRenderer{w: w, lang: l} }

// WithL10n returns a copy of r with its texts in l beside the originals
// (the l10n objects of NewJSONRendererLang); r itself is not changed. For
// English, or an error report, it returns r.
func WithL10n(r *Report, l Lang) *Report {
	if l != LangZH || r == nil {
		return r
	}
	c := *r
	tag := string(l)
	rules := ruleTexts(l, r)
	loc := func(s string) string {
		z, _ := localize(l, s, rules, 3)
		return z
	}
	if r.Error == "" {
		c.Verdict.L10n = &L10n{Lang: tag, Line: VerdictLineIn(l, r), Summary: summaryIn(l, r)}
	} else {
		c.Verdict.L10n = &L10n{Lang: tag, Line: VerdictLineIn(l, r)}
	}
	c.Findings = make([]Finding, len(r.Findings))
	for i, f := range r.Findings {
		x := Explain(l, f.ID)
		f.L10n = &L10n{Lang: tag, Title: x.Title, Meaning: x.Meaning, Fix: x.Fix}
		c.Findings[i] = f
	}
	c.Fixes = make([]Fix, len(r.Fixes))
	for i, f := range r.Fixes {
		z := &L10n{Lang: tag, Title: loc(f.Title)}
		for _, s := range f.Steps {
			z.Steps = append(z.Steps, loc(s))
		}
		f.L10n = z
		c.Fixes[i] = f
	}
	rl := &ReportL10n{Lang: tag, Guidance: GuidanceFor(l, r)}
	for _, a := range r.Assumptions {
		rl.Assumptions = append(rl.Assumptions, loc(a))
	}
	c.L10n = rl
	return &c
}

// bounceL10n returns a copy of d with its texts in l beside the originals,
// and its re-check report's too.
func bounceL10n(d BounceDiagnosis, l Lang) BounceDiagnosis {
	if l != LangZH {
		return d
	}
	meaning, action := bounceTextsIn(l, d)
	d.L10n = &L10n{Lang: string(l), Meaning: meaning, Action: action}
	if d.Recheck != nil {
		rc := *d.Recheck
		d.L10n.Note = Localize(l, rc.Note)
		if rc.Report != nil {
			rc.Report = WithL10n(rc.Report, l)
		}
		d.Recheck = &rc
	}
	return d
}
