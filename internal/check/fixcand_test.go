package check

import (
	"context"
	"strings"
	"testing"

	"preflight/dns"
	"preflight/internal/receiver"
)

func TestSPFRecordWith(t *testing.T) {
	t.Parallel()
	long := "v=spf1 " + strings.Repeat("ip4:198.51.100.1 ", 16) + "-all"
	z, err := dns.ParseZone(`
all.example.     TXT "v=spf1 ip4:203.0.113.0/24 -all"
redir.example.   TXT "v=spf1 a redirect=_spf.esp.example"
noall.example.   TXT "v=spf1 mx"
two.example.     TXT "v=spf1 -all"
two.example.     TXT "v=spf1 ~all"
has.example.     TXT "v=spf1 ip4:192.0.2.10 -all"
other.example.   TXT "google-site-verification=x"
long.example.    TXT "`+long[:200]+`" "`+long[200:]+`"
`, "t")
	if err != nil {
		t.Fatal(err)
	}
	c := &run{cfg: Config{Resolver: failingFor(z, "temp.example")}}
	for _, tc := range []struct{ domain, want, why string }{
		{"all.example", `all.example. TXT "v=spf1 ip4:203.0.113.0/24 ip4:192.0.2.10 -all"`, ""},
		{"redir.example", `redir.example. TXT "v=spf1 a ip4:192.0.2.10 redirect=_spf.esp.example"`, ""},
		{"noall.example", `noall.example. TXT "v=spf1 mx ip4:192.0.2.10"`, ""},
		{"has.example", `has.example. TXT "v=spf1 ip4:192.0.2.10 -all"`, ""},
		{"other.example", `other.example. TXT "v=spf1 ip4:192.0.2.10 -all"`, ""},
		{"none.example", `none.example. TXT "v=spf1 ip4:192.0.2.10 -all"`, ""},
		{"two.example", "", "2 SPF records"},
		{"temp.example", "", "could not be read"},
	} {
		got, why := c.spfRecordWith(context.Background(), tc.domain, "ip4:192.0.2.10")
		if got != tc.want || !strings.Contains(why, tc.why) || (tc.why == "") != (why == "") {
			t.Errorf("%s: %q, %q; want %q, %q", tc.domain, got, why, tc.want, tc.why)
		}
	}
	// A record longer than 255 octets is written as several strings, and
	// reads back as one record.
	got, _ := c.spfRecordWith(context.Background(), "long.example", "ip4:192.0.2.10")
	rz, err := dns.ParseZone(got+"\n", "fix")
	if err != nil || strings.Count(got, `" "`) != 1 {
		t.Fatalf("%q: %v", got, err)
	}
	res, _ := rz.Lookup(context.Background(), "long.example", dns.TypeTXT)
	if txt := res.TXT(); len(txt) != 1 || !strings.HasSuffix(txt[0], "ip4:198.51.100.1 ip4:192.0.2.10 -all") {
		t.Errorf("long record reads back as %q", txt)
	}
	if _, why := c.spfRecordWith(context.Background(), "all.example", ""); why == "" {
		t.Error("no terms: no record")
	}
}

func TestFCrDNS(t *testing.T) {
	t.Parallel()
	z, err := dns.ParseZone(`
10.2.0.192.in-addr.arpa.  PTR mta.esp.example.
11.2.0.192.in-addr.arpa.  PTR elsewhere.example.
mta.esp.example.          A   192.0.2.10
elsewhere.example.        A   198.51.100.1
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR v6.esp.example.
v6.esp.example.           AAAA 2001:db8::10
`, "t")
	if err != nil {
		t.Fatal(err)
	}
	r := failingFor(z, "12.2.0.192.in-addr.arpa")
	for _, tc := range []struct {
		ip, status, note string
	}{
		{"192.0.2.10", "pass", "resolves back"},
		{"192.0.2.11", "fail", "no A record of that name points back"},
		{"192.0.2.13", "fail", "has no PTR record"},
		{"192.0.2.12", "temperror", "failed temporarily"},
		{"2001:db8::10", "pass", "resolves back"},
	} {
		st, note := fcrdns(context.Background(), r, ips(tc.ip))
		if st != tc.status || !strings.Contains(note, tc.note) {
			t.Errorf("%s: %s %q; want %s, %q", tc.ip, st, note, tc.status, tc.note)
		}
	}
	if st, _ := fcrdns(context.Background(), r, ips("192.0.2.10", "192.0.2.12", "192.0.2.11")); st != "fail" {
		t.Errorf("the worst IP decides: %s", st)
	}
	if st, _ := fcrdns(context.Background(), r, nil); st != "" {
		t.Errorf("no IP: %q", st)
	}
}

func TestParseReceiversAndList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		spec  string
		names string
		auto  bool
		err   string
	}{
		{spec: "qq", names: "qq"},
		{spec: "Gmail, qq,gmail", names: "gmail,qq"},
		{spec: "all", names: strings.Join(receiver.Names(), ",")},
		{spec: "auto", names: "qq", auto: true},
		{spec: "auto,yahoo", names: "yahoo", auto: true},
		{spec: "", err: "empty"},
		{spec: " , ", err: "empty"},
		{spec: "gmail,hotmail", err: `unknown receiver "hotmail"`},
	} {
		ps, auto, err := ParseReceivers(tc.spec)
		var names []string
		for _, p := range ps {
			names = append(names, p.Name)
		}
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(names, ",") != tc.names || auto != tc.auto {
			t.Errorf("%q: %v %v %v", tc.spec, names, auto, err)
		}
	}
	l, err := ReceiverList([]string{"gmail"})
	if err != nil || len(l.Receivers) != 1 || l.Receivers[0].Discovery != "rfc7489" || !l.Receivers[0].Bulk || len(l.Receivers[0].Mailboxes) == 0 {
		t.Errorf("ReceiverList(gmail) = %+v, %v", l, err)
	}
	if _, err := ReceiverList([]string{"nope"}); err == nil {
		t.Error("unknown receiver listed")
	}
	if all, _ := ReceiverList(nil); len(all.Receivers) != len(receiver.Profiles()) {
		t.Errorf("%d receivers listed", len(all.Receivers))
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"testdata/demo/x.eml": "testdata/demo/x.eml", "a b.eml": "'a b.eml'", "it's": `'it'\''s'`, "": "''", "--mail-from": "--mail-from",
		"bounce@bounce.brand.example": "bounce@bounce.brand.example", "$(rm)": "'$(rm)'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
