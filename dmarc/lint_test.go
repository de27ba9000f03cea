package dmarc

import (
	"slices"
	"testing"
)

func TestLint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rec  string
		want []string
	}{
		{"v=DMARC1; p=reject; rua=mailto:d@example.com", nil},
		{"v=DMARC1; p=none", []string{"dmarc.policy-none", "dmarc.no-rua"}},
		{"v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", []string{"dmarc.sp-weaker"}},
		{"v=DMARC1; p=reject; pct=20; rua=mailto:d@example.com", []string{"dmarc.pct-sampling"}},
		{"v=DMARC1; p=reject; t=y; rua=mailto:d@example.com", []string{"dmarc.testing"}},
		{"v=DMARC1; p=reject; aspf=s; rua=mailto:d@example.com", []string{"dmarc.strict-subdomain"}},
		{"v=DMARC1; rua=mailto:d@example.com; zz=1", []string{"dmarc.record-warning", "dmarc.record-warning", "dmarc.record-warning", "dmarc.policy-none"}},
	} {
		r, err := Parse(tc.rec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.rec, err)
			continue
		}
		var got []string
		for _, f := range Lint(r) {
			got = append(got, f.ID)
			if f.Detail == "" || f.Title == "" || f.Severity == "" {
				t.Errorf("%q: empty finding %+v", tc.rec, f)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Lint(%q) = %v, want %v", tc.rec, got, tc.want)
		}
	}
	if Lint(nil) != nil {
		t.Error("Lint(nil) should be nil")
	}
}
