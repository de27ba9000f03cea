package dmarc

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	t.Parallel()
	def := func(r Record) *Record {
		if r.Version == "" {
			r.Version = "DMARC1"
		}
		if r.ADKIM == "" {
			r.ADKIM = AlignRelaxed
		}
		if r.ASPF == "" {
			r.ASPF = AlignRelaxed
		}
		if r.Percent == 0 && !r.Has("pct") {
			r.Percent = 100
		}
		if r.FailureOptions == nil {
			r.FailureOptions = []string{"0"}
		}
		if r.ReportFormat == nil {
			r.ReportFormat = []string{"afrf"}
		}
		if r.ReportInterval == 0 && !r.Has("ri") {
			r.ReportInterval = 86400
		}
		return &r
	}
	tests := []struct {
		name     string
		txt      string
		want     *Record
		err      error
		warnings int
	}{
		{name: "minimal", txt: "v=DMARC1; p=reject", want: def(Record{Policy: PolicyReject, Tags: []string{"p"}})},
		{name: "trailing semicolon", txt: "v=DMARC1; p=none;", want: def(Record{Policy: PolicyNone, Tags: []string{"p"}})},
		{name: "all tags", txt: "v=DMARC1; p=quarantine; sp=reject; np=none; adkim=s; aspf=s; pct=50; fo=1:d; rf=afrf; ri=3600; rua=mailto:a@example.com!10m; ruf=mailto:f@example.com; t=y; psd=n",
			want: def(Record{Policy: PolicyQuarantine, SubdomainPolicy: PolicyReject, NonexistentPolicy: PolicyNone, ADKIM: AlignStrict, ASPF: AlignStrict,
				Percent: 50, FailureOptions: []string{"1", "d"}, ReportFormat: []string{"afrf"}, ReportInterval: 3600,
				AggregateReports: []URI{{URI: "mailto:a@example.com", MaxSize: 10, Unit: "m", HasSize: true}},
				FailureReports:   []URI{{URI: "mailto:f@example.com"}}, Testing: true, PSD: PSDNo,
				Tags: []string{"p", "sp", "np", "adkim", "aspf", "pct", "fo", "rf", "ri", "rua", "ruf", "t", "psd"}})},
		{name: "case and whitespace", txt: "V = DMARC1 ;\tP = Reject ; ADKIM=S", want: def(Record{Policy: PolicyReject, ADKIM: AlignStrict, Tags: []string{"p", "adkim"}})},
		{name: "unknown tag warns", txt: "v=DMARC1; p=none; foo=bar", want: def(Record{Policy: PolicyNone, Tags: []string{"p"}}), warnings: 1},
		// A tag name outside the grammar is an unknown tag: ignored with a
		// warning, the policy kept (as mailauth, authheaders, OpenDMARC).
		{name: "tag name with a dash", txt: "v=DMARC1; p=reject; x-vendor=7", want: def(Record{Policy: PolicyReject, Tags: []string{"p"}}), warnings: 1},
		{name: "tag without a name", txt: "v=DMARC1; p=reject; =x", want: def(Record{Policy: PolicyReject, Tags: []string{"p"}}), warnings: 1},
		{name: "tag name with a space", txt: "v=DMARC1; x y=1; p=quarantine", want: def(Record{Policy: PolicyQuarantine, Tags: []string{"p"}}), warnings: 1},
		{name: "p not first warns", txt: "v=DMARC1; rua=mailto:a@example.com; p=reject", want: def(Record{Policy: PolicyReject, AggregateReports: []URI{{URI: "mailto:a@example.com"}}, Tags: []string{"rua", "p"}}), warnings: 1},
		{name: "missing p with rua is none", txt: "v=DMARC1; rua=mailto:a@example.com", want: def(Record{Policy: PolicyNone, PolicyFallback: true, AggregateReports: []URI{{URI: "mailto:a@example.com"}}, Tags: []string{"p", "rua"}}), warnings: 2},
		{name: "invalid sp with rua is none", txt: "v=DMARC1; p=reject; sp=bogus; rua=mailto:a@example.com", want: def(Record{Policy: PolicyNone, PolicyFallback: true, AggregateReports: []URI{{URI: "mailto:a@example.com"}}, Tags: []string{"p", "rua"}}), warnings: 1},
		{name: "empty tag tolerated", txt: "v=DMARC1; p=none;; adkim=s", want: def(Record{Policy: PolicyNone, ADKIM: AlignStrict, Tags: []string{"p", "adkim"}}), warnings: 1},
		{name: "pct zero", txt: "v=DMARC1; p=reject; pct=0", want: def(Record{Policy: PolicyReject, Percent: 0, Tags: []string{"p", "pct"}})},
		{name: "not dmarc: spf", txt: "v=spf1 -all", err: ErrNotDMARC},
		{name: "not dmarc: lower-case value", txt: "v=dmarc1; p=none", err: ErrNotDMARC},
		{name: "not dmarc: DMARC1x", txt: "v=DMARC1x; p=none", err: ErrNotDMARC},
		{name: "not dmarc: empty", txt: "", err: ErrNotDMARC},
		{name: "not dmarc: missing semicolon", txt: "v=DMARC1 p=none", err: ErrNotDMARC},
		{name: "no p no rua", txt: "v=DMARC1; adkim=s", err: ErrNoPolicy},
		{name: "invalid p no rua", txt: "v=DMARC1; p=n", err: ErrNoPolicy},
		{name: "bare word", txt: "v=DMARC1; p=none; bogus", err: ErrSyntax},
		{name: "duplicate", txt: "v=DMARC1; p=none; p=reject", err: ErrSyntax},
		{name: "bad adkim", txt: "v=DMARC1; p=none; adkim=x", err: ErrSyntax},
		{name: "pct over 100", txt: "v=DMARC1; p=none; pct=101", err: ErrSyntax},
		{name: "pct negative", txt: "v=DMARC1; p=none; pct=-1", err: ErrSyntax},
		{name: "ri overflow", txt: "v=DMARC1; p=none; ri=99999999999", err: ErrSyntax},
		{name: "fo bad", txt: "v=DMARC1; p=none; fo=01", err: ErrSyntax},
		{name: "rf trailing dash", txt: "v=DMARC1; p=none; rf=afrf-", err: ErrSyntax},
		{name: "rua not uri", txt: "v=DMARC1; p=none; rua=bogus", err: ErrSyntax},
		{name: "rua size unit", txt: "v=DMARC1; p=none; rua=mailto:a@example.com!10p", err: ErrSyntax},
		{name: "rua size overflow", txt: "v=DMARC1; p=none; rua=mailto:a@example.com!999999999999999999999999", err: ErrSyntax},
		{name: "np bad", txt: "v=DMARC1; p=none; np=maybe", err: ErrSyntax},
		{name: "t bad", txt: "v=DMARC1; p=none; t=x", err: ErrSyntax},
		{name: "psd bad", txt: "v=DMARC1; p=none; psd=x", err: ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.txt)
			if !errors.Is(err, tc.err) || (err != nil) != (tc.err != nil) {
				t.Fatalf("Parse(%q) error = %v, want %v", tc.txt, err, tc.err)
			}
			if tc.err != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Record{}, "Warnings")); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.txt, diff)
			}
			if len(got.Warnings) != tc.warnings {
				t.Errorf("Parse(%q) warnings = %v, want %d", tc.txt, got.Warnings, tc.warnings)
			}
		})
	}
}

