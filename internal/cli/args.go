package cli

import (
	"net/netip"
	"strings"
	"unicode"

	"preflight/dns"
	"preflight/report"
)

// Checks of what a person typed on the command line. A domain argument that
// is not a domain is refused (exit 2) instead of being sent to DNS, and
// every error quotes the argument through report.Safe (as fail does), so
// that a control character typed or pasted never reaches the terminal raw.

// domainArg parses a DOMAIN argument or flag value: a fully qualified
// domain, IDNA converted to A-labels. what names it in the error ("--domain").
func domainArg(what, s string) (dns.Domain, error) {
	d, err := dns.ParseDomain(s)
	if err != nil {
		return "", usageErrorf("%s%s", prefix(what), strings.TrimPrefix(err.Error(), dns.ErrInvalidName.Error()+": "))
	}
	if d.Labels() < 2 {
		return "", usageErrorf("%s%q is not a fully qualified domain name", prefix(what), s)
	}
	return d, nil
}

// selectorArg checks a DKIM selector (RFC 6376 §3.1: labels separated by
// dots, as in a domain name) and returns it in lower case.
func selectorArg(what, s string) (string, error) {
	sel := strings.ToLower(strings.TrimSpace(s))
	if err := dns.CheckName(sel + "._domainkey.invalid"); err != nil || sel == "" || strings.HasSuffix(sel, ".") {
		return "", usageErrorf("%s%q is not a DKIM selector (labels of letters, digits and hyphens, e.g. s1 or 2026a.mail)", prefix(what), s)
	}
	for i := 0; i < len(sel); i++ {
		if c := sel[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return "", usageErrorf("%s%q is not a DKIM selector (labels of letters, digits and hyphens, e.g. s1 or 2026a.mail)", prefix(what), s)
		}
	}
	return sel, nil
}

// heloArg checks a HELO/EHLO name: a domain or an address literal
// ([192.0.2.1]), as RFC 5321 §4.1.1.1 allows.
func heloArg(what, s string) error {
	if s == "" {
		return nil
	}
	if lit, ok := strings.CutPrefix(s, "["); ok {
		lit = strings.TrimPrefix(strings.TrimSuffix(lit, "]"), "IPv6:")
		if _, err := netip.ParseAddr(lit); err == nil && strings.HasSuffix(s, "]") {
			return nil
		}
		return usageErrorf("%s%q is not an address literal such as [192.0.2.1]", prefix(what), s)
	}
	// Any name, even a single label: servers greet with what they are
	// configured with, and SPF evaluates it as it is.
	if _, err := dns.ParseDomain(s); err != nil {
		return usageErrorf("%s%s", prefix(what), strings.TrimPrefix(err.Error(), dns.ErrInvalidName.Error()+": "))
	}
	return nil
}

// plainArg refuses a value holding control characters (an address, a
// name): none belongs in mail addresses, and a terminal would act on them.
func plainArg(what, s string) error {
	if strings.ContainsFunc(s, unicode.IsControl) || report.Safe(s) != s {
		return usageErrorf("%s%q holds control characters", prefix(what), s)
	}
	return nil
}

func prefix(what string) string {
	if what == "" {
		return ""
	}
	return what + ": "
}
