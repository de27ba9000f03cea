package dns

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDomain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Domain
		err  bool
	}{
		{in: "Example.COM.", want: "example.com"},
		{in: "user@Mail.Example.com", want: "mail.example.com"},
		{in: "bücher.example", want: "xn--bcher-kva.example"},
		{in: "BÜCHER.example", want: "xn--bcher-kva.example"},
		{in: "xn--bcher-kva.example", want: "xn--bcher-kva.example"},
		{in: "例え.テスト", want: "xn--r8jz45g.xn--zckzah"},
		{in: "selector_1.example", want: "selector_1.example"},
		{in: "", err: true},
		{in: "a..example", err: true},
		{in: "192.0.2.1", err: true},
		{in: "[192.0.2.1]", err: true},
		{in: strings.Repeat("a", 64) + ".example", err: true},
		{in: strings.Repeat("abcdefghi.", 26) + "example", err: true},
	} {
		got, err := ParseDomain(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseDomain(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, ErrInvalidName) {
			t.Errorf("ParseDomain(%q) error %v does not wrap ErrInvalidName", tc.in, err)
		}
	}
	if got := Domain("xn--bcher-kva.example").Unicode(); got != "bücher.example" {
		t.Errorf("Unicode() = %q", got)
	}
}
