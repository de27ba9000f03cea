package receiver

import (
	"strings"
	"testing"
)

// TestRegistry keeps the one table consistent: unique IDs, a name for each,
// every profile registered under its own name, and no mailbox domain or MX
// suffix claimed by two receivers.
func TestRegistry(t *testing.T) {
	t.Parallel()
	ids := map[string]bool{}
	mailboxes, suffixes := map[string]string{}, map[string]string{}
	for _, r := range Receivers() {
		if r.ID == "" || r.Name == "" || ids[r.ID] {
			t.Errorf("receiver %+v: empty or duplicate ID, or no name", r)
		}
		ids[r.ID] = true
		if r.Profile != nil && r.Profile.Name != r.ID {
			t.Errorf("receiver %s holds the profile %s", r.ID, r.Profile.Name)
		}
		for _, m := range r.Mailboxes {
			if other, ok := mailboxes[m]; ok || m != strings.ToLower(m) {
				t.Errorf("mailbox domain %s of %s: also %q, or not lower case", m, r.ID, other)
			}
			mailboxes[m] = r.ID
		}
		for _, s := range r.MXSuffixes {
			if other, ok := suffixes[s]; ok || s != strings.ToLower(s) {
				t.Errorf("MX suffix %s of %s: also %q, or not lower case", s, r.ID, other)
			}
			suffixes[s] = r.ID
		}
	}
	for _, p := range Profiles() {
		if r, ok := ByID(p.Name); !ok || r.Profile != p {
			t.Errorf("profile %s is not in the registry", p.Name)
		}
		if p.DisplayName() == p.Name {
			t.Errorf("profile %s has no display name", p.Name)
		}
	}
	if got := strings.Join(Names(), ","); got != "qq,rfc,gmail,yahoo,microsoft,microsoft365,apple,netease,mailru,yandex" {
		t.Errorf("Names() = %s", got)
	}
}

func TestRegistryLookups(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		got  func() (Receiver, bool)
		want string // "" for none
	}{
		{name: "mailbox qq.com", got: func() (Receiver, bool) { return ForMailbox("qq.com") }, want: IDQQ},
		{name: "mailbox FOXMAIL.COM.", got: func() (Receiver, bool) { return ForMailbox(" FOXMAIL.COM. ") }, want: IDQQ},
		{name: "mailbox exmail tenant", got: func() (Receiver, bool) { return ForMailbox("brand.example") }},
		{name: "mailbox subdomain is not the domain", got: func() (Receiver, bool) { return ForMailbox("mail.qq.com") }},
		{name: "host mx3.qq.com", got: func() (Receiver, bool) { return ForHost("mx3.qq.com") }, want: IDQQ},
		{name: "host qq.com itself", got: func() (Receiver, bool) { return ForHost("QQ.COM.") }, want: IDQQ},
		{name: "host notqq.com", got: func() (Receiver, bool) { return ForHost("notqq.com") }},
		{name: "host Exchange Online", got: func() (Receiver, bool) { return ForHost("brand-example.mail.protection.outlook.com") }, want: IDMicrosoft},
		{name: "host empty", got: func() (Receiver, bool) { return ForHost("") }},
		{name: "ID case-insensitive", got: func() (Receiver, bool) { return ByID("Gmail") }, want: IDGmail},
		{name: "ID unknown", got: func() (Receiver, bool) { return ByID("hotmail") }},
	} {
		r, ok := tc.got()
		if ok != (tc.want != "") || r.ID != tc.want {
			t.Errorf("%s: %q %v, want %q", tc.name, r.ID, ok, tc.want)
		}
	}
	for id, want := range map[string]string{"qq": "QQ Mail", "rfc": "An RFC 7489 receiver", "apple": "Apple iCloud Mail", "": "The receiver", "x-unknown": "x-unknown"} {
		if got := DisplayName(id); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", id, got, want)
		}
	}
	all := Receivers()
	all[0].Name = "changed"
	if DisplayName(IDQQ) == "changed" {
		t.Error("Receivers must return a copy")
	}
}
