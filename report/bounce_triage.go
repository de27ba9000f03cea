package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// BounceTriage is the summary that ends a `preflight bounce` run over
// several messages (files, folders, an mbox, a Maildir): how many of what
// was read were bounces, notices or neither; the recipients diagnosed per
// category and receiver; and the authentication failures per From domain
// and Return-Path (MAIL FROM) domain with the fix, so that "212 DMARC
// rejections at QQ, all From news.brand.example via esp.example" and what to
// publish stand at the top of a support ticket. Its JSON encoding is the
// last line of the JSON output ("kind":"summary"); field names are API:
// add, never rename.
//
// A TriageTally builds it, one message at a time.
type BounceTriage struct {
	Kind       string `json:"kind"`        // "summary"
	Messages   int    `json:"messages"`    // messages read, whatever they were
	Bounces    int    `json:"bounces"`     // messages diagnosed as bounces (delay warnings included)
	Diagnoses  int    `json:"diagnoses"`   // recipients diagnosed, one JSON line each
	Delayed    int    `json:"delayed"`     // of the diagnoses, delay warnings (still being retried)
	NotBounces int    `json:"not_bounces"` // messages that are neither bounces nor notices
	Unreadable int    `json:"unreadable"`  // messages or files that could not be read
	// Notices counts feedback reports, automatic replies and success
	// notifications by kind (BounceNotice.Kind).
	Notices map[string]int `json:"notices"`
	// Rechecks is how many re-checks ran: one per distinct (receiver,
	// From, MAIL FROM, IP, DKIM) combination, however many bounces share it.
	Rechecks int `json:"rechecks"`
	// Interrupted is set when the run was stopped before the end of its
	// input; the counts are those of what was read.
	Interrupted bool `json:"interrupted,omitempty"`
	// Groups are the diagnoses per category and receiver.
	Groups []TriageGroup `json:"by_category"`
	// Authentication are the authentication failures per receiver, reason,
	// From domain and MAIL FROM domain, with what the re-checks found.
	Authentication []TriageAuth `json:"authentication"`
}

// TriageGroup is the diagnoses of one category at one receiver.
type TriageGroup struct {
	Category     string `json:"category"`
	Receiver     string `json:"receiver"` // receiver ID, "" when not recognised
	ReceiverName string `json:"receiver_name,omitempty"`
	// Delayed groups delay warnings apart from failures.
	Delayed bool          `json:"delayed,omitempty"`
	Count   int           `json:"count"`
	Reasons []TriageCount `json:"reasons"` // most frequent first
}

// TriageCount is how many diagnoses gave one reason.
type TriageCount struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// TriageAuth is the authentication failures that share a receiver, a
// reason, a From domain and a MAIL FROM domain: one sender's problem at one
// receiver, usually one fix.
type TriageAuth struct {
	Receiver     string `json:"receiver"`
	ReceiverName string `json:"receiver_name,omitempty"`
	Reason       string `json:"reason"`
	Rule         string `json:"rule,omitempty"`
	// FromDomain is the returned message's From domain; "" when no bounce
	// of the group returned the message or its headers.
	FromDomain string `json:"from_domain"`
	// MailFromDomain is the MAIL FROM (Return-Path) domain, from the
	// returned message or the bounce's envelope sender; "" when unknown.
	MailFromDomain string `json:"mail_from_domain"`
	Count          int    `json:"count"`
	// All is true when the group holds every failure with this reason at
	// this receiver ("212 DMARC rejections at QQ, all From …").
	All bool `json:"all"`
	// Recheck counts the re-check outcomes (still-fails, now-passes,
	// not-checked).
	Recheck map[string]int `json:"recheck"`
	// Fixes are those of the first re-check that still fails: any one is
	// enough (report.Fix). Empty when no re-check said more than the rule.
	Fixes []Fix `json:"fixes,omitempty"`
	// Action is the rule's advice, for a group no re-check could explain.
	Action string `json:"action,omitempty"`
	// Source and Recipient name the group's first diagnosis.
	Source    string `json:"source"`
	Recipient string `json:"recipient,omitempty"`
}

