package check

import (
	"fmt"
	"slices"
	"strings"

	"preflight/internal/receiver"
	"preflight/report"
)

// Profile is the receiver whose answer is predicted (package receiver).
type Profile = receiver.Profile

// ProfileNames lists the receiver profiles.
func ProfileNames() []string { return receiver.Names() }

// LookupProfile returns the named receiver profile.
func LookupProfile(name string) (*Profile, error) {
	p, err := receiver.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("unknown receiver %q (use %s)", name, strings.Join(receiver.Names(), ", "))
	}
	return p, nil
}

// ParseReceivers reads a --receiver value: one profile name, a comma list,
// "all" (every profile, QQ first), or "auto" (the receivers of each
// message's recipients, QQ when none is known). It returns the profiles,
// the primary first and each once, and whether auto was asked for.
func ParseReceivers(spec string) (profiles []*Profile, auto bool, err error) {
	for _, n := range strings.Split(spec, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		switch n {
		case "":
			continue
		case "all":
			for _, p := range receiver.Profiles() {
				if !slices.Contains(profiles, p) {
					profiles = append(profiles, p)
				}
			}
			continue
		case "auto":
			auto = true
			continue
		}
		p, err := receiver.Lookup(n)
		if err != nil {
			return nil, false, fmt.Errorf("unknown receiver %q (use %s, all, auto, or a comma list)", n, strings.Join(receiver.Names(), ", "))
		}
		if !slices.Contains(profiles, p) {
			profiles = append(profiles, p)
		}
	}
	if len(profiles) == 0 && !auto {
		return nil, false, fmt.Errorf("--receiver is empty (use %s, all, auto, or a comma list)", strings.Join(receiver.Names(), ", "))
	}
	if len(profiles) == 0 {
		profiles = []*Profile{receiver.QQ}
	}
	return profiles, auto, nil
}

// ReceiverList is the report of `preflight receivers`: the named profiles
// (every profile when names is empty) with all their rules and sources.
func ReceiverList(names []string) (*report.ReceiverList, error) {
	profiles := receiver.Profiles()
	if len(names) > 0 {
		profiles = nil
		for _, n := range names {
			p, err := LookupProfile(n)
			if err != nil {
				return nil, err
			}
			profiles = append(profiles, p)
		}
	}
	l := &report.ReceiverList{Schema: report.ReceiversSchema, Receivers: []report.ReceiverProfile{}}
	for _, p := range profiles {
		reg, _ := receiver.ByID(p.Name)
		rp := report.ReceiverProfile{ID: p.Name, Name: p.DisplayName(), Hosted: reg.Hosted,
			Mailboxes: append([]string{}, reg.Mailboxes...), MXSuffixes: append([]string{}, reg.MXSuffixes...),
			About: p.About, Discovery: string(p.DMARC.Method), Bulk: p.Bulk != nil, Rules: []report.ReceiverRule{}}
		if rp.Discovery == "" {
			rp.Discovery = "rfc7489"
		}
		rp.Documented, rp.ThirdParty, rp.Inferred = p.Count()
		for _, r := range p.Rules() {
			rp.Rules = append(rp.Rules, report.ReceiverRule{Case: r.Case, Disposition: r.Disposition, Reply: r.Reply,
				Rule: report.Rule{ID: r.Rule.ID, Text: r.Rule.Text, Provenance: string(r.Rule.Provenance),
					Confidence: string(r.Rule.Confidence), Source: r.Rule.Source, Date: r.Rule.Date}})
		}
		l.Receivers = append(l.Receivers, rp)
	}
	return l, nil
}