func TestParseNoPolicyKeepsRecord(t *testing.T) {
	t.Parallel()
	r, err := Parse("v=DMARC1; psd=y")
	if !errors.Is(err, ErrNoPolicy) || r == nil || r.PSD != PSDYes {
		t.Fatalf("Parse = %+v, %v; want the record with psd=y and ErrNoPolicy", r, err)
	}
	var se *SyntaxError
	if _, err := Parse("v=DMARC1; p=none; adkim=x"); !errors.As(err, &se) || se.Tag != "adkim" {
		t.Errorf("want a *SyntaxError for adkim, got %v", err)
	}
}

func TestRecordString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"v=DMARC1; p=reject", "v=DMARC1; p=reject"},
		{"V=DMARC1;P=Reject;ADKIM=S; x=y; rua=mailto:a@b.example!10M", "v=DMARC1; p=reject; adkim=s; rua=mailto:a@b.example!10m"},
		{"v=DMARC1; rua=mailto:a@b.example; sp=reject", "v=DMARC1; p=none; rua=mailto:a@b.example"},
		{"v=DMARC1; p=none; t=y; psd=u; pct=0", "v=DMARC1; p=none; t=y; psd=u; pct=0"},
	} {
		r, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := r.String(); got != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"v=DMARC1; p=reject", "v=DMARC1; p=none; rua=mailto:a@example.com!10m,mailto:b@example.net",
		"V = DMARC1 ; P = reject ;\tSP=none; unknown \t=\t x ; adkim=s; aspf=s; ri=1; fo=0:1:d:s; rf=afrf:other; pct=0",
		"v=DMARC1; rua=mailto:x@y.example; sp=bogus", "v=DMARC1;;", "v=DMARC1; np=reject; t=y; psd=y; p=quarantine",
		"v=spf1 -all", "", ";;;=;", "v=DMARC1; p=none; bogus",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrNotDMARC) && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrNoPolicy) {
				t.Fatalf("Parse(%q): error %v wraps no sentinel", s, err)
			}
			if errors.Is(err, ErrNoPolicy) == (r == nil) {
				t.Fatalf("Parse(%q): record %v with error %v", s, r, err)
			}
			return
		}
		out := r.String()
		r2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, out, err)
		}
		if out2 := r2.String(); out2 != out {
			t.Fatalf("round trip of %q: %q then %q", s, out, out2)
		}
		ignore := cmpopts.IgnoreFields(Record{}, "Warnings", "PolicyFallback", "Tags")
		if diff := cmp.Diff(r, r2, ignore, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip of %q via %q changed the record (-first +second):\n%s", s, out, diff)
		}
		if strings.ContainsAny(out, "\r\n") {
			t.Fatalf("String() of %q contains a line break: %q", s, out)
		}
	})
}
