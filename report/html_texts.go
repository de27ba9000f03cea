package report

import "strings"

// htmlTexts are a report's texts as the HTML page shows them, in its
// language: in Chinese the producers' sentences translated (Localize), each
// finding's title, meaning and general fix from the catalogue with the
// English detail beside them, and the receiver's guidance.
type htmlTexts struct {
	ZH          bool
	Summary     string
	DMARCNotes  string
	SPFNote     string // the explanation when SPF was not evaluated
	DKIM        []htmlDKIM
	Fixes       []htmlFix
	FixGroups   []htmlFixGroup // the fixes by what the proof found
	Findings    []htmlFinding
	Assumptions []string
	Guidance    *Guidance
	Grades      []string // per guidance item: its provenance and confidence
	DNS         string
}

type htmlDKIM struct {
	DKIM
	Reason   string // in the page's language when known
	Original string // the English reason, when Reason is not it
}

type htmlFix struct {
	N        int
	Title    string
	Steps    []string
	Records  []string
	MailFrom string
	Proof    []string // what applying the fix and re-checking found
	Verify   string   // the command that shows the verdict flip once live
}

// htmlFixGroup is a heading and its fixes: those proven enough for every
// receiver, for some, and not enough alone.
type htmlFixGroup struct {
	Head  string
	Fixes []htmlFix
}

type htmlFinding struct {
	ID, Severity, SeverityWord string
	Title, Meaning             string
	Fix                        string   // the fix in general (Chinese), or the message's own (English)
	Actions                    []string // records and commands of the message's fix, verbatim (Chinese)
	Detail, OriginalFix        string   // Chinese: the English detail and fix, shown as the original
}

func newHTMLTexts(l Lang, r *Report) htmlTexts {
	t := &textWriter{o: TextOptions{Lang: l}, rules: ruleTexts(l, r)}
	h := htmlTexts{ZH: l == LangZH, Summary: summaryIn(l, r), DMARCNotes: t.notes(r.DMARC.Explanation), SPFNote: t.loc(r.SPF.Explanation)}
	for _, d := range r.DKIM {
		d.Reason = Prose(d.Reason)
		hd := htmlDKIM{DKIM: d, Reason: d.Reason}
		if h.ZH {
			if z, ok := localize(l, d.Reason, t.rules, 3); ok {
				hd.Reason = z
			} else {
				hd.Reason, hd.Original = "", d.Reason
				if _, ok := Catalogue["dkim."+d.Cause]; ok && d.Cause != "" {
					hd.Reason = Explain(l, "dkim."+d.Cause).Title
				}
			}
		}
		h.DKIM = append(h.DKIM, hd)
	}
	for _, f := range r.Fixes {
		hf := htmlFix{Title: t.loc(f.Title), Records: f.Records}
		if !h.ZH {
			hf.Title = capitalize(f.Title)
		}
		for _, s := range f.Steps {
			hf.Steps = append(hf.Steps, t.loc(s))
		}
		// What the proof found, and how to verify it (fixes.go).
		hf.N, hf.MailFrom, hf.Proof, hf.Verify = len(h.Fixes)+1, f.MailFrom, proofLines(l, r, f), f.Verify
		h.Fixes = append(h.Fixes, hf)
	}
	// Grouped as the text says them: only fixes proven enough for every
	// receiver under "any one of these is enough".
	enough, some, rest := fixGroups(r.Fixes)
	head := strings.TrimRight(T(l, "Fix — any one of these is enough:"), ":：")
	if len(enough) == 1 {
		head = strings.TrimRight(T(l, "Fix:"), ":：")
	}
	restHead := T(l, "Not enough alone:")
	if len(enough)+len(some) == 0 {
		restHead = T(l, "Changes proposed — none is proven enough alone:")
	}
	for _, g := range []struct {
		head string
		idx  []int
	}{{head, enough}, {strings.TrimRight(T(l, "Enough for some receivers only:"), ":："), some}, {strings.TrimRight(restHead, ":："), rest}} {
		if len(g.idx) == 0 {
			continue
		}
		grp := htmlFixGroup{Head: g.head}
		for _, i := range g.idx {
			grp.Fixes = append(grp.Fixes, h.Fixes[i])
		}
		h.FixGroups = append(h.FixGroups, grp)
	}
	for _, f := range r.Findings {
		x := Explain(l, f.ID)
		hf := htmlFinding{ID: f.ID, Severity: string(f.Severity), SeverityWord: word(l, string(f.Severity)), Title: f.Title, Meaning: x.Meaning, Fix: f.Fix, Detail: f.Detail}
		if h.ZH {
			if _, ok := zhFindings[f.ID]; ok {
				hf.Title = x.Title
			}
			hf.Fix, hf.OriginalFix = x.Fix, f.Fix
			if f.Fix != "" {
				hf.Actions = actionsIn(f.Fix)
			}
		}
		h.Findings = append(h.Findings, hf)
	}
	for _, a := range r.Assumptions {
		h.Assumptions = append(h.Assumptions, t.loc(a))
	}
	if g := GuidanceFor(l, r); g != nil {
		h.Guidance = g
		for _, it := range g.Items {
			h.Grades = append(h.Grades, T(l, " [%s, confidence %s]", word(l, it.Provenance), word(l, it.Confidence)))
		}
	}
	h.DNS = T(l, "DNS: %d queries", r.DNS.Queries) + T(l, ", %d ms", r.DNS.ElapsedMS)
	if c := r.Verdict.Confidence; c != "" {
		h.DNS += T(l, " · confidence: %s", word(l, c))
	}
	return h
}
