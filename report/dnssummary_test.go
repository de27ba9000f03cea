package report

import (
	"strings"
	"testing"
)

// TestDNSSummaryWording: one wording for every command, singular and
// all-from-cache included.
func TestDNSSummaryWording(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    DNS
		lang Lang
		want string
	}{
		{DNS{Queries: 1, Lookups: 1, ElapsedMS: 3}, LangEN, "DNS: 1 query, 3 ms\n"},
		{DNS{Queries: 4, Lookups: 4}, LangEN, "DNS: 4 queries, 0 ms\n"},
		{DNS{Queries: 2, Lookups: 5, ElapsedMS: 41}, LangEN, "DNS: 2 queries (5 lookups, the rest from cache), 41 ms\n"},
		{DNS{Queries: 0, Lookups: 5}, LangEN, "DNS: 0 queries (5 lookups, all from cache), 0 ms\n"},
		{DNS{Queries: 3, Lookups: 3, Failures: 1}, LangEN, "DNS: 3 queries, 0 ms, 1 temporary failure(s)\n"},
		{DNS{Queries: 2, Lookups: 5}, LangZH, "DNS：2 次查询（共查找 5 次，其余来自缓存），0 ms\n"},
	} {
		var b strings.Builder
		t1 := &textWriter{w: &b, o: TextOptions{Lang: tc.lang}}
		t1.dnsSummary(tc.d, "")
		if b.String() != tc.want {
			t.Errorf("%+v: %q, want %q", tc.d, b.String(), tc.want)
		}
	}
}