type triageGroupKey struct {
	category, receiver string
	delayed            bool
}

type triageAuthKey struct{ receiver, reason, from, mailFrom string }

// SummaryKind is BounceTriage.Kind.
const SummaryKind = "summary"

// TriageTally counts the messages of a run into a BounceTriage. Memory
// grows with the number of distinct groups (categories, receivers,
// senders), not with the number of messages.
type TriageTally struct {
	s      BounceTriage
	groups map[triageGroupKey]*groupTally
	auth   map[triageAuthKey]*TriageAuth
}

type groupTally struct {
	g       TriageGroup
	reasons map[string]int
}

// NewTriageTally returns an empty tally.
func NewTriageTally() *TriageTally {
	return &TriageTally{s: BounceTriage{Kind: SummaryKind, Notices: map[string]int{}},
		groups: map[triageGroupKey]*groupTally{}, auth: map[triageAuthKey]*TriageAuth{}}
}

// SetRechecks records how many re-checks the run made.
func (t *TriageTally) SetRechecks(n int) { t.s.Rechecks = n }

// SetInterrupted records that the run stopped before the end of its input.
func (t *TriageTally) SetInterrupted() { t.s.Interrupted = true }

// Add counts one message of the run.
func (t *TriageTally) Add(it BounceItem) {
	s := &t.s
	s.Messages++
	switch {
	case it.Bounce != nil:
		s.Bounces++
		for _, d := range it.Bounce.Diagnoses {
			t.addDiagnosis(it, d)
		}
	case it.Notice != nil:
		s.Notices[it.Notice.Kind]++
	case it.Unreadable:
		s.Unreadable++
	default:
		s.NotBounces++
	}
}

func (t *TriageTally) addDiagnosis(it BounceItem, d BounceDiagnosis) {
	s := &t.s
	s.Diagnoses++
	if d.Delayed {
		s.Delayed++
	}
	gk := triageGroupKey{category: d.Category, receiver: d.Receiver, delayed: d.Delayed}
	g := t.groups[gk]
	if g == nil {
		g = &groupTally{g: TriageGroup{Category: d.Category, Receiver: d.Receiver, ReceiverName: d.ReceiverName, Delayed: d.Delayed}, reasons: map[string]int{}}
		t.groups[gk] = g
	}
	g.g.Count++
	g.reasons[orDefault(d.Reason, ReasonUnrecognised)]++
	if d.Category != "authentication" || d.Delayed {
		return
	}
	from, mailFrom := "", domainOf(it.Bounce.EnvelopeSender)
	var rep *Report
	if d.Recheck != nil {
		rep = d.Recheck.Report
	}
	if rep != nil {
		from = rep.Message.FromDomain
		if rep.Envelope.MailFromDomain != "" {
			mailFrom = rep.Envelope.MailFromDomain
		}
	}
	ak := triageAuthKey{receiver: d.Receiver, reason: d.Reason, from: from, mailFrom: mailFrom}
	a := t.auth[ak]
	if a == nil {
		a = &TriageAuth{Receiver: d.Receiver, ReceiverName: d.ReceiverName, Reason: d.Reason, Rule: d.Rule,
			FromDomain: from, MailFromDomain: mailFrom, Recheck: map[string]int{}, Action: d.Action,
			Source: orDefault(d.Source, it.Source), Recipient: d.Recipient}
		t.auth[ak] = a
	}
	a.Count++
	if d.Recheck != nil && d.Recheck.Status != "" {
		a.Recheck[d.Recheck.Status]++
		if a.Fixes == nil && d.Recheck.Status == RecheckStillFails && rep != nil && len(rep.Fixes) > 0 {
			a.Fixes = slices.Clone(rep.Fixes)
		}
	}
}

// ReasonUnrecognised is the reason of a reply no rule knows.
const ReasonUnrecognised = "unrecognised reply"

