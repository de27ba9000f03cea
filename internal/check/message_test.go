package check

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestParseMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      string
		domain  string
		problem string // substring of Author.Problem
		lfOnly  bool
	}{
		{name: "crlf", in: "From: A <a@Brand.Example>\r\nTo: b@qq.com\r\n\r\nbody\r\n", domain: "brand.example"},
		{name: "lf", in: "From: a@brand.example\nSubject: x\n\nbody\n", domain: "brand.example", lfOnly: true},
		{name: "folded", in: "Subject: x\r\nFrom: \"Brand\r\n News\" <news@brand.example>\r\n\r\n", domain: "brand.example"},
		{name: "idn", in: "From: news@Bücher.example\r\n\r\n", domain: "xn--bcher-kva.example"},
		{name: "encoded display name", in: "From: =?UTF-8?B?5ZOB54mM?= <news@brand.example>\r\n\r\n", domain: "brand.example"},
		{name: "8-bit display name", in: "From: 品牌 <news@brand.example>\r\n\r\n", domain: "brand.example"},
		{name: "no from", in: "To: b@qq.com\r\n\r\n", problem: "no From header"},
		{name: "two froms", in: "From: a@brand.example\r\nFrom: b@evil.example\r\n\r\n", problem: "2 From header fields"},
		{name: "two addresses: both author domains count (RFC 7489 §6.6.1)", in: "From: a@brand.example, b@brand.example\r\n\r\n", domain: "brand.example"},
		{name: "two addresses, one unusable", in: "From: a@brand.example, b@-bad-.example\r\n\r\n", problem: "2 addresses"},
		{name: "group", in: "From: undisclosed-recipients:;\r\n\r\n", problem: "group"},
		{name: "no domain", in: "From: news\r\n\r\n", problem: "not a fully qualified"},
		{name: "headers only, no body", in: "From: a@brand.example\r\n", domain: "brand.example"},
		{name: "mbox separator", in: "From news@brand.example Thu Jan 15 10:00:00 2026\nFrom: a@brand.example\n\nx\n", domain: "brand.example", lfOnly: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMessage([]byte(tc.in), "t.eml")
			if err != nil {
				t.Fatalf("ParseMessage: %v", err)
			}
			a := FromAuthor(m)
			if a.Domain != tc.domain {
				t.Errorf("domain %q, want %q (problem %q)", a.Domain, tc.domain, a.Problem)
			}
			if tc.problem == "" && a.Problem != "" || !strings.Contains(a.Problem, tc.problem) {
				t.Errorf("problem %q, want one containing %q", a.Problem, tc.problem)
			}
			if m.LFOnly != tc.lfOnly {
				t.Errorf("LFOnly = %v", m.LFOnly)
			}
		})
	}
}

func TestNotAMessage(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"empty":         "",
		"binary":        "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"prose":         "Dear team, please find the campaign attached.\n",
		"json":          `{"from": "a@brand.example"}`,
		"blank first":   "\r\nFrom: a@brand.example\r\n",
		"continuation":  " folded: first\r\n\r\n",
		"nul in header": "From: a@brand.example\r\nX: \x00\r\n\r\n",
	} {
		_, err := ParseMessage([]byte(in), name)
		if !errors.Is(err, ErrNotMessage) {
			t.Errorf("%s: err = %v, want ErrNotMessage", name, err)
		}
	}
}

func TestReceivedIP(t *testing.T) {
	t.Parallel()
	m, err := ParseMessage([]byte("Received: from [10.0.0.5] by relay.internal\r\n"+
		"Received: from mta1.esp.example (mta1.esp.example [192.0.2.10])\r\n\tby mx.qq.com; Thu, 15 Jan 2026\r\n"+
		"Received: from app (localhost [127.0.0.1]) by mta1\r\n"+
		"From: a@brand.example\r\n\r\n"), "r.eml")
	if err != nil {
		t.Fatal(err)
	}
	ip, _, ok := ReceivedIP(m)
	if !ok || ip != netip.MustParseAddr("192.0.2.10") {
		t.Errorf("ReceivedIP = %v %v, want 192.0.2.10", ip, ok)
	}
	m6, _ := ParseMessage([]byte("Received: from mx (mx.esp.example [IPv6:2001:db8:e5::10]) by mx.qq.com\r\nFrom: a@b.example\r\n\r\n"), "r6")
	if ip, _, ok := ReceivedIP(m6); !ok || ip.String() != "2001:db8:e5::10" {
		t.Errorf("IPv6 literal: %v %v", ip, ok)
	}
}

func TestReturnPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"<bounce@esp.example>": "bounce@esp.example", "<>": "", " bounce@esp.example ": "bounce@esp.example"} {
		m, _ := ParseMessage([]byte("Return-Path: "+in+"\r\nFrom: a@b.example\r\n\r\n"), "rp")
		if got, ok := ReturnPath(m); !ok || got != want {
			t.Errorf("ReturnPath(%q) = %q %v", in, got, ok)
		}
	}
}