// Summary returns the summary so far: the groups ordered, most diagnoses
// first, and the authentication groups that hold all of their reason's
// failures at their receiver marked All.
func (t *TriageTally) Summary() *BounceTriage {
	s := t.s
	s.Notices = maps.Clone(t.s.Notices)
	s.Groups, s.Authentication = []TriageGroup{}, []TriageAuth{}
	for _, gt := range t.groups {
		g := gt.g
		for r, n := range gt.reasons {
			g.Reasons = append(g.Reasons, TriageCount{Reason: r, Count: n})
		}
		slices.SortFunc(g.Reasons, func(a, b TriageCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
		})
		s.Groups = append(s.Groups, g)
	}
	slices.SortFunc(s.Groups, func(a, b TriageGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Receiver, b.Receiver),
			boolCmp(a.Delayed, b.Delayed))
	})
	total := map[[2]string]int{}
	for k, a := range t.auth {
		total[[2]string{k.receiver, k.reason}] += a.Count
	}
	for k, a := range t.auth {
		c := *a
		c.All = a.Count == total[[2]string{k.receiver, k.reason}]
		c.Recheck = maps.Clone(a.Recheck)
		s.Authentication = append(s.Authentication, c)
	}
	slices.SortFunc(s.Authentication, func(a, b TriageAuth) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Receiver, b.Receiver), cmp.Compare(a.Reason, b.Reason),
			cmp.Compare(a.FromDomain, b.FromDomain), cmp.Compare(a.MailFromDomain, b.MailFromDomain))
	})
	return &s
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// domainOf is the domain of an address ("" for none).
func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return strings.ToLower(strings.TrimRight(addr[at+1:], ".> "))
	}
	return ""
}

// triage writes the summary as text.
func (t *textWriter) triage(s *BounceTriage) {
	c := safeValue(*s)
	s = &c
	t.triageHeadline(s)
	if len(s.Groups) > 0 {
		t.printf("\n%s\n", t.tr("By category and receiver (recipients):"))
		width := len(fmt.Sprint(s.Groups[0].Count))
		catW, rcvW := 0, 0
		for _, g := range s.Groups {
			catW = max(catW, displayWidth(t.groupCategory(g)))
			rcvW = max(rcvW, displayWidth(t.receiverName(g.Receiver, g.ReceiverName)))
		}
		for _, g := range s.Groups {
			var reasons []string
			for _, r := range g.Reasons {
				reasons = append(reasons, fmt.Sprintf("%s ×%d", r.Reason, r.Count))
			}
			head := fmt.Sprintf("  %*d  %s  %s  ", width, g.Count, padRight(t.groupCategory(g), catW), padRight(t.receiverName(g.Receiver, g.ReceiverName), rcvW))
			t.line(0, displayWidth(head), head+strings.Join(reasons, ", "))
		}
	}
	if len(s.Authentication) > 0 {
		t.printf("\n%s\n", t.tr("Authentication failures by From and Return-Path domain:"))
		for _, a := range s.Authentication {
			t.triageAuth(a)
		}
	}
}

// groupCategory is a group's category in the output's language, marked
// when the group is delay warnings.
func (t *textWriter) groupCategory(g TriageGroup) string {
	c := word(t.o.Lang, orDefault(g.Category, "unknown"))
	if g.Delayed {
		c = t.tr("%s (delayed)", c)
	}
	return c
}

// receiverName is a receiver's name in the output's language.
func (t *textWriter) receiverName(id, name string) string {
	if n := bounceReceiverName(t.o.Lang, BounceDiagnosis{Receiver: id, ReceiverName: name}); n != "" {
		return n
	}
	return t.tr("unknown receiver")
}

// authTexts are an authentication group's lines, in the output's language.
type authTexts struct {
	Title, Recheck, Action, First string
}

func (t *textWriter) authTexts(a TriageAuth) authTexts {
	var x authTexts
	from := orDefault(a.FromDomain, t.tr("unknown (no message returned)"))
	mailFrom := orDefault(a.MailFromDomain, t.tr("unknown"))
	rcv := t.receiverName(a.Receiver, a.ReceiverName)
	if a.All {
		x.Title = t.tr("%d × %s at %s — all From %s via %s", a.Count, a.Reason, rcv, from, mailFrom)
	} else {
		x.Title = t.tr("%d × %s at %s — From %s via %s", a.Count, a.Reason, rcv, from, mailFrom)
	}
	var outcomes []string
	for _, st := range []string{RecheckStillFails, RecheckNowPasses, RecheckNotChecked} {
		if n := a.Recheck[st]; n > 0 {
			outcomes = append(outcomes, fmt.Sprintf("%s %d", word(t.o.Lang, strings.ReplaceAll(st, "-", " ")), n))
		}
	}
	if len(outcomes) > 0 {
		x.Recheck = t.tr("re-check with today's DNS: %s", strings.Join(outcomes, t.tr(", ")))
	}
	switch {
	case len(a.Fixes) == 0 && a.Recheck[RecheckNowPasses] == a.Count:
		x.Action = t.tr("nothing to publish: with today's DNS the message passes (DNS fixed since, or the bounce came from a path the re-check cannot see; see the re-check note)")
	case len(a.Fixes) == 0 && a.Action != "":
		_, action := bounceTextsIn(t.o.Lang, BounceDiagnosis{Rule: a.Rule, Action: a.Action})
		x.Action = t.tr("what to do: %s", action)
	}
	first := a.Source
	if a.Recipient != "" {
		first = t.tr("%s (%s)", a.Source, a.Recipient)
	}
	x.First = t.tr("first seen: %s", first)
	return x
}

func (t *textWriter) triageAuth(a TriageAuth) {
	x := t.authTexts(a)
	t.line(2, 4, x.Title)
	if x.Recheck != "" {
		t.line(6, 2, x.Recheck)
	}
	if len(a.Fixes) > 0 {
		t.line(6, 2, t.tr("fix — any one of these is enough:"))
		for i, f := range a.Fixes {
			t.line(8, 3, fmt.Sprintf("%d. %s", i+1, fixTitle(t.o.Lang, f)))
			for _, r := range f.Records {
				t.line(11, 2, r)
			}
		}
	}
	if x.Action != "" {
		t.line(6, 2, x.Action)
	}
	t.line(6, 2, x.First)
}

// triageHeadline writes the summary's first line: what the run read.
func (t *textWriter) triageHeadline(s *BounceTriage) {
	l := t.o.Lang
	bounces := t.tr("bounces: %d (recipients diagnosed: %d)", s.Bounces, s.Diagnoses)
	if s.Delayed > 0 {
		bounces = t.tr("bounces: %d (recipients diagnosed: %d, of them delay warnings: %d)", s.Bounces, s.Diagnoses, s.Delayed)
	}
	parts := []string{bounces}
	for _, k := range []struct {
		n   int
		key string
	}{
		{s.Notices[NoticeFeedback], msg("feedback reports: %d")},
		{s.Notices[NoticeAutoReply], msg("automatic replies: %d")},
		{s.Notices[NoticeDelivered], msg("delivery notifications: %d")},
		{s.NotBounces, msg("not bounces: %d")},
		{s.Unreadable, msg("unreadable: %d")},
		{s.Rechecks, msg("re-checks against today's DNS: %d")},
	} {
		if k.n > 0 {
			parts = append(parts, T(l, k.key, k.n))
		}
	}
	t.line(0, 2, t.tr("Triage of %d message(s) — %s", s.Messages, strings.Join(parts, " · ")))
	if s.Interrupted {
		t.line(0, 2, t.tr("Interrupted: the rest of the input was not read."))
	}
}

// fixTitle is a fix's title as the check report shows it: capitalised in
// English, translated in Chinese.
func fixTitle(l Lang, f Fix) string {
	if l == LangZH {
		return Localize(l, f.Title)
	}
	return capitalize(f.Title)
}
